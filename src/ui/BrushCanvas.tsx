// Draw your own data: drag to spray points; each stroke becomes the custom dataset when released.
import { useEffect, useRef } from 'react';
import { useConfig } from '../state/configStore';
import { useView } from '../state/viewStore';

const SPACING_PX = 5;

/** Half-width of the square shown: fits the points (uploads may use any units), at least 1. */
function extentOf(points: Float64Array | null): number {
  let m = 1;
  if (points) for (let i = 0; i < points.length; i++) m = Math.max(m, Math.abs(points[i]) * 1.1);
  return m;
}

export function BrushCanvas() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const points = useConfig((s) => s.points);
  const dark = useView((s) => s.dark);
  const stroke = useRef<number[] | null>(null);
  const extent = useRef(1);

  const redraw = () => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const size = canvas.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const style = getComputedStyle(document.documentElement);
    ctx.fillStyle = style.getPropertyValue('--canvas-bg');
    ctx.fillRect(0, 0, size, size);
    const all = [...(points ?? []), ...(stroke.current ?? [])];
    const e = extent.current;
    ctx.fillStyle = style.getPropertyValue('--c-one');
    for (let i = 0; i + 1 < all.length; i += 2) {
      const x = ((all[i] + e) / (2 * e)) * size;
      const y = ((e - all[i + 1]) / (2 * e)) * size;
      ctx.beginPath();
      ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (all.length === 0) {
      ctx.fillStyle = style.getPropertyValue('--muted');
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('Drag here to draw points', size / 2, size / 2);
    }
  };

  useEffect(() => {
    extent.current = extentOf(points);
    redraw();
  }, [points, dark]);

  const toWorld = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    const ex = extent.current;
    return [((e.clientX - r.left) / r.width) * 2 * ex - ex, ex - ((e.clientY - r.top) / r.height) * 2 * ex];
  };
  const lastPx = useRef<[number, number] | null>(null);

  return (
    <canvas
      ref={canvasRef}
      className="brush"
      aria-label="Drawing area for custom points"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        stroke.current = [...toWorld(e)];
        lastPx.current = [e.clientX, e.clientY];
        redraw();
      }}
      onPointerMove={(e) => {
        if (!stroke.current) return;
        if (lastPx.current && Math.hypot(e.clientX - lastPx.current[0], e.clientY - lastPx.current[1]) < SPACING_PX) return;
        lastPx.current = [e.clientX, e.clientY];
        stroke.current.push(...toWorld(e));
        redraw();
      }}
      onPointerUp={() => {
        const s = stroke.current;
        stroke.current = null;
        if (!s || s.length === 0) return;
        const merged = Float64Array.from([...(points ?? []), ...s]);
        const st = useConfig.getState();
        // Points first, then the dataset, so the single rebuild sees both.
        useConfig.setState({ points: merged });
        if (st.config.dataset !== 'custom') st.setField('dataset', 'custom');
        else st.setPoints(merged);
      }}
    />
  );
}
