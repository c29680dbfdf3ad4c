// The editing canvases without a pointer: arrow keys create, move and turn the 2D constraint, and move the
// brush cursor of the 28x28 painting canvases.
import { describe, expect, it } from 'vitest';
import { lineInSquare, nudgeConstraint } from '../../../src/ui/edit/constraint2d';
import { cursorAfterKey } from '../../../src/ui/edit/paint';

describe('arrow keys on the conditional-sampling canvas', () => {
  it('make a constraint through the centre on the first key', () => {
    expect(nudgeConstraint('line', null, 'ArrowUp', 2)).toEqual({ kind: 'line', angle: Math.PI / 2, value: 0 });
    expect(nudgeConstraint('fix-x', null, 'ArrowLeft', 2)).toEqual({ kind: 'fix', axis: 0, value: 0 });
    expect(nudgeConstraint('fix-y', { kind: 'fix', axis: 0, value: 1 }, 'ArrowUp', 2)).toEqual({ kind: 'fix', axis: 1, value: 0 });
  });

  it('move a line along its normal with Up/Down and turn it with Left/Right', () => {
    const c = { kind: 'line' as const, angle: Math.PI / 2, value: 0 };
    expect(nudgeConstraint('line', c, 'ArrowUp', 2)).toEqual({ ...c, value: 0.1 });
    expect(nudgeConstraint('line', c, 'ArrowDown', 2)).toEqual({ ...c, value: -0.1 });
    const turned = nudgeConstraint('line', c, 'ArrowRight', 2)!;
    expect(turned.kind === 'line' && turned.angle).toBeCloseTo(Math.PI / 2 - (5 * Math.PI) / 180, 12);
    // Still a line inside the frame after many moves: the offset is clamped to the square.
    let k = c as ReturnType<typeof nudgeConstraint>;
    for (let i = 0; i < 100; i++) k = nudgeConstraint('line', k, 'ArrowUp', 2);
    expect(k!.kind === 'line' && k!.value).toBe(2);
    expect(lineInSquare(k!, 2)).not.toBeNull();
  });

  it('move x with Left/Right and y with Up/Down, and ignore other keys', () => {
    expect(nudgeConstraint('fix-x', { kind: 'fix', axis: 0, value: 0.5 }, 'ArrowRight', 1)).toEqual({ kind: 'fix', axis: 0, value: 0.55 });
    expect(nudgeConstraint('fix-x', { kind: 'fix', axis: 0, value: 0.5 }, 'ArrowUp', 1)).toEqual({ kind: 'fix', axis: 0, value: 0.5 });
    expect(nudgeConstraint('fix-y', { kind: 'fix', axis: 1, value: 0 }, 'ArrowDown', 1)).toEqual({ kind: 'fix', axis: 1, value: -0.05 });
    expect(nudgeConstraint('line', null, 'a', 1)).toBeNull();
  });
});

describe('arrow keys on the painting canvases', () => {
  it('move the brush cursor one cell, clamped to the image, and ignore other keys', () => {
    expect(cursorAfterKey([14, 14], 'ArrowLeft', 28)).toEqual([13, 14]);
    expect(cursorAfterKey([14, 14], 'ArrowDown', 28)).toEqual([14, 15]);
    expect(cursorAfterKey([0, 0], 'ArrowUp', 28)).toEqual([0, 0]);
    expect(cursorAfterKey([27, 5], 'ArrowRight', 28)).toEqual([27, 5]);
    expect(cursorAfterKey([3, 3], ' ', 28)).toBeNull();
  });
});
