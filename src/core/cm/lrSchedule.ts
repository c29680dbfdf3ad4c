// Learning-rate schedule of the student optimiser: linear warm-up from 0, then constant or a decay that
// ends at the step budget. Pure, in float64, so the tests can check it against values worked out by hand.

export type LrDecay = 'constant' | 'cosine' | 'linear';

export interface LrScheduleSettings {
  lr: number;
  warmupSteps: number;
  /** Default 'constant' (what every optimiser did before the decay existed). */
  decay?: LrDecay;
  /** Last step of the decay (the run's step budget); unused for 'constant'. */
  decaySteps?: number;
}

/**
 * Learning rate of update number k (1-based: the first update is k = 1). Warm-up: lr k / W for k <= W.
 * The decay starts at full lr on the first update after the warm-up and reaches 0 at update decaySteps + 2
 * (the budget's last update, k = decaySteps, still moves the weights; k = decaySteps + 1 gets a sliver, about
 * lr (pi / 2 span)^2 for cosine); later updates are clamped to the end of the decay (a budget raised after the
 * fact uses the new budget). scripts/torch/cmstep.py's scheduled_lr follows this exactly.
 */
export function scheduledLr(s: LrScheduleSettings, k: number): number {
  const W = s.warmupSteps;
  if (W > 0 && k <= W) return (s.lr * k) / W;
  const decay = s.decay ?? 'constant';
  if (decay === 'constant') return s.lr;
  const span = (s.decaySteps ?? 0) - W + 1; // p = (k - W - 1) / span is 1 at k = decaySteps + 2
  if (span <= 1) return s.lr; // no room to decay (a budget inside the warm-up)
  const p = Math.min(1, Math.max(0, (k - W - 1) / span));
  return decay === 'cosine' ? s.lr * 0.5 * (1 + Math.cos(Math.PI * p)) : s.lr * (1 - p);
}
