// ONE typed schema for every setting of a run: default, range, URL key, help text and validation.
// The UI builds its controls from it, the URL codec and the CLI parse with it, the worker trusts it.
// Each training method's own settings come from its fragment in methods/settings/ (joined there).
import { PRETRAINED_MODEL, PRETRAINED_TEACHER_MODELS, pretrainedTeacherFile } from './run/pretrained';
import { METHOD_DEFAULTS, METHOD_FIELDS, METHOD_IDS, METHOD_INFO, ownerOf, type MethodId, type MethodSettings } from './methods/settings/index';

export const DATASETS_2D = ['moons', 'eight-gaussians', 'grid-25', 'swiss-roll', 'checkerboard', 'circles', 'spiral', 'custom'] as const;
export const DATASETS = [...DATASETS_2D, 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Config extends MethodSettings {
  dataset: DatasetName;
  pointSmoothing: number;
  mode: MethodId;
  teacher: 'exact' | 'learned' | 'pretrained';
  solver: 'euler' | 'heun';
  metric: 'l2' | 'l1' | 'pseudo-huber' | 'lpips';
  huberC: number;
  lpipsNet: 'squeeze' | 'alex' | 'vgg';
  lpipsResolution: '28' | '64' | '224';
  nSchedule: 'fixed' | 'ct-adaptive' | 'ict-doubling';
  N: number;
  mu: number;
  s0: number;
  s1: number;
  mu0: number;
  muVariant: 'paper' | 'code';
  K: number;
  weighting: 'uniform' | 'inverse-gap';
  indexSampling: 'uniform' | 'lognormal';
  Pm: number;
  Ps: number;
  optimizer: 'adam' | 'radam';
  lr: number;
  beta1: number;
  beta2: number;
  adamEps: number;
  warmupSteps: number;
  lrDecay: 'constant' | 'cosine' | 'linear';
  gradClip: number;
  batchSize: number;
  evalEma: number;
  model: 'mlp' | 'unet' | 'unet-tiny' | 'unet-large';
  width: number;
  depth: number;
  activation: 'silu' | 'relu' | 'gelu' | 'tanh';
  timeFeatures: number;
  timeConditioning: 'input' | 'every-layer';
  teacherSteps: number;
  teacherLr: number;
  eps: number;
  T: number;
  sigmaData: number;
  rho: number;
  cNoiseConvention: 'jax' | 'pytorch';
  taus: number[];
  seed: number;
  steps: number;
  evalEvery: number;
  backend: 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
}

export type ConfigKey = keyof Config;
export type FieldGroup = 'data' | 'training' | 'method' | 'schedule' | 'ict' | 'optimiser' | 'model' | 'teacher' | 'sampling' | 'advanced' | 'run';

interface FieldBase<K extends ConfigKey> {
  key: K;
  label: string;
  group: FieldGroup;
  /** Short query-string key; never reuse one for another meaning (URL version 1). */
  url: string;
  help: string;
  /** TeX shown in the tooltip. */
  formula?: string;
  paper?: string;
  unit?: string;
}
export interface EnumOption {
  value: string;
  label: string;
  /** Shown in the tooltip while this option is selected (the methods of the mode setting). */
  help?: string;
  formula?: string;
  paper?: string;
}
export interface EnumField<K extends ConfigKey> extends FieldBase<K> {
  kind: 'enum';
  options: readonly EnumOption[];
}
export interface NumberField<K extends ConfigKey> extends FieldBase<K> {
  kind: 'int' | 'number';
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Step for UI spinners. */
  step?: number;
  log?: boolean;
}
export interface ListField<K extends ConfigKey> extends FieldBase<K> {
  kind: 'numberList';
  min: number;
  max: number;
  maxLength: number;
}
export type Field<K extends ConfigKey = ConfigKey> = EnumField<K> | NumberField<K> | ListField<K>;

const opts = (...values: string[]) => values.map((v) => ({ value: v, label: v }));

export const DEFAULTS: Config = {
  dataset: 'moons',
  pointSmoothing: 0.03,
  mode: 'cd',
  teacher: 'exact',
  solver: 'heun',
  metric: 'l2',
  huberC: 0,
  lpipsNet: 'squeeze',
  lpipsResolution: '64',
  nSchedule: 'fixed',
  N: 18,
  mu: 0.9,
  s0: 2,
  s1: 60,
  mu0: 0.5,
  muVariant: 'paper',
  K: 0,
  weighting: 'uniform',
  indexSampling: 'uniform',
  Pm: -1.1,
  Ps: 2.0,
  optimizer: 'adam',
  lr: 1e-2,
  beta1: 0.9,
  beta2: 0.999,
  adamEps: 1e-8,
  warmupSteps: 100,
  lrDecay: 'cosine',
  gradClip: 0,
  batchSize: 256,
  evalEma: 0.995,
  model: 'mlp',
  width: 256,
  depth: 4,
  activation: 'silu',
  timeFeatures: 16,
  timeConditioning: 'every-layer',
  teacherSteps: 2000,
  teacherLr: 1e-3,
  eps: 0.002,
  T: 80,
  sigmaData: 0.5,
  rho: 7,
  cNoiseConvention: 'jax',
  taus: [0.585],
  seed: 1,
  steps: 2000,
  evalEvery: 100,
  backend: 'auto',
  ...METHOD_DEFAULTS,
};

export const FIELDS: { [K in ConfigKey]: Field<K> } = {
  dataset: { key: 'dataset', kind: 'enum', options: opts(...DATASETS), label: 'Dataset', group: 'data', url: 'd',
    help: 'Training data. 2D sets are mixtures with an exact denoiser; "custom" uses points you draw or upload; mnist uses 28x28 digits.' },
  pointSmoothing: { key: 'pointSmoothing', kind: 'number', min: 0, max: 0.5, step: 0.01, label: 'Point smoothing s', group: 'data', url: 'ps',
    help: 'Each custom point becomes a small Gaussian of this standard deviation (normalised units). With s = 0 the exact teacher memorises the points.',
    formula: 'p(x) = \\tfrac1M \\sum_i \\mathcal N(x; x_i, s^2 I)', paper: 'reference section 10' },
  mode: { key: 'mode', kind: 'enum', label: 'Training mode', group: 'training', url: 'm',
    options: METHOD_IDS.map((id) => ({ value: id, label: METHOD_INFO[id].label, help: METHOD_INFO[id].help, formula: METHOD_INFO[id].formula, paper: METHOD_INFO[id].paper })),
    help: 'The few-step method: consistency distillation (CD) and training (CT), easy consistency tuning (ECT), continuous-time consistency models (sCD, sCT), MeanFlow, shortcut models, or plain flow matching. All learn a map along the probability-flow ODE and share the data, network, optimiser and views.',
    paper: 'Song et al. 2023; few-step-methods.md' },
  teacher: { key: 'teacher', kind: 'enum', options: opts('exact', 'learned', 'pretrained'), label: 'Teacher', group: 'teacher', url: 'te',
    help: 'CD teacher: the exact denoiser of the data mixture (2D), an EDM denoiser trained first on the data (learned), or a shipped pretrained teacher (MNIST; one for the unet model and one for unet-large).',
    paper: 'section 4, reference section 10' },
  solver: { key: 'solver', kind: 'enum', options: [{ value: 'euler', label: 'Euler' }, { value: 'heun', label: 'Heun' }], label: 'ODE solver', group: 'training', url: 'so',
    help: "One teacher step from t_{n+1} to t_n. Heun (2nd order) evaluates the teacher twice; Euler once.",
    formula: '\\hat x = x_{n+1} + (t_n - t_{n+1})\\,\\tfrac{x_{n+1} - D(x_{n+1}, t_{n+1})}{t_{n+1}}', paper: 'Algorithm 2' },
  metric: { key: 'metric', kind: 'enum', options: [{ value: 'l2', label: 'l2' }, { value: 'l1', label: 'l1' }, { value: 'pseudo-huber', label: 'pseudo-Huber' }, { value: 'lpips', label: 'LPIPS' }],
    label: 'Metric', group: 'training', url: 'me',
    help: 'Distance d between online and target outputs: mean squared (l2), mean absolute (l1), pseudo-Huber on the per-sample vector (iCT), or LPIPS (images only). Default pseudo-Huber for CT on 2D data, l2 otherwise: CT with pseudo-Huber alone ends at one-step SWD 0.057 against 0.061 with l2 (moons, seed 1, 1,500 steps of the page budget) and is lower at every evaluation from step 350 on (0.056 against 0.069 at step 600).',
    formula: 'd_{\\text{PH}}(x,y) = \\sqrt{\\lVert x-y\\rVert^2 + c^2} - c', paper: 'section 3, iCT section 3.3' },
  huberC: { key: 'huberC', kind: 'number', min: 0, max: 10, step: 0.0001, label: 'Pseudo-Huber c (0 = auto)', group: 'ict', url: 'hc',
    help: 'The constant c of the pseudo-Huber metric; 0 picks iCT\'s c = 0.00054 sqrt(dim) (7.6e-4 in 2D, 0.0151 for MNIST).',
    formula: 'c = 0.00054\\sqrt{d}' },
  lpipsNet: { key: 'lpipsNet', kind: 'enum', options: [{ value: 'squeeze', label: 'SqueezeNet 1.1' }, { value: 'alex', label: 'AlexNet' }, { value: 'vgg', label: 'VGG16 (your file)' }],
    label: 'LPIPS backbone', group: 'training', url: 'lb',
    help: 'Frozen ImageNet network whose normalised features LPIPS v0.1 compares. The paper used VGG16 at 224 px; SqueezeNet at 64 px costs about 70x fewer multiply-adds.', paper: 'Zhang et al. 2018' },
  lpipsResolution: { key: 'lpipsResolution', kind: 'enum', options: [{ value: '28', label: '28 px (native)' }, { value: '64', label: '64 px' }, { value: '224', label: '224 px (as in the paper; slow)' }],
    label: 'LPIPS resolution', group: 'training', url: 'lr2',
    help: 'Digits are upsampled bilinearly to this size (grey repeated to RGB) before the LPIPS backbone.' },
  nSchedule: { key: 'nSchedule', kind: 'enum', options: [{ value: 'fixed', label: 'fixed N' }, { value: 'ct-adaptive', label: 'CT schedule N(k), mu(k)' }, { value: 'ict-doubling', label: 'iCT doubling N(k)' }],
    label: 'N schedule', group: 'schedule', url: 'ns',
    help: 'Fixed discretisation, the CT paper\'s growing N(k) with matching mu(k), or iCT\'s doubling curriculum. Both curricula run over the step budget (K = 0). Default: N(k), mu(k) for CT on 2D data, fixed N for CD and digits. At the page defaults (CT\'s 2D network, budget 2,000, one-step SWD at the end, 2,000 samples, seeds 1-3) both beat fixed N = 18 (mu = 0.9: 0.041-0.047 on moons, 0.055-0.064 on eight Gaussians): N(k), mu(k) ends at 0.027-0.035 and 0.041-0.045, the iCT preset at 0.026-0.041 and 0.043-0.048. The papers\' values (s1 = 150, mu0 = 0.9; iCT s1 = 1280) are for 400k-800k iterations: over 2,000 steps N(k) never learns (mu reaches 0.99 within 100 steps).',
    formula: 'N(k) = \\lceil \\sqrt{\\tfrac kK ((s_1+1)^2 - s_0^2) + s_0^2} - 1 \\rceil + 1', paper: 'section 5, Appendix C' },
  N: { key: 'N', kind: 'int', min: 2, max: 5000, label: 'N', group: 'schedule', url: 'n',
    help: 'Number of points of the Karras grid between eps and T (N - 1 intervals) when N is fixed.',
    formula: 't_i = (\\epsilon^{1/\\rho} + \\tfrac{i-1}{N-1}(T^{1/\\rho} - \\epsilon^{1/\\rho}))^\\rho', paper: 'section 4' },
  mu: { key: 'mu', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.01, label: 'Target EMA mu', group: 'schedule', url: 'mu',
    help: 'Decay of the target network theta^- (inside the loss) when mu is not scheduled. 0 makes the target a stop-gradient copy of the online net (iCT; unstable here at lr 3e-3). Default 0.9: what is learnt at t = eps climbs the N - 1 intervals through theta^-, so 0.9 gives clean moons in ~200 steps where the paper\'s ImageNet value 0.95 needs ~400 (same quality after that).',
    formula: '\\theta^- \\leftarrow \\mu\\theta^- + (1-\\mu)\\theta', paper: 'Algorithm 2' },
  s0: { key: 's0', kind: 'int', min: 1, max: 10000, label: 's0', group: 'schedule', url: 's0',
    help: 'Initial discretisation steps of the schedule (CT paper: 2; iCT: 10).', paper: 'section 5 / iCT' },
  s1: { key: 's1', kind: 'int', min: 1, max: 10000, label: 's1', group: 'schedule', url: 's1',
    help: 'Final discretisation steps of the schedule. Default 60 for the page\'s short runs (CT paper: 150 over 800k iterations; the iCT preset uses 80, the iCT paper 1280 over 400k).', paper: 'section 5 / iCT' },
  mu0: { key: 'mu0', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.01, label: 'mu0', group: 'schedule', url: 'm0',
    help: 'Initial target decay of the CT schedule. Default 0.3 for CT on 2D data (mu = 0.88 at N = 18, 0.96 at N = 60), 0.5 otherwise (0.93 and 0.98): on moons (seed 1, 1,500 steps of the page budget) 0.3 ends at one-step SWD 0.052 against 0.061 at 0.5 and 0.17 at 0.8; the paper\'s 0.9 gives mu > 0.99 within the first 100 steps of a 2,000-step run, too slow a target to learn from.', formula: '\\mu(k) = \\exp(s_0 \\ln \\mu_0 / N(k))', paper: 'section 5' },
  muVariant: { key: 'muVariant', kind: 'enum', options: [{ value: 'paper', label: 'paper: / N(k)' }, { value: 'code', label: 'released code: / (N(k) - 1)' }],
    label: 'mu(k) variant', group: 'schedule', url: 'mv', help: 'The paper divides by N(k); the released code by N(k) - 1 (mu = mu0^2 at k = 0).' },
  K: { key: 'K', kind: 'int', min: 0, max: 10_000_000, label: 'Schedule length K (0 = step budget)', group: 'schedule', url: 'k',
    help: 'Total iterations K that the N(k) and mu(k) schedules are stretched over. 0 (default) uses the run\'s step budget, so every run sees the whole curriculum; the papers use K = 800k (CT) and 400k (iCT).' },
  weighting: { key: 'weighting', kind: 'enum', options: [{ value: 'uniform', label: 'lambda = 1' }, { value: 'inverse-gap', label: 'lambda = 1/(t_{n+1} - t_n) (iCT)' }],
    label: 'Weighting lambda', group: 'ict', url: 'w', help: 'Loss weight per interval.', formula: '\\lambda(t_n) = \\frac{1}{t_{n+1} - t_n}', paper: 'iCT section 3.1' },
  indexSampling: { key: 'indexSampling', kind: 'enum', options: [{ value: 'uniform', label: 'uniform n' }, { value: 'lognormal', label: 'lognormal (iCT)' }],
    label: 'Index sampling', group: 'ict', url: 'is', help: 'How the interval n is drawn: uniformly, or with iCT\'s discretised lognormal.',
    formula: 'p(n) \\propto \\operatorname{erf}\\tfrac{\\ln t_{n+1} - P_m}{\\sqrt2 P_s} - \\operatorname{erf}\\tfrac{\\ln t_n - P_m}{\\sqrt2 P_s}', paper: 'iCT section 3.5' },
  Pm: { key: 'Pm', kind: 'number', min: -10, max: 10, step: 0.1, label: 'P_mean', group: 'ict', url: 'pm', help: 'Mean of ln t for lognormal index sampling (iCT: -1.1; the iCT preset uses 0, see its button).' },
  Ps: { key: 'Ps', kind: 'number', min: 0, max: 10, minExclusive: true, step: 0.1, label: 'P_std', group: 'ict', url: 'pd', help: 'Std of ln t for lognormal index sampling (iCT: 2.0).' },
  optimizer: { key: 'optimizer', kind: 'enum', options: [{ value: 'adam', label: 'Adam' }, { value: 'radam', label: 'RAdam' }], label: 'Optimiser', group: 'optimiser', url: 'o',
    help: 'Adam, or RAdam (used for the paper\'s CIFAR-10 runs).' },
  lr: { key: 'lr', kind: 'number', min: 0, max: 1, minExclusive: true, log: true, step: 0.0001, label: 'Learning rate', group: 'optimiser', url: 'lr', help: 'Optimiser step size. Default 1e-2 for CD and CT on 2D data, with 100 warm-up steps and a cosine decay to the budget: at the page defaults (budget 2,000, 2,000-sample SWD, seeds 1-3) eight-Gaussian CD reaches one-step SWD <= 1.5x the teacher ODE\'s within 1,500 steps on 2 of 3 seeds (1,200 and 1,500 steps; final SWD 0.026-0.030) where constant 5e-3 reached it on none (0.029-0.033), moons CD is equal, CT ends lower. 2e-2 does not learn at all on eight Gaussians (the net collapses during the warm-up), so 1e-2 is near the edge. Earlier: 5e-3 beat 3e-3 on moons CD. CT with mu = 0 at fixed N does not learn at 1e-2 (nor reliably at 3e-3); the iCT preset keeps 3e-3 and learns with the warm-up and decay. The other 2D methods keep a constant 5e-3 (not measured with the schedule), ECT 1e-3 (ECT_LR_2D), digits 2e-4.' },
  beta1: { key: 'beta1', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.01, label: 'beta1', group: 'optimiser', url: 'b1', help: 'First-moment decay.' },
  beta2: { key: 'beta2', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.001, label: 'beta2', group: 'optimiser', url: 'b2', help: 'Second-moment decay.' },
  adamEps: { key: 'adamEps', kind: 'number', min: 0, max: 1, minExclusive: true, log: true, label: 'Adam epsilon', group: 'optimiser', url: 'ae',
    help: 'Passed explicitly on every backend (tfjs would otherwise use 1e-4 on WebGL).' },
  warmupSteps: { key: 'warmupSteps', kind: 'int', min: 0, max: 1_000_000, label: 'Warm-up steps', group: 'optimiser', url: 'wu', help: 'Linear learning-rate warm-up from 0. Default 100 for CD and CT on 2D data (the start of their 1e-2 schedule), 0 for the other methods and digits and in run files saved before the default changed (they carry their own value).' },
  lrDecay: { key: 'lrDecay', kind: 'enum', options: [{ value: 'constant', label: 'constant' }, { value: 'cosine', label: 'cosine to 0 at the budget' }, { value: 'linear', label: 'linear to 0 at the budget' }],
    label: 'Learning-rate decay', group: 'optimiser', url: 'ld',
    help: 'After the warm-up (W steps) the learning rate stays constant or falls to 0 just after the step budget B (cosine or linear). Default cosine for CD and CT on 2D data (with lr 1e-2: later steps refine instead of jittering, see Learning rate); constant for the other methods, digits, and run files saved without this setting. A changed budget restarts the run, as any setting does. The PyTorch continuation (scripts/torch/continue.py) follows the same schedule; past the budget it needs --budget N (the decay then ends at N, and the bundle it writes carries that budget) or --lr-decay constant.',
    formula: '\\eta_k = \\eta\\,\\tfrac12\\bigl(1 + \\cos \\pi \\tfrac{k - W - 1}{B - W + 1}\\bigr)' },
  gradClip: { key: 'gradClip', kind: 'number', min: 0, max: 1e6, step: 0.1, label: 'Gradient clip (0 = off)', group: 'optimiser', url: 'gc', help: 'Clip the global gradient norm to this value.' },
  batchSize: { key: 'batchSize', kind: 'int', min: 1, max: 8192, label: 'Batch size', group: 'optimiser', url: 'bs', help: 'Data points per step. Default 256 for 2D, 512 for CT on 2D data: measured on moons, CD learns the same per step at 128, 256 and 512, so 256 halves the time per step of the papers\' 512; CT (measured on a 3x128 MLP) learns better per step at 512 (its target is a one-sample estimate) and 1,024 is better still (0.041 against 0.045 at step 1,500, moons, seed 1, pseudo-Huber at mu0 = 0.5) at a higher cost per step.' },
  evalEma: { key: 'evalEma', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.001, label: 'Evaluation EMA', group: 'optimiser', url: 'ee',
    help: 'Decay of the separate EMA used for sampling (not the target theta^-). Papers use 0.9999+ for 600k steps; 0.995-0.999 suits browser runs.', paper: 'reference section 8' },
  model: { key: 'model', kind: 'enum', options: opts('mlp', 'unet', 'unet-tiny', 'unet-large'), label: 'Model', group: 'model', url: 'md', help: 'MLP with time features (2D) or a small U-Net (images): unet has two resolutions (28, 14; channels 32, 64; 261k parameters), unet-tiny is for tests, unet-large adds a third (7x7, 128 channels; 939k parameters, ~1.5x the time per step on WASM) for a wider field of view: the digits\' default, with the best shipped teacher (35-step FD 26.9 against 41.2), CD and ECT models. Each model loads its own shipped files; the CT model exists as unet only.' },
  width: { key: 'width', kind: 'int', min: 4, max: 2048, label: 'Width', group: 'model', url: 'mw', help: 'Hidden units per MLP layer. Default 128 for CD and CT on 2D data (CT: 4x128 at batch 512), 256 otherwise: a CD step at 128 costs about a third of one at 256 (Node WASM) and, at the page defaults (2,000-sample SWD, seeds 1-3, 1,500 steps), learns as fast per step (moons: 2 of 3 seeds reach 1.5x the teacher ODE\'s SWD at 700 and 1,350 steps against 800 and 1,400 at 256; eight Gaussians: 2 of 3 at 1,050 and 1,250 against 1,200 and 1,500; final SWD within 3% or lower). Batch 128 with width 128 is cheaper still but learns slower per step.' },
  depth: { key: 'depth', kind: 'int', min: 1, max: 12, label: 'Depth', group: 'model', url: 'dp', help: 'Hidden layers of the MLP. Default 4. For CT on 2D data (width 128, batch 512) 4 layers beat 3 on all six runs at the page defaults (one-step SWD at step 1,500 of 2,000, 2,000 samples, seeds 1-3: moons 0.032 / 0.041 / 0.037 against 0.037 / 0.045 / 0.041, eight Gaussians 0.051 / 0.052 / 0.055 against 0.059 / 0.055 / 0.056), and in the page (moons, seed 1) CT reached 1.5x the teacher ODE\'s SWD in 32.8 s where 3 layers had not within 60 s: the 2,000-step budget ends before the time does. 3 layers were worse for CD too.' },
  activation: { key: 'activation', kind: 'enum', options: opts('silu', 'relu', 'gelu', 'tanh'), label: 'Activation', group: 'model', url: 'ac', help: 'Hidden-layer nonlinearity (relu is fused into the matmul and fastest).' },
  timeFeatures: { key: 'timeFeatures', kind: 'int', min: 2, max: 256, label: 'Time features', group: 'model', url: 'tf', help: 'Sinusoidal features of c_noise(t) fed to the network (even number).' },
  timeConditioning: { key: 'timeConditioning', kind: 'enum', options: [{ value: 'every-layer', label: 'every hidden layer' }, { value: 'input', label: 'input only' }],
    label: 'Time conditioning', group: 'model', url: 'tc',
    help: 'Where the MLP sees the time features: at its input only, or also in every hidden layer (a learned projection added to each pre-activation). Default every layer (the issue\'s pilot: faster early learning; our own measurement found the gain small next to the target decay mu, see the bench); run files saved without this setting are input-only.',
    formula: 'h_{l+1} = \\sigma(h_l W_l + \\phi(c_{\\text{noise}}) V_l + b_l)' },
  teacherSteps: { key: 'teacherSteps', kind: 'int', min: 1, max: 1_000_000, label: 'Teacher steps', group: 'teacher', url: 'ts', help: 'Training steps of the learned EDM teacher before distillation.' },
  teacherLr: { key: 'teacherLr', kind: 'number', min: 0, max: 1, minExclusive: true, log: true, step: 0.0001, label: 'Teacher learning rate', group: 'teacher', url: 'tl', help: 'Adam step size for the EDM teacher.' },
  eps: { key: 'eps', kind: 'number', min: 0, max: 1, minExclusive: true, step: 0.001, label: 'eps', group: 'advanced', url: 'ep', help: 'Smallest time; f(x, eps) = x exactly.', paper: 'section 2' },
  T: { key: 'T', kind: 'number', min: 0, max: 1000, minExclusive: true, label: 'T', group: 'advanced', url: 't', help: 'Largest time; the prior is N(0, T^2 I).' },
  sigmaData: { key: 'sigmaData', kind: 'number', min: 0, max: 10, minExclusive: true, step: 0.05, label: 'sigma_data', group: 'advanced', url: 'sd', help: 'Data scale in c_skip, c_out and c_in; data are normalised to it.' },
  rho: { key: 'rho', kind: 'number', min: 0, max: 100, minExclusive: true, label: 'rho', group: 'advanced', url: 'r', help: 'Curvature of the Karras grid.' },
  cNoiseConvention: { key: 'cNoiseConvention', kind: 'enum', options: [{ value: 'jax', label: '0.25 ln t (JAX code)' }, { value: 'pytorch', label: '250 ln t (PyTorch code)' }],
    label: 'c_noise', group: 'advanced', url: 'cn', help: 'Time input convention of the network.' },
  taus: { key: 'taus', kind: 'numberList', min: 0, max: 1000, maxLength: 16, label: 'Multistep taus', group: 'sampling', url: 'ta',
    help: 'Intermediate times tau_1 > tau_2 > ... of multistep sampling, each in [eps, T]. NFE = 1 + count. On 2D data the default 0.585 is a time of the N = 18 grid: CD (and CT at a fixed N) learn f only at grid times, and taus between them sample worse there. Digits have their own default (the best measured for the shipped models).',
    formula: '\\hat x = x + \\sqrt{\\tau^2 - \\epsilon^2}\\, z,\\; x = f(\\hat x, \\tau)', paper: 'Algorithm 1' },
  seed: { key: 'seed', kind: 'int', min: 0, max: 2 ** 31 - 1, label: 'Seed', group: 'run', url: 'se', help: 'Seeds the data, init, training-noise and sampling-noise streams.' },
  steps: { key: 'steps', kind: 'int', min: 1, max: 10_000_000, label: 'Step budget', group: 'run', url: 'st', help: 'Training stops after this many steps.' },
  evalEvery: { key: 'evalEvery', kind: 'int', min: 1, max: 1_000_000, label: 'Evaluate every', group: 'run', url: 'ev', help: 'Steps between sample-quality evaluations.' },
  ...METHOD_FIELDS,
  backend: { key: 'backend', kind: 'enum', options: opts('auto', 'webgpu', 'webgl', 'wasm', 'cpu'), label: 'Backend', group: 'run', url: 'b',
    help: 'TensorFlow.js backend. auto starts on WASM at once, then times a training step of this model on each usable backend (never a software adapter such as SwiftShader while WASM runs), keeps the fastest and remembers it for this browser. Tiny MLPs can run faster on WASM than on a GPU.' },
};

export const FIELD_LIST: Field[] = Object.values(FIELDS) as Field[];

/** A setting's value as its control shows it: an enum's option label ("CD", "Heun"), a list joined, else the value. */
export function valueLabel(field: Field, value: unknown): string {
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return (field.kind === 'enum' ? field.options.find((o) => o.value === text)?.label : undefined) ?? text;
}

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: string };

function describeRange(f: NumberField<ConfigKey> | ListField<ConfigKey>): string {
  const lo = 'minExclusive' in f && f.minExclusive ? `> ${f.min}` : `>= ${f.min}`;
  const hi = 'maxExclusive' in f && f.maxExclusive ? `< ${f.max}` : `<= ${f.max}`;
  return `${lo} and ${hi}`;
}

/** Parses and checks one setting from text (URL, CLI, input box) or a value. */
export function parseField<K extends ConfigKey>(key: K, raw: unknown): FieldResult<Config[K]> {
  const f = FIELDS[key] as Field;
  if (f.kind === 'enum') {
    const v = String(raw);
    if (!f.options.some((o) => o.value === v)) return { ok: false, error: `${f.label}: "${v}" is not one of ${f.options.map((o) => o.value).join(', ')}` };
    return { ok: true, value: v as Config[K] };
  }
  if (f.kind === 'numberList') {
    const parts = Array.isArray(raw) ? raw : String(raw).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (parts.length > f.maxLength) return { ok: false, error: `${f.label}: at most ${f.maxLength} values` };
    const values: number[] = [];
    for (const p of parts) {
      const v = typeof p === 'number' ? p : Number(p);
      if (!Number.isFinite(v) || v < f.min || v > f.max) return { ok: false, error: `${f.label}: "${p}" must be a number ${describeRange(f)}` };
      values.push(v === 0 ? 0 : v);
    }
    return { ok: true, value: values as Config[K] };
  }
  const text = typeof raw === 'number' ? raw : String(raw).trim();
  const v = typeof text === 'number' ? text : text === '' ? Number.NaN : Number(text);
  const bad = !Number.isFinite(v) || (f.kind === 'int' && !Number.isInteger(v)) ||
    (f.minExclusive ? v <= f.min : v < f.min) || (f.maxExclusive ? v >= f.max : v > f.max);
  if (bad) return { ok: false, error: `${f.label}: "${raw}" must be ${f.kind === 'int' ? 'an integer' : 'a number'} ${describeRange(f)}` };
  return { ok: true, value: (v === 0 ? 0 : v) as Config[K] }; // "-0" is 0 (a link would otherwise not round-trip)
}

/** Checks that involve several settings; each message names the settings involved. */
export function crossFieldErrors(c: Config): string[] {
  const errors: string[] = [];
  if (c.T <= c.eps) errors.push(`T (${c.T}) must be larger than eps (${c.eps})`);
  if (c.s1 < c.s0) errors.push(`s1 (${c.s1}) must be at least s0 (${c.s0})`);
  for (const tau of c.taus) {
    if (tau < c.eps || tau > c.T) errors.push(`Multistep taus: ${tau} is outside [eps, T] = [${c.eps}, ${c.T}]`);
  }
  for (let i = 1; i < c.taus.length; i++) {
    if (c.taus[i] >= c.taus[i - 1]) errors.push('Multistep taus must be strictly decreasing (tau_1 > tau_2 > ...)');
  }
  if (c.timeFeatures % 2 !== 0) errors.push(`Time features (${c.timeFeatures}) must be even`);
  const image = c.dataset === 'mnist';
  if (c.metric === 'lpips' && !image) errors.push('Metric: LPIPS is for images only (choose the mnist dataset)');
  if (image && c.model === 'mlp') errors.push('Model: mnist needs a U-Net (unet, unet-large or unet-tiny)');
  if (!image && c.model !== 'mlp') errors.push('Model: 2D data use the MLP');
  if (c.teacher === 'pretrained' && !image) errors.push('Teacher: a pretrained teacher exists only for mnist');
  const info = METHOD_INFO[c.mode];
  if (!info.available) errors.push(`Training mode: ${info.label} is not available yet (its trainer is being built); choose another mode`);
  const usesTeacher = info.teacher !== 'none';
  if (c.teacher === 'exact' && image && usesTeacher) errors.push('Teacher: no exact teacher exists for mnist (choose learned or pretrained)');
  if (c.teacher === 'pretrained' && image && usesTeacher && !pretrainedTeacherFile(c.model)) {
    errors.push(`Teacher: the pretrained teachers are ${PRETRAINED_TEACHER_MODELS}; choose one of those models or a learned teacher`);
  }
  if ((c.mode === 'sct' || c.mode === 'scd') && c.sigmaData !== 0.5) {
    errors.push(`sigma_data: sCT/sCD convert TrigFlow time to EDM sigma with sigma_d = 0.5 (got ${c.sigmaData})`);
  }
  if ((c.mode === 'sct' || c.mode === 'scd' || c.mode === 'meanflow') && c.jvpRoute === 'exact' && c.model !== 'mlp') {
    errors.push('JVP route: the exact route (double VJP) needs the MLP; tfjs cannot differentiate the U-Net\'s pooling twice (choose auto or fd)');
  }
  if (c.mode === 'shortcut') {
    if (!Number.isInteger(Math.log2(c.shortcutM))) errors.push(`Shortcut M (${c.shortcutM}) must be a power of two`);
    if (2 ** c.taus.length > c.shortcutM) errors.push(`Multistep taus: shortcut sampling uses 1, 2, ..., 2^${c.taus.length} steps, more than M = ${c.shortcutM}`);
  }
  return errors;
}

export interface ValidationResult {
  config: Config;
  /** One message per rejected setting; a rejected setting keeps its default (or the base value). */
  errors: string[];
}

/** Validates a partial, untrusted settings object (URL, file, message) on top of a base config. */
export function validateConfig(input: Partial<Record<string, unknown>>, base: Config = DEFAULTS): ValidationResult {
  const { config, errors } = validateFields(input, base);
  return { config, errors: [...errors, ...crossFieldErrors(config)] };
}

/** Per-setting checks only (no cross-field checks): for callers that adjust the config before those. */
export function validateFields(input: Partial<Record<string, unknown>>, base: Config = DEFAULTS): ValidationResult {
  const config: Config = { ...base, taus: [...base.taus] };
  const errors: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (!(key in FIELDS)) {
      errors.push(`Unknown setting "${key}"`);
      continue;
    }
    const r = parseField(key as ConfigKey, raw);
    if (r.ok) (config as unknown as Record<string, unknown>)[key] = r.value;
    else errors.push(r.error);
  }
  return { config, errors };
}

/** Why a control is disabled for the current config, or null when it is usable. */
export function disabledReason(key: ConfigKey, c: Config): string | null {
  const info = METHOD_INFO[c.mode];
  const owner = ownerOf(key);
  if (owner && !info.own.includes(key)) return `only for ${METHOD_IDS.filter((id) => METHOD_INFO[id].own.includes(key)).map((id) => METHOD_INFO[id].label).join(' and ')}`;
  const cdct = c.mode === 'cd' || c.mode === 'ct';
  const discrete = ['nSchedule', 'N', 'mu', 's0', 's1', 'mu0', 'muVariant', 'K', 'weighting', 'indexSampling', 'metric', 'huberC', 'lpipsNet', 'lpipsResolution', 'rho'];
  if (!cdct && discrete.includes(key)) return `only for CD and CT (the discretised consistency loss); ${info.label} has its own settings`;
  switch (key) {
    case 'solver':
      if (c.mode === 'ct') return "CT's target does not depend on the solver: x + t_n z is the exact one-sample Euler step (section 5)";
      return c.mode === 'cd' ? null : 'only for CD (one teacher ODE step per target)';
    case 'teacher':
    case 'teacherSteps':
    case 'teacherLr':
      if (info.teacher === 'none') return `${info.label} trains without a teacher`;
      return key !== 'teacher' && c.teacher !== 'learned' ? 'only for a learned teacher' : null;
    case 'taus':
      return null; // every method reads it; the flow methods only its length (methods/settings/notes.ts)
    case 'eps':
      return info.consistency ? null : `${info.label} has its own time range (no eps)`;
    case 'T':
      // The flow methods train and sample on t in [0, 1] from unit noise (methods/flow.ts, meanflow.ts,
      // shortcut.ts read no T). Kept editable while T <= eps, the one error only T can fix (eps is disabled too).
      if (info.consistency || c.T <= c.eps) return null;
      return `${info.label} trains and samples on its own t in [0, 1] from unit noise, so it never reads T (the views still run up to sigma = T)`;
    case 'sigmaData':
      // Only while it is 0.5: a link with another value must stay editable, or the run could not be fixed.
      if ((c.mode === 'sct' || c.mode === 'scd') && c.sigmaData === 0.5) return `${info.label} converts TrigFlow time to EDM sigma with sigma_d = 0.5 (fixed)`;
      // Besides EDM's scalings (c_skip, c_out, c_in), which the flow methods do not have, sigma_d sets the scale
      // 2D data are normalised to; digits keep [-1, 1], so on MNIST a flow method never reads it.
      return info.consistency || c.dataset !== 'mnist' ? null : `${info.label} has no EDM scalings (c_skip, c_out, c_in) and digits keep their [-1, 1] range, so it never reads sigma_d`;
    case 'cNoiseConvention':
      // The U-Net is built for JAX's convention only (models/index.ts throws otherwise); editable while another
      // value (from a link) needs fixing. Every MLP reads it: its time-feature frequencies follow the convention,
      // also for the methods that feed their own time instead of c_noise (methods/settings/notes.ts says so).
      if (c.model !== 'mlp') return c.cNoiseConvention === 'jax' ? 'the U-Net is built for the JAX convention (0.25 ln t)' : null;
      return null;
    case 'jvpRoute':
      // On the U-Net every route is the finite difference (methods/jvp.ts jvpChoice); 'exact' is an error to fix.
      return c.model !== 'mlp' && c.jvpRoute !== 'exact' ? 'the U-Net always takes the finite difference (tfjs cannot differentiate its pooling twice)' : null;
    case 'ectPrefitSteps':
      // The pre-fit makes the exact 2D denoiser a network ECT can start from (methods/ect.ts ectPrefitSteps).
      return c.teacher === 'exact' && c.dataset !== 'mnist' ? null : 'only with the exact 2D teacher; otherwise ECT starts from the teacher\'s weights';
    case 'N':
      return c.nSchedule !== 'fixed' ? 'N follows the schedule N(k)' : null;
    case 'mu':
      return c.nSchedule === 'ct-adaptive' ? 'mu follows the schedule mu(k)' : null;
    case 's0':
    case 's1':
    case 'K':
      return c.nSchedule === 'fixed' ? 'only for a scheduled N' : null;
    case 'mu0':
    case 'muVariant':
      return c.nSchedule !== 'ct-adaptive' ? 'only for the CT schedule' : null;
    case 'Pm':
    case 'Ps':
      if (c.mode === 'ect') return null; // ECT draws t = exp(P_mean + P_std xi)
      if (!cdct) return `only for CD, CT and ECT`;
      return c.indexSampling !== 'lognormal' ? 'only for lognormal index sampling (or ECT)' : null;
    case 'huberC':
      return c.metric !== 'pseudo-huber' ? 'only for the pseudo-Huber metric' : null;
    case 'lpipsNet':
    case 'lpipsResolution':
      return c.metric !== 'lpips' ? 'only for the LPIPS metric' : null;
    case 'pointSmoothing':
      return c.dataset !== 'custom' ? 'only for custom points' : null;
    case 'width':
    case 'depth':
    case 'activation':
    case 'timeFeatures':
    case 'timeConditioning':
      return c.model !== 'mlp' ? 'MLP settings' : null;
    default:
      return null;
  }
}

/** Why one option of an enum is unavailable (shown next to it), or null. */
export function optionDisabledReason(key: ConfigKey, value: string, c: Config): string | null {
  if (key === 'metric' && value === 'lpips' && c.dataset !== 'mnist') return 'images only';
  if (key === 'model' && (value === 'mlp') !== (c.dataset !== 'mnist')) return c.dataset === 'mnist' ? '2D only' : 'images only';
  if (key === 'teacher' && value === 'pretrained' && c.dataset !== 'mnist') return 'mnist only';
  if (key === 'teacher' && value === 'exact' && c.dataset === 'mnist') return '2D only';
  return null;
}

/**
 * The multistep taus on digits unless the user sets them. The paper's 0.585 (its CIFAR-10 N = 18 example, still
 * the 2D default) is not the best middle time for the shipped 28x28 models. Two-step FD (scripts/torch/train.py
 * eval, 1,000 samples) of the 37,402-step CD, noise seed 0, at tau 0.585 / 1.0 / 1.3 / 1.7 / 2.2 / 3.0: 80 / 73 / 68 /
 * 66 / 69 / 73; seed 1 at 1.0 / 1.4 / 1.7 / 2.0 / 2.5: 71 / 67 / 67 / 69 / 75. The shipped ECT, seed 0, at
 * 0.585 / 0.821 (ECT's own) / 1.2 / 1.7 / 2.2: 100 / 93 / 85 / 82 / 85 (NOTES.md, session 14). At the N = 18 grid
 * times 1.088 / 1.923 the CD scores 70.7 / 66.3 (1.7: 65.9): unlike the 2D MLPs, the U-Net is smooth between grid
 * times (session 15; methods/settings/notes.ts).
 */
export const MNIST_TAUS: readonly number[] = [1.7];

/** The multistep taus a run on `dataset` gets unless the user sets them. */
export function defaultTaus(dataset: Config['dataset']): number[] {
  return dataset === 'mnist' ? [...MNIST_TAUS] : [...DEFAULTS.taus];
}

/**
 * Settings that follow the dataset unless the user set them: images need a U-Net, a smaller batch, a
 * non-exact teacher and their own multistep taus. `explicit` lists the keys the user chose.
 */
export function withDatasetDefaults(c: Config, explicit: ReadonlySet<string>): Config {
  const out = { ...c };
  const image = c.dataset === 'mnist';
  const set = <K extends ConfigKey>(k: K, v: Config[K]) => {
    if (!explicit.has(k)) out[k] = v;
  };
  if (image) {
    set('model', PRETRAINED_MODEL);
    set('batchSize', 64);
    set('taus', defaultTaus('mnist'));
    // The shipped teachers are full U-Nets; the tiny test model distils from a teacher it trains itself.
    set('teacher', pretrainedTeacherFile(out.model) ? 'pretrained' : 'learned');
  } else {
    set('model', 'mlp');
    if (c.teacher === 'pretrained') set('teacher', 'exact');
    for (const [k, v] of Object.entries(MODE_DEFAULTS_2D[c.mode] ?? {})) set(k as ConfigKey, v as never);
  }
  const lr = defaultLrSchedule(c);
  set('lr', lr.lr);
  set('warmupSteps', lr.warmupSteps);
  set('lrDecay', lr.lrDecay);
  return out;
}

/** The settings of a fresh page or an empty link: DEFAULTS with the derived defaults of its dataset and mode. */
export function defaultConfig(): Config {
  return withDatasetDefaults({ ...DEFAULTS, taus: [...DEFAULTS.taus] }, new Set());
}

export type LrSchedule = Pick<Config, 'lr' | 'warmupSteps' | 'lrDecay'>;

/**
 * What every run had before the warm-up and decay defaults (constant lr, no warm-up): kept by the methods
 * other than CD, CT and ECT on 2D data, which were not measured with the schedule.
 */
export const CONSTANT_LR_2D: LrSchedule = { lr: 5e-3, warmupSteps: 0, lrDecay: 'constant' };

/**
 * The learning-rate schedule a run gets unless the user sets one: CD's and CT's 2D schedule is DEFAULTS'
 * (lr 1e-2, 100 warm-up steps, cosine to 0 at the budget; measured in NOTES.md "2D steps to quality"),
 * ECT's is ECT_LR_2D, digits keep 2e-4 (the shipped models' runs), all of them constant but CD's and CT's.
 */
export function defaultLrSchedule(c: Pick<Config, 'dataset' | 'mode'>): LrSchedule {
  if (c.dataset === 'mnist') return { lr: 2e-4, warmupSteps: 0, lrDecay: 'constant' };
  if (c.mode === 'cd' || c.mode === 'ct') return { lr: DEFAULTS.lr, warmupSteps: DEFAULTS.warmupSteps, lrDecay: DEFAULTS.lrDecay };
  if (c.mode === 'ect') return { lr: ECT_LR_2D, warmupSteps: 0, lrDecay: 'constant' };
  return CONSTANT_LR_2D;
}

/** Whether `c` has some dataset's or mode's default lr schedule (so a mode or dataset switch may replace it). */
export function hasDefaultLrSchedule(c: Config): boolean {
  const same = (s: LrSchedule) => s.lr === c.lr && s.warmupSteps === c.warmupSteps && s.lrDecay === c.lrDecay;
  return [defaultLrSchedule({ dataset: 'mnist', mode: 'cd' }), defaultLrSchedule({ dataset: 'moons', mode: 'cd' }),
    defaultLrSchedule({ dataset: 'moons', mode: 'ect' }), CONSTANT_LR_2D].some(same);
}

/**
 * CT's 2D N schedule unless the user sets one: the CT paper's N(k), mu(k) stretched over the step budget
 * (s1 = 60; mu0 = 0.3 from CT_SETTINGS_2D). With CT's other 2D defaults (Node WASM, budget 2,000, one-step SWD
 * at the end, 2,000 samples, seeds 1-3; session 6) it ends at 0.027-0.035 (moons) and 0.041-0.045 (eight
 * Gaussians), fixed N = 18 (mu = 0.9, the default of every other mode with an N) at 0.041-0.047 and
 * 0.055-0.064. Digits keep fixed N (the shipped CT model was trained with it).
 */
export const CT_N_SCHEDULE_2D: Config['nSchedule'] = 'ct-adaptive';

/**
 * CD's 2D MLP width unless the user sets one. The page's goal is seconds to a good one-step sample: at 128
 * a step costs about a third of 256's (its matrix products a quarter), and CD learns as fast per step (at
 * the page defaults, 2,000-sample SWD, seeds 1-3, evaluated every 50 steps to 1,500: the same seeds reach
 * 1.5x the teacher ODE's SWD, no later, final SWD within 3% or lower; NOTES.md "2D steps to quality").
 */
export const CD_WIDTH_2D = 128;

/**
 * CT's other 2D settings unless the user sets them: iCT's pseudo-Huber metric (c auto), a lower mu0 for the
 * budget-scaled N(k) (mu(k) = 0.3^(2/N): 0.88 at N = 18, 0.96 at N = 53, where 0.5 gave 0.93 and 0.97) and a
 * 4x128 MLP (the global depth) at batch 512 (the bigger batch averages CT's one-sample target). At the page defaults (Node WASM,
 * budget 2,000, evaluated every 50 steps to 1,500, 2,000-sample SWD, seeds 1-3) the final one-step SWD falls
 * from 0.061-0.065 to 0.032-0.041 (moons) and from 0.089-0.097 to 0.051-0.055 (eight Gaussians); with 3
 * layers it was 0.037-0.045 and 0.055-0.059, and in the page CT then did not reach 1.5x the teacher ODE's SWD
 * within 60 s (4 layers: 32.8 s, moons, seed 1); NOTES.md "2D steps to quality". Each alone (moons, seed 1,
 * 3 layers, against 0.061): pseudo-Huber 0.057, mu0 = 0.3 0.052, 3x128 at batch 512 0.061.
 */
export const CT_SETTINGS_2D: Partial<Config> = { metric: 'pseudo-huber', mu0: 0.3, width: 128, batchSize: 512 };

/** Each mode's own 2D defaults (withDatasetDefaults applies them, a mode switch carries untouched ones over). */
export const MODE_DEFAULTS_2D: Partial<Record<MethodId, Partial<Config>>> = {
  cd: { width: CD_WIDTH_2D },
  ct: { nSchedule: CT_N_SCHEDULE_2D, ...CT_SETTINGS_2D },
};

/** The keys some mode sets on 2D data. */
export const MODE_DEFAULT_KEYS_2D: readonly ConfigKey[] = [...new Set(Object.values(MODE_DEFAULTS_2D).flatMap((d) => Object.keys(d!) as ConfigKey[]))];

/** The value `mode` gets for `key` on 2D data (DEFAULTS' where the mode sets none). */
export function modeDefault2D<K extends ConfigKey>(mode: MethodId, key: K): Config[K] {
  const own = MODE_DEFAULTS_2D[mode] as Partial<Config> | undefined;
  return own && key in own ? (own[key] as Config[K]) : DEFAULTS[key];
}

/**
 * ECT's 2D learning rate unless the user sets one. Measured on moons with the default schedule (300 pre-fit
 * steps, then one stage at q = 8; NOTES.md "ECT in 2D"): one-step SWD at step 600 is 0.16 at lr 3e-4, 0.09
 * at 1e-3, 0.12 at 2e-3, 0.23 at 3e-3 (a constant rate; the paper uses 1e-4 over 200k iterations).
 */
export const ECT_LR_2D = 1e-3;

/**
 * Settings added after run files existed, with the value a file without them meant (its architecture):
 * readers of saved configs put these under the file's own values.
 */
export const LEGACY_VALUES: Partial<Config> = { timeConditioning: 'input', scmAdaptiveWeight: 'off', lrDecay: 'constant' };

/**
 * The paper's iCT toggles in one go (iCT sections 3.1-3.5), sized for the page's 2D runs: the doubling curriculum
 * to s1 = 80 (N = 11, 21, 41, 81 over the budget) and lognormal n centred at P_mean = 0 (the paper's -1.1 seldom
 * draws the large t that a one-step sample starts from). On CT's 2D defaults (4x128, batch 512, lr 3e-3 with
 * warm-up and cosine decay; budget 2,000, one-step SWD at the end, 2,000 samples, seeds 1-3, Node WASM) it ends
 * at 0.026-0.041 (moons) and 0.043-0.048 (eight Gaussians), at least as good as fixed N = 18 (mu = 0.9) on all six runs
 * (0.041-0.047 and 0.055-0.064); the old s1 = 20, P_mean = -1.1 ended at 0.055-0.088 and 0.090-0.115. Neither change
 * alone sufficed (P_mean = 0: 0.068 on eight Gaussians, seed 3; s1 = 80 at lr 1e-2: 0.056 on moons, seed 2; s1 = 160
 * was worse). lr 1e-2 with both ends at 0.026-0.040 and 0.036-0.047; 3e-3 stays, the smaller change.
 */
export const ICT_PRESET: Partial<Config> = {
  mode: 'ct', mu: 0, metric: 'pseudo-huber', weighting: 'inverse-gap', indexSampling: 'lognormal', nSchedule: 'ict-doubling', s0: 10, s1: 80, K: 0, Pm: 0, lr: 3e-3,
};

/** The preset the page applies: on digits P_mean stays the paper's -1.1 (P_mean = 0 was measured in 2D only). */
export function ictPreset(dataset: DatasetName): Partial<Config> {
  return dataset === 'mnist' ? { ...ICT_PRESET, Pm: DEFAULTS.Pm } : ICT_PRESET;
}

export function configsEqual(a: Config, b: Config): boolean {
  return (Object.keys(FIELDS) as ConfigKey[]).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
