// The four time conventions of few-step-methods.md section 1, each with its link to EDM's
// x_sigma = x_0 + sigma n: sigma = sigmaOf(t), x_sigma = edmScale(t) x_t. Float64 on the host.
import type { TimeConvention } from './types';

/** EDM / CM / ECT: t = sigma. */
export const edmTime: TimeConvention = {
  name: 'edm', dataTime: 0, noiseTime: Number.POSITIVE_INFINITY,
  sigmaOf: (t) => t, timeOf: (sigma) => sigma, edmScale: () => 1,
};

/** TrigFlow (sCM): x_t = cos t x_0 + sin t z, z ~ N(0, sigma_d^2 I); sigma = sigma_d tan t, x_sigma = x_t / cos t. */
export function trigFlowTime(sigmaData: number): TimeConvention {
  return {
    name: 'trigflow', dataTime: 0, noiseTime: Math.PI / 2,
    sigmaOf: (t) => sigmaData * Math.tan(t),
    timeOf: (sigma) => Math.atan(sigma / sigmaData),
    edmScale: (t) => 1 / Math.cos(t),
  };
}

/** Flow matching / MeanFlow: z_t = (1 - t) x + t e, t = 1 noise; sigma = t / (1 - t), x_sigma = z_t / (1 - t). */
export const fmTime: TimeConvention = {
  name: 'fm', dataTime: 0, noiseTime: 1,
  sigmaOf: (t) => t / (1 - t),
  timeOf: (sigma) => (Number.isFinite(sigma) ? sigma / (1 + sigma) : 1),
  edmScale: (t) => 1 / (1 - t),
};

/** Shortcut models: x_t = t x_1 + (1 - t) x_0, t = 1 data; sigma = (1 - t) / t, x_sigma = x_t / t. */
export const shortcutTime: TimeConvention = {
  name: 'fm-data-at-1', dataTime: 1, noiseTime: 0,
  sigmaOf: (t) => (1 - t) / t,
  timeOf: (sigma) => (Number.isFinite(sigma) ? 1 / (1 + sigma) : 0),
  edmScale: (t) => 1 / t,
};
