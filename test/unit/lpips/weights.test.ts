import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import type { HostTensor } from '../../../src/core/io/tensor';
import { assembleLpipsWeights, loadLpipsWeights } from '../../../src/core/lpips/weights';
import { syntheticLpipsWeights, syntheticWeightFiles } from '../../../src/core/lpips/synthetic';
import { readShared, sharedLpipsDir } from './sharedData';

const squeeze = syntheticWeightFiles('squeeze');

function renamed(prefix: string, extra: Record<string, HostTensor> = {}): Map<string, HostTensor> {
  const { backbone } = syntheticLpipsWeights('squeeze');
  const out = new Map([...backbone].map(([k, v]) => [prefix + k, v] as [string, HostTensor]));
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

describe('LPIPS weight assembly', () => {
  it('recognises a lin file alone and says the backbone is still needed', async () => {
    const s = await loadLpipsWeights([squeeze.lin]);
    expect(s.net).toBe('squeeze');
    expect(s.missing).toEqual(['backbone']);
    expect(s.summary).toBe('lin loaded (squeeze); backbone still needed');
    expect(s.weights).toBeNull();
    expect(s.files[0]).toMatchObject({ format: 'safetensors', provides: ['lin'], verified: false });
    expect(s.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('assembles lin + backbone from separate files in any order, labelling unknown hashes unverified', async () => {
    const s = await loadLpipsWeights([squeeze.backbone, squeeze.lin]);
    expect(s.missing).toEqual([]);
    expect(s.verified).toBe(false);
    expect(s.summary).toBe('LPIPS (squeeze) ready (unverified weights)');
    expect(s.weights!.lin.map((w) => w.length)).toEqual([64, 128, 256, 384, 384, 512, 512]);
    expect(s.weights!.backbone.get('12.expand3x3.weight')!.shape).toEqual([256, 64, 3, 3]);
  });

  it("accepts torchvision's full checkpoint layout: 'features.' prefix stripped, 'classifier.*' ignored", () => {
    const full = renamed('features.', {
      'classifier.1.weight': { dtype: 'float32', shape: [1000, 512, 1, 1], data: new Float32Array(512000) },
      'classifier.1.bias': { dtype: 'float32', shape: [1000], data: new Float32Array(1000) },
    });
    const s = assembleLpipsWeights([{ tensors: full }]);
    expect(s.files[0]).toMatchObject({ provides: ['backbone'], net: 'squeeze' });
    expect(s.files[0].problem).toBeUndefined();
    expect([...s.backbone!.keys()]).not.toContain('1.weight');
  });

  it("accepts an LPIPS module state dict ('net.sliceN.' prefixes) and a bundle with both parts", () => {
    const { lin } = syntheticLpipsWeights('squeeze');
    const bundle = renamed('net.slice1.');
    lin.forEach((w, l) => bundle.set(`lin${l}.model.1.weight`, { dtype: 'float32', shape: [1, w.length, 1, 1], data: w }));
    const s = assembleLpipsWeights([{ tensors: bundle }]);
    expect(s.files[0].provides).toEqual(['lin', 'backbone']);
    expect(s.missing).toEqual([]);
  });

  it('explains wrong shapes, mixed backbones and unreadable files per file', async () => {
    const broken = renamed('');
    broken.set('0.weight', { dtype: 'float32', shape: [64, 3, 5, 5], data: new Float32Array(64 * 75) });
    const alexLin = syntheticWeightFiles('alex').lin;
    const s = await loadLpipsWeights([writeSafetensors(broken), squeeze.lin, alexLin, new Uint8Array([1, 2, 3])]);
    expect(s.files[0].problem).toMatch(/do not match squeeze: 0.weight is \[64,3,5,5\], expected \[64,3,3,3\]/);
    expect(s.files[2].problem).toBe('alex weights do not go with the other squeeze files');
    expect(s.files[3].problem).toMatch(/unrecognised weight file/);
    expect(s.missing).toEqual(['backbone']);
  });
});

const shared = sharedLpipsDir();
describe('LPIPS weight assembly with the real files', () => {
  if (!shared.dir) {
    console.log(`skipping real-weight assembly tests: ${shared.reason}`);
    it.skip(`real files (${shared.reason})`, () => {});
    return;
  }
  const dir = shared.dir;

  it('verifies the pinned lin and features-only backbone files by SHA-256', async () => {
    const s = await loadLpipsWeights([readShared(dir, 'lin-v0.1/squeeze.pth'), readShared(dir, 'backbone/squeezenet1_1-features.pth')]);
    expect(s.verified).toBe(true);
    expect(s.summary).toBe('LPIPS (squeeze) ready');
    expect(s.files.map((f) => f.format)).toEqual(['torch-legacy', 'torch-legacy']);
    expect(s.files[1].knownAs).toMatch(/features only/);
  });

  it('reads the zip-container copies (unknown hash: usable, unverified) and the verified safetensors bundle', async () => {
    const zip = await loadLpipsWeights([
      readShared(dir, 'derived/lin-v0.1-squeeze.zipformat.pth'),
      readShared(dir, 'derived/squeezenet1_1-features.zipformat.pth'),
    ]);
    expect(zip.files.map((f) => f.format)).toEqual(['torch-zip', 'torch-zip']);
    expect(zip.missing).toEqual([]);
    expect(zip.verified).toBe(false);
    const bundle = await loadLpipsWeights([readShared(dir, 'derived/lpips-squeeze-v0.1.safetensors')]);
    expect(bundle.verified).toBe(true);
    expect(bundle.missing).toEqual([]);
    expect(Array.from(bundle.lin![3].subarray(0, 4))).toEqual(Array.from(zip.lin![3].subarray(0, 4)));
  });

  it('recognises the AlexNet and VGG lin files by their channel counts', async () => {
    const s = await loadLpipsWeights([readShared(dir, 'lin-v0.1/alex.pth')]);
    expect(s.net).toBe('alex');
    expect(s.files[0].verified).toBe(true);
    const v = await loadLpipsWeights([readShared(dir, 'lin-v0.1/vgg.pth')]);
    expect(v.net).toBe('vgg');
    expect(v.summary).toBe('lin loaded (vgg); backbone still needed');
  });
});
