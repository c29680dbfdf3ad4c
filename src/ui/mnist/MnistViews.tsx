// The page's views for digits: k-step sample grids from fixed noise, the trajectory strip, denoising of
// real digits at the time cursor, and the loss and Frechet-distance charts.
import { drawLossChart, lossTitle } from '../../render/chartViews';
import { noTrajectoriesReason, trajectoryStripTitle } from '../../render/trajectoryTitles';
import { drawDenoiseRows, drawDigitQualityChart, drawTrajectoryStrip } from '../../render/digitViews';
import { digitGridCanvas, imageShape } from '../../render/digitTiles';
import { sampleStepCounts } from '../../render/samplerLabels';
import { METHOD_INFO, type MethodId } from '../../core/methods/settings/index';
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { IMAGE_TRAJECTORIES, useView } from '../../state/viewStore';
import { downloadCanvas } from '../download';
import { FieldControl } from '../FieldControl';
import { ViewCanvas } from '../ViewCanvas';
import { TimeCursor } from './TimeCursor';
import { BackendNote } from './BackendNote';
import { DigitQuality } from './DigitQuality';
import { PretrainedBar } from './PretrainedBar';
import { imageViewDeps, lossDeps, qualityDeps, sampleGridDraw, stripDeps } from './viewDeps';
import './mnist.css';
import { SampleWeightsSelect } from '../SampleWeightsSelect';

const PROBE_CHOICES = [4, 9, 16, 25, 36, 49, 64];

function gridTitle(index: number, taus: number[], mode: MethodId): string {
  const consistency = METHOD_INFO[mode].consistency;
  if (index === 0) return consistency ? 'One step: f(x_T, T)' : 'One step from noise';
  const steps = sampleStepCounts({ mode, taus })[index];
  // The taus exactly as set, not rounded to two digits (0.585 must not read 0.58).
  return consistency ? `${steps} steps: τ = ${taus.slice(0, index).join(', ')}` : `${steps} uniform steps`;
}

function downloadGrid(index: number): void {
  const { snapshot, staticData } = useRun.getState();
  const images = snapshot?.samples[index];
  if (!images || !staticData) return;
  downloadCanvas(digitGridCanvas(images, imageShape(staticData.dataShape)), `digits-${index + 1}-step${index ? 's' : ''}-step${snapshot.step}.png`);
}

export function SampleGrids() {
  const taus = useConfig((s) => s.config.taus);
  const mode = useConfig((s) => s.config.mode);
  return (
    <div className="mnist-grids">
      {[0, ...taus.map((_, i) => i + 1)].map((index) => (
        <ViewCanvas key={index} id={`digits-${index}`} title={gridTitle(index, taus, mode)} draw={sampleGridDraw(index)} deps={imageViewDeps} className="digit-grid"
          caption={<button type="button" className="secondary" onClick={() => downloadGrid(index)}>Download grid PNG</button>} />
      ))}
    </div>
  );
}

function ImageViewOptions() {
  const probes = useView((s) => s.imageProbeCount);
  const trajectories = useView((s) => Math.min(s.trajectoryCount, IMAGE_TRAJECTORIES));
  const setView = useView((s) => s.setView);
  // Without a teacher there is nothing to draw on digits: the count would do nothing (the strip says why).
  const noTrajectories = useConfig((s) => noTrajectoriesReason(s.config));
  return (
    <div className="view-options">
      <label>Digits per grid
        <select value={probes} onChange={(e) => setView({ imageProbeCount: Number(e.target.value) })}>
          {PROBE_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          {!PROBE_CHOICES.includes(probes) && <option value={probes}>{probes}</option>}
        </select>
      </label>
      <label>Trajectories
        <select value={trajectories} disabled={!!noTrajectories} title={noTrajectories ?? undefined} onChange={(e) => setView({ trajectoryCount: Number(e.target.value) })}>
          {Array.from({ length: IMAGE_TRAJECTORIES + 1 }, (_, n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <SampleWeightsSelect />
    </div>
  );
}

export function TrajectoryStripView() {
  // The strip's height follows its rows: two per trajectory. An empty strip (no teacher, or none asked for)
  // is one line that says why: no tall blank canvas, and no caption about frames that are not there.
  const requested = useView((s) => Math.min(s.trajectoryCount, IMAGE_TRAJECTORIES));
  const trajectories = useConfig((s) => (noTrajectoriesReason(s.config) ? 0 : requested));
  const title = useConfig((s) => trajectoryStripTitle(s.config));
  return (
    <ViewCanvas id="trajectory-strip" title={title} draw={drawTrajectoryStrip} deps={stripDeps}
      className={`wide strip strip-${trajectories}`}
      caption={trajectories > 0 && <span className="muted">A consistent model maps every frame of a trajectory to the same digit: its ODE end.</span>} />
  );
}
export const DenoiseView = () => (
  <ViewCanvas id="denoise" title="Denoising real digits at time t" draw={drawDenoiseRows} deps={imageViewDeps} className="wide denoise"
    caption={<TimeCursor />} />
);
export const DigitLossView = () => {
  const mode = useConfig((s) => s.config.mode);
  return <ViewCanvas id="loss" title={lossTitle(mode)} draw={drawLossChart} deps={lossDeps} className="chart" />;
};
export const DigitQualityView = () => (
  <ViewCanvas id="digit-quality" title="Sample quality: Frechet distance to held-out digits" draw={drawDigitQualityChart} deps={qualityDeps} className="chart"
    caption={<DigitQuality />} />
);

export function MnistViews() {
  return (
    <section className="views mnist-views" aria-label="Views">
      <BackendNote />
      <PretrainedBar />
      <div className="mnist-sampling">
        <FieldControl name="taus" compact />
        <ImageViewOptions />
      </div>
      <SampleGrids />
      <div className="view-grid">
        <TrajectoryStripView />
        <DenoiseView />
      </div>
      <div className="chart-grid">
        <DigitLossView />
        <DigitQualityView />
      </div>
    </section>
  );
}
