// Every method's tooltip content: the method's own settings carry a formula and a paper section, and every
// formula of the schema (settings and the mode's per-method options) typesets with KaTeX without an error.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { FIELDS, FIELD_LIST } from '../../../src/core/config';
import { METHOD_INFO } from '../../../src/core/methods/settings/index';
import { defaultText } from '../../../src/ui/FieldHelp';

describe('method setting tooltips', () => {
  it('give the target formula and the paper section of every method\'s own settings (ECT, sCM, MeanFlow, shortcut, flow matching, JVP)', () => {
    const keys = [...new Set(Object.values(METHOD_INFO).flatMap((m) => m.own))];
    expect(keys).toEqual(expect.arrayContaining(['ectB', 'ectStageSteps', 'scmPs', 'scmAdaptiveWeight', 'mfEta', 'flowTimeSampling']));
    for (const key of keys) {
      const f = FIELDS[key];
      expect(f.paper, key).toBeTruthy();
      expect(f.formula, key).toBeTruthy();
    }
  });

  it('every formula in the schema typesets', () => {
    const formulas = [
      ...FIELD_LIST.flatMap((f) => (f.formula ? [[f.key, f.formula]] : [])),
      ...Object.values(METHOD_INFO).map((m) => [`mode ${m.id}`, m.formula]),
    ];
    for (const [name, tex] of formulas) expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: true }), name).not.toThrow();
  });

  it('the mode tooltip\'s "<method>: <help>" never repeats the method\'s name', () => {
    for (const m of Object.values(METHOD_INFO)) expect(m.help.toLowerCase().startsWith(m.label.toLowerCase()), m.id).toBe(false);
  });
});

describe('tooltip default', () => {
  it('names an enum default by its label, as the control shows it', () => {
    expect(defaultText(FIELDS.mode)).toBe('CD');
    expect(defaultText(FIELDS.solver)).toBe('Heun');
    expect(defaultText(FIELDS.taus)).toBe('0.585');
  });

  it('gives the page\'s own default on digits (their multistep tau)', () => {
    expect(defaultText(FIELDS.taus, { dataset: 'mnist', mode: 'cd' })).toBe('1.7');
    expect(defaultText(FIELDS.taus, { dataset: 'moons', mode: 'cd' })).toBe('0.585');
  });
});
