// MNIST quality of the shipped pretrained CD, CT and ECT models (each in its own mode): Frechet distance in the project's digit
// classifier's features for one-step and two-step samples, with the floor (train vs held-out digits) and
// the ceiling (noise), on the Node wasm backend (forward convolutions only, which WASM supports).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageQuality } from '../../../src/core/run/imageData';
import { PRETRAINED_ROLES, PRETRAINED_STUDENTS, type PretrainedRole } from '../../../src/core/run/pretrained';
import { log } from '../lib/log';
import { useBackend } from '../lib/nodeBackend';
import { mnistConfig, openSession } from '../lib/sessions';
import { round } from '../lib/stats';

export interface MnistQuality {
  /** The method (the key predates shipping one method for several networks). */
  model: PretrainedRole;
  /** The Model setting the file was trained as. */
  network: string;
  file: string;
  samples: number;
  seconds: number;
  quality?: ImageQuality;
  error?: string;
}

export async function mnistSection(quick: boolean): Promise<MnistQuality[]> {
  await useBackend('wasm');
  const count = quick ? 200 : 500;
  const out: MnistQuality[] = [];
  for (const { model, network, file } of PRETRAINED_ROLES.flatMap((role) => PRETRAINED_STUDENTS[role].map((s) => ({ model: role, network: s.model, file: join('public', s.file) })))) {
    const t0 = performance.now();
    try {
      const s = openSession(mnistConfig({ mode: model, solver: 'heun', model: network }), count);
      await s.importRunFile(new Uint8Array(readFileSync(file)));
      const q = await s.evaluate('ema');
      s.dispose();
      const quality = Object.fromEntries(Object.entries(q.image!).map(([k, v]) => [k, round(v as number, 3)])) as unknown as ImageQuality;
      out.push({ model, network, file, samples: count, seconds: round((performance.now() - t0) / 1000, 1), quality });
      log(`mnist pretrained ${model} (${network}): fd1 ${quality.fd1} fd2 ${quality.fd2} (floor ${quality.fdFloor}, ceiling ${quality.fdCeiling})`);
    } catch (e) {
      out.push({ model, network, file, samples: count, seconds: 0, error: (e as Error).message });
      log(`mnist pretrained ${model} (${network}): ${(e as Error).message}`);
    }
  }
  return out;
}
