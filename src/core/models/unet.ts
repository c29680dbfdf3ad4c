// Small time-conditioned U-Net for 28x28x1 images (NHWC), mirrored exactly by scripts/torch/cmlib.py so
// weights trained in PyTorch load here. One resolution per entry of `channels` (two: 28 and 14):
//   stem conv -> res(enc0) ----------------------------------------------> concat -> res(dec0) -> out
//                   \-> avgpool 2 -> res(enc1) -> res(mid) -> upsample 2 -/
// With three (28, 14, 7) enc1's output goes down once more through res(enc2), mid runs at 7x7, and res(dec1)
// joins the upsampled mid to enc1's output at 14x14 before dec0.
// Each residual block: GroupNorm(affine) -> SiLU -> conv3x3 -> GroupNorm * (1 + scale) + shift (from the
// time embedding) -> SiLU -> conv3x3, plus a 1x1 skip conv when the width changes.
// Time: c_noise -> [sin, cos] at geometric frequencies 1..maxFrequency -> dense -> SiLU -> dense -> SiLU.
// Upsampling is nearest-neighbour by concat + reshape (row copies on cpu/wasm, rowCopies.ts):
// resizeNearestNeighbor's cpu gradient is wrong for batch > 1 and depthToSpace has no gradient
// (architecture.md section 6).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { NetworkDef, ParamInfo, UnetSpec } from './types';
import { frequencyTensor } from './timeFeatures';
import { conv2dSame } from './conv';
import { groupNormSilu } from './groupNormSilu';
import { hostBackend } from './hostKernel';
import { avgPool2, concatChannels, upsample2Host } from './rowCopies';

/** The U-Net's settings; `UnetSpec` from types.ts with the fields this module reads. */
export interface UnetConfig extends UnetSpec {
  /** Widths per resolution: [28x28, 14x14] or [28x28, 14x14, 7x7]. */
  channels: number[];
  /** Sinusoidal features of c_noise (half sin, half cos). */
  timeFeatures: number;
  /** Width of the time MLP and of the embedding every block reads. */
  timeEmbedDim: number;
  /** GroupNorm groups; must divide c0, c1 and c0 + c1. */
  groups: number;
  /** Highest feature frequency; c_noise = 0.25 ln t spans about [-1.6, 1.1]. */
  maxFrequency: number;
}

const GN_EPS = 1e-5; // PyTorch's GroupNorm default, so the two implementations agree
/** Residual-branch outputs start small so the stream keeps unit scale at initialisation. */
const RESIDUAL_INIT_SCALE = 0.2;

export const unetPresets = {
  /** A few thousand parameters: for tests and browser smoke runs. */
  tiny: { kind: 'unet', dataShape: [28, 28, 1], channels: [4, 8], timeFeatures: 8, timeEmbedDim: 16, groups: 2, maxFrequency: 16 },
  /** About 261k parameters: the shipped pretrained models. */
  default: { kind: 'unet', dataShape: [28, 28, 1], channels: [32, 64], timeFeatures: 32, timeEmbedDim: 128, groups: 8, maxFrequency: 16 },
  /** About 939k parameters, three resolutions: a wider field of view for ~1.6x the compute per step. */
  large: { kind: 'unet', dataShape: [28, 28, 1], channels: [32, 64, 128], timeFeatures: 32, timeEmbedDim: 128, groups: 8, maxFrequency: 16 },
} satisfies Record<string, UnetConfig>;

/** The residual blocks in order (name, input width, output width): enc0 .. enc{L-1}, mid, dec{L-2} .. dec0. */
function blocks(spec: UnetConfig): Array<[string, number, number]> {
  const c = spec.channels;
  const L = c.length;
  const enc = c.map((w, i): [string, number, number] => [`enc${i}`, c[Math.max(i - 1, 0)], w]);
  const dec = c.slice(0, L - 1).map((w, i): [string, number, number] => [`dec${i}`, c[i + 1] + w, w]).reverse();
  return [...enc, ['mid', c[L - 1], c[L - 1]], ...dec];
}

/** Parameter names and shapes in the fixed order shared with the PyTorch mirror (kernels [kh, kw, in, out]). */
export function unetParams(spec: UnetConfig): ParamInfo[] {
  const E = spec.timeEmbedDim;
  const c0 = spec.channels[0];
  const p: ParamInfo[] = [
    { name: 'time.fc0.w', shape: [spec.timeFeatures * (spec.timeInputs ?? 1), E] }, { name: 'time.fc0.b', shape: [E] },
    { name: 'time.fc1.w', shape: [E, E] }, { name: 'time.fc1.b', shape: [E] },
    { name: 'stem.w', shape: [3, 3, spec.dataShape[2], c0] }, { name: 'stem.b', shape: [c0] },
  ];
  for (const [b, cin, cout] of blocks(spec)) {
    p.push(
      { name: `${b}.norm1.gamma`, shape: [cin] }, { name: `${b}.norm1.beta`, shape: [cin] },
      { name: `${b}.conv1.w`, shape: [3, 3, cin, cout] }, { name: `${b}.conv1.b`, shape: [cout] },
      { name: `${b}.emb.w`, shape: [E, 2 * cout] }, { name: `${b}.emb.b`, shape: [2 * cout] },
      { name: `${b}.conv2.w`, shape: [3, 3, cout, cout] }, { name: `${b}.conv2.b`, shape: [cout] },
    );
    if (cin !== cout) p.push({ name: `${b}.skip.w`, shape: [1, 1, cin, cout] }, { name: `${b}.skip.b`, shape: [cout] });
  }
  p.push(
    { name: 'out.norm.gamma', shape: [c0] }, { name: 'out.norm.beta', shape: [c0] },
    { name: 'out.conv.w', shape: [3, 3, c0, spec.dataShape[2]] }, { name: 'out.conv.b', shape: [spec.dataShape[2]] },
  );
  return p;
}

/** Throws with a readable message when a spec cannot build (wrong shape, groups that do not divide). */
export function validateUnetSpec(spec: UnetSpec): UnetConfig {
  const s = spec as Partial<UnetConfig>;
  const [h, w] = spec.dataShape;
  if (!Array.isArray(s.channels) || s.channels.length < 2 || s.channels.length > 3 || !s.channels.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error('U-Net spec needs channels: [c0, c1] or [c0, c1, c2] (positive integers)');
  }
  const halvings = 2 ** (s.channels.length - 1);
  if (h % halvings !== 0 || w % halvings !== 0) throw new Error(`a ${s.channels.length}-level U-Net needs image sides divisible by ${halvings}, got ${h}x${w}`);
  for (const key of ['timeFeatures', 'timeEmbedDim', 'groups', 'maxFrequency'] as const) {
    if (typeof s[key] !== 'number' || !(s[key] > 0)) throw new Error(`U-Net spec needs a positive ${key}`);
  }
  const c = s as UnetConfig;
  if (c.timeFeatures % 2 !== 0 || c.timeFeatures < 4) throw new Error(`timeFeatures must be even and >= 4, got ${c.timeFeatures}`);
  for (const width of new Set(blocks(c).flatMap(([, cin, cout]) => [cin, cout]))) { // each level's and each decoder concat's
    if (width % c.groups !== 0) throw new Error(`GroupNorm groups ${c.groups} do not divide width ${width}`);
  }
  return c;
}

/** Frequencies 1 .. maxFrequency, geometric, computed in float64 (same formula as the PyTorch mirror). */
export function unetTimeFrequencies(spec: UnetConfig): Float32Array {
  const half = spec.timeFeatures / 2;
  return Float32Array.from({ length: half }, (_, k) => spec.maxFrequency ** (k / (half - 1)));
}

function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x)) as T;
}

function conv(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor): tf.Tensor4D {
  return conv2dSame(x, w as tf.Tensor4D, b as tf.Tensor1D);
}

/** Nearest-neighbour 2x upsampling from concat + reshape (differentiable on every backend). */
export function upsample2ByOps(x: tf.Tensor4D): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  const cols = tf.reshape(x, [B * H * W, 1, C]);
  const wide = tf.reshape(tf.concat([cols, cols], 1), [B * H, 1, 2 * W * C]);
  return tf.reshape(tf.concat([wide, wide], 1), [B, 2 * H, 2 * W, C]);
}

// On cpu/wasm one row-copy kernel (rowCopies.ts); its gradient is the sum over each 2x2 block, 4 avgPool(dy):
// one pooling kernel instead of two big splits and adds (the concats' gradients, slow strided copies on wasm).
const upsample2Custom = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: upsample2Host(args[0] as tf.Tensor4D),
  gradFunc: (dy: tf.Tensor) => tf.mul(tf.avgPool(dy as tf.Tensor4D, 2, 2, 'valid'), 4),
})) as unknown as (x: tf.Tensor4D) => tf.Tensor4D;

/** The custom gradient on cpu/wasm (where the host kernels run), the plain ops elsewhere. */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return hostBackend() ? upsample2Custom(x) : upsample2ByOps(x);
}

export function createUnet(spec: UnetSpec): NetworkDef<UnetSpec> {
  const cfg = validateUnetSpec(spec);
  const params = unetParams(cfg);
  const index = new Map(params.map((p, i) => [p.name, i]));
  const freqValues = unetTimeFrequencies(cfg);
  const getFreqs = () => frequencyTensor(freqValues);

  return {
    spec,
    params,
    init(rng: Rng): Float32Array[] {
      return params.map(({ name, shape }) => {
        const size = shape.reduce((a, b) => a * b, 1);
        if (name.endsWith('.gamma')) return new Float32Array(size).fill(1);
        if (!name.endsWith('.w')) return new Float32Array(size);
        const fanIn = size / shape[shape.length - 1];
        const residualOut = name.endsWith('conv2.w') || name === 'out.conv.w';
        return rng.normals(size, (residualOut ? RESIDUAL_INIT_SCALE : 1) / Math.sqrt(fanIn)); // Lecun normal
      });
    },
    forward(p, xIn, cNoise) {
      return tf.tidy(() => {
        const P = (name: string) => p[index.get(name)!];
        const dense = (x: tf.Tensor2D, prefix: string): tf.Tensor2D =>
          tf.fused.matMul({ a: x, b: P(`${prefix}.w`) as tf.Tensor2D, bias: P(`${prefix}.b`) }) as tf.Tensor2D;
        // silu(GroupNorm(x) a + b): one fused op on cpu/wasm (groupNormSilu.ts).
        const normSilu = (x: tf.Tensor4D, a: tf.Tensor, b: tf.Tensor) => groupNormSilu(x, a, b, cfg.groups, GN_EPS);
        const affineSilu = (x: tf.Tensor4D, prefix: string) => normSilu(x, P(`${prefix}.gamma`), P(`${prefix}.beta`));

        // One time: [sin, cos] of its angles; two (timeInputs 2): the same per column, side by side.
        const columns = cNoise.rank === 1 ? [cNoise as tf.Tensor1D] : (tf.unstack(cNoise, 1) as tf.Tensor1D[]);
        const features = tf.concat(columns.map((c) => {
          const angles: tf.Tensor2D = tf.mul(tf.reshape(c, [-1, 1]), getFreqs());
          return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
        }), 1) as tf.Tensor2D;
        const temb = silu(dense(silu(dense(features, 'time.fc0')), 'time.fc1'));

        const resBlock = (x: tf.Tensor4D, b: string): tf.Tensor4D => {
          let h = conv(affineSilu(x, `${b}.norm1`), P(`${b}.conv1.w`), P(`${b}.conv1.b`));
          const [scale, shift] = tf.split(dense(temb, `${b}.emb`), 2, 1); // per sample, [B, cout] each
          h = conv(normSilu(h, tf.add(scale, 1), shift), P(`${b}.conv2.w`), P(`${b}.conv2.b`));
          const skip = index.has(`${b}.skip.w`) ? conv(x, P(`${b}.skip.w`), P(`${b}.skip.b`)) : x;
          return tf.add(skip, h) as tf.Tensor4D;
        };

        let h = conv(xIn as tf.Tensor4D, P('stem.w'), P('stem.b'));
        const levels = cfg.channels.length;
        const skips: tf.Tensor4D[] = [];
        for (let i = 0; i < levels; i++) { // encoder: a block per resolution, 2x average pooling between
          h = resBlock(i > 0 ? avgPool2(h) : h, `enc${i}`);
          skips.push(h);
        }
        h = resBlock(h, 'mid');
        for (let i = levels - 2; i >= 0; i--) h = resBlock(concatChannels(upsample2(h), skips[i]), `dec${i}`);
        h = affineSilu(h, 'out.norm');
        return conv(h, P('out.conv.w'), P('out.conv.b'));
      });
    },
  };
}
