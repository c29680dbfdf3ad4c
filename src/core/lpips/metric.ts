// LPIPS v0.1 (Zhang et al. 2018): scale the inputs, run both images through a frozen backbone,
// unit-normalise each tap over channels, weight squared differences by the lin layers, average over
// space and sum over taps. One distance per batch element; differentiable in both inputs.

import * as tf from '@tensorflow/tfjs';
import type { HostTensor } from '../io/tensor';
import { type Backbone, createBackbone } from './backbone';
import { type LpipsNet, NET_SPECS } from './nets';
import { bilinearMatrix, resizeWithMatrices } from './resize';

/** Everything createLpips needs: backbone parameters under torchvision `features` keys, and lin vectors. */
export interface LpipsWeights {
  net: LpipsNet;
  backbone: Map<string, HostTensor>;
  /** One non-negative weight vector per tap (lin{l}.model.1.weight flattened). */
  lin: Float32Array[];
}

export interface LpipsOptions {
  /** Side length the images are bilinearly resized to before the backbone; 'native' keeps their size. */
  resolution?: number | 'native';
}

export interface Lpips {
  readonly net: LpipsNet;
  readonly resolution: number | 'native';
  /** d(x, y) per batch element. x, y: NHWC [B, H, W, C] in [-1, 1], C = 1 (grey, repeated) or 3. */
  distance(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor1D;
  /** Each tap's contribution (they sum to distance), one Tensor1D [B] per tap. */
  perLayer(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor1D[];
  dispose(): void;
}

/** Per-channel input scaling of LPIPS' ScalingLayer: (x - shift) / scale. */
const SHIFT = [-0.03, -0.088, -0.188];
const SCALE = [0.458, 0.448, 0.45];
/** Added to the channel norm (not under the square root), as in lpips.normalize_tensor. */
const NORM_EPS = 1e-10;
/** Floor under the squared norm so sqrt's gradient stays finite at all-zero feature vectors. */
const SQUARED_NORM_FLOOR = 1e-30;

export const DEFAULT_LPIPS_RESOLUTION = 64;

export function createLpips(weights: LpipsWeights, options: LpipsOptions = {}): Lpips {
  const resolution = options.resolution ?? DEFAULT_LPIPS_RESOLUTION;
  const spec = NET_SPECS[weights.net];
  if (weights.lin.length !== spec.tapChannels.length) {
    throw new Error(`${weights.net} LPIPS needs ${spec.tapChannels.length} lin layers, got ${weights.lin.length}`);
  }
  weights.lin.forEach((w, l) => {
    if (w.length !== spec.tapChannels[l]) {
      throw new Error(`lin${l} has ${w.length} weights, ${weights.net} tap ${l} has ${spec.tapChannels[l]} channels`);
    }
  });
  if (resolution !== 'native' && resolution < spec.minSize) {
    throw new Error(`${weights.net} LPIPS needs a resolution of at least ${spec.minSize} px`);
  }

  const backbone: Backbone = createBackbone(weights.net, weights.backbone);
  const lin = weights.lin.map((w) => tf.tensor1d(w));
  const shift = tf.tensor4d(SHIFT, [1, 1, 1, 3]);
  const scale = tf.tensor4d(SCALE, [1, 1, 1, 3]);
  const resizeCache = new Map<string, [tf.Tensor2D, tf.Tensor2D]>();

  const prepare = (x: tf.Tensor4D): tf.Tensor4D => {
    let h = x;
    const [, height, width, channels] = x.shape;
    if (channels === 1) h = tf.tile(h, [1, 1, 1, 3]);
    else if (channels !== 3) throw new Error(`LPIPS inputs need 1 or 3 channels, got ${channels}`);
    if (resolution !== 'native' && (height !== resolution || width !== resolution)) {
      h = resizeWithMatrices(h, ...resizeMatrices(height, width, resolution));
    }
    const side = Math.min(h.shape[1], h.shape[2]);
    if (side < spec.minSize) throw new Error(`${weights.net} LPIPS needs images of at least ${spec.minSize} px, got ${side}`);
    return tf.div(tf.sub(h, shift), scale);
  };

  const resizeMatrices = (height: number, width: number, size: number): [tf.Tensor2D, tf.Tensor2D] => {
    const key = `${height}x${width}`;
    let m = resizeCache.get(key);
    if (!m) {
      // Created inside a caller's tidy, so keep them alive until dispose().
      m = [
        tf.keep(tf.tensor2d(bilinearMatrix(height, size), [size, height])),
        tf.keep(tf.tensor2d(bilinearMatrix(width, size), [size, width])),
      ];
      resizeCache.set(key, m);
    }
    return m;
  };

  const perLayer = (x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor1D[] =>
    tf.tidy(() => {
      if (x.shape.join() !== y.shape.join()) throw new Error(`LPIPS inputs differ in shape: [${x.shape}] vs [${y.shape}]`);
      const batch = x.shape[0];
      // One backbone pass over both images (half the kernel launches of two passes).
      const feats = backbone.taps(tf.concat([prepare(x), prepare(y)], 0));
      return feats.map((f, l) => {
        const [fx, fy] = tf.split(f, [batch, batch], 0) as [tf.Tensor4D, tf.Tensor4D];
        const diff = tf.square(tf.sub(unitNormalize(fx), unitNormalize(fy)));
        const weighted = tf.sum(tf.mul(diff, lin[l]), 3);
        return tf.mean(weighted, [1, 2]) as tf.Tensor1D;
      });
    });

  return {
    net: weights.net,
    resolution,
    perLayer,
    distance: (x, y) => tf.tidy(() => tf.addN(perLayer(x, y)) as tf.Tensor1D),
    dispose() {
      backbone.dispose();
      for (const t of lin) t.dispose();
      shift.dispose();
      scale.dispose();
      for (const [a, b] of resizeCache.values()) {
        a.dispose();
        b.dispose();
      }
      resizeCache.clear();
    },
  };
}

function unitNormalize(f: tf.Tensor4D): tf.Tensor4D {
  const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(f), 3, true), SQUARED_NORM_FLOOR));
  return tf.div(f, tf.add(norm, NORM_EPS));
}
