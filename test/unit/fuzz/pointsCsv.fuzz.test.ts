// The CSV upload for 2D points under random and mutated text: finite points or a PointsCsvError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PointsCsvError, parsePointsCsv } from '../../../src/core/data/pointsCsv';
import { InputCounter, budget, expectTypedOutcome } from './fuzzKit';

function checkPoints(p: Float64Array): void {
  expect(p.length % 2).toBe(0);
  expect(p.length).toBeGreaterThanOrEqual(4);
  expect(p.every(Number.isFinite)).toBe(true);
}

const parse = (text: string, what: string) => expectTypedOutcome(() => parsePointsCsv(text), [PointsCsvError], what);

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const sep = fc.constantFrom(',', ';', '\t', ' ', ', ', ' ;\t');
const newline = fc.constantFrom('\n', '\r\n', '\r');

describe('points CSV, fuzzed', () => {
  it('random finite points with any separator, newline, header, comments and blank lines parse back exactly', () => {
    const counter = new InputCounter('csv: round trips');
    fc.assert(fc.property(fc.array(fc.tuple(finite, finite), { minLength: 2, maxLength: 40 }), sep, newline, fc.boolean(), fc.boolean(),
      (points, s, nl, header, comments) => {
        counter.tick();
        const fmt = (v: number) => (Object.is(v, -0) ? '-0' : String(v)); // String(-0) is "0"
        const lines = points.map(([x, y]) => `${fmt(x)}${s}${fmt(y)}`);
        if (comments) lines.splice(1, 0, '# a comment', '   ', '');
        const text = (header ? [`x${s}y`, ...lines] : lines).join(nl);
        expect(Array.from(parsePointsCsv(text))).toEqual(points.flat());
      }), budget(1000, 2000));
    counter.report();
  });

  const nastyCell = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '', '0x1f', '1_000', '1e', '.', '-', '+.5', '1,5', '١٢', '\u00a0', '\0', 'null', '"1"', '1e-400');
  const cell = fc.oneof(finite.map(String), nastyCell, fc.string({ maxLength: 6 }));

  it('rows of nasty cells (NaN, Inf, 1e400, hex, empty, unicode digits) give finite points or a PointsCsvError naming the line', () => {
    const counter = new InputCounter('csv: nasty cells');
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 0, maxLength: 4 }), { maxLength: 12 }), sep, newline, (rows, s, nl) => {
      counter.tick();
      const r = parse(rows.map((cells) => cells.join(s)).join(nl), 'csv rows');
      if (r.ok) checkPoints(r.value!);
      else expect(r.error!.message).toMatch(/^line \d+: |need at least 2 points/);
    }), budget(3000, 2000));
    counter.report();
  });

  it('arbitrary text (any unicode, control characters) gives finite points or a PointsCsvError', () => {
    const counter = new InputCounter('csv: arbitrary text');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      counter.tick();
      const r = parse(text, 'arbitrary text');
      if (r.ok) checkPoints(r.value!);
    }), budget(3000, 3000));
    counter.report();
  });
});
