// The 2D preset datasets, each a mixture in its own coordinates. Curves are covered by evenly spaced
// points smoothed by a small Gaussian, so the exact denoiser is cheap and the density is smooth.
import { pointSetMixture, type Mixture } from './mixture';

export const PRESET_NAMES = ['moons', 'eight-gaussians', 'grid-25', 'swiss-roll', 'checkerboard', 'circles', 'spiral'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

function curve(n: number, f: (u: number) => [number, number]): number[] {
  const pts: number[] = [];
  for (let i = 0; i < n; i++) pts.push(...f((i + 0.5) / n));
  return pts;
}

function eightGaussians(): Mixture {
  const pts = curve(8, (u) => [2 * Math.cos(2 * Math.PI * (u - 0.5 / 8)), 2 * Math.sin(2 * Math.PI * (u - 0.5 / 8))]);
  return pointSetMixture(pts, 2, 0.1);
}

function grid25(): Mixture {
  const pts: number[] = [];
  for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) pts.push(i, j);
  return pointSetMixture(pts, 2, 0.08);
}

function moons(): Mixture {
  const upper = curve(200, (u) => [Math.cos(Math.PI * u), Math.sin(Math.PI * u)]);
  const lower = curve(200, (u) => [1 - Math.cos(Math.PI * u), 0.5 - Math.sin(Math.PI * u)]);
  return pointSetMixture([...upper, ...lower], 2, 0.06);
}

function swissRoll(): Mixture {
  // Spaced evenly in arc length would be nicer; evenly in angle matches the usual generator's density.
  const pts = curve(400, (u) => {
    const a = 1.5 * Math.PI * (1 + 2 * u);
    return [a * Math.cos(a), a * Math.sin(a)];
  });
  return pointSetMixture(pts, 2, 0.35);
}

function checkerboard(): Mixture {
  const pts: number[] = [];
  const h = 0.125; // lattice spacing inside each filled unit square; smoothing h/2 makes it near-uniform
  for (let cx = -2; cx < 2; cx++) {
    for (let cy = -2; cy < 2; cy++) {
      if ((cx + cy + 4) % 2 !== 0) continue;
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) pts.push(cx + (i + 0.5) * h, cy + (j + 0.5) * h);
    }
  }
  return pointSetMixture(pts, 2, h / 2);
}

function circles(): Mixture {
  const outer = curve(240, (u) => [Math.cos(2 * Math.PI * u), Math.sin(2 * Math.PI * u)]);
  const inner = curve(160, (u) => [0.5 * Math.cos(2 * Math.PI * u), 0.5 * Math.sin(2 * Math.PI * u)]);
  return pointSetMixture([...outer, ...inner], 2, 0.04);
}

function spiral(): Mixture {
  const arm = (phase: number) =>
    curve(200, (u) => {
      const a = 0.5 + 3.5 * Math.PI * u;
      const r = a / (4 * Math.PI);
      return [r * Math.cos(a + phase), r * Math.sin(a + phase)];
    });
  return pointSetMixture([...arm(0), ...arm(Math.PI)], 2, 0.025);
}

const BUILDERS: Record<PresetName, () => Mixture> = {
  moons,
  'eight-gaussians': eightGaussians,
  'grid-25': grid25,
  'swiss-roll': swissRoll,
  checkerboard,
  circles,
  spiral,
};

export function presetMixture(name: PresetName): Mixture {
  return BUILDERS[name]();
}
