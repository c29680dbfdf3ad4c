// A canvas drawn by the render loop (never by React), with a PNG download.
import { useEffect, useRef, type ReactNode } from 'react';
import { registerView, type DepsFn, type DrawFn } from '../render/loop';
import { downloadCanvas } from './download';

export function ViewCanvas({ id, title, draw, deps, className, children, caption }: {
  id: string; title: string; draw: DrawFn; deps: DepsFn; className?: string; children?: ReactNode; caption?: ReactNode;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => (ref.current ? registerView(id, ref.current, draw, deps) : undefined), [id, draw, deps]);
  return (
    <figure className={`view ${className ?? ''}`}>
      <figcaption>
        <span className="view-title">{title}</span>
        <button type="button" className="icon" aria-label={`Download ${title} as PNG`} title="Download PNG"
          onClick={() => ref.current && downloadCanvas(ref.current, `${id}.png`)}>
          PNG
        </button>
      </figcaption>
      <canvas ref={ref} data-view={id} aria-label={title} role="img" />
      {caption && <div className="view-caption">{caption}</div>}
      {children}
    </figure>
  );
}
