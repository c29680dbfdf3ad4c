// Exposes a TrainerClient on window so browser tests drive the real worker through its real client.
import { DEFAULTS, type Config } from '../../../src/core/config';
import { syntheticWeightFiles } from '../../../src/core/lpips/index';
import { TrainerClient } from '../../../src/worker/client';
import type { WorkerEvent } from '../../../src/worker/protocol';

const events: WorkerEvent[] = [];
const crashes: { restoredStep: number | null; message: string }[] = [];
const client = new TrainerClient({
  createWorker: () => new Worker(new URL('../../../src/worker/trainer.worker.ts', import.meta.url), { type: 'module' }),
  onCrash: (info) => crashes.push(info),
});
for (const type of ['ready', 'backendChoice', 'status', 'progress', 'quality', 'static', 'snapshot', 'error', 'checkpoint', 'lpipsStatus'] as const) {
  client.on(type, (e) => events.push(e));
}

const harness = {
  client,
  events,
  crashes,
  config(overrides: Partial<Config>): Config {
    return { ...DEFAULTS, ...overrides };
  },
  lastOf(type: string) {
    for (let i = events.length - 1; i >= 0; i--) if (events[i].type === type) return events[i];
    return null;
  },
  /** LPIPS weight files with made-up values (unknown checksums: accepted as "unverified" files). */
  syntheticLpips: syntheticWeightFiles,
  count(type: string) {
    return events.filter((e) => e.type === type).length;
  },
};
(window as unknown as { harness: typeof harness }).harness = harness;
(window as unknown as { harnessReady: boolean }).harnessReady = true;
