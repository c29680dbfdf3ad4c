// When training pauses by itself: at a chosen step, or the first time the one-step SWD reaches a target
// (TensorFlow Playground's users asked for both, tensorflow/playground#7). Pure, so it is tested alone.
import type { StopRules } from './protocol';

export interface StopHit {
  rule: 'step' | 'quality';
  message: string;
}

/** Checks the rules after a step; `swd1` is the one-step SWD when this step was evaluated, else null. */
export function stopRuleHit(rules: StopRules, step: number, swd1: number | null, qualityFired: boolean): StopHit | null {
  if (rules.swdAtMost !== null && !qualityFired && swd1 !== null && Number.isFinite(swd1) && swd1 <= rules.swdAtMost) {
    return { rule: 'quality', message: `stopped at step ${step}: one-step SWD ${swd1.toFixed(4)} reached the target ${rules.swdAtMost}` };
  }
  // Only on reaching the step, so Train continues past it.
  if (rules.atStep !== null && step === rules.atStep) return { rule: 'step', message: `stopped at step ${step}, as set` };
  return null;
}

/** Checks rules from the page: whole steps >= 1 and thresholds > 0, or null (off). */
export function checkStopRules(r: unknown): { rules: StopRules; errors: string[] } {
  const o = (r ?? {}) as Partial<Record<keyof StopRules, unknown>>;
  const errors: string[] = [];
  const atStep = o.atStep ?? null;
  const swdAtMost = o.swdAtMost ?? null;
  if (atStep !== null && !(typeof atStep === 'number' && Number.isInteger(atStep) && atStep >= 1)) errors.push(`Stop at step: "${atStep}" must be a whole number >= 1`);
  if (swdAtMost !== null && !(typeof swdAtMost === 'number' && Number.isFinite(swdAtMost) && swdAtMost > 0)) errors.push(`Stop at one-step SWD: "${swdAtMost}" must be a number > 0`);
  return { rules: { atStep: errors.length ? null : (atStep as number | null), swdAtMost: errors.length ? null : (swdAtMost as number | null) }, errors };
}
