// A training session: data, network, teacher, trainer and evaluation for one config, with the phases
// (learned teacher first, then the consistency model), NaN recovery from the last good checkpoint, and
// run files. The CLI and the worker both drive it; neither knows the algorithms.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { ConsistencyTrainer, type TrainerCheckpoint } from '../cm/consistencyTrainer';
import { defaultHuberC, l1Distance, l2Distance, pseudoHuberDistance, type DistanceFn } from '../cm/distance';
import { multistepSample, type SamplingNoise } from '../cm/sampling';
import { networkConsistencyFn, type ConsistencyFn } from '../edit/consistencyFn';
import { flowMapEdm } from '../methods/flowMap';
import { FlowMapProbe, flowMapError, type FlowMapErrorReport, type FlowMapView } from '../methods/flowMapError';
import { methodParams } from '../methods/methodParams';
import { MethodTrainer, type StudentTrainer } from '../methods/methodTrainer';
import { methodFor, trainingMethodFor } from '../methods/registry';
import { METHOD_INFO } from '../methods/settings/index';
import type { FlowMapMethod, MethodContext } from '../methods/types';
import { customDataset, isPreset, presetDataset, type Dataset2D } from '../data/dataset2d';
import type { DataSource } from '../data/source';
import { createNetwork } from '../models/index';
import { readVariables } from '../models/paramSet';
import type { NetworkDef, ParamInfo } from '../models/types';
import { Rng } from '../rng';
import type { Denoiser } from '../teacher/denoiser';
import { EdmDenoiser, EdmTeacherTrainer } from '../teacher/edmTeacher';
import { MixtureDenoiser } from '../teacher/mixtureDenoiser';
import { pfOdeSamples } from '../teacher/trajectories';
import { energyDistance, selfDistance, slicedWasserstein } from '../metrics/sampleQuality2d';
import { sampleSize } from '../tensorUtil';
import { peekNextDraws, peekNextMethodDraws } from './nextDraws';
import { KnownGoodCheckpoints } from './knownGood';
import { decodeRunFile, encodeRunFile, RunFileError } from './runFile';
import type { DigitEvaluator, ImageQuality } from './imageData';
import { usesNetworkTeacher } from './trajectorySource';

export interface SessionResources {
  /** Custom 2D points (data coordinates) for dataset "custom". */
  points?: Float64Array;
  /** Data source for image datasets (built by the caller, e.g. from the MNIST asset). */
  imageData?: DataSource;
  /** Pretrained teacher parameters (teacher = "pretrained"). */
  pretrainedTeacher?: Float32Array[];
  /** LPIPS distance, when metric = "lpips". */
  lpips?: DistanceFn;
  /** Classifier-based quality for digits. */
  digitEvaluator?: DigitEvaluator;
}

export interface SessionStep {
  phase: 'teacher' | 'student';
  /** Step counter of that phase after this step. */
  step: number;
  loss: tf.Scalar;
  N: number;
  mu: number;
  lr: number;
}

/** Sample quality: sliced Wasserstein distances for 2D data (NaN for images), classifier scores for digits. */
export interface QualityReport {
  step: number;
  /** SWD of one-step and two-step samples to fresh data (normalised units). */
  swd1: number;
  swd2: number;
  /** SWD of the teacher's ODE samples, where a teacher exists (the reference line). */
  swdTeacher: number | null;
  /** SWD between two fresh data batches: the floor of the estimator. */
  swdFloor: number;
  /** Energy distance of one-step and two-step samples to fresh data (2D; NaN for images). */
  energy1: number;
  energy2: number;
  /** Flow-map error against the exact ODE map (2D only): one-step (T -> data) and the mean over its grid. */
  fme1?: number;
  fmeMean?: number;
  /** Every cell of the flow-map error grid (sigma -> sigma', error). */
  fmeCells?: { sigmaFrom: number; sigmaTo: number; error: number }[];
  /** What the flow-map view draws (the same evaluation: its one-step cell is fme1). */
  fmeView?: FlowMapView;
  image?: ImageQuality;
}

export class SessionError extends Error {
  constructor(readonly code: 'invalid-config' | 'nan-loss' | 'invalid-weights', message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

function distanceFor(c: Config, dim: number, lpips?: DistanceFn): DistanceFn {
  switch (c.metric) {
    case 'l2':
      return l2Distance;
    case 'l1':
      return l1Distance;
    case 'pseudo-huber':
      return pseudoHuberDistance(c.huberC > 0 ? c.huberC : defaultHuberC(dim));
    case 'lpips':
      if (!lpips) throw new SessionError('invalid-config', 'Metric: LPIPS weights are not loaded (lin layers and backbone are both needed)');
      return lpips;
  }
}

export class TrainingSession {
  readonly net: NetworkDef;
  /** The student's parameters: the network's, then its method's own pieces (sCM's w_phi; methodParams.ts). */
  readonly studentParams: readonly ParamInfo[];
  readonly data: DataSource;
  readonly dataset2d: Dataset2D | null;
  /** Exact teacher (2D): used for CD with teacher = exact, and always as ground truth in 2D. */
  readonly exactTeacher: MixtureDenoiser | null;
  readonly distance: DistanceFn;
  teacherTrainer: EdmTeacherTrainer | null = null;
  /** Frozen learned/pretrained teacher parameters once the teacher phase is over. */
  private frozenTeacher: tf.Tensor[] | null = null;
  /** CD/CT: the ConsistencyTrainer (fused step); every other method: the generic MethodTrainer. */
  trainer: StudentTrainer | null = null;
  /** The run's method: its flow map, sampler and (except CD/CT) training step. */
  readonly method: FlowMapMethod;
  private fmeProbe: FlowMapProbe | null = null;
  phase: 'teacher' | 'student';
  /** States whose tensors are finite and whose own loss was finite (the recovery points). */
  private readonly good = new KnownGoodCheckpoints();
  /** Test hook: the next student update uses a learning rate of 1e30 (see forceDivergenceNextStep). */
  private divergeNext = false;
  private cachedTeacherSwd: number | null | undefined;
  private cachedFloor: number | undefined;
  /** E|Y - Y'| of evalTruth: the energy distance's reference term, the same at every evaluation. */
  private cachedTruthSelf: number | undefined;
  readonly evalNoise: SamplingNoise;
  readonly evalTruth: Float32Array;

  constructor(readonly config: Config, readonly resources: SessionResources = {}, evalCount = 1000) {
    const c = config;
    if (c.dataset === 'mnist') {
      if (!resources.imageData) throw new SessionError('invalid-config', 'Dataset: the MNIST digits are not loaded');
      this.data = resources.imageData;
      this.dataset2d = null;
    } else {
      if (c.dataset === 'custom') {
        if (!resources.points) throw new SessionError('invalid-config', 'Dataset: "custom" needs points (draw them or load a CSV)');
        this.dataset2d = customDataset(resources.points, c.sigmaData, c.pointSmoothing);
      } else if (isPreset(c.dataset)) {
        this.dataset2d = presetDataset(c.dataset, c.sigmaData);
      } else {
        throw new SessionError('invalid-config', `Dataset: unknown dataset "${c.dataset}"`);
      }
      const ds = this.dataset2d;
      this.data = { dataShape: [2], sample: (n, rng) => ds.sample(n, rng) };
    }
    const method = methodFor(c.mode);
    if (!method || !METHOD_INFO[c.mode].available) throw new SessionError('invalid-config', `Training mode: ${METHOD_INFO[c.mode].label} is not available yet`);
    this.method = method;
    this.net = createNetwork(c, this.data.dataShape, method.timeInputs);
    const cdct = c.mode === 'cd' || c.mode === 'ct';
    this.studentParams = cdct ? this.net.params : [...this.net.params, ...methodParams(trainingMethodFor(c.mode), c)];
    this.exactTeacher = this.dataset2d ? new MixtureDenoiser(this.dataset2d.mixture) : null;
    this.distance = distanceFor(c, sampleSize(this.data.dataShape), resources.lpips);
    const evalRng = new Rng(c.seed, 'evaluation');
    const size = sampleSize(this.data.dataShape);
    this.evalNoise = { initial: evalRng.normals(evalCount * size), perTau: c.taus.map(() => evalRng.normals(evalCount * size)) };
    this.evalTruth = this.data.sample(evalCount, evalRng);

    const usesTeacher = this.usesTeacher();
    const needsLearnedTeacher = usesTeacher && c.teacher === 'learned';
    if (usesTeacher && c.teacher === 'pretrained') {
      if (!resources.pretrainedTeacher) throw new SessionError('invalid-config', 'Teacher: the pretrained teacher is not loaded');
      this.frozenTeacher = resources.pretrainedTeacher.map((p, i) => tf.tensor(p, this.net.params[i].shape));
    }
    if (usesTeacher && c.teacher === 'exact' && !this.exactTeacher) {
      throw new SessionError('invalid-config', 'Teacher: no exact teacher exists for this dataset');
    }
    this.phase = needsLearnedTeacher ? 'teacher' : 'student';
    if (needsLearnedTeacher) {
      this.teacherTrainer = new EdmTeacherTrainer(this.net, this.data, {
        seed: c.seed, batchSize: c.batchSize, eps: c.eps, T: c.T,
        scalings: { eps: c.eps, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention },
        optimizer: { kind: 'adam', lr: c.teacherLr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, gradClip: 0 },
      });
    } else {
      this.startStudent();
    }
  }

  /** The teacher the student distils from (CD), or the exact 2D reference for plots (trajectorySource.ts names it). */
  teacher(): Denoiser | null {
    const s = { eps: this.config.eps, sigmaData: this.config.sigmaData, cNoiseConvention: this.config.cNoiseConvention };
    if (usesNetworkTeacher(this.config)) {
      if (this.frozenTeacher) return new EdmDenoiser(this.net, this.frozenTeacher, s);
      if (this.teacherTrainer) return this.teacherTrainer.denoiser();
      return null;
    }
    return this.exactTeacher;
  }

  get teacherStep(): number {
    return this.teacherTrainer?.step ?? 0;
  }

  get step(): number {
    return this.trainer?.step ?? 0;
  }

  /** CD, sCD (every step) and ECT (its start) use the teacher; the other methods learn from data alone. */
  private usesTeacher(): boolean {
    return METHOD_INFO[this.config.mode].teacher !== 'none';
  }

  /** What a method may use besides its weights. */
  methodContext(): MethodContext {
    return {
      config: this.config, net: this.net, dataShape: this.data.dataShape, data: this.data,
      teacher: this.usesTeacher() ? this.teacher() : null, exact: this.exactTeacher,
    };
  }

  private startStudent(initial?: Float32Array[]): void {
    const c = this.config;
    if (c.mode !== 'cd' && c.mode !== 'ct') {
      this.phase = 'student';
      this.good.reset();
      // ECT starts from the teacher's weights: learned (passed in) or pretrained. sCD does not: its network
      // sees TrigFlow time (t/32), not EDM's c_noise, so EDM weights mean nothing to it; it pre-trains on the
      // teacher's velocity instead (scmPretrain). Restoring a run file assigns its weights afterwards.
      const method = trainingMethodFor(c.mode);
      const fromTeacher = method.needsTeacher === 'init';
      this.trainer = new MethodTrainer({
        method, ctx: this.methodContext(),
        initialParams: fromTeacher ? initial ?? (c.teacher === 'pretrained' ? this.resources.pretrainedTeacher : undefined) : undefined,
      });
      return;
    }
    this.phase = 'student';
    this.good.reset();
    this.trainer = new ConsistencyTrainer({
      config: c, net: this.net, data: this.data, distance: this.distance,
      teacher: c.mode === 'cd' ? this.teacher() ?? undefined : undefined,
      // Student starts as a copy of the teacher where the architectures match (section 4).
      initialParams: initial ?? (c.mode === 'cd' && c.teacher === 'pretrained' ? this.resources.pretrainedTeacher : undefined),
    });
  }

  /** Ends the teacher phase: freezes its weights and starts distillation from them. */
  private async finishTeacher(): Promise<void> {
    const values = await this.teacherTrainer!.params.read();
    this.frozenTeacher = values.map((v, i) => tf.tensor(v, this.net.params[i].shape));
    this.teacherTrainer!.dispose();
    this.teacherTrainer = null;
    this.cachedTeacherSwd = undefined;
    this.startStudent(values);
  }

  /** One step of the current phase. The caller reads `loss` (async) and passes it to `acceptLoss`. */
  async trainStep(): Promise<SessionStep> {
    if (this.phase === 'teacher') {
      const t = this.teacherTrainer!;
      const loss = t.trainStep();
      const out: SessionStep = { phase: 'teacher', step: t.step, loss, N: 0, mu: 0, lr: t.optimizer.settings.lr };
      if (t.step >= this.config.teacherSteps) await this.finishTeacher();
      return out;
    }
    const tr = this.trainer!;
    // Nothing known good yet (a new run, or weights just loaded): keep the state this step starts from, so
    // the loss about to be computed from it can confirm it.
    if (!this.good.lastGood && this.good.candidateStep === null) await this.good.capture(tr);
    const r = this.divergeNext ? this.stepWithHugeLearningRate() : tr.trainStep();
    return { phase: 'student', step: r.step, loss: r.loss, N: r.N, mu: r.mu, lr: r.lr };
  }

  /**
   * The losses of every step through `throughStep` were read and finite. Promotes the waiting candidate once
   * its own loss is among them, and keeps the current state as the next candidate every `every` steps
   * (0: now, unless one is already waiting).
   */
  async noteFiniteLoss(every: number, throughStep = this.step): Promise<void> {
    if (!this.trainer || this.phase !== 'student') return;
    this.good.confirmThrough(throughStep);
    const last = this.good.lastGood;
    if (this.good.candidateStep === null && (last === null || this.trainer.step - last.step >= every)) await this.good.capture(this.trainer);
  }

  /**
   * The current state becomes the last good one if its tensors are finite and the loss computed from it is
   * (one extra step, undone bit for bit). For saving at a pause or at the end of a run.
   */
  async verifyCurrentState(): Promise<boolean> {
    if (!this.trainer || this.phase !== 'student') return false;
    return this.good.verifyCurrent(this.trainer);
  }

  /**
   * After the loss of step `badStep` came back NaN/Inf (the losses before it were finite): restores the last
   * good state. Returns the step restored to; throws when no state of this run has passed both checks.
   */
  recoverFromNonFinite(badStep = this.step): number {
    if (this.phase === 'teacher' || !this.trainer) {
      throw new SessionError('nan-loss', `the teacher's loss became non-finite at teacher step ${this.teacherStep}; lower the teacher learning rate`);
    }
    this.good.confirmThrough(badStep - 1);
    this.good.dropCandidate();
    const ck = this.good.lastGood;
    if (!ck) {
      throw new SessionError('nan-loss', `the loss became non-finite at step ${badStep}, and no earlier state of this run had a finite loss to go back to; check the settings (learning rate, metric, data) and reset`);
    }
    this.trainer.restore(ck);
    return this.trainer.step;
  }

  lastGoodCheckpoint(): TrainerCheckpoint | null {
    return this.good.lastGood;
  }

  /**
   * Test hook (worker debug command in development builds, CLI environment variable): the next student
   * update uses a learning rate of 1e30. Adam then moves each weight by about 1e30: still finite, but the
   * forward pass from those weights overflows, so the following loss is non-finite.
   */
  forceDivergenceNextStep(): void {
    this.divergeNext = true;
  }

  private stepWithHugeLearningRate() {
    const opt = this.trainer!.optimizer;
    const settings = opt.settings;
    this.divergeNext = false;
    opt.settings = { ...settings, lr: 1e30, warmupSteps: 0, decay: 'constant' };
    try {
      return this.trainer!.trainStep();
    } finally {
      opt.settings = settings;
    }
  }

  samplingParams(which: 'ema' | 'online' = 'ema'): tf.Tensor[] {
    if (this.trainer) return this.trainer.samplingParams(which);
    throw new SessionError('invalid-config', 'no consistency model yet (the teacher is still training)');
  }

  scalings() {
    const c = this.config;
    return { eps: c.eps, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention };
  }

  samplingSettings() {
    const c = this.config;
    return { eps: c.eps, T: c.T, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention, clampToImageRange: c.dataset === 'mnist' };
  }

  /** One-step and multistep samples from the given noise. */
  async sample(noise: SamplingNoise, which: 'ema' | 'online' = 'ema'): Promise<Float32Array[]> {
    if (this.config.mode === 'cd' || this.config.mode === 'ct') {
      return multistepSample(this.net, this.samplingParams(which), noise, this.config.taus, this.data.dataShape, this.samplingSettings());
    }
    const params = this.samplingParams(which);
    const tensors = this.method.sample(this.methodContext(), params, { initial: noise.initial, perStep: noise.perTau });
    try {
      return await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
    } finally {
      tf.dispose(tensors);
    }
  }

  /**
   * The model's map of x_sigma (EDM coordinates, one sigma per row) to the data end: f(x, sigma) for the
   * consistency models, the method's own jump for the others. For the views.
   */
  async mapToData(params: readonly tf.Tensor[], x: Float32Array, sigma: Float64Array): Promise<Float32Array> {
    const y = tf.tidy(() => flowMapEdm(this.method, this.methodContext(), params, tf.tensor(x, [sigma.length, ...this.data.dataShape]),
      sigma, new Float64Array(sigma.length)));
    try {
      return (await y.data()) as Float32Array;
    } finally {
      y.dispose();
    }
  }

  /**
   * The model's map to the data end as editing's ConsistencyFn (Algorithm 4 needs only f(x, t)): CD/CT's
   * network function as before, every other method through its own flow map. Images are clamped to [-1, 1].
   */
  consistencyFn(which: 'ema' | 'online' = 'ema'): ConsistencyFn {
    const image = !this.dataset2d;
    if (this.config.mode === 'cd' || this.config.mode === 'ct') {
      return networkConsistencyFn(this.net, this.samplingParams(which), this.data.dataShape, this.scalings(), image);
    }
    return async (x, t, batch) => {
      const y = await this.mapToData(this.samplingParams(which), x, new Float64Array(batch).fill(t));
      return image ? y.map((v) => Math.min(1, Math.max(-1, v))) : y;
    };
  }

  /** Flow-map error against the exact ODE map of the 2D mixture (null for images). */
  async flowMapError(which: 'ema' | 'online' = 'ema'): Promise<FlowMapErrorReport | null> {
    if (!this.dataset2d || !this.trainer) return null;
    this.fmeProbe ??= new FlowMapProbe(this.dataset2d.mixture, this.data, this.config.seed, this.config.T);
    return flowMapError(this.method, this.methodContext(), this.samplingParams(which), this.fmeProbe);
  }

  /** Teacher ODE samples from x_T = T z (the reference line of the quality chart). */
  async teacherSamples(z: Float32Array, points = 40): Promise<Float32Array | null> {
    const D = this.teacher();
    if (!D) return null;
    const xT = Float32Array.from(z, (v) => v * this.config.T);
    return pfOdeSamples(D, xT, this.data.dataShape, this.config, points);
  }

  /** Quality of one-step and two-step samples: SWD against fresh data (2D), classifier scores (digits). */
  async evaluate(which: 'ema' | 'online' = 'ema'): Promise<QualityReport> {
    const samples = await this.sample(this.evalNoise, which);
    if (!this.dataset2d) {
      const ev = this.resources.digitEvaluator;
      if (!ev) throw new Error('image quality needs the digit classifier');
      const image = await ev.quality(samples[0], samples[Math.min(1, samples.length - 1)]);
      return { step: this.step, swd1: Number.NaN, swd2: Number.NaN, swdTeacher: null, swdFloor: Number.NaN, energy1: Number.NaN, energy2: Number.NaN, image };
    }
    const dim = 2;
    const twoStep = samples[Math.min(1, samples.length - 1)];
    if (this.cachedFloor === undefined) {
      const other = this.dataset2d.sample(this.evalTruth.length / dim, new Rng(this.config.seed, 'evaluation-floor'));
      this.cachedFloor = slicedWasserstein(other, this.evalTruth, dim);
    }
    if (this.cachedTeacherSwd === undefined && this.phase === 'student') {
      const ts = await this.teacherSamples(this.evalNoise.initial);
      this.cachedTeacherSwd = ts ? slicedWasserstein(ts, this.evalTruth, dim) : null;
    }
    const fme = await this.flowMapError(which);
    const truthSelf = (this.cachedTruthSelf ??= selfDistance(this.evalTruth, dim));
    return {
      step: this.step,
      swd1: slicedWasserstein(samples[0], this.evalTruth, dim),
      swd2: slicedWasserstein(twoStep, this.evalTruth, dim),
      energy1: energyDistance(samples[0], this.evalTruth, dim, undefined, truthSelf),
      energy2: energyDistance(twoStep, this.evalTruth, dim, undefined, truthSelf),
      swdTeacher: this.cachedTeacherSwd ?? null,
      swdFloor: this.cachedFloor,
      ...(fme ? { fme1: fme.oneStep, fmeMean: fme.mean, fmeCells: fme.cells, fmeView: fme.view } : {}),
    };
  }

  /** Map normalised samples back to the data's own coordinates (2D). */
  toDataCoordinates(points: Float32Array): Float64Array {
    const t = this.dataset2d?.normalisation;
    if (!t) return Float64Array.from(points);
    return Float64Array.from(points, (v, i) => v / t.scale + t.shift[i % 2]);
  }

  /**
   * The run bundle (scripts/torch/run-bundle.md). `withNextDraws`: also the draws of the next step, for another
   * trainer to replay exactly (continue.py's first-step check); off for the periodic checkpoints.
   * `lastGood`: the last known-good state instead of the current one (crash-recovery checkpoints).
   */
  async exportRunFile(options: { withNextDraws?: boolean; lastGood?: boolean } = {}): Promise<Uint8Array> {
    const teacher = this.frozenTeacher
      ? await readVariables(this.frozenTeacher)
      : this.teacherTrainer ? await this.teacherTrainer.params.read() : null;
    return encodeRunFile({
      config: this.config, spec: this.net.spec, phase: this.phase,
      trainer: options.lastGood ? this.good.lastGood : this.trainer ? await this.trainer.checkpoint() : null,
      teacher, teacherStep: this.teacherStep, points: this.resources.points ?? null,
      mixture: this.dataset2d?.mixture ?? null,
      nextDraws: options.withNextDraws && !options.lastGood && this.trainer instanceof ConsistencyTrainer ? peekNextDraws(this.trainer) : null,
      nextMethodDraws: options.withNextDraws && !options.lastGood && this.trainer instanceof MethodTrainer ? peekNextMethodDraws(this.trainer) : null,
    }, this.net, this.studentParams);
  }

  /**
   * Loads weights into this session (same architecture). A run file restores the trainer exactly;
   * a plain weights file sets the online, target and EMA weights. Nothing changes if the file is refused.
   */
  async importRunFile(bytes: Uint8Array): Promise<{ step: number }> {
    let contents;
    try {
      contents = decodeRunFile(bytes, this.net, this.studentParams);
    } catch (e) {
      throw new SessionError('invalid-weights', e instanceof RunFileError ? e.message : `unreadable weights file: ${(e as Error).message}`);
    }
    if (contents.teacher && usesNetworkTeacher(this.config)) {
      tf.dispose(this.frozenTeacher ?? []);
      this.frozenTeacher = contents.teacher.map((v, i) => tf.tensor(v, this.net.params[i].shape));
      this.teacherTrainer?.dispose();
      this.teacherTrainer = null;
      if (!this.trainer) this.startStudent(contents.teacher);
    }
    const ck = contents.trainer;
    if (ck) {
      if (!this.trainer) this.startStudent(ck.online);
      const tr = this.trainer!;
      const opt = ck.optimizer.m.length === tr.optimizer.size ? ck.optimizer : await tr.optimizer.getState().then((s) => ({ ...s, t: ck.optimizer.t }));
      const rng = ck.rng.data.length ? ck.rng : { data: tr.streams.data.getState(), train: tr.streams.train.getState() };
      tr.restore({ ...ck, optimizer: opt, rng });
      // Loaded weights are trusted only once a loss computed from them is finite.
      this.good.reset();
      await this.good.capture(tr);
    }
    return { step: this.step };
  }

  dispose(): void {
    this.trainer?.dispose();
    this.teacherTrainer?.dispose();
    this.exactTeacher?.dispose();
    tf.dispose(this.frozenTeacher ?? []);
  }
}
