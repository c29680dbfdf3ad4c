// Loads what a session needs beyond its config: custom points arrive with the command; the MNIST asset,
// the digit classifier and the pretrained teacher are fetched from the site once and kept.
import type { Config } from '../core/config';
import { createNetwork } from '../core/models/index';
import { DigitEvaluator, MNIST_FILES, parseMnist, pretrainedParams, type MnistSource } from '../core/run/imageData';
import { pretrainedStudent, pretrainedStudentModels, pretrainedTeacherPath, type PretrainedRole } from '../core/run/pretrained';
import { SessionError, type SessionResources } from '../core/run/session';
import { METHOD_INFO } from '../core/methods/settings/index';

const cache = new Map<string, Promise<Uint8Array>>();

function fetchBytes(path: string, what: string): Promise<Uint8Array> {
  let p = cache.get(path);
  if (!p) {
    p = fetch(`${import.meta.env.BASE_URL}${path}`).then(async (r) => {
      if (!r.ok) throw new SessionError('invalid-config', `could not load ${what} (${path}: HTTP ${r.status})`);
      return new Uint8Array(await r.arrayBuffer());
    });
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p;
}

let mnist: MnistSource | null = null;
let evaluator: DigitEvaluator | null = null;

export async function loadSessionResources(c: Config, points?: Float64Array): Promise<SessionResources> {
  const resources: SessionResources = { points };
  if (c.dataset !== 'mnist') return resources;
  if (!mnist) mnist = parseMnist(await fetchBytes(MNIST_FILES.asset, 'the MNIST digits'));
  if (!evaluator) evaluator = DigitEvaluator.fromBytes(await fetchBytes(MNIST_FILES.classifier, 'the digit classifier'), mnist, 256);
  resources.imageData = mnist;
  resources.digitEvaluator = evaluator;
  if (METHOD_INFO[c.mode].teacher !== 'none' && c.teacher === 'pretrained') { // CD, sCD, ECT
    const net = createNetwork(c, mnist.dataShape);
    try {
      resources.pretrainedTeacher = pretrainedParams(await fetchBytes(pretrainedTeacherPath(c.model), 'the pretrained teacher'), net, 'teacher');
    } catch (e) {
      throw new SessionError('invalid-config', `Teacher: ${(e as Error).message}`);
    }
  }
  return resources;
}

/** The shipped pretrained consistency model ("cd", "ct" or "ect") trained as `model`, for instant one-step digits. */
export async function pretrainedModelBytes(role: PretrainedRole, model: string): Promise<Uint8Array> {
  const student = pretrainedStudent(role, model);
  if (!student) {
    throw new SessionError('invalid-config', `the shipped ${role.toUpperCase()} models are for a different model: ${pretrainedStudentModels(role)} (this run: "${model}")`);
  }
  return fetchBytes(student.file, `the pretrained ${role.toUpperCase()} model`);
}
