// Frozen backbone forward pass in NHWC. Weights are plain tensors (never tf.Variables), so training
// code that collects trainable variables cannot pick them up; gradients still flow to the input.

import * as tf from '@tensorflow/tfjs';
import { type HostTensor, toFloat32 } from '../io/tensor';
import { type LpipsNet, NET_SPECS } from './nets';

export interface Backbone {
  net: LpipsNet;
  /** Post-ReLU activations at each tap, NHWC. */
  taps(x: tf.Tensor4D): tf.Tensor4D[];
  dispose(): void;
}

interface ConvWeights {
  filter: tf.Tensor4D; // HWIO
  bias: tf.Tensor1D;
}

export function createBackbone(net: LpipsNet, params: Map<string, HostTensor>): Backbone {
  const spec = NET_SPECS[net];
  const convs = new Map<string, ConvWeights>();
  for (const [name, shape] of spec.params) {
    if (!name.endsWith('.weight')) continue;
    const key = name.slice(0, -'.weight'.length);
    const w = params.get(name);
    const b = params.get(`${key}.bias`);
    if (!w || !b) throw new Error(`${net} backbone: missing '${name}' or its bias`);
    if (w.shape.join() !== shape.join()) {
      throw new Error(`${net} backbone: '${name}' has shape [${w.shape}], expected [${shape}]`);
    }
    // torch stores conv weights OIHW; tfjs wants HWIO.
    const filter = tf.tidy(() => tf.tensor4d(toFloat32(w), shape as [number, number, number, number]).transpose([2, 3, 1, 0]));
    convs.set(key, { filter: filter as tf.Tensor4D, bias: tf.tensor1d(toFloat32(b)) });
  }

  const convRelu = (x: tf.Tensor4D, key: string, stride: number, pad: number): tf.Tensor4D => {
    const c = convs.get(key)!;
    return tf.relu(tf.add(tf.conv2d(x, c.filter, stride, pad), c.bias));
  };

  return {
    net,
    taps(x) {
      const out: tf.Tensor4D[] = [];
      let h = x;
      for (const op of spec.program) {
        switch (op.op) {
          case 'conv':
            h = convRelu(h, op.key, op.stride, op.pad);
            break;
          case 'fire': {
            const s = convRelu(h, `${op.key}.squeeze`, 1, 0);
            h = tf.concat([convRelu(s, `${op.key}.expand1x1`, 1, 0), convRelu(s, `${op.key}.expand3x3`, 1, 1)], 3);
            break;
          }
          case 'maxpool':
            h = op.ceil ? maxPoolCeil(h, op.size, op.stride) : tf.maxPool(h, op.size, op.stride, 'valid');
            break;
          case 'tap':
            out.push(h);
            break;
        }
      }
      return out;
    },
    dispose() {
      for (const c of convs.values()) {
        c.filter.dispose();
        c.bias.dispose();
      }
      convs.clear();
    },
  };
}

/**
 * torch MaxPool2d(ceil_mode=True): output side ceil((n - k) / s) + 1. tfjs has no ceil mode, so pad the
 * bottom/right edge up to the last window. Zero is a neutral pad value here because every ceil-mode pool
 * in SqueezeNet follows a ReLU (inputs >= 0), and at a tie the ReLU's zero gradient makes routing moot.
 */
function maxPoolCeil(x: tf.Tensor4D, k: number, s: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const need = (n: number) => (Math.ceil((n - k) / s) * s + k) - n;
  const ph = need(h);
  const pw = need(w);
  const padded = ph > 0 || pw > 0 ? tf.pad(x, [[0, 0], [0, ph], [0, pw], [0, 0]]) : x;
  return tf.maxPool(padded, k, s, 'valid');
}
