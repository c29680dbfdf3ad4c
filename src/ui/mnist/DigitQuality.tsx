// The latest classifier-based scores as numbers: Frechet distance (with its floor and noise ceiling),
// mean confidence and the entropy of predicted labels (ln 10 = 2.30 when all ten digits are equally common).
import { useRun } from '../../state/runStore';

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

export function DigitQuality() {
  const q = useRun((s) => s.latestQuality);
  const image = q?.image;
  if (!q || !image) return <p className="muted mnist-scores">Scores appear at the first evaluation.</p>;
  return (
    <dl className="mnist-scores" aria-label="Digit quality">
      <div><dt>step</dt><dd>{q.step}</dd></div>
      <div><dt>FD one / two steps</dt><dd><output aria-label="FD one step">{f(image.fd1, 1)}</output> / <output aria-label="FD two steps">{f(image.fd2, 1)}</output></dd></div>
      <div><dt>floor / noise</dt><dd>{f(image.fdFloor, 1)} / {f(image.fdCeiling, 0)}</dd></div>
      <div><dt>confidence</dt><dd><output aria-label="One-step confidence">{f(image.confidence1)}</output> / <output aria-label="Two-step confidence">{f(image.confidence2)}</output></dd></div>
      <div><dt>label entropy</dt><dd><output aria-label="One-step label entropy">{f(image.labelEntropy1)}</output> / {f(image.labelEntropy2)} <span className="muted">(max 2.30)</span></dd></div>
    </dl>
  );
}
