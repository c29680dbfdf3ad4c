// MNIST editing controls: the task, the reference digit, seeds and times, the task's own input (mask,
// block size, noise level, endpoint seeds, drawing), and the steps strip of the last edit.
import { useEffect, useRef } from 'react';
import { fitCanvas } from '../../render/hidpi';
import { readPalette } from '../../render/palette';
import { SIDE, useEdit } from '../../state/editStore';
import { useRun } from '../../state/runStore';
import type { EditReply } from '../../worker/protocol';
import { drawGrey, drawStrip } from './draw';
import { PaintCanvas } from './PaintCanvas';
import { IMAGE_TASK_LABELS, IMAGE_TASKS, type ImageTask } from '../../state/edit/request';
import { stripLayout } from './strip';

const HINTS: Record<ImageTask, string> = {
  inpaint: 'Paint the region to regenerate (shift or right button erases); the rest of the digit is kept exactly.',
  superres: 'Only the block means of the digit are kept; each completion adds its own detail.',
  denoise: 'The digit plus Gaussian noise of level sigma, cleaned in one call f(y + sigma z, sigma).',
  interpolate: 'Spherical interpolation between the latents of two seeds, each mapped by f(T z, T).',
  stroke: 'Draw a rough digit; generation starts from it at t_1 < T (default 4), so it keeps the drawing\'s layout.',
};

function StaticImage({ image, label }: { image: Float32Array | null; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const s = ref.current && fitCanvas(ref.current);
    if (s) drawGrey(s.ctx, image ?? new Float32Array(SIDE * SIDE).fill(-1), SIDE, 0, 0, s.width);
  }, [image]);
  return <canvas ref={ref} className="edit-paint" role="img" aria-label={label} />;
}

export function StepsStrip({ reply }: { reply: EditReply }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawStrip(ref.current, stripLayout(reply), SIDE, readPalette());
  }, [reply]);
  return (
    <div className="edit-strip">
      <canvas ref={ref} role="img" aria-label="Edit steps" />
    </div>
  );
}

function NumberBox({ label, value, onChange, min, max, step, width = '5em' }: {
  label: string; value: number; onChange: (v: number) => void; min?: number; max?: number; step?: number; width?: string;
}) {
  return (
    <label className="edit-field">{label}
      <input type="number" aria-label={label} value={Number.isFinite(value) ? value : ''} min={min} max={max} step={step} style={{ width }}
        onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
    </label>
  );
}

function TaskInput({ task }: { task: ImageTask }) {
  const e = useEdit();
  if (task === 'inpaint') {
    return (
      <div className="edit-input">
        <PaintCanvas label="Inpainting mask" side={SIDE} grid={e.mask} kind="mask" background={e.reference} brush={e.brush}
          version={e.paintVersion} onPainted={e.touched} />
        <div className="edit-buttons">
          <button type="button" onClick={() => e.presetMask('left-half')}>Left half</button>
          <button type="button" onClick={() => e.presetMask('top-half')}>Top half</button>
          <button type="button" onClick={e.clearMask}>Clear mask</button>
          <BrushSizeSelect />
        </div>
      </div>
    );
  }
  if (task === 'stroke') {
    return (
      <div className="edit-input">
        <PaintCanvas label="Stroke drawing" side={SIDE} grid={e.stroke} kind="ink" background={null} brush={e.brush}
          version={e.paintVersion} onPainted={e.touched} />
        <div className="edit-buttons">
          <button type="button" onClick={e.clearStroke}>Clear drawing</button>
          <BrushSizeSelect />
        </div>
      </div>
    );
  }
  if (task === 'interpolate') {
    return (
      <div className="edit-buttons">
        <NumberBox label="Seed A" value={e.interpSeeds[0]} min={0} onChange={(v) => e.set({ interpSeeds: [v, e.interpSeeds[1]] })} />
        <NumberBox label="Seed B" value={e.interpSeeds[1]} min={0} onChange={(v) => e.set({ interpSeeds: [e.interpSeeds[0], v] })} />
        <NumberBox label="Points" value={e.interpCount} min={2} max={64} onChange={(v) => e.set({ interpCount: v })} />
      </div>
    );
  }
  return (
    <div className="edit-input">
      <StaticImage image={e.reference} label="Reference digit" />
      <div className="edit-buttons">
        {task === 'superres' ? (
          <label className="edit-field">Blocks
            <select aria-label="Block size" value={e.factor} onChange={(ev) => e.set({ factor: Number(ev.target.value) })}>
              <option value={2}>2x2 (14x14 means)</option>
              <option value={4}>4x4 (7x7 means)</option>
            </select>
          </label>
        ) : (
          <NumberBox label="Noise sigma" value={e.sigma} min={0} step={0.1} onChange={(v) => e.set({ sigma: v })} />
        )}
      </div>
    </div>
  );
}

export function ImageEditing() {
  const e = useEdit();
  const configured = useRun((s) => s.configured);
  const { loadReference } = e;
  useEffect(() => {
    if (configured) void loadReference();
  }, [configured, e.digit, loadReference]);
  const usesDigit = e.task !== 'interpolate' && e.task !== 'stroke';
  const usesTimes = e.task !== 'denoise' && e.task !== 'interpolate';
  return (
    <div className="edit-images">
      <div className="edit-controls">
        <label className="edit-field">Task
          <select aria-label="Edit task" value={e.task} onChange={(ev) => e.set({ task: ev.target.value as ImageTask })}>
            {IMAGE_TASKS.map((t) => <option key={t} value={t}>{IMAGE_TASK_LABELS[t]}</option>)}
          </select>
        </label>
        {usesDigit && (
          <span className="edit-field">
            <NumberBox label="Reference digit" value={e.digit} min={0} onChange={(v) => Number.isInteger(v) && e.set({ digit: v })} />
            <button type="button" onClick={() => e.set({ digit: e.digit + 1 })}>Next digit</button>
            {e.referenceLabel !== null && <span className="muted" aria-label="Reference label">label {e.referenceLabel}</span>}
          </span>
        )}
        {e.task !== 'interpolate' && <NumberBox label="Seeds" value={e.seedCount} min={1} max={16} onChange={(v) => e.set({ seedCount: v })} />}
        {usesTimes && (
          <>
            <label className="edit-field">t₁
              <input type="text" aria-label="t1" value={e.t1Text} placeholder={e.task === 'stroke' ? '4' : 'T'} style={{ width: '4.5em' }}
                onChange={(ev) => e.set({ t1Text: ev.target.value })} />
            </label>
            <NumberBox label="Steps" value={e.steps} min={1} max={40} onChange={(v) => e.set({ steps: v })} />
          </>
        )}
      </div>
      <p className="muted edit-hint">{HINTS[e.task]}</p>
      <div className="edit-work">
        <TaskInput task={e.task} />
        <div className="edit-run">
          <button type="button" className="primary" disabled={!configured || e.busy} onClick={() => void e.runImageEdit()}>
            {e.busy ? 'Editing…' : 'Run edit'}
          </button>
          {e.reply && e.reply.task === e.task && <StepsStrip reply={e.reply} />}
        </div>
      </div>
    </div>
  );
}

/** Brush radius in pixels of the 28x28 grid, shared by the mask and stroke painters. */
function BrushSizeSelect() {
  const brush = useEdit((s) => s.brush);
  const set = useEdit((s) => s.set);
  return (
    <label className="edit-field">Brush
      <select aria-label="Brush size" value={brush} onChange={(ev) => set({ brush: Number(ev.target.value) })}>
        {[0.5, 1, 1.5, 2.5, 4].map((b) => <option key={b} value={b}>{b}</option>)}
      </select>
    </label>
  );
}
