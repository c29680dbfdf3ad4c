// One requestAnimationFrame loop for every canvas: a view is redrawn only when its inputs changed
// (compared by identity) or its canvas was resized, and never inside a React render.
import { useConfig } from '../state/configStore';
import { useRun } from '../state/runStore';
import { useView } from '../state/viewStore';
import { fitCanvas } from './hidpi';
import { readPalette, type Palette } from './palette';
import type { ViewInput } from './sampleViews';

export type DrawFn = (ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, input: ViewInput) => void;
/** The values a view depends on; it is redrawn when any of them changes. */
export type DepsFn = (input: ViewInput) => unknown[];

interface Registered {
  canvas: HTMLCanvasElement;
  draw: DrawFn;
  deps: DepsFn;
  last: unknown[] | null;
  size: string;
}

const views = new Map<string, Registered>();
let palette: Palette | null = null;
let paletteKey = '';
let frame = 0;

function changed(a: unknown[] | null, b: unknown[]): boolean {
  return !a || a.length !== b.length || a.some((v, i) => v !== b[i]);
}

function tick(): void {
  frame = requestAnimationFrame(tick);
  const view = useView.getState();
  const input: ViewInput = { run: useRun.getState(), view, config: useConfig.getState().config };
  const key = String(view.dark);
  if (!palette || key !== paletteKey) {
    palette = readPalette();
    paletteKey = key;
    for (const v of views.values()) v.last = null;
  }
  for (const v of views.values()) {
    const rect = v.canvas.getBoundingClientRect();
    const size = `${rect.width}x${rect.height}x${window.devicePixelRatio}`;
    const deps = v.deps(input);
    if (size === v.size && !changed(v.last, deps)) continue;
    const surface = fitCanvas(v.canvas);
    if (!surface) continue;
    v.size = size;
    v.last = deps;
    v.draw(surface.ctx, surface.width, surface.height, palette, input);
  }
}

export function registerView(id: string, canvas: HTMLCanvasElement, draw: DrawFn, deps: DepsFn): () => void {
  views.set(id, { canvas, draw, deps, last: null, size: '' });
  if (!frame) frame = requestAnimationFrame(tick);
  return () => {
    if (views.get(id)?.canvas === canvas) views.delete(id);
    if (views.size === 0 && frame) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
  };
}
