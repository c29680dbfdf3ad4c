// Which weights the views sample with: the evaluation EMA (reference section 8) or the raw online network.
import { useView } from '../state/viewStore';

export function SampleWeightsSelect() {
  const weights = useView((s) => s.weights);
  const setView = useView((s) => s.setView);
  return (
    <label>Sample with
      <select value={weights} onChange={(e) => setView({ weights: e.target.value as 'ema' | 'online' })}>
        <option value="ema">evaluation EMA</option>
        <option value="online">online weights</option>
      </select>
    </label>
  );
}
