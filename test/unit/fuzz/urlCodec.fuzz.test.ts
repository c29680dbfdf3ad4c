// Links under random and hostile query strings: decoding never throws, always yields a config that
// passes every check, names what it dropped, and re-encodes to a link that decodes to the same config.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, FIELD_LIST, validateConfig, type Field } from '../../../src/core/config';
import { decodeConfig, encodeConfig } from '../../../src/state/urlCodec';
import { COMPARE_KEY, RUN_KEYS, decodeCompare } from '../../../src/state/compare/compareUrl';
import { MAX_RUNS, PRESETS, resolveRun } from '../../../src/state/compare/presets';
import { InputCounter, budget, expectTypedOutcome } from './fuzzKit';

/** A value for one field: mostly plausible (options, numbers near the range), sometimes hostile. */
function valueFor(f: Field): fc.Arbitrary<string> {
  const hostile = fc.constantFrom('', 'NaN', 'Infinity', '-Infinity', '1e400', '-0', '0x10', ' 3 ', 'null', '%', '%E0%A4%A', '1,2,,3', 'x'.repeat(5000), '\u0000', '١');
  const plausible: fc.Arbitrary<string> =
    f.kind === 'enum'
      ? fc.constantFrom(...f.options.map((o) => o.value))
      : f.kind === 'numberList'
        ? fc.array(fc.double({ min: f.min, max: f.max, noNaN: true }), { maxLength: f.maxLength + 1 }).map((v) => v.join(','))
        : fc.oneof(
          f.kind === 'int' ? fc.integer({ min: Math.ceil(f.min) - 2, max: Math.min(Math.floor(f.max) + 2, 2 ** 40) }).map(String) : fc.double({ min: f.min, max: f.max, noNaN: true }).map(String),
          fc.double().map(String),
        );
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
}

const fieldParam = fc.constantFrom(...FIELD_LIST).chain((f) => valueFor(f).map((v) => [f.url, v] as const));
const otherParam = fc.tuple(fc.oneof(fc.constantFrom('v', 'embed', '_p', '__proto__', 'constructor', ''), fc.string({ maxLength: 4 })), fc.string({ maxLength: 8 }));
const query = fc.tuple(fc.array(fc.oneof({ weight: 5, arbitrary: fieldParam }, { weight: 1, arbitrary: otherParam }), { maxLength: 14 }), fc.boolean())
  .map(([params, withVersion]) => {
    const q = new URLSearchParams();
    if (withVersion) q.append('v', '1');
    for (const [k, v] of params) q.append(k, v);
    return `?${q.toString()}`;
  });

function checkDecoded(search: string): void {
  const r = expectTypedOutcome(() => decodeConfig(search, ['embed']), [], `decodeConfig(${search.slice(0, 200)})`);
  const d = r.value!;
  // The config is one a user could have typed: every field parses and no cross-field rule is broken.
  expect(validateConfig(d.config as unknown as Record<string, unknown>).errors, search).toEqual([]);
  expect(d.notices.every((n) => typeof n === 'string' && n.length > 10)).toBe(true);
  // Re-encoding what was accepted gives a clean link to the same settings.
  const again = decodeConfig(`?${encodeConfig(d.config)}`);
  expect(again.notices, search).toEqual([]);
  expect(again.config, search).toEqual(d.config);
}

describe('URL state, fuzzed', () => {
  it('random settings links (valid, out-of-range, hostile values; unknown keys) decode to a valid config that round-trips', () => {
    const counter = new InputCounter('url: random settings links');
    fc.assert(fc.property(query, (search) => {
      counter.tick();
      checkDecoded(search);
    }), budget(1500, 5000));
    counter.report();
    expect(counter.count).toBeGreaterThan(100);
  });

  it('arbitrary query text (broken percent escapes, separators, unicode) never throws', () => {
    const counter = new InputCounter('url: arbitrary query text');
    const text = fc.array(fc.oneof(fc.constantFrom('&', '=', '?', '%', '%2', '%zz', '+', 'v=1', 'v=2', 'v=3', 'm=ct', 'd=mnist', 'md=mlp', 'ta=', '#'), fc.string({ maxLength: 5 })), { maxLength: 20 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (search) => {
      counter.tick();
      checkDecoded(search);
    }), budget(1500, 3000));
    counter.report();
  });

  it('comparison links (_cmp, _cA.._cD with hostile patches) decode to 2-4 runs that resolve, or to an error', () => {
    const counter = new InputCounter('url: comparison links');
    const patch = fc.array(fc.oneof(fieldParam, fc.constantFrom(['_s', 'multi'] as const, ['_s', 'one'] as const, ['_s', 'x'] as const, ['v', '3'] as const)), { maxLength: 4 })
      .map((ps) => new URLSearchParams(ps.map(([k, v]) => [k, v])).toString());
    const link = fc.tuple(fc.oneof(fc.constantFrom('custom', 'nope', '', ...PRESETS.map((p) => p.id))), fc.array(patch, { maxLength: 5 }));
    fc.assert(fc.property(link, ([id, patches]) => {
      counter.tick();
      const params = new URLSearchParams([[COMPARE_KEY, id], ...patches.map((p, i) => [RUN_KEYS[i] ?? `_c${i}`, p] as [string, string])]);
      const d = expectTypedOutcome(() => decodeCompare(params), [], 'decodeCompare').value!;
      expect(d).not.toBeNull();
      if ('error' in d!) {
        expect(d.error.length).toBeGreaterThan(10);
        return;
      }
      expect(d!.runs.length).toBeGreaterThanOrEqual(2);
      expect(d!.runs.length).toBeLessThanOrEqual(MAX_RUNS);
      for (const run of d!.runs) {
        const r = expectTypedOutcome(() => resolveRun(DEFAULTS, run), [], 'resolveRun').value!;
        if (r.config) expect(validateConfig(r.config as unknown as Record<string, unknown>).errors).toEqual([]);
        else expect(r.errors.length).toBeGreaterThan(0);
      }
    }), budget(800, 3000));
    counter.report();
  });
});
