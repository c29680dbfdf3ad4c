// The training grid the page marks: which runs have one, and how a time relates to it.
import { describe, expect, it } from 'vitest';
import { fixedTrainingGrid, gridNeighbours, isGridTime, MAX_MARKED_N } from '../../../src/core/cm/trainingGrid';
import { DEFAULTS } from '../../../src/core/config';

// consistency-models.md's golden N = 18 grid (eps 0.002, T 80, rho 7).
const GOLDEN_18 = [0.002, 0.007528, 0.022935, 0.059947, 0.139516, 0.296442, 0.585348, 1.088171, 1.92334];

describe('fixedTrainingGrid', () => {
  it('is the N-point Karras grid for CD and fixed-N CT on 2D data', () => {
    const grid = fixedTrainingGrid(DEFAULTS)!;
    expect(grid).toHaveLength(18);
    GOLDEN_18.forEach((t, i) => expect(grid[i]).toBeCloseTo(t, 5));
    expect(grid[17]).toBe(80);
    expect(fixedTrainingGrid({ ...DEFAULTS, mode: 'ct', nSchedule: 'fixed', N: 40 })).toHaveLength(40);
  });

  it('is null where f is trained at other times, on digits, and for grids too dense to mark', () => {
    expect(fixedTrainingGrid({ ...DEFAULTS, mode: 'ct', nSchedule: 'ct-adaptive' })).toBeNull(); // the grid moves
    expect(fixedTrainingGrid({ ...DEFAULTS, nSchedule: 'ict-doubling' })).toBeNull();
    expect(fixedTrainingGrid({ ...DEFAULTS, mode: 'ect' })).toBeNull(); // continuous time
    expect(fixedTrainingGrid({ ...DEFAULTS, mode: 'sct' })).toBeNull();
    expect(fixedTrainingGrid({ ...DEFAULTS, dataset: 'mnist' })).toBeNull(); // the U-Net is smooth in t
    expect(fixedTrainingGrid({ ...DEFAULTS, N: MAX_MARKED_N + 1 })).toBeNull();
  });
});

describe('gridNeighbours', () => {
  const grid = fixedTrainingGrid(DEFAULTS)!;
  it('is null on the grid (within half a percent) and outside [eps, T]', () => {
    expect(isGridTime(grid, 0.585)).toBe(true); // the paper's CIFAR-10 tau
    expect(gridNeighbours(grid, 0.585)).toBeNull();
    expect(gridNeighbours(grid, 1.923)).toBeNull();
    expect(gridNeighbours(grid, 0.001)).toBeNull();
    expect(gridNeighbours(grid, 81)).toBeNull();
  });

  it('names the grid times around an off-grid time and the nearer one on the log scale', () => {
    expect(gridNeighbours(grid, 0.5)).toEqual({ lo: grid[5], hi: grid[6], nearest: grid[6] });
    expect(gridNeighbours(grid, 0.35)).toEqual({ lo: grid[5], hi: grid[6], nearest: grid[5] });
    expect(gridNeighbours(grid, 10)).toEqual({ lo: grid[11], hi: grid[12], nearest: grid[11] }); // 8.40 and 12.9
  });
});
