// The tour's stops: each anchored to a real view of the page (2D or digits), 1-3 sentences and at most one
// formula. Facts follow consistency-models.md (sections 1-5, 8); a unit test checks the counts and anchors.
import { FIELDS, type Config } from '../../core/config';
import { trajectorySource } from '../../core/run/trajectorySource';

/** The training method's name as the settings show it (the mode select may hold more than CD and CT). */
const methodName = (c: Config) => {
  const field = FIELDS.mode;
  return ('options' in field ? field.options.find((o) => o.value === c.mode)?.label : undefined) ?? c.mode;
};
/** The target decay of this run: fixed, following a schedule, or the method's own (no N and μ beyond CD and CT). */
const muNow = (c: Config) => {
  if (c.mode === 'flow') return 'none in this run: flow matching regresses onto e − x and has no target network';
  if (c.mode === 'shortcut') return `${c.shortcutTargetEma} in this run, the "Shortcut target EMA" setting`;
  if (c.mode !== 'cd' && c.mode !== 'ct') return `0 in this run: ${methodName(c)}'s target is the online network under stop-gradient`;
  return c.nSchedule === 'fixed' ? `${c.mu} in this run` : 'following the μ(k) schedule in this run';
};

/** Whose trajectories the view shows in this run (the same source as the view's title). */
function trajectoriesText(c: Config, image: boolean): string {
  const source = trajectorySource(c);
  if (source === 'none') return `${methodName(c)} has no teacher and digits have no exact ODE, so this strip stays empty; CD, ECT and sCD draw their teacher's.`;
  if (image) return 'Each row of frames x_t follows one trajectory of the teacher\'s ODE from noise to its end x_ε.';
  const whose = source === 'exact'
    ? `${methodName(c)} has no teacher, so the curves are the exact ODE of the data mixture (its D has a closed form)`
    : 'The curves are the teacher\'s trajectories';
  return `${whose}, coloured by t (see the legend); the circles are their ends x_ε.`;
}

export interface StopContext {
  config: Config;
  /** MNIST digits rather than 2D points. */
  image: boolean;
}

export interface TourStop {
  id: string;
  title: string;
  /** CSS selector of the element to show; a view's canvas stands for its whole figure. */
  anchor: (c: StopContext) => string;
  text: (c: StopContext) => string;
  /** TeX, at most one per stop. */
  formula?: string;
}

const view = (id: string) => `canvas[data-view="${id}"]`;
const SETTINGS = 'section.controls';

export const TOUR_STOPS: TourStop[] = [
  {
    id: 'noise',
    title: 'Noise and data',
    anchor: ({ image }) => view(image ? 'denoise' : 'scrubber'),
    text: ({ image, config }) => `Data x are perturbed by Gaussian noise of level t, from t = ε = ${config.eps} (clean) to t = T = ${config.T}, where x_T is pure noise. `
      + (image
        ? 'The top row here is real digits noised to the time on the slider; the row below is what the model makes of them.'
        : 'The left half of this view is p_t, the data noised to the time on the slider below it. The run is training while you read.'),
    formula: 'x_t = x + t\\,z, \\quad z \\sim \\mathcal N(0, I)',
  },
  {
    id: 'trajectories',
    title: 'The PF-ODE trajectories',
    anchor: ({ image }) => view(image ? 'trajectory-strip' : 'consistency'),
    text: ({ image, config }) => 'A diffusion model\'s probability-flow ODE carries every noisy point, deterministically, to one clean point; D is its denoiser. '
      + trajectoriesText(config, image),
    formula: '\\frac{dx}{dt} = \\frac{x - D(x, t)}{t}',
  },
  {
    id: 'consistency',
    title: 'What f(x_t, t) must do',
    anchor: ({ image }) => view(image ? 'trajectory-strip' : 'consistency'),
    text: ({ image }) => 'A consistency model learns f_θ(x_t, t), which jumps from any point of a trajectory straight to its end, so every point of one trajectory maps to the same x_ε; at t = ε it is the identity, built into its parameterisation. '
      + (image
        ? 'Under each frame is f_θ(x_t, t): a consistent model shows the same digit under all of them.'
        : 'Each arrow goes from x_t to f_θ(x_t, t): as training goes on they land on the circles and the spread under the view falls.'),
    formula: 'f_\\theta(x_t, t) = f_\\theta(x_{t\'}, t\'), \\quad f_\\theta(x, \\epsilon) = x',
  },
  {
    id: 'cd-ct',
    title: 'CD vs CT',
    anchor: () => view('loss'),
    text: ({ config }) => `Each step compares the online network at t_{n+1} with a target at the neighbouring time t_n of an N-point grid. Distillation (CD) gets x̂_{t_n} from one Euler or Heun step of a teacher's ODE; consistency training (CT) uses x + t_n z with the same z and needs no teacher. This chart is the loss of this run (${methodName(config)}); the "Training mode" setting switches.`,
    formula: '\\mathcal L = \\lambda(t_n)\\, d\\big(f_\\theta(x + t_{n+1} z,\\, t_{n+1}),\\ f_{\\theta^-}(\\hat x_{t_n},\\, t_n)\\big)',
  },
  {
    id: 'target',
    title: 'The target network and its EMA',
    anchor: ({ image }) => (image ? SETTINGS : view('schedule')),
    text: ({ image, config }) => `The target f_θ⁻ gets no gradient: after each optimiser step its weights follow the online weights as an exponential moving average with decay μ (${muNow(config)}; improved CT uses μ = 0). `
      + (image ? 'Samples are drawn with a separate, slower evaluation EMA.' : 'This chart shows μ and N over the run when a schedule grows them; samples use a separate evaluation EMA.'),
    formula: '\\theta^- \\leftarrow \\mu\\,\\theta^- + (1 - \\mu)\\,\\theta',
  },
  {
    id: 'sampling',
    title: 'One step vs multistep',
    anchor: ({ image }) => (image ? '.mnist-grids' : view('samples')),
    text: ({ config }) => `One network call turns noise x_T into a sample: f_θ(x_T, T). Multistep sampling noises that sample back to a smaller time τ (${config.taus.join(', ') || 'none set'}, the "Multistep taus" setting) and calls f again, trading network calls for quality.`,
    formula: '\\hat x = x + \\sqrt{\\tau^2 - \\epsilon^2}\\, z, \\quad x \\leftarrow f_\\theta(\\hat x, \\tau)',
  },
  {
    id: 'quality',
    title: 'The quality curve',
    anchor: ({ image }) => view(image ? 'digit-quality' : 'quality'),
    text: ({ image, config }) => (image
      ? `Every ${config.evalEvery} steps of training the page measures the Fréchet distance between a small digit classifier's features of the samples and of held-out digits: lower is better, between the floor (real against real digits) and the noise line.`
      : `Every ${config.evalEvery} steps the page measures how far the one-step and multistep samples are from the data (sliced Wasserstein distance). The teacher ODE's samples and the estimator's floor are the reference lines: a good model comes close to the teacher with one call instead of many.`),
  },
  {
    id: 'settings',
    title: 'Your turn',
    anchor: () => SETTINGS,
    text: () => 'Every setting of the two papers is in this panel; hover or focus one for its formula, default and paper section. A change restarts the run from step 0: try CT instead of CD, or Euler instead of Heun, and watch the quality curve. The Tour button brings this tour back.',
  },
];
