// (Re)creates the session for a config, optionally loading a run file, and sends the static view and a
// first snapshot (inference only, so the page has something to show at once; shader warm-up is left to
// `prepare`). The new run is complete before the old one goes, so a failure here leaves the user's run as it was.
import type { Config } from '../core/config';
import { TrainingSession } from '../core/run/session';
import { lpips, post, status, w } from './context';
import { sendSnapshot, sendStatic } from './publish';
import { loadSessionResources } from './resources';
import { useWasmThreadsFor } from './wasmThreads';

export async function rebuild(cfg: Config, pts: Float64Array | undefined, restoreBytes: Uint8Array | null, snapshot = true): Promise<void> {
  status('loading', 'building the run');
  useWasmThreadsFor(cfg.dataset === 'mnist' ? 'images' : 'points');
  const resources = await loadSessionResources(cfg, pts);
  if (cfg.metric === 'lpips') resources.lpips = await lpips.distanceFor(cfg);
  // Digits: 256 evaluation samples, as many as the classifier's floor uses (and U-Net memory stays modest).
  const next = new TrainingSession(cfg, resources, cfg.dataset === 'mnist' ? 256 : 1000);
  try {
    if (restoreBytes) await next.importRunFile(restoreBytes);
  } catch (e) {
    next.dispose();
    throw e;
  }
  w.session?.dispose();
  w.session = next;
  w.config = cfg;
  w.points = pts;
  await sendStatic();
  if (w.session.trainer && snapshot) await sendSnapshot();
  status('idle', w.session.trainer ? 'ready' : 'ready: the teacher trains first');
  w.lastCheckpointBytes = await w.session.exportRunFile();
  w.qualityRuleFired = false;
  // The run's start is a checkpoint too: the page can rewind to the initialisation.
  if (w.session.trainer) {
    const copy = w.lastCheckpointBytes.slice();
    post({ type: 'checkpoint', step: w.session.step, bytes: copy.buffer }, [copy.buffer]);
  }
  if (cfg.metric === 'lpips') await lpips.measureCost(cfg);
}
