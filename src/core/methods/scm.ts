// sCT and sCD: continuous-time consistency models in TrigFlow (Lu & Song, ICLR 2025; few-step-methods.md §4).
//   x_t = cos t x_0 + sin t z, z ~ N(0, sd^2 I), t in [0, pi/2];  f(x_t, t) = cos t x_t - sin t sd F(x_t/sd, t)
//   g = -cos^2 t (sd F^- - dx_t/dt) - r (cos t sin t x_t + sd cos t sin t dF^-/dt),  g <- g / (|g| + c)
//   L(theta, phi) = e^{w_phi(t)}/D |F_theta(x_t/sd, t) - F^- - g|^2 - w_phi(t)   (Algorithm 1)
// dx_t/dt is cos t z - sin t x_0 for sCT and the teacher's velocity (cos t x_t - D(x_t/cos t, sd tan t))/sin t
// for sCD (§4.3). The JVP sd cos t sin t dF^-/dt is a Jacobian-vector product of the network (jvp.ts).
// w_phi(t) (setting scmAdaptiveWeight, §4.2) is a zero-initialised linear layer on sinusoidal features of
// t/32; its two pieces ride after the network's parameters (extraParams, methodParams.ts), so Adam, the EMAs,
// checkpoints and run files carry them. At its optimum e^{w*(t)} = D / E[|F - F^- - g|^2 | t]: every time
// contributes about equally. The loss reported is the unweighted 1/D |F - F^- - g|^2 (the objective is
// negative at its optimum); the gradient is the objective's. Off by default: on short 2D runs it made sCD
// worse and sCT mixed (numbers in the setting's help). One departure from the paper: the consistency
// loss starts after `scmPretrain` steps of TrigFlow diffusion training (Eq. 4) on the same target velocity,
// standing in for its initialisation from a trained teacher (sheet §4.5 suggests it for sCT); w_phi is held
// at 0 during those steps.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { frequencyTensor, sinusoidalFeatures, timeFrequencies } from '../models/timeFeatures';
import type { ParamInfo } from '../models/types';
import type { Rng } from '../rng';
import { perSample, sampleSize } from '../tensorUtil';
import { showAs } from './common';
import { jvp, jvpChoice } from './jvp';
import { paramIndex } from './methodParams';
import { trigFlowTime } from './timeConventions';
import type { MethodContext, MethodDraws, TrainingMethod, UnitNoise } from './types';

/** The network sees c = t / 32: its features then have at most 2 rad per unit t (sheet §4.8: low frequencies). */
export const SCM_TIME_SCALE = 1 / 32;

/** TrigFlow time of tau = ln sigma: t = arctan(e^tau / sd); with tau ~ N(Pm, Ps^2) it is the proposal of §4.2. */
export function scmTimeOfTau(tau: number, sigmaData: number): number {
  return Math.atan(Math.exp(tau) / sigmaData);
}

export interface ScmDraws extends MethodDraws {
  /** z ~ N(0, sd^2 I), [B, ...dataShape]. */
  z: Float32Array;
  /** TrigFlow times, clamped to [arctan(eps/sd), arctan(T/sd)]. */
  t: Float64Array;
}

export interface ScmTarget {
  /** x_t / sd and the time input: the online network's inputs. */
  xIn: tf.Tensor;
  cond: tf.Tensor1D;
  /** What F_theta regresses onto: F^- + normalised g, or (pre-training) dx_t/dt / sd. */
  target: tf.Tensor;
}

const timeInput = (t: tf.Tensor1D): tf.Tensor1D => tf.mul(t, SCM_TIME_SCALE);

/** F(x_t / sd, t) for TrigFlow times t (a tensor [B]). */
export function trigflowF(ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, t: tf.Tensor1D): tf.Tensor {
  return ctx.net.forward(params, tf.div(x, ctx.config.sigmaData), timeInput(t));
}

/** f(x_t, t) = cos t x_t - sin t sd F(x_t / sd, t); f(x, 0) = x exactly (sin 0 = 0, cos 0 = 1). */
export function trigflowConsistency(ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, t: Float64Array): tf.Tensor {
  const sd = ctx.config.sigmaData;
  const F = trigflowF(ctx, params, x, tf.tensor1d(Float32Array.from(t)));
  const cos = perSample(Array.from(t, Math.cos), x.rank);
  const sinSd = perSample(Array.from(t, (v) => sd * Math.sin(v)), x.rank);
  return tf.sub(tf.mul(cos, x), tf.mul(sinSd, F));
}

/**
 * The normalised tangent of Algorithm 1: g = -cos^2 t (sd F^- - dxdt) - r (cos t sin t x_t + jvp),
 * g / (|g| + c) per sample, where jvp = sd cos t sin t dF^-/dt (the rearranged product of §4.2).
 */
export function scmTangent(
  Fminus: tf.Tensor, dxdt: tf.Tensor, xt: tf.Tensor, jvpValue: tf.Tensor, t: Float64Array, r: number, sigmaData: number, c: number,
): tf.Tensor {
  const rank = xt.rank;
  const cos2 = perSample(Array.from(t, (v) => Math.cos(v) ** 2), rank);
  const cosSin = perSample(Array.from(t, (v) => Math.cos(v) * Math.sin(v)), rank);
  const g = tf.sub(
    tf.neg(tf.mul(cos2, tf.sub(tf.mul(Fminus, sigmaData), dxdt))),
    tf.mul(r, tf.add(tf.mul(cosSin, xt), jvpValue)),
  );
  const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  const norm = tf.sqrt(tf.sum(tf.square(g), axes, true));
  return tf.div(g, tf.add(norm, c));
}

/**
 * Tangent warm-up r = min(1, k / H), k counted from the end of the diffusion pre-training, with H = scmWarmup
 * or a tenth of the run's steps when that is 0.
 */
export function tangentWarmup(config: Config, step: number): number {
  const H = config.scmWarmup > 0 ? config.scmWarmup : Math.max(1, Math.round(config.steps / 10));
  return Math.min(1, Math.max(0, step - config.scmPretrain) / H);
}

/** w_phi's pieces (run-bundle tensors online/wphi.weight [F, 1], online/wphi.bias [1]) when the setting is on. */
export function adaptiveWeightParams(c: Config): ParamInfo[] {
  return c.scmAdaptiveWeight === 'learned' ? [{ name: 'wphi.weight', shape: [c.timeFeatures, 1] }, { name: 'wphi.bias', shape: [1] }] : [];
}

/**
 * w_phi(t) = phi(c) W + b, [B], with phi = [sin(w_j c), cos(w_j c)] of c = t/32 (the MLP's features: F =
 * timeFeatures, frequencies 1..64). `cond` is c; W and b are found by name among ctx.net's parameters.
 */
export function adaptiveWeight(ctx: MethodContext, params: readonly tf.Tensor[], cond: tf.Tensor1D): tf.Tensor1D {
  const W = params[paramIndex(ctx.net.params, 'wphi.weight')] as tf.Tensor2D;
  const b = params[paramIndex(ctx.net.params, 'wphi.bias')];
  const feats = sinusoidalFeatures(cond, frequencyTensor(timeFrequencies(ctx.config.timeFeatures)));
  return tf.add(tf.reshape(tf.matMul(feats, W), [-1]), b) as tf.Tensor1D;
}

/** Algorithm 1's objective, mean over the batch of e^w/D |F - target|^2 - w (w: [B]). */
export function adaptiveObjective(F: tf.Tensor, target: tf.Tensor, w: tf.Tensor1D): tf.Scalar {
  const axes = Array.from({ length: F.rank - 1 }, (_, i) => i + 1);
  const D = F.size / F.shape[0];
  const perRow = tf.div(tf.sum(tf.squaredDifference(F, target), axes), D);
  return tf.mean(tf.sub(tf.mul(tf.exp(w), perRow), w));
}

function drawScm(ctx: MethodContext, rng: { data: Rng; train: Rng }): ScmDraws {
  const c = ctx.config;
  const B = c.batchSize;
  const sd = c.sigmaData;
  const x0 = ctx.data.sample(B, rng.data);
  const tMin = Math.atan(c.eps / sd);
  const tMax = Math.atan(c.T / sd);
  const t = new Float64Array(B);
  for (let i = 0; i < B; i++) t[i] = Math.min(tMax, Math.max(tMin, scmTimeOfTau(c.scmPm + c.scmPs * rng.train.normal(), sd)));
  const z = rng.train.normals(B * sampleSize(ctx.dataShape), sd);
  return { x0, z, t };
}

/** x_t = cos t x_0 + sin t z and, for sCT, dx_t/dt = cos t z - sin t x_0, on the host in float64. */
export function trigflowPoint(d: ScmDraws): { xt: Float32Array; dxdt: Float32Array } {
  const B = d.t.length;
  const size = d.x0.length / B;
  const xt = new Float32Array(d.x0.length);
  const dxdt = new Float32Array(d.x0.length);
  for (let i = 0; i < B; i++) {
    const c = Math.cos(d.t[i]);
    const s = Math.sin(d.t[i]);
    for (let j = i * size; j < (i + 1) * size; j++) {
      xt[j] = c * d.x0[j] + s * d.z[j];
      dxdt[j] = c * d.z[j] - s * d.x0[j];
    }
  }
  return { xt, dxdt };
}

/** The teacher's TrigFlow velocity sd F_pre = (cos t x_t - D(x_t / cos t, sd tan t)) / sin t (§4.3). */
export function teacherVelocity(ctx: MethodContext, xt: tf.Tensor, t: Float64Array): tf.Tensor {
  if (!ctx.teacher) throw new Error('sCD needs a teacher');
  const sd = ctx.config.sigmaData;
  const r = xt.rank;
  const xSigma = tf.mul(xt, perSample(Array.from(t, (v) => 1 / Math.cos(v)), r));
  const D = ctx.teacher.denoise(xSigma, Float64Array.from(t, (v) => sd * Math.tan(v)));
  return tf.div(tf.sub(tf.mul(xt, perSample(Array.from(t, Math.cos), r)), D), perSample(Array.from(t, Math.sin), r));
}

function scmMethod(id: 'sct' | 'scd'): TrainingMethod<ScmDraws, ScmTarget> {
  return {
    id,
    time: trigFlowTime(0.5), // config.ts requires sigma_d = 0.5 for sCT/sCD
    timeInputs: 1,
    jumps: 'data-end',
    needsTeacher: id === 'scd' ? 'distil' : 'none',
    targetDecay: () => 0,
    extraParams: adaptiveWeightParams,
    jump(ctx, params, x, t) {
      return trigflowConsistency(ctx, params, x, t);
    },
    sample(ctx, params, noise: UnitNoise) {
      const c = ctx.config;
      const sd = c.sigmaData;
      const shape = [noise.initial.length / sampleSize(ctx.dataShape), ...ctx.dataShape];
      const B = shape[0];
      const tMax = Math.atan(c.T / sd);
      const out = [trigflowConsistency(ctx, params, tf.mul(tf.tensor(noise.initial, shape), sd), new Float64Array(B).fill(tMax))];
      // Multistep: re-noise to TrigFlow time arctan(tau / sd) for each shared tau (EDM sigma) and map again.
      c.taus.slice(0, noise.perStep.length).forEach((tau, i) => {
        const tMid = Math.atan(Math.min(c.T, Math.max(c.eps, tau)) / sd);
        const renoised = tf.add(tf.mul(out[i], Math.cos(tMid)), tf.mul(tf.tensor(noise.perStep[i], shape), sd * Math.sin(tMid)));
        out.push(trigflowConsistency(ctx, params, renoised, new Float64Array(B).fill(tMid)));
      });
      return out;
    },
    sampleBudgets: (c) => [1, ...c.taus.map((_, i) => i + 2)],
    draw: (ctx, rng) => drawScm(ctx, rng),
    target(ctx, targetParams, d, step) {
      return tf.tidy(() => {
        const c = ctx.config;
        const sd = c.sigmaData;
        const shape = [d.t.length, ...ctx.dataShape];
        const host = trigflowPoint(d);
        const xt = tf.tensor(host.xt, shape);
        const dxdt = id === 'sct' ? tf.tensor(host.dxdt, shape) : teacherVelocity(ctx, xt, d.t);
        const xIn = tf.div(xt, sd);
        const tT = tf.tensor1d(Float32Array.from(d.t));
        const cond = timeInput(tT);
        if (step < c.scmPretrain) return { xIn, cond, target: tf.div(dxdt, sd) }; // Eq. 4: sd F ~ dx_t/dt
        const G = (x: tf.Tensor, tt: tf.Tensor) => ctx.net.forward(targetParams, x, timeInput(tt as tf.Tensor1D));
        const Fminus = G(xIn, tT);
        const cosSin = Array.from(d.t, (v) => Math.cos(v) * Math.sin(v));
        const tangentX = tf.mul(perSample(cosSin, xt.rank), dxdt);
        const tangentT = tf.tensor1d(Float32Array.from(cosSin, (v) => v * sd));
        const jv = jvp(G, [xIn, tT], [tangentX, tangentT], jvpChoice(c.activation, c.jvpRoute, c.model));
        const g = scmTangent(Fminus, dxdt, xt, jv, d.t, tangentWarmup(c, step), sd, c.scmC);
        return { xIn, cond, target: tf.add(Fminus, g) };
      });
    },
    loss(ctx, params, _d, target, step) {
      const F = ctx.net.forward(params, target.xIn, target.cond);
      const plain = tf.mean(tf.squaredDifference(F, target.target)) as tf.Scalar;
      if (ctx.config.scmAdaptiveWeight !== 'learned') return plain;
      const w = adaptiveWeight(ctx, params, target.cond);
      // Pre-training (Eq. 4) holds w_phi at 0: a zero multiple keeps it on the tape (tfjs refuses a parameter without gradient).
      if (step < ctx.config.scmPretrain) return tf.add(plain, tf.mul(tf.sum(w), 0)) as tf.Scalar;
      return showAs(adaptiveObjective(F, target.target, w), plain);
    },
  };
}

export const sctMethod = scmMethod('sct');
export const scdMethod = scmMethod('scd');
