// The model at work: samples from fixed noise, trajectories with the consistency arrows, the time
// scrubber, and the live charts.
import { drawLossChart, drawQualityChart, drawScheduleChart, lossTitle, qualityNote, scheduleTitle } from '../render/chartViews';
import { drawConsistencyView, drawSamplesView, drawScrubberView, type ViewInput } from '../render/sampleViews';
import { arrowTimesNote, trajectoryNote, trajectoryViewTitle } from '../render/trajectoryTitles';
import { useConfig } from '../state/configStore';
import { useRun } from '../state/runStore';
import { useView, type LayerName } from '../state/viewStore';
import { MnistViews } from './mnist/MnistViews';
import { SampleWeightsSelect } from './SampleWeightsSelect';
import { TimeSlider } from './TimeSlider';
import { ViewCanvas } from './ViewCanvas';
import { FlowMapView } from './FlowMapView';

const samplesDeps = ({ run, view, config }: ViewInput) => [run.snapshot, run.staticData, run.configuring, run.statusMessage, view.layers, config.sigmaData];
const consistencyDeps = ({ run, view, config }: ViewInput) => [run.snapshot, run.staticData, run.configuring, view.layers, config];
const scrubberDeps = ({ run, view, config }: ViewInput) => [run.snapshot, run.staticData, run.configuring, view.layers, config];
const lossDeps = ({ run, config }: ViewInput) => [run.seriesVersion, config.mode];
const qualityDeps = ({ run, config }: ViewInput) => [run.seriesVersion, config];
const scheduleDeps = ({ run, config }: ViewInput) => [run.step, run.N, config];

function Layer({ name, label }: { name: LayerName; label: string }) {
  const on = useView((s) => s.layers[name]);
  return (
    <label className="layer">
      <input type="checkbox" checked={on} onChange={(e) => useView.getState().setLayer(name, e.target.checked)} />
      {label}
    </label>
  );
}

/** Log-scale slider over [eps, T] for the time cursor. */
function TimeScrubber() {
  return <TimeSlider label="Time t" />;
}

/** What the spread means and in which units it is (the model's: the data scaled to sd sigma_data). */
export function spreadNote(sigmaData: number): string {
  return `0 means perfectly self-consistent; distances here and in the legend are in the model's units, where the data have standard deviation sigma_data = ${sigmaData} per coordinate`;
}

function SpreadSummary() {
  const spread = useRun((s) => s.snapshot?.consistencySpread);
  const sigmaData = useConfig((s) => s.config.sigmaData);
  if (!spread || spread.length === 0) return <span className="muted">spread appears after the first snapshot</span>;
  const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
  return (
    <span>
      Mean distance of f(x_t, t) to the trajectory end: <strong aria-label="Consistency spread">{mean.toFixed(3)}</strong>
      <span className="muted"> ({spreadNote(sigmaData)})</span>
    </span>
  );
}

function ViewOptions() {
  const probeCount = useView((s) => s.probeCount);
  const trajectoryCount = useView((s) => s.trajectoryCount);
  const setView = useView((s) => s.setView);
  return (
    <div className="view-options">
      <label>Probe points
        <select value={probeCount} onChange={(e) => setView({ probeCount: Number(e.target.value) })}>
          {[64, 128, 256, 512, 1024, 2048].map((n) => <option key={n} value={n}>{n}</option>)}
          {![64, 128, 256, 512, 1024, 2048].includes(probeCount) && <option value={probeCount}>{probeCount}</option>}
        </select>
      </label>
      <label>Trajectories
        <select value={trajectoryCount} onChange={(e) => setView({ trajectoryCount: Number(e.target.value) })}>
          {[0, 4, 8, 12, 24, 48].map((n) => <option key={n} value={n}>{n}</option>)}
          {![0, 4, 8, 12, 24, 48].includes(trajectoryCount) && <option value={trajectoryCount}>{trajectoryCount}</option>}
        </select>
      </label>
      <SampleWeightsSelect />
    </div>
  );
}

// Each view is its own component, so the page and an embedded figure (?embed=<view>) show the same thing.
export const SamplesView = () => (
  <ViewCanvas id="samples" title="Samples from fixed noise" draw={drawSamplesView} deps={samplesDeps}
    caption={<><Layer name="data" label="data" /><Layer name="oneStep" label="one step" /><Layer name="multistep" label="multistep" /></>} />
);
export const ConsistencyView = () => {
  const title = useConfig((s) => trajectoryViewTitle(s.config));
  const note = useConfig((s) => trajectoryNote(s.config));
  const wanted = useView((s) => s.consistencyTimes);
  const arrows = useConfig((s) => arrowTimesNote(s.config, wanted));
  return (
    <ViewCanvas id="consistency" title={title} draw={drawConsistencyView} deps={consistencyDeps}
      caption={<><Layer name="trajectories" label="trajectories (colour = t)" /><Layer name="arrows" label="arrows to f(x_t, t)" /><SpreadSummary />
        {note && <span className="muted" aria-label="Trajectory source">{note}</span>}
        {arrows && <span className="muted" aria-label="Arrow times">{arrows}</span>}</>} />
  );
};
export const ScrubberView = () => (
  <ViewCanvas id="scrubber" title="Noised data p_t and where the model maps it" draw={drawScrubberView} deps={scrubberDeps} className="wide"
    caption={<><TimeScrubber /><Layer name="pt" label="p_t" /><Layer name="mapped" label="f(x_t, t)" /></>} />
);
export const LossView = () => {
  const mode = useConfig((s) => s.config.mode);
  return <ViewCanvas id="loss" title={lossTitle(mode)} draw={drawLossChart} deps={lossDeps} className="chart" />;
};
export const QualityView = () => {
  const note = useConfig((s) => qualityNote(s.config));
  return <ViewCanvas id="quality" title="Sample quality: sliced Wasserstein to data" draw={drawQualityChart} deps={qualityDeps} className="chart"
    caption={<span className="muted">{note}</span>} />;
};
export const ScheduleView = () => {
  const mode = useConfig((s) => s.config.mode);
  return <ViewCanvas id="schedule" title={scheduleTitle(mode)} draw={drawScheduleChart} deps={scheduleDeps} className="chart" />;
};

export function ViewsPanel() {
  const image = useConfig((s) => s.config.dataset === 'mnist');
  if (image) return <MnistViews />;
  return (
    <section className="views" aria-label="Views">
      <div className="view-grid">
        <SamplesView />
        <ConsistencyView />
        <ScrubberView />
        <FlowMapView />
      </div>
      <ViewOptions />
      <div className="chart-grid">
        <LossView />
        <QualityView />
        <ScheduleView />
      </div>
    </section>
  );
}
