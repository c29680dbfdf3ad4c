// The shipped pretrained MNIST consistency models and the run modes they belong in (no tfjs: the page's
// main thread reads this too).
import type { Config } from '../config';

type ImageModel = Exclude<Config['model'], 'mlp'>;

/** The shipped pretrained consistency models, by the method that trained them. */
export type PretrainedRole = 'cd' | 'ct' | 'ect';
export const PRETRAINED_ROLES: readonly PretrainedRole[] = ['cd', 'ct', 'ect'];

/** Models as a message lists them: '"unet-large" or "unet"'. */
const listModels = (models: readonly string[]) => models.map((m) => `"${m}"`).join(' or ');

/** A shipped consistency model: its file (under public/) and the Model setting it was trained as. */
export interface PretrainedStudent { file: string; model: ImageModel }

/**
 * Each method's shipped models, the best first: a Load button loads the one trained as the run's Model, and
 * is disabled in runs of a model none was trained as.
 */
export const PRETRAINED_STUDENTS: Readonly<Record<PretrainedRole, readonly PretrainedStudent[]>> = {
  cd: [{ file: 'pretrained/mnist-cd-large.safetensors', model: 'unet-large' }, { file: 'pretrained/mnist-cd.safetensors', model: 'unet' }],
  ct: [{ file: 'pretrained/mnist-ct.safetensors', model: 'unet' }],
  ect: [{ file: 'pretrained/mnist-ect-large.safetensors', model: 'unet-large' }, { file: 'pretrained/mnist-ect.safetensors', model: 'unet' }],
};

/** The shipped `role` model trained as `model`, or null. */
export function pretrainedStudent(role: PretrainedRole, model: string): PretrainedStudent | null {
  return PRETRAINED_STUDENTS[role].find((s) => s.model === model) ?? null;
}

/** The models `role` was shipped for, as a message lists them: '"unet-large" or "unet"'. */
export const pretrainedStudentModels = (role: PretrainedRole) => listModels(PRETRAINED_STUDENTS[role].map((s) => s.model));

/** The digits' default model: the best shipped CD model's, so a new MNIST page shows its digits at once. */
export const PRETRAINED_MODEL = PRETRAINED_STUDENTS.cd[0].model;

/**
 * The shipped EDM teachers, by the Model setting they were trained as (under public/); each taught the shipped
 * students of its model. The `unet-large` one samples better (35-step FD 26.9 against 41.2) at ~1.5x the time per step.
 */
export const PRETRAINED_TEACHERS: Readonly<Record<string, string>> = {
  unet: 'pretrained/mnist-teacher.safetensors',
  'unet-large': 'pretrained/mnist-teacher-large.safetensors',
};

/** The shipped teacher's file for this model, or null when none was trained as it. */
export function pretrainedTeacherFile(model: string): string | null {
  return Object.hasOwn(PRETRAINED_TEACHERS, model) ? PRETRAINED_TEACHERS[model] : null;
}

/** pretrainedTeacherFile for a model the settings checks let through (they refuse the others first). */
export function pretrainedTeacherPath(model: string): string {
  const file = pretrainedTeacherFile(model);
  if (!file) throw new Error(`no pretrained teacher was trained as a "${model}" (there are ${PRETRAINED_TEACHER_MODELS})`);
  return file;
}

/** The models a pretrained teacher exists for, as a message lists them: '"unet" or "unet-large"'. */
export const PRETRAINED_TEACHER_MODELS = listModels(Object.keys(PRETRAINED_TEACHERS));

/**
 * Why a shipped model does not belong in a run of this mode, or null. CD and CT share f's shifted
 * parameterisation (f(x, eps) = x); ECT's f is unshifted (f(x, 0) = x), so its file runs in the ECT mode only.
 */
export function pretrainedModeProblem(mode: string, role: PretrainedRole): string | null {
  const fits = role === 'ect' ? mode === 'ect' : mode === 'cd' || mode === 'ct';
  if (fits) return null;
  // CD's and CT's texts are the same, so the page shows one line for both buttons.
  return role === 'ect' ? 'the shipped ECT model runs in the ECT mode (its f is unshifted: f(x, 0) = x)'
    : 'the shipped CD and CT models run in the CD and CT modes (their f is shifted: f(x, eps) = x)';
}
