// The machine-readable goals of the "seconds to a good sample" issue, from one bench run's measurements.
// Every value is null where it was not measured; a ratio to PyTorch compares each side's fastest step at the
// same batch, and is null when that PyTorch calls the reference (netlib) BLAS, which is no peer for dense layers.
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
  /** Node's one-thread WASM against PyTorch on one thread (how these ratios were measured before the page ran WASM threads). */
  ctStepRatioToTorchNode: number | null;
  unetStepRatioToTorchNode: number | null;
  /** Which pair each ratio above took, e.g. "chromium-worker wasm, 2 threads vs PyTorch 1" (PyTorch's threads). */
  ratioSources: { ct: string | null; cdHeun: string | null; unet: string | null };
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

/**
 * Our fastest non-cpu training step of `model` in `mode` (Node, or the page's worker; `where` narrows it) and
 * PyTorch's fastest at the same batch (`torchThreads` narrows it): each side at its best setting on this
 * machine. Pairing equal thread counts instead misleads here: OpenBLAS on 2 threads made PyTorch's MLP step
 * 3x SLOWER than on one (39 against 12.6 ms, session 7). Null where either is missing.
 */
export function torchPair(
  measurements: Measurement[], model: (m: string) => boolean, mode: string,
  narrow: { where?: (w: string) => boolean; torchThreads?: number } = {},
): { ours: Measurement; torch: Measurement } | null {
  const ok = (m: Measurement) => m.status === 'ok' && m.medianMs !== undefined && m.what === 'train-step' && model(m.model) && m.mode === mode;
  const fastest = (xs: Measurement[]) => [...xs].sort((a, b) => a.medianMs! - b.medianMs!)[0];
  const torch = measurements.filter((m) => ok(m) && m.where === 'pytorch' && (narrow.torchThreads === undefined || (m.threads ?? 1) === narrow.torchThreads));
  const peerOf = (m: Measurement) => fastest(torch.filter((p) => p.batch === m.batch));
  const ours = fastest(measurements.filter((m) => ok(m) && m.where !== 'pytorch' && (narrow.where?.(m.where) ?? true) && m.backend !== 'cpu' && peerOf(m) !== undefined));
  return ours ? { ours, torch: peerOf(ours)! } : null;
}

/** Where one of our measurements ran: "node wasm, 1 thread", "chromium-worker wasm, 2 threads". */
export function describeOurs(m: Measurement): string {
  return [`${m.where} ${m.backend}`, m.threads !== undefined ? `${m.threads} thread${m.threads === 1 ? '' : 's'}` : null].filter(Boolean).join(', ');
}

export function computeGoals(
  measurements: Measurement[], blas: TorchBlas | undefined, headline: HeadlineRun[] | undefined, webgpu?: WebgpuFusedResult,
  realGpu?: RealGpuGoals | null,
): Goals {
  const ok = (f: (m: Measurement) => boolean) => measurements.filter((m) => m.status === 'ok' && m.medianMs !== undefined && f(m));
  const torchPeer = blas !== undefined && !isReferenceBlas(blas);
  const ratioOf = (model: (m: string) => boolean, mode: string, narrow?: { where?: (w: string) => boolean; torchThreads?: number }) => {
    const pair = torchPair(measurements, model, mode, narrow);
    if (!pair || !torchPeer) return { value: null, source: null };
    return { value: round(pair.ours.medianMs! / pair.torch.medianMs!, 2), source: `${describeOurs(pair.ours)} vs PyTorch ${pair.torch.threads ?? 1}` };
  };
  const ratio = (model: (m: string) => boolean, mode: string) => ratioOf(model, mode).value;
  const onNode = { where: (w: string) => w === 'node', torchThreads: 1 }; // one thread each, as before the page had threads
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
    ctStepRatioToTorchNode: ratioOf(mlp, 'CT', onNode).value,
    unetStepRatioToTorchNode: ratioOf((m) => m === 'unet', 'CT', onNode).value,
    ratioSources: { ct: ratioOf(mlp, 'CT').source, cdHeun: ratioOf(mlp, 'CD-Heun').source, unet: ratioOf((m) => m === 'unet', 'CT').source },
    autoBackendHere: autoCd?.backend ?? null,
    dispatchesCtStepWebgpu: webgpu?.dispatches.find((d) => d.mode === 'CT')?.fused ?? null,
    dispatchesCdHeunStepWebgpu: webgpu?.dispatches.find((d) => d.mode === 'CD-Heun')?.fused ?? null,
    fusedParityMaxRelErr: webgpu?.parityMaxRelErr ?? null,
    realGpuCtStepsPerSecond: realGpu?.ctStepsPerSecond ?? null,
    realGpuUnetStepsPerSecond: realGpu?.unetStepsPerSecond ?? null,
  };
}
