// `prepare`: the background work after a configure. For `auto` it chooses the backend by measurement (or
// takes the remembered choice), moves the run there if it differs, and on GPU backends compiles the
// shaders with one warm-up step. It runs in the command queue, so a Start sent meanwhile waits for it.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backendControl';
import { chooseBackend, type BackendDecision } from './backendChooser';
import { adapterKey, realProbes } from './backendProbes';
import { post, status, w } from './context';
import type { BackendName } from './protocol';
import { rebuild } from './runBuild';

/** 2 s in all for timing steps (issue 10). */
export const MEASURE_BUDGET_MS = 2000;

/** Decisions made in this worker, per model kind; a re-measure forgets them. */
const decided = new Map<string, BackendDecision>();

export async function prepare(remembered: Record<string, BackendName> = {}, remeasure = false): Promise<void> {
  if (!w.session || !w.config || !w.backend) return;
  if (remeasure) decided.clear();
  if (w.backendChoice === 'auto') await chooseAuto(remembered, remeasure);
  await warmUp();
}

async function chooseAuto(remembered: Record<string, BackendName>, remeasure: boolean): Promise<void> {
  const cfg = w.config!;
  const kind = cfg.model === 'mlp' ? 'mlp' : 'unet';
  const probes = realProbes(cfg, w.points);
  const key = `${kind}|${await adapterKey(probes)}`;
  let decision = decided.get(key);
  const fresh = !decision;
  let bytes: Uint8Array | null = null;
  if (!decision) {
    status('warming-up', 'auto: choosing the backend');
    // Measuring switches the active backend: keep the run's state to rebuild it on the winner.
    bytes = await w.session!.exportRunFile();
    const current = w.backend!.backend;
    try {
      decision = await chooseBackend({ probes, budgetMs: MEASURE_BUDGET_MS, remembered: remeasure ? null : remembered[key] ?? null });
    } finally {
      if (tf.getBackend() !== current) await tf.setBackend(current);
    }
    decided.set(key, decision);
  }
  // Also when decided earlier in this worker and the run has since restarted elsewhere (auto chosen again).
  if (decision.backend !== w.backend!.backend) await moveTo(decision.backend, bytes ?? (await w.session!.exportRunFile()));
  // A fresh measurement's winning step compiled this model's shaders on that backend.
  if (fresh && decision.measured) w.warmedSession = w.session;
  post({ type: 'backendChoice', key, backend: w.backend!.backend, summary: decision.summary, measured: decision.measured && decision.backend === w.backend!.backend });
}

async function moveTo(name: BackendName, bytes: Uint8Array): Promise<void> {
  await initBackend(name, [], 'auto');
  await rebuild(w.config!, w.points, bytes);
}

/** GPU backends compile a shader per kernel on first use: one step (undone) compiles them before Train. */
async function warmUp(): Promise<void> {
  const s = w.session!;
  const gpu = w.backend!.backend === 'webgpu' || w.backend!.backend === 'webgl';
  if (!s.trainer || !gpu || w.warmedSession === s) {
    status('idle', 'ready');
    return;
  }
  status('warming-up', 'compiling shaders (warm-up step)');
  const t0 = performance.now();
  const ck = await s.trainer.checkpoint();
  const r = s.trainer.trainStep();
  await r.loss.data();
  r.loss.dispose();
  s.trainer.restore(ck);
  w.warmedSession = s;
  status('idle', `ready (warm-up ${(performance.now() - t0).toFixed(0)} ms)`);
}
