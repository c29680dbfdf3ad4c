// continue.py with sCM's learned adaptive weight w_phi (scripts/torch/methodstep.py, method_params): a sCT
// and a sCD run exported from the TypeScript core after 12 steps (8 of them consistency steps, so w_phi has
// moved off 0) are continued one step in PyTorch, replaying the bundle's draws. Its first loss must equal our
// next step's to 1e-4, and w_phi, the network, the EMAs and Adam's moments after it must equal ours (w_phi
// travels as online|ema/wphi.* and as the tail of optimizer/m|v). The result loads back into the core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { TrainingSession } from '../../../src/core/run/session';
import { exportAfter } from './bundleRun';
import { continuePy, expectSameState, suite, tmp, write } from './pyRun';

const BASE: Partial<Config> = {
  dataset: 'moons', teacher: 'exact', width: 32, depth: 2, batchSize: 64, steps: 100, lr: 5e-3, gradClip: 1,
  scmPretrain: 4, scmWarmup: 10, jvpRoute: 'exact', scmAdaptiveWeight: 'learned',
};

suite('continue.py with the learned adaptive weight w_phi', () => {
  it.each(['sct', 'scd'] as const)('%s: the first continued step equals ours, w_phi included, and loads back', async (mode) => {
    const run = await exportAfter({ ...BASE, mode }, 12);
    const file = readSafetensors(run.bundle);
    expect(Number(file.tensors.get('online/wphi.bias')!.data[0])).not.toBe(0);
    const dir = tmp();
    const bundle = write(dir, 'in.safetensors', run.bundle);
    const out = join(dir, 'out.safetensors');
    const r = await continuePy(['--bundle', bundle, '--out', out, '--steps', '1']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.events.find((e) => e.event === 'step')!;
    expect(s.replayed).toBe(true);
    const loss = s.loss as number;
    expect(Math.abs(loss - run.nextLoss), `${loss} vs ${run.nextLoss}`).toBeLessThanOrEqual(1e-4 * Math.abs(run.nextLoss));
    const pyBytes = new Uint8Array(readFileSync(out));
    expectSameState(pyBytes, run.after);
    const back = new TrainingSession({ ...DEFAULTS, ...BASE, mode } as Config, {}, 20);
    await back.importRunFile(pyBytes);
    expect(back.step).toBe(13);
    expect((await back.trainer!.online.read()).at(-1)![0]).toBe(readSafetensors(pyBytes).tensors.get('online/wphi.bias')!.data[0]);
    back.dispose();
  }, 240_000);
});
