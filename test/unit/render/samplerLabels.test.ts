// The page's sample labels mirror each method's sampler (the page cannot import the tfjs methods), and the
// quality chart names the entry session.evaluate() scores (samples[1]), not the last one.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { METHOD_IDS } from '../../../src/core/methods/settings/index';
import { methodFor } from '../../../src/core/methods/registry';
import { drawQualityChart } from '../../../src/render/chartViews';
import { drawRunSamples } from '../../../src/render/compareViews';
import { useCompare } from '../../../src/state/compare/compareStore';
import { SCORED_MULTISTEP_INDEX, sampleLabel, sampleStepCounts } from '../../../src/render/samplerLabels';
import { recordingContext, testPalette as pal } from './recordingContext';

describe('sampler labels', () => {
  it('count the same steps as every method\'s own sampleBudgets', () => {
    for (const mode of METHOD_IDS) {
      for (const taus of [[], [0.585], [2, 0.585, 0.1]]) {
        const c: Config = { ...DEFAULTS, mode, taus };
        expect(sampleStepCounts(c), `${mode} taus ${taus}`).toEqual(methodFor(mode)!.sampleBudgets(c));
      }
    }
  });

  it('name re-noising steps for consistency models and uniform steps for the flow methods', () => {
    expect(sampleLabel({ mode: 'ect', taus: [2, 0.585] }, 2)).toBe('3 steps, taus 2, 0.585');
    expect(sampleLabel({ mode: 'meanflow', taus: [2, 0.585] }, 2)).toBe('4 uniform steps');
    expect(sampleLabel({ mode: 'flow', taus: [0.585] }, 0)).toBe('one step from noise');
    expect(sampleLabel({ mode: 'sct', taus: [0.585] }, 0)).toBe('one step f(x_T, T)');
  });

  it('the quality chart labels its multistep curve with the scored entry: two steps, whatever the taus', () => {
    const { ctx, texts } = recordingContext();
    const series = (ys: number[]) => ({ xs: Float64Array.from(ys, (_, i) => 100 * (i + 1)), ys: Float64Array.from(ys), length: ys.length });
    const run = { step: 200, quality: { swd1: series([0.3, 0.2]), swd2: series([0.25, 0.15]) }, latestQuality: null };
    for (const [mode, want] of [['cd', '2 steps'], ['meanflow', '2 uniform steps']] as const) {
      texts.length = 0;
      const config: Config = { ...DEFAULTS, mode, taus: [2, 0.585, 0.1] };
      drawQualityChart(ctx, 400, 200, pal, { run, config, view: {} } as never);
      expect(texts).toContain(want);
      expect(texts.some((t) => /^(4|8) /.test(t))).toBe(false);
    }
    expect(SCORED_MULTISTEP_INDEX).toBe(1);
  });

  it('a compared run\'s sample panel names its own method\'s steps', () => {
    const pts = new Float32Array([0, 0, 1, 1]);
    const run = (mode: Config['mode']) => ({ spec: { patch: '', sampler: 'multi' }, config: { ...DEFAULTS, mode }, staticData: { dataShape: [2], data: pts },
      snapshot: { samples: [pts, pts], taus: [0.585], step: 7 } });
    for (const [mode, want] of [['meanflow', '2 uniform steps · step 7'], ['ct', '2 steps · step 7']] as const) {
      useCompare.setState({ runs: [run(mode)] } as never);
      const { ctx, texts } = recordingContext();
      drawRunSamples(0)(ctx, 300, 300, pal, { config: DEFAULTS } as never);
      expect(texts, mode).toContain(want);
    }
  });
});
