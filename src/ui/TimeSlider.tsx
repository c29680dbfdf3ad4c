// Log-scale slider over [eps, T] for the time cursor (the noised distribution p_t, or noised digits).
import { useConfig } from '../state/configStore';
import { useView } from '../state/viewStore';

export function TimeSlider({ label }: { label: string }) {
  const eps = useConfig((s) => s.config.eps);
  const T = useConfig((s) => s.config.T);
  const t = useView((s) => s.cursorT);
  const toU = (v: number) => Math.log(v / eps) / Math.log(T / eps);
  const fromU = (u: number) => eps * (T / eps) ** u;
  return (
    <label className="scrubber">
      <span>{label} = <strong>{t < 1 ? t.toPrecision(2) : t.toFixed(1)}</strong></span>
      <input type="range" min={0} max={1000} value={Math.round(1000 * Math.min(1, Math.max(0, toU(t))))} aria-label="Time cursor t"
        onChange={(e) => useView.getState().setCursorT(Number(fromU(Number(e.target.value) / 1000).toPrecision(4)))} />
    </label>
  );
}
