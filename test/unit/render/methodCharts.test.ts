// The loss and schedule charts speak of the selected method: N(k) and mu(k) are CD and CT's discretisation,
// so the other methods' schedule chart says what they have instead, never CD's "now N = 18, mu = 0.900".
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { METHOD_IDS } from '../../../src/core/methods/settings/index';
import { drawLossChart, drawQualityChart, drawScheduleChart, lossTitle, qualityNote, scheduleNote, scheduleTitle } from '../../../src/render/chartViews';
import { DecimatingSeries } from '../../../src/state/series';
import { wrapWords } from '../../../src/render/plot2d';
import { recordingContext, testPalette } from './recordingContext';

const draw = (config: Config, run: { step: number; N: number; mu: number }) => {
  const { ctx, texts } = recordingContext();
  drawScheduleChart(ctx, 380, 180, testPalette, { run, config, view: {} } as never);
  return texts.join(' ');
};

describe('method-aware charts', () => {
  it('CD and CT plot N(k) and mu(k); every other method says what it has instead', () => {
    expect(draw({ ...DEFAULTS, mode: 'cd' }, { step: 10, N: 18, mu: 0.9 })).toContain('now N = 18, mu = 0.900');
    for (const mode of METHOD_IDS.filter((m) => m !== 'cd' && m !== 'ct')) {
      const text = draw({ ...DEFAULTS, mode }, { step: 10, N: 0, mu: 0 });
      expect(text, mode).not.toMatch(/N = |mu = /);
      expect(text.replace(/\s+/g, ' '), mode).toContain(scheduleNote({ ...DEFAULTS, mode }, 0));
      expect(scheduleTitle(mode), mode).not.toContain('N(k)');
    }
  });

  it('ECT with the default single stage says so; with stages it names the current one once the run has stepped', () => {
    expect(scheduleNote({ ...DEFAULTS, mode: 'ect' }, 0)).toContain('for the whole run (one stage)');
    expect(scheduleNote({ ...DEFAULTS, mode: 'ect' }, 0)).not.toContain('at each stage');
    const ect: Config = { ...DEFAULTS, mode: 'ect', ectStageSteps: 0 };
    expect(scheduleNote(ect, 3)).toContain('stage 3 now');
    expect(scheduleNote(ect, null)).not.toContain('stage 0');
    expect(draw(ect, { step: 0, N: 18, mu: 0.9 })).not.toMatch(/stage \d+ now/);
  });

  it('the loss chart marks where a warm-up phase (ECT pre-fit, sCM pre-training) ends, once the run is past it', () => {
    const loss = (config: Config, last: number) => {
      const { ctx, texts } = recordingContext();
      const s = new DecimatingSeries(16);
      for (const x of [1, last / 2, last]) s.push(x, 0.5);
      drawLossChart(ctx, 380, 180, testPalette, { run: { loss: s, teacherLoss: new DecimatingSeries(4) }, config, view: {} } as never);
      return texts.join(' ');
    };
    const ect: Config = { ...DEFAULTS, mode: 'ect', teacher: 'exact', dataset: 'moons', ectPrefitSteps: 100 };
    expect(loss(ect, 300)).toContain('pre-fit to the exact denoiser ends');
    expect(loss(ect, 50)).not.toContain('ends'); // still in the pre-fit: nothing to mark yet
    expect(loss({ ...DEFAULTS, mode: 'sct', scmPretrain: 200 }, 300)).toContain('diffusion pre-training ends');
    expect(loss({ ...DEFAULTS, mode: 'cd' }, 300)).not.toContain('ends');
  });

  it('only the consistency models have a consistency loss', () => {
    expect(lossTitle('ct')).toBe('Consistency loss (raw and smoothed)');
    expect(lossTitle('sct')).toBe('Consistency loss (raw and smoothed)');
    expect(lossTitle('meanflow')).toBe('MeanFlow loss (raw and smoothed)');
    expect(lossTitle('flow')).toBe('Flow matching loss (raw and smoothed)');
  });

  it('the quality chart names its ODE reference line by whose ODE it is (no "teacher" for methods without one)', () => {
    const series = () => {
      const s = new DecimatingSeries(16);
      s.push(100, 0.2);
      s.push(200, 0.1);
      return s;
    };
    const quality = (config: Config) => {
      const { ctx, texts } = recordingContext();
      const run = { step: 200, quality: { swd1: series(), swd2: series() }, latestQuality: { swdTeacher: 0.05, swdFloor: 0.01 } };
      drawQualityChart(ctx, 380, 180, testPalette, { run, config, view: {} } as never);
      return texts;
    };
    for (const mode of ['cd', 'ect', 'scd'] as const) {
      expect(quality({ ...DEFAULTS, mode, teacher: 'exact' }), mode).toContain('teacher ODE (exact)');
      expect(quality({ ...DEFAULTS, mode, teacher: 'learned' }), mode).toContain('teacher ODE');
    }
    for (const mode of ['ct', 'sct', 'meanflow', 'shortcut', 'flow'] as const) {
      const texts = quality({ ...DEFAULTS, mode });
      expect(texts, mode).toContain('exact ODE');
      expect(texts.join(' '), mode).not.toContain('teacher');
    }
  });

  it('long notes wrap to the canvas width at word boundaries', () => {
    const lines = wrapWords('aaa bbb ccc dddddddddd e', 7, (s) => s.length);
    expect(lines).toEqual(['aaa bbb', 'ccc', 'dddddddddd', 'e']);
    expect(lines.join(' ')).toBe('aaa bbb ccc dddddddddd e');
  });

  it('the quality chart\'s note says what its dashed "floor" and ODE lines are, by whose ODE', () => {
    expect(qualityNote({ ...DEFAULTS, mode: 'cd', teacher: 'exact' })).toMatch(/teacher ODE \(exact\)'s own samples.*floor, two independent data samples/);
    expect(qualityNote({ ...DEFAULTS, mode: 'ct' })).toContain('exact ODE\'s own samples');
  });
});
