// The own matrix product (src/core/models/simdGemm.ts) in Chromium: tfjs's threaded wasm build on a one-thread
// pool (the page's 2D runs on 2 cores: a shared heap), training steps with the product on and off from the
// same seed; reports whether relaxed SIMD is there, which kernels each path ran, and how far the losses
// and weights drift apart.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { ConsistencyTrainer } from '../../../src/core/cm/consistencyTrainer';
import { wasmHeap } from '../../../src/core/models/hostKernel';
import { setOwnGemm } from '../../../src/core/models/hostMatMul';
import { relaxedSimdAvailable } from '../../../src/core/models/simdGemm';
import { TrainingSession } from '../../../src/core/run/session';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
setThreadsCount(1);

async function run(c: Config, steps: number, own: boolean) {
  setOwnGemm(own);
  const s = new TrainingSession(c, {}, 16);
  const losses: number[] = [];
  let kernels: string[] = [];
  for (let k = 0; k < steps; k++) {
    const profile = await tf.profile(async () => {
      const r = await s.trainStep();
      losses.push((await r.loss.data())[0]);
      r.loss.dispose();
    });
    kernels = profile.kernels.map((x) => x.name);
  }
  if (!(s.trainer instanceof ConsistencyTrainer)) throw new Error('expected the consistency trainer');
  const online = (await s.trainer.checkpoint()).online.flatMap((t) => Array.from(t));
  s.dispose();
  setOwnGemm(true);
  return { losses, online, gemms: kernels.filter((k) => k === 'MlpGemm').length };
}

async function check(overrides: Partial<Config>, steps: number) {
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('wasm backend not available');
  const c = { ...DEFAULTS, ...overrides };
  const [own, xnn] = [await run(c, steps, true), await run(c, steps, false)];
  const scale = Math.max(...xnn.online.map(Math.abs));
  return {
    relaxed: relaxedSimdAvailable(),
    sharedHeap: wasmHeap()?.buffer instanceof SharedArrayBuffer,
    gemmsOwn: own.gemms,
    gemmsOff: xnn.gemms,
    lossErr: Math.max(...own.losses.map((l, i) => Math.abs(l - xnn.losses[i]) / Math.abs(xnn.losses[i]))),
    weightErr: Math.max(...own.online.map((v, i) => Math.abs(v - xnn.online[i]))) / scale,
  };
}

(window as unknown as { ownGemmCheck: typeof check }).ownGemmCheck = check;
(window as unknown as { ownGemmReady: boolean }).ownGemmReady = true;
