// The stages of one consistency training step, each with one sentence and one formula (Algorithms 2
// and 3 of Song et al. 2023), and which points of the step they show.
import type { AnatomyReply } from '../../worker/protocol';

export type PointKind = 'x0' | 'z' | 'xNext' | 'denoised' | 'predictor' | 'xHat' | 'fOnline' | 'fTarget' | 'fAfter';

export interface Stage {
  id: string;
  title: string;
  sentence: string;
  tex: string;
  /** Points drawn at this stage (earlier ones stay, faded), and those the frame zooms to. */
  shows: PointKind[];
  focus: PointKind[];
}

export function anatomyStages(a: AnatomyReply): Stage[] {
  const cd = a.mode === 'cd';
  const heun = cd && a.solver === 'heun';
  const teacherStage: Stage = !cd
    ? { id: 'xhat', title: 'The cleaner point, with the same z',
      sentence: 'Consistency training has no teacher: the cleaner point is the same data point noised with the same z to the lower level t_n, a one-sample estimate of the ODE step.',
      tex: '\\hat x_{t_n} = x_0 + t_n z', shows: ['xHat'], focus: ['x0', 'xNext', 'xHat'] }
    : heun
      ? { id: 'xhat', title: "The teacher's Heun step",
        sentence: "The teacher's Euler step gives the midpoint x' (hollow); Heun then averages the ODE's slope at both ends, which is second-order accurate.",
        tex: "\\hat x_{t_n} = x_{t_{n+1}} + \\tfrac{t_n - t_{n+1}}{2}\\big(v(x_{t_{n+1}}, t_{n+1}) + v(x', t_n)\\big),\\; v(x, t) = \\tfrac{x - D(x, t)}{t}",
        shows: ['denoised', 'predictor', 'xHat'], focus: ['xNext', 'denoised', 'predictor', 'xHat'] }
      : { id: 'xhat', title: "The teacher's Euler step",
        sentence: "The teacher takes one step of the probability-flow ODE from t_{n+1} back to t_n, towards its denoised guess D (diamond).",
        tex: '\\hat x_{t_n} = x_{t_{n+1}} + (t_n - t_{n+1})\\,\\frac{x_{t_{n+1}} - D(x_{t_{n+1}}, t_{n+1})}{t_{n+1}}',
        shows: ['denoised', 'xHat'], focus: ['xNext', 'denoised', 'xHat'] };
  return [
    { id: 'x0', title: 'Data x_0', sentence: `The step starts from a batch of ${a.batchSize} data points; we follow the first ${a.rows} (your picks first).`,
      tex: 'x_0 \\sim p_{\\text{data}}', shows: ['x0'], focus: ['x0'] },
    { id: 'z', title: 'Noise z', sentence: 'Each point gets one Gaussian noise vector (the arrow from x_0 to x_0 + z), drawn once and used at both noise levels.',
      tex: 'z \\sim \\mathcal N(0, I)', shows: ['z'], focus: ['x0', 'z'] },
    { id: 'xnext', title: 'The noisier point x_{t_{n+1}}', sentence: `An interval n of the ${a.N}-point grid is drawn for each point, which is noised to its upper end t_{n+1}.`,
      tex: 'x_{t_{n+1}} = x_0 + t_{n+1}\\, z', shows: ['xNext'], focus: ['x0', 'xNext'] },
    teacherStage,
    { id: 'fonline', title: 'Online output', sentence: 'The online network maps the noisier point to its guess of where the trajectory ends; this output gets the gradient.',
      tex: 'f_\\theta(x, t) = c_{\\text{skip}}(t)\\, x + c_{\\text{out}}(t)\\, F_\\theta(c_{\\text{in}}(t)\\, x, t) \\text{ at } (x_{t_{n+1}}, t_{n+1})',
      shows: ['fOnline'], focus: ['xNext', 'fOnline'] },
    { id: 'ftarget', title: 'Target output', sentence: `The target network theta^- (an average of theta with decay mu = ${fmt(a.mu)}, no gradient) maps the cleaner point: the online output is pulled towards it.`,
      tex: 'f_{\\theta^-}(\\hat x_{t_n}, t_n), \\quad \\theta^- \\leftarrow \\operatorname{stopgrad}(\\mu \\theta^- + (1 - \\mu)\\theta)',
      shows: ['fTarget'], focus: ['xHat', 'fOnline', 'fTarget'] },
    { id: 'distance', title: 'The distance d', sentence: 'The loss is the weighted distance between the two outputs, averaged over the whole batch.',
      tex: '\\mathcal L = \\frac1B \\sum_i \\lambda(t_{n_i})\\, d\\big(f_\\theta(x_{t_{n+1}}, t_{n+1}),\\, f_{\\theta^-}(\\hat x_{t_n}, t_n)\\big)',
      shows: [], focus: ['fOnline', 'fTarget'] },
    { id: 'update', title: 'The optimiser step', sentence: `One step of the optimiser (learning rate ${a.lr}) on theta moves every online output; the arrow shows where f_theta(x_{t_{n+1}}, t_{n+1}) went.`,
      tex: '\\theta \\leftarrow \\theta - \\eta\\, \\operatorname{Adam}(\\nabla_\\theta \\mathcal L)', shows: ['fAfter'], focus: ['fOnline', 'fTarget', 'fAfter'] },
  ];
}

export const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(4));

/** The row values of one kind of point, as [x, y] pairs (2D) or null where the step has none. */
export function pointsOf(a: AnatomyReply, kind: PointKind): Float32Array | null {
  if (kind === 'z') return Float32Array.from(a.x0, (v, i) => v + a.z[i]);
  if (kind === 'predictor') return a.heunPredictor;
  return a[kind];
}
