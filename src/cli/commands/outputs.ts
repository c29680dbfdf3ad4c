import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingSession } from '../../core/run/session';
import { encodePng } from '../png';
import { imageGridRgba, scatterRgba } from '../plot';

export function writeCsv(path: string, points: ArrayLike<number>): void {
  let s = '';
  for (let i = 0; i + 1 < points.length; i += 2) s += `${points[i]},${points[i + 1]}\n`;
  writeFileSync(path, s);
}

/** samples-<k>step.csv in the data's own coordinates (2D), or a PNG grid per step count (images); k = network evaluations. */
export function writeSamples(dir: string, session: TrainingSession, samples: Float32Array[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const shape = session.data.dataShape;
  const budgets = session.method.sampleBudgets(session.config);
  samples.forEach((s, i) => {
    const name = `samples-${budgets[i]}step`;
    if (shape.length === 1 && shape[0] === 2) {
      writeCsv(join(dir, `${name}.csv`), session.toDataCoordinates(s));
      written.push(`${name}.csv`);
    } else {
      const [h, w] = shape;
      const n = Math.min(s.length / (h * w), 64);
      const g = imageGridRgba(s, n, h, w, 8, 2);
      writeFileSync(join(dir, `${name}.png`), encodePng(g.rgba, g.width, g.height));
      written.push(`${name}.png`);
    }
  });
  if (shape.length === 1) {
    const data = session.toDataCoordinates(session.evalTruth);
    const layers = [{ points: data, rgb: [190, 190, 190] as [number, number, number], radius: 1.5 }];
    const colours: [number, number, number][] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189]];
    samples.forEach((s, i) => layers.push({ points: session.toDataCoordinates(s), rgb: colours[i % colours.length], radius: 1.5 }));
    // One image per step count, data in grey underneath.
    samples.forEach((_, i) => {
      const png = encodePng(scatterRgba([layers[0], layers[i + 1]]), 512, 512);
      writeFileSync(join(dir, `samples-${budgets[i]}step.png`), png);
      written.push(`samples-${budgets[i]}step.png`);
    });
  }
  return written;
}
