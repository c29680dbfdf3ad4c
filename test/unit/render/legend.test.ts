// Legends on the 2D views sit over the plot: the trajectories view's lines crossed "t = 1.01: spread 0.170".
// The entries get a veil of the background first, wide enough for the longest label.
import { describe, expect, it } from 'vitest';
import { legend } from '../../../src/render/plot2d';
import type { Palette } from '../../../src/render/palette';

function recording() {
  const calls: { op: string; args: number[] | string[]; fillStyle: string; alpha: number }[] = [];
  const state = { fillStyle: '', globalAlpha: 1 };
  const ctx = new Proxy(state, {
    get: (t, key) => {
      if (key === 'measureText') return (s: string) => ({ width: 6 * s.length });
      if (key === 'fillRect' || key === 'fillText') return (...args: never[]) => calls.push({ op: key, args, fillStyle: t.fillStyle, alpha: t.globalAlpha });
      if (key in t) return t[key as keyof typeof t];
      return () => undefined;
    },
    set: (t, key, v) => ((t as Record<string | symbol, unknown>)[key] = v, true),
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

describe('legend', () => {
  it('draws a translucent background box under all its entries before any text', () => {
    const { ctx, calls } = recording();
    const pal = { font: '11px sans-serif', background: '#fff', foreground: '#000' } as Palette;
    const items = [{ colour: 'red', label: 't = 1.88: spread 0.199' }, { colour: 'blue', label: 't = 0.054: spread 0.034' }];
    legend(ctx, items, 20, 30, pal);
    const veil = calls[0];
    expect(veil.op).toBe('fillRect');
    expect(veil.fillStyle).toBe('#fff');
    expect(veil.alpha).toBeGreaterThan(0.5);
    expect(veil.alpha).toBeLessThan(1);
    const [x, y, w, h] = veil.args as number[];
    const texts = calls.filter((c) => c.op === 'fillText');
    expect(texts).toHaveLength(2);
    for (const t of texts) {
      const [label, tx, ty] = t.args as [string, number, number];
      expect(tx).toBeGreaterThanOrEqual(x);
      expect(tx + 6 * label.length).toBeLessThanOrEqual(x + w);
      expect(ty - 5).toBeGreaterThanOrEqual(y);
      expect(ty + 5).toBeLessThanOrEqual(y + h);
    }
  });
});
