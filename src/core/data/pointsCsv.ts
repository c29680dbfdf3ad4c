// The CSV upload for custom 2D data: "x,y" per line (comma, semicolon, tab or spaces), an optional header
// line first, blank lines and '#' comments anywhere; extra columns after y are ignored.
// Numbers are plain decimals only: "0x1f", "1_000", "Infinity" and empty cells are refused, not guessed at.

export class PointsCsvError extends Error {
  override name = 'PointsCsvError';
}

/** Far more than the page can show or the mixture needs; the limit keeps a wrong file from eating memory. */
export const MAX_CSV_POINTS = 1_000_000;

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function cellNumber(cell: string | undefined): number {
  return cell !== undefined && DECIMAL.test(cell) ? Number(cell) : Number.NaN;
}

/** Parses the file's text into [x0, y0, x1, y1, ...]; throws PointsCsvError naming the line. */
export function parsePointsCsv(text: string): Float64Array {
  const out: number[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '' || s.startsWith('#')) continue;
    const cells = s.split(/[,;\t ]+/);
    const x = cellNumber(cells[0]);
    const y = cellNumber(cells[1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (!seenContent) {
        seenContent = true; // the first non-blank line may be a header
        continue;
      }
      throw new PointsCsvError(`line ${i + 1}: expected "x,y" with two finite numbers, got "${s.slice(0, 40)}"`);
    }
    seenContent = true;
    if (out.length >= 2 * MAX_CSV_POINTS) throw new PointsCsvError(`more than ${MAX_CSV_POINTS.toLocaleString('en')} points (line ${i + 1})`);
    out.push(x, y);
  }
  if (out.length < 4) throw new PointsCsvError(`need at least 2 points, found ${out.length / 2}`);
  return Float64Array.from(out);
}
