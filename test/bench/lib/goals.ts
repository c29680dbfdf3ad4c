// The machine-readable goals of the "seconds to a good sample" issue, from one bench run's measurements.
// Every value is null where it was not measured; a ratio to PyTorch is null when that PyTorch calls the
// reference (netlib) BLAS, which is no peer for dense layers.
import type { HeadlineRun } from '../sections/headline';
import type { WebgpuFusedResult } from '../sections/webgpuFused';
import type { RealGpuGoals } from './realGpu';
import type { Measurement } from './report';

export interface Goals {
  ctStepRatioToTorch: number | null;
  cdHeunStepRatioToTorch: number | null;
  kernelsCtStep: number | null;
  kernelsCdHeunStep: number | null;
  trainToFirstStepSeconds: number | null;
  secondsToQualityCd: number | null;
  secondsToQualityCt: number | null;
  /** The same for seeds 1, 2 and 3 (seed 1 is the default above); null where not reached or not run. */
  secondsToQualityCdBySeed: (number | null)[];
  secondsToQualityCtBySeed: (number | null)[];
  unetStepRatioToTorch: number | null;
  autoBackendHere: string | null;
  /** Issue 11, software adapter (exact counts): dispatches per default 2D step on the fused path. */
  dispatchesCtStepWebgpu: number | null;
  dispatchesCdHeunStepWebgpu: number | null;
  /** Largest relative difference, fused vs plain-op path, over the parity cases (losses and state). */
  fusedParityMaxRelErr: number | null;
  /** Real-GPU steps/s: from the newest test/bench/results/realgpu-<gpu>.json (scripts/gpu/run.sh); null without one. */
  realGpuCtStepsPerSecond: number | null;
  realGpuUnetStepsPerSecond: number | null;
}

export interface TorchBlas {
  buildBlas: string;
  libblas: string;
}

/** True when PyTorch's dense layers run on the reference BLAS (Debian's default without OpenBLAS). */
export function isReferenceBlas(blas: TorchBlas | undefined): boolean {
  return !!blas && /\/blas\/libblas/.test(blas.libblas);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function computeGoals(
  measurements: Measurement[], blas: TorchBlas | undefined, headline: HeadlineRun[] | undefined, webgpu?: WebgpuFusedResult,
  realGpu?: RealGpuGoals | null,
): Goals {
  const ok = (f: (m: Measurement) => boolean) => measurements.filter((m) => m.status === 'ok' && m.medianMs !== undefined && f(m));
  const fastest = (xs: Measurement[]) => [...xs].sort((a, b) => a.medianMs! - b.medianMs!)[0];
  const torchPeer = blas !== undefined && !isReferenceBlas(blas);
  const ratio = (model: (m: string) => boolean, mode: string): number | null => {
    const ours = fastest(ok((m) => m.where !== 'pytorch' && m.what === 'train-step' && model(m.model) && m.mode === mode && m.backend !== 'cpu'));
    const py = ok((m) => m.where === 'pytorch' && m.what === 'train-step' && model(m.model) && m.mode === mode)[0];
    return ours && py && torchPeer ? round(ours.medianMs! / py.medianMs!, 2) : null;
  };
  const mlp = (m: string) => m === 'mlp 4x256';
  const kernels = (mode: string) => ok((m) => m.where === 'node' && m.backend === 'wasm' && mlp(m.model) && m.mode === mode && m.kernels !== undefined)[0]?.kernels ?? null;
  const run = (query: string) => headline?.find((r) => r.status === 'ok' && r.query === query);
  const autoCd = run('v=2');
  const autoCt = run('v=2&m=ct');
  const bySeed = (query: string) => [query, `${query}&se=2`, `${query}&se=3`].map((q) => run(q)?.secondsToQuality ?? null);
  return {
    ctStepRatioToTorch: ratio(mlp, 'CT'),
    cdHeunStepRatioToTorch: ratio(mlp, 'CD-Heun'),
    kernelsCtStep: kernels('CT'),
    kernelsCdHeunStep: kernels('CD-Heun'),
    trainToFirstStepSeconds: autoCd?.trainToFirstStepSeconds ?? null,
    secondsToQualityCd: autoCd?.secondsToQuality ?? null,
    secondsToQualityCt: autoCt?.secondsToQuality ?? null,
    secondsToQualityCdBySeed: bySeed('v=2'),
    secondsToQualityCtBySeed: bySeed('v=2&m=ct'),
    unetStepRatioToTorch: ratio((m) => m === 'unet', 'CT'),
    autoBackendHere: autoCd?.backend ?? null,
    dispatchesCtStepWebgpu: webgpu?.dispatches.find((d) => d.mode === 'CT')?.fused ?? null,
    dispatchesCdHeunStepWebgpu: webgpu?.dispatches.find((d) => d.mode === 'CD-Heun')?.fused ?? null,
    fusedParityMaxRelErr: webgpu?.parityMaxRelErr ?? null,
    realGpuCtStepsPerSecond: realGpu?.ctStepsPerSecond ?? null,
    realGpuUnetStepsPerSecond: realGpu?.unetStepsPerSecond ?? null,
  };
}
