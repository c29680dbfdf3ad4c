// Malformed weight and run files given to the real worker through its real client (WASM): each import
// ends in a clear 'invalid-weights' error, the run keeps its step and samples, and the worker lives on.
// The files are made here from a real export: truncated, a huge header length, a damaged header,
// NaN weights, an RNG state of the wrong shape, and bytes that are no weight file at all.
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import { workerHarnessPerFile } from './workerPage';

const page = workerHarnessPerFile();

const TINY = { width: 16, depth: 2, batchSize: 32, timeFeatures: 8, N: 8, evalEvery: 1000, steps: 1000, mode: 'ct' };

function rewrite(bytes: Uint8Array, change: (tensors: Map<string, TensorToWrite>, meta: Record<string, string>) => void): Uint8Array {
  const f = readSafetensors(bytes);
  const tensors = new Map<string, TensorToWrite>([...f.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data.slice(), dtype: t.dtype }]));
  const meta = { ...f.metadata };
  change(tensors, meta);
  return writeSafetensors(tensors, meta);
}

function malformed(good: Uint8Array): Record<string, Uint8Array> {
  const hugeHeader = good.slice();
  new DataView(hugeHeader.buffer).setBigUint64(0, 0xffffffffffffn, true);
  const damagedHeader = good.slice();
  damagedHeader[12] = 0x00; // inside the header's JSON
  return {
    truncated: good.slice(0, Math.floor(good.length / 2)),
    'huge header length': hugeHeader,
    'damaged header': damagedHeader,
    'NaN weights': rewrite(good, (t) => {
      const [name, w] = [...t].find(([k]) => k.startsWith('online/'))!;
      const data = (w.data as Float32Array).slice();
      data[0] = Number.NaN;
      t.set(name, { ...w, data });
    }),
    'RNG state of the wrong shape': rewrite(good, (_t, meta) => { meta.rng = '{"data":[1],"train":[]}'; }),
    'not a weight file': new TextEncoder().encode('<!doctype html><title>404</title>'.repeat(10)),
  };
}

describe('worker import of malformed files', () => {
  it('each malformed file ends in a clear invalid-weights error and leaves the run and the worker as they were', async () => {
    const exported = await page().evaluate(async (tiny) => {
      const h = (window as any).harness;
      await h.client.init('wasm');
      await h.client.configure(h.config(tiny));
      await h.client.step(3);
      return Array.from(new Uint8Array(await h.client.exportWeights()));
    }, TINY);
    const files = malformed(Uint8Array.from(exported));
    const results = await page().evaluate(async (cases) => {
      const h = (window as any).harness;
      const snap = () => h.lastOf('snapshot');
      const before = snap();
      const out: Record<string, { code: string; message: string; sameVersion: boolean; sameStep: boolean; sameSamples: boolean }> = {};
      for (const [name, bytes] of Object.entries(cases as Record<string, number[]>)) {
        try {
          await h.client.importWeights(Uint8Array.from(bytes).buffer);
          out[name] = { code: 'accepted', message: '', sameVersion: false, sameStep: false, sameSamples: false };
        } catch (e) {
          const after = snap();
          out[name] = {
            code: (e as { code?: string }).code ?? 'none', message: (e as Error).message,
            sameVersion: after.version === before.version, sameStep: after.step === before.step,
            sameSamples: after.samples[0].every((v: number, i: number) => v === before.samples[0][i]),
          };
        }
      }
      // The worker still trains from where it was.
      await h.client.step(2);
      return { out, stepAfter: snap().step, stepBefore: before.step, crashes: h.crashes.length };
    }, Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Array.from(v)])));

    const expected: Record<string, RegExp> = {
      truncated: /truncated safetensors file/,
      'huge header length': /header length \d+ is implausible/,
      'damaged header': /header \(not UTF-8 JSON\)/,
      'NaN weights': /"online\/[^"]+" holds 1 non-finite value/,
      'RNG state of the wrong shape': /random-number state "data" has 1 values, not 5/,
      'not a weight file': /not a weights file of this playground/,
    };
    for (const [name, want] of Object.entries(expected)) {
      const r = results.out[name];
      expect(r.code, name).toBe('invalid-weights');
      expect(r.message, name).toMatch(want);
      expect(r.sameVersion && r.sameStep && r.sameSamples, `${name}: the run changed`).toBe(true);
    }
    expect(results.crashes).toBe(0);
    expect(results.stepAfter).toBe(results.stepBefore + 2);
  });

  it('a malformed file sent while training is refused and training goes on', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as any).harness;
      await h.client.start();
      const progressed = async (from: number) => {
        for (let i = 0; i < 100 && (h.lastOf('progress')?.step ?? 0) <= from; i++) await new Promise((ok) => setTimeout(ok, 50));
        return h.lastOf('progress')?.step ?? 0;
      };
      const before = await progressed(h.lastOf('progress')?.step ?? 0);
      let message = '';
      try {
        await h.client.importWeights(new TextEncoder().encode('not a weights file at all').buffer);
      } catch (e) {
        message = (e as Error).message;
      }
      const afterError = h.lastOf('progress')?.step ?? 0;
      const later = await progressed(afterError);
      await h.client.pause();
      return { message, before, afterError, later };
    });
    expect(r.message).toMatch(/not a weights file of this playground/);
    expect(r.later).toBeGreaterThan(r.afterError);
    expect(r.afterError).toBeGreaterThanOrEqual(r.before);
  });
});
