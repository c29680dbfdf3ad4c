import { describe, expect, it } from 'vitest';
import { checkStopRules, stopRuleHit } from '../../../src/worker/stopRules';

describe('stop rules', () => {
  it('stops on reaching the step, and not again when training goes on past it', () => {
    const rules = { atStep: 50, swdAtMost: null };
    expect(stopRuleHit(rules, 49, null, false)).toBeNull();
    expect(stopRuleHit(rules, 50, null, false)).toMatchObject({ rule: 'step', message: 'stopped at step 50, as set' });
    expect(stopRuleHit(rules, 51, null, false)).toBeNull();
  });

  it('stops the first time the one-step SWD reaches the target, only at evaluated steps', () => {
    const rules = { atStep: null, swdAtMost: 0.05 };
    expect(stopRuleHit(rules, 100, 0.08, false)).toBeNull();
    expect(stopRuleHit(rules, 150, null, false)).toBeNull();
    expect(stopRuleHit(rules, 200, Number.NaN, false)).toBeNull();
    const hit = stopRuleHit(rules, 300, 0.0499, false);
    expect(hit?.rule).toBe('quality');
    expect(hit?.message).toContain('0.0499');
    expect(stopRuleHit(rules, 400, 0.03, true)).toBeNull();
  });

  it('refuses rules that are not whole steps >= 1 or positive thresholds, and changes nothing', () => {
    expect(checkStopRules({ atStep: 10, swdAtMost: 0.1 })).toEqual({ rules: { atStep: 10, swdAtMost: 0.1 }, errors: [] });
    expect(checkStopRules({})).toEqual({ rules: { atStep: null, swdAtMost: null }, errors: [] });
    for (const bad of [{ atStep: 0 }, { atStep: 2.5 }, { atStep: '7' }, { swdAtMost: 0 }, { swdAtMost: Number.POSITIVE_INFINITY }]) {
      const r = checkStopRules(bad);
      expect(r.errors.length).toBe(1);
      expect(r.rules).toEqual({ atStep: null, swdAtMost: null });
    }
  });
});
