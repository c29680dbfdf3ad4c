// The performance readout beside the backend (webgpu only): compute dispatches per training step, the
// fixed cost that caps a small model's speed on a GPU, and the GPU time per step where the device allows
// timestamp queries (otherwise it says why there is none).
import { useRun } from '../state/runStore';

export function GpuStepReadout() {
  const gpu = useRun((s) => s.gpuStep);
  const backend = useRun((s) => s.backend);
  if (!gpu || backend !== 'webgpu') return null;
  const time = gpu.gpuMsPerStep === null ? 'n/a' : `${gpu.gpuMsPerStep.toFixed(gpu.gpuMsPerStep < 10 ? 2 : 0)} ms`;
  return (
    <div className="status-item gpu-readout" title={gpu.gpuTimeNote ?? 'GPU time of one step in every few seconds, from timestamp queries'}>
      <span className="counter-label">per step</span>
      <span role="status" aria-label="GPU dispatches per step">{gpu.dispatchesPerStep} dispatches</span>
      <span aria-label="GPU time per step">{' · GPU '}{time}</span>
    </div>
  );
}
