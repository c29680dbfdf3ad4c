// The CSV upload parser: what it accepts, and the inputs it used to misread (found by fuzzing).
import { describe, expect, it } from 'vitest';
import { MAX_CSV_POINTS, PointsCsvError, parsePointsCsv } from '../../../src/core/data/pointsCsv';

describe('parsePointsCsv', () => {
  it('reads x,y lines with a header, comments, blank lines, CRLF and mixed separators', () => {
    expect(Array.from(parsePointsCsv('x,y\r\n1,2\r\n# note\r\n\r\n-3.5;4e-2\n.5\t-0.25 label\n'))).toEqual([1, 2, -3.5, 0.04, 0.5, -0.25]);
  });

  it('an empty first cell is an error, not x = 0 (Number("") is 0)', () => {
    expect(() => parsePointsCsv('1,2\n,3,4\n5,6')).toThrow(PointsCsvError);
    expect(() => parsePointsCsv('1,2\n,3,4\n5,6')).toThrow(/^line 2: expected "x,y"/);
  });

  it('hexadecimal and binary literals are refused, not read as numbers', () => {
    expect(() => parsePointsCsv('1,2\n0x10,3\n')).toThrow(/line 2/);
    expect(() => parsePointsCsv('1,2\n0b11,3\n')).toThrow(/line 2/);
  });

  it('values that overflow to Infinity are refused', () => {
    expect(() => parsePointsCsv('1,2\n1e400,3\n')).toThrow(/line 2: expected "x,y" with two finite numbers/);
  });

  it('refuses more than the point limit with a message', () => {
    const text = '0,0\n'.repeat(MAX_CSV_POINTS + 1);
    expect(() => parsePointsCsv(text)).toThrow(/more than 1,000,000 points \(line 1000001\)/);
  });
});
