// Zero-shot editing (the paper's Algorithm 4, reference section 9) with the model being trained:
// inpainting, super-resolution, denoising, interpolation and strokes on digits; conditional sampling
// along a dragged line in 2D. The worker pauses training for an edit.
import { useEffect } from 'react';
import { useConfig } from '../../state/configStore';
import { useEdit } from '../../state/editStore';
import { useRun } from '../../state/runStore';
import type { Mode2d } from '../../state/edit/request';
import { describeConstraint, maxViolation } from './constraint2d';
import { ImageEditing } from './ImageEditing';
import { Plane2d, PlaneSteps } from './Plane2d';
import { describeTimes } from './strip';
import './edit.css';

function EditStatus() {
  const error = useEdit((s) => s.error);
  const reply = useEdit((s) => s.reply);
  const busy = useEdit((s) => s.busy);
  const cancelled = useEdit((s) => s.cancelled);
  const abort = useEdit((s) => s.abort);
  return (
    <div className="edit-status">
      {busy && <button type="button" onClick={() => void abort()}>Cancel edit</button>}
      {cancelled && !busy && <p className="muted" role="status" aria-label="Edit cancelled">Edit cancelled; nothing was changed.</p>}
      {error && <p className="edit-error" role="alert" aria-label="Edit error">{error}</p>}
      {reply && reply.task !== 'reference' && (
        <p className="muted" aria-label="Edit times">
          Times used: {describeTimes(reply.times)} · {reply.batch} sample{reply.batch === 1 ? '' : 's'} · {Math.round(reply.ms)} ms
        </p>
      )}
    </div>
  );
}

function PlaneEditing() {
  const e = useEdit();
  const configured = useRun((s) => s.configured);
  const data = useRun((s) => s.staticData?.data ?? null);
  const extent = 3.6 * useConfig((s) => s.config.sigmaData);
  const reply = e.reply && (e.reply.task === 'fix2d' || e.reply.task === 'line2d') ? e.reply : null;
  const c = e.plane.constraint;
  return (
    <div className="edit-plane-wrap">
      <div className="edit-controls">
        <label className="edit-field">Keep
          <select aria-label="Constraint" value={e.mode2d} onChange={(ev) => e.set({ mode2d: ev.target.value as Mode2d })}>
            <option value="line">a projection (drag a line)</option>
            <option value="fix-x">x fixed (drag to place)</option>
            <option value="fix-y">y fixed (drag to place)</option>
          </select>
        </label>
        <label className="edit-field">Samples
          <input type="number" aria-label="Samples" value={e.plane.count} min={1} max={4096} style={{ width: '5em' }}
            onChange={(ev) => e.setPlane({ count: Number(ev.target.value) })} />
        </label>
        <label className="edit-field">t₁
          <input type="text" aria-label="t1" value={e.plane.t1Text} placeholder="T" style={{ width: '4.5em' }}
            onChange={(ev) => e.setPlane({ t1Text: ev.target.value })} />
        </label>
        <label className="edit-field">Steps
          <input type="number" aria-label="Steps" value={e.plane.steps} min={1} max={40} style={{ width: '4em' }}
            onChange={(ev) => e.setPlane({ steps: Number(ev.target.value) })} />
        </label>
        <button type="button" disabled={!configured || e.busy || !c} onClick={() => void e.runPlaneEdit()}>Sample again</button>
      </div>
      <p className="muted edit-hint">
        Drag across the canvas: every sample keeps its position across the line (x = A⁻¹[(A y)(1 − Ω) + (A x) Ω] with A a rotation) and the
        model fills in where along the line it goes.
      </p>
      <div className="edit-work">
        <Plane2d extent={extent} data={data} mode={e.mode2d} constraint={c} reply={reply} busy={!configured || e.busy}
          onConstraint={(k) => void e.runPlaneEdit(k)} />
        <div className="edit-run">
          {c && <p aria-label="Constraint kept">Keeping {describeConstraint(c)}{reply ? ` · largest violation ${maxViolation(c, reply.result).toExponential(1)}` : ''}</p>}
          {reply && <PlaneSteps extent={extent} data={data} reply={reply} />}
        </div>
      </div>
    </div>
  );
}

export function EditPanel() {
  const dataset = useConfig((s) => s.config.dataset);
  const revision = useConfig((s) => s.revision);
  const image = dataset === 'mnist';
  // A rebuilt run makes old results stale.
  useEffect(() => useEdit.getState().reset(), [revision]);
  return (
    <section className="panel edit-panel" aria-label="Zero-shot editing">
      <div className="panel-head">
        <h2>Zero-shot editing</h2>
        <span className="muted">Algorithm 4: no retraining; training pauses while an edit runs and goes on afterwards</span>
      </div>
      {image ? <ImageEditing /> : <PlaneEditing />}
      <EditStatus />
    </section>
  );
}
