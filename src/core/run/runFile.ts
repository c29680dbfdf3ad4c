// The run bundle: everything needed to reload a run to the same samples, to resume it bit for bit, and to
// continue it elsewhere (scripts/torch/continue.py). A safetensors container; tensors are grouped by prefix
// and the metadata holds JSON. The format is written down in scripts/torch/run-bundle.md; change both together.
// Reads run@1 files (written before the bundle had a version) and plain weight files
// ("cm-playground/weights@1": one parameter list, e.g. the shipped models); refuses every other version.
import { version as PROJECT_VERSION } from '../../../package.json';
import { DEFAULTS, LEGACY_VALUES, validateConfig, type Config } from '../config';
import { METHOD_INFO } from '../methods/settings/index';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../io/safetensors';
import { RunFileError, checkFinite, counter, jsonObject, rngState } from './runFileChecks';
import { toFloat32 } from '../io/tensor';
import type { NetworkDef, NetworkSpec, ParamInfo } from '../models/types';
import type { StepDraws, TrainerCheckpoint } from '../cm/consistencyTrainer';
import type { Mixture } from '../data/mixture';
import type { MethodDraws } from '../methods/types';

export const RUN_FORMAT_VERSION = 2;
export const RUN_FORMAT = `cm-playground/run@${RUN_FORMAT_VERSION}`;
export const RUN_FORMAT_V1 = 'cm-playground/run@1';
export const WEIGHTS_FORMAT = 'cm-playground/weights@1';
export { PROJECT_VERSION };

export interface RunFileContents {
  config: Config;
  spec: NetworkSpec;
  phase: 'teacher' | 'student';
  trainer: TrainerCheckpoint | null;
  /** Learned or pretrained teacher parameters, if any. */
  teacher: Float32Array[] | null;
  teacherStep: number;
  /** Custom 2D points in the data's own coordinates. */
  points: Float64Array | null;
  /** The 2D data distribution in normalised coordinates (also the exact teacher), for other trainers. */
  mixture?: Mixture | null;
  /** The draws of the next step (step `trainer.step`), so another trainer can replay it exactly. */
  nextDraws?: StepDraws | null;
  /** The same for the other methods: their MethodDraws, written field by field (see encodeMethodDraws). */
  nextMethodDraws?: MethodDraws | null;
  /** Who wrote the file (metadata `writer`), e.g. "cm-playground" or "continue.py". */
  writer?: string;
}

export { RunFileError };

function addParams(out: Map<string, TensorToWrite>, prefix: string, params: readonly ParamInfo[], values: Float32Array[]): void {
  if (values.length !== params.length) throw new Error(`"${prefix}": ${values.length} parameter tensors for ${params.length} parameters`);
  params.forEach((p, i) => out.set(`${prefix}/${p.name}`, { shape: p.shape, data: values[i] }));
}

/**
 * `student`: the trainer's parameters, the network's followed by its method's own pieces (sCM's w_phi,
 * methods/methodParams.ts); the network's alone by default. The teacher always has the network's.
 */
export function encodeRunFile(c: RunFileContents, net: NetworkDef, student: readonly ParamInfo[] = net.params): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  const t = c.trainer;
  if (t) {
    addParams(tensors, 'online', student, t.online);
    if (t.target) addParams(tensors, 'target', student, t.target);
    addParams(tensors, 'ema', student, t.evalEma);
    tensors.set('optimizer/m', { shape: [t.optimizer.m.length], data: t.optimizer.m });
    tensors.set('optimizer/v', { shape: [t.optimizer.v.length], data: t.optimizer.v });
  }
  if (c.teacher) addParams(tensors, 'teacher', net.params, c.teacher);
  if (c.points) tensors.set('data/points', { shape: [c.points.length / 2, 2], data: c.points });
  if (c.mixture) {
    const K = c.mixture.weights.length;
    tensors.set('data/mixture/means', { shape: [K, c.mixture.dim], data: c.mixture.means });
    tensors.set('data/mixture/stds', { shape: [K], data: c.mixture.stds });
    tensors.set('data/mixture/weights', { shape: [K], data: c.mixture.weights });
  }
  const d = t ? c.nextDraws : null;
  if (d) {
    const B = d.n.length;
    const shape = [B, ...c.spec.dataShape];
    tensors.set('next/x0', { shape, data: d.x0 });
    tensors.set('next/z', { shape, data: d.z });
    tensors.set('next/n', { shape: [B], data: d.n });
  }
  const md = t && !d ? c.nextMethodDraws : null;
  const nextScalars = md ? encodeMethodDraws(tensors, md, c.spec.dataShape) : null;
  const metadata: Record<string, string> = {
    format: RUN_FORMAT,
    formatVersion: String(RUN_FORMAT_VERSION),
    projectVersion: PROJECT_VERSION,
    writer: c.writer ?? 'cm-playground',
    method: c.config.mode,
    layout: 'tfjs',
    config: JSON.stringify(c.config),
    spec: JSON.stringify(c.spec),
    phase: c.phase,
    teacherStep: String(c.teacherStep),
  };
  if (d || md) metadata.nextStep = String(t!.step);
  if (nextScalars && Object.keys(nextScalars).length) metadata.nextScalars = JSON.stringify(nextScalars);
  if (t) {
    metadata.step = String(t.step);
    metadata.optimizerT = String(t.optimizer.t);
    metadata.rng = JSON.stringify({ data: t.rng.data.map(String), train: t.rng.train.map(String) });
  }
  return writeSafetensors(tensors, metadata);
}

/**
 * A method's draws as next/<field> (scripts/torch/run-bundle.md): float32 arrays of a whole batch get the
 * batch's shape [B, ...dataShape], other arrays stay flat (float64 times as F64, int32 as I32); numbers and
 * booleans (shortcut's flowRows, ECT's prefit) are returned for the `nextScalars` metadata.
 */
function encodeMethodDraws(tensors: Map<string, TensorToWrite>, d: MethodDraws, dataShape: readonly number[]): Record<string, number | boolean> {
  const size = dataShape.reduce((a, b) => a * b, 1);
  const B = d.x0.length / size;
  const scalars: Record<string, number | boolean> = {};
  for (const [key, v] of Object.entries(d)) {
    if (typeof v === 'number' || typeof v === 'boolean') scalars[key] = v;
    else if (v instanceof Float32Array) tensors.set(`next/${key}`, { shape: v.length === B * size ? [B, ...dataShape] : [v.length], data: v });
    else if (v instanceof Float64Array || v instanceof Int32Array) tensors.set(`next/${key}`, { shape: [v.length], data: v });
  }
  return scalars;
}

/**
 * The parameters `params` under `prefix`. Those from index `optionalFrom` on are a method's own pieces
 * (sCM's w_phi): a file written without them (older runs, weights files) gives zeros, their initial value.
 */
function readParams(
  tensors: Map<string, import('../io/tensor').HostTensor>, prefix: string, params: readonly ParamInfo[], required: boolean, optionalFrom = params.length,
): Float32Array[] | null {
  if (!params.slice(0, optionalFrom).some((p) => tensors.has(`${prefix}/${p.name}`) || tensors.has(p.name))) {
    if (required) throw new RunFileError(`the file holds no "${prefix}" parameters`);
    return null;
  }
  return params.map((p, i) => {
    const t = tensors.get(`${prefix}/${p.name}`) ?? (prefix === 'online' ? tensors.get(p.name) : undefined);
    if (!t && i >= optionalFrom) return new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    if (!t) throw new RunFileError(`parameter "${p.name}" is missing from the file (expected shape [${p.shape}])`);
    if (t.shape.join('x') !== p.shape.join('x')) {
      throw new RunFileError(`parameter "${p.name}" has shape [${t.shape}] in the file, but this model needs [${p.shape}]`);
    }
    checkFinite(t, `${prefix}/${p.name}`);
    return toFloat32(t);
  });
}

function specMismatch(a: NetworkSpec, b: NetworkSpec): string | null {
  const ka = JSON.stringify(a);
  const kb = JSON.stringify(b);
  if (ka === kb) return null;
  const diffs: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const va = JSON.stringify((a as unknown as Record<string, unknown>)[key]) ?? 'none';
    const vb = JSON.stringify((b as unknown as Record<string, unknown>)[key]) ?? 'none';
    if (va !== vb) diffs.push(`${key}: file ${va}, model ${vb}`);
  }
  return diffs.join('; ');
}

/** Reads the spec and config from a run or weights file without building anything. */
export function peekRunFile(bytes: Uint8Array): { format: string; spec: NetworkSpec; config: Config | null; configErrors: string[] } {
  let meta: Record<string, string>;
  try {
    meta = readSafetensors(bytes).metadata;
  } catch (e) {
    throw new RunFileError(`not a weights file of this playground: ${(e as Error).message}`);
  }
  const format = meta.format;
  const version = /^cm-playground\/run@(\d+)$/.exec(format ?? '');
  if (version && format !== RUN_FORMAT && format !== RUN_FORMAT_V1) {
    const by = meta.projectVersion ? ` by project version ${meta.projectVersion}` : '';
    throw new RunFileError(`this run bundle is format version ${version[1]} (written${by || ' by another version'}); this playground (${PROJECT_VERSION}) reads versions 1 and ${RUN_FORMAT_VERSION} only${Number(version[1]) > RUN_FORMAT_VERSION ? ': update the playground' : ''}`);
  }
  if (format !== RUN_FORMAT && format !== RUN_FORMAT_V1 && format !== WEIGHTS_FORMAT) {
    throw new RunFileError(`not a weights file of this playground (format "${format ?? 'none'}"; expected ${RUN_FORMAT} or ${WEIGHTS_FORMAT})`);
  }
  if (meta.spec === undefined) throw new RunFileError('the file has no model description ("spec")');
  const spec = jsonObject(meta.spec, 'model description ("spec")') as unknown as NetworkSpec;
  if (!meta.config) return { format, spec, config: null, configErrors: [] };
  const raw = jsonObject(meta.config, 'config');
  const known = Object.fromEntries(Object.entries(raw).filter(([k]) => k in DEFAULTS));
  // Older files lack newer settings; they mean the old behaviour, not today's default.
  const { config, errors } = validateConfig({ ...LEGACY_VALUES, ...known });
  return { format, spec, config, configErrors: errors };
}

/**
 * Reads a run or weights file for `net`; refuses a different architecture with a message naming it.
 * `student`: the trainer's parameters (see encodeRunFile); the method's own pieces are zeros where absent.
 */
export function decodeRunFile(bytes: Uint8Array, net: NetworkDef, student: readonly ParamInfo[] = net.params): RunFileContents {
  const { format, spec, config, configErrors } = peekRunFile(bytes);
  const mismatch = specMismatch(spec, net.spec);
  // Name the file's method: networks of different methods differ in their inputs (MeanFlow's r, shortcut's d).
  if (mismatch) throw new RunFileError(`the weights are for a different model (${mismatch})${config ? `: they come from a ${METHOD_INFO[config.mode].label} run` : ''}`);
  const { tensors, metadata: meta } = readSafetensors(bytes);
  const own = net.params.length; // student[own..]: the method's pieces
  if (format === WEIGHTS_FORMAT) {
    const role = meta.role ?? 'model';
    const params = readParams(tensors, 'online', role === 'teacher' ? net.params : student, true, own)!;
    return {
      config: config ?? DEFAULTS, spec, phase: 'student', teacherStep: 0, points: null,
      teacher: role === 'teacher' ? params : null,
      trainer: role === 'teacher' ? null : {
        step: 0, online: params, target: params.map((p) => p.slice()), evalEma: params.map((p) => p.slice()),
        optimizer: { t: 0, m: new Float32Array(0), v: new Float32Array(0) }, rng: { data: [], train: [] },
      },
    };
  }
  if (!config) throw new RunFileError('the run file has no config');
  if (configErrors.length) throw new RunFileError(`the run file's config is invalid: ${configErrors.join('; ')}`);
  const online = readParams(tensors, 'online', student, false, own);
  let trainer: TrainerCheckpoint | null = null;
  if (online) {
    const m = tensors.get('optimizer/m');
    const v = tensors.get('optimizer/v');
    if ((m?.data.length ?? 0) !== (v?.data.length ?? 0)) throw new RunFileError('the optimizer moments "optimizer/m" and "optimizer/v" differ in length');
    if (m) checkFinite(m, 'optimizer/m');
    if (v) checkFinite(v, 'optimizer/v');
    const rng = rngState(meta.rng);
    trainer = {
      step: counter(meta.step, 'step'),
      online,
      target: readParams(tensors, 'target', student, false, own),
      evalEma: readParams(tensors, 'ema', student, false, own) ?? online.map((p) => p.slice()),
      optimizer: { t: counter(meta.optimizerT, 'optimizer step count'), m: m ? toFloat32(m) : new Float32Array(0), v: v ? toFloat32(v) : new Float32Array(0) },
      rng,
    };
  }
  const pts = tensors.get('data/points');
  if (pts) {
    if (pts.shape.length !== 2 || pts.shape[1] !== 2) throw new RunFileError(`"data/points" has shape [${pts.shape}], not [n, 2]`);
    checkFinite(pts, 'data/points');
  }
  return {
    config, spec, trainer,
    phase: meta.phase === 'teacher' ? 'teacher' : 'student',
    teacher: readParams(tensors, 'teacher', net.params, false),
    teacherStep: counter(meta.teacherStep, 'teacher step'),
    points: pts ? Float64Array.from(pts.data as ArrayLike<number>, Number) : null,
  };
}
