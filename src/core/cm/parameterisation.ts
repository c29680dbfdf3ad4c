// Consistency-model parameterisation (reference section 2), on float64 JS numbers. The boundary
// condition f(x, eps) = x holds exactly because c_skip(eps) = 1 and c_out(eps) = 0 bit for bit.

export function cSkip(t: number, eps: number, sigmaData: number): number {
  const s2 = sigmaData * sigmaData;
  return s2 / ((t - eps) ** 2 + s2);
}

export function cOut(t: number, eps: number, sigmaData: number): number {
  return (sigmaData * (t - eps)) / Math.sqrt(sigmaData * sigmaData + t * t);
}

export function cIn(t: number, sigmaData: number): number {
  return 1 / Math.sqrt(t * t + sigmaData * sigmaData);
}

export type CNoiseConvention = 'jax' | 'pytorch';

/** c_noise(t) = 0.25 ln t (JAX code); the PyTorch code uses 1000 times that. */
export function cNoise(t: number, convention: CNoiseConvention = 'jax'): number {
  const v = 0.25 * Math.log(t);
  return convention === 'jax' ? v : 1000 * v;
}

/** EDM denoiser scalings (unshifted) used by a diffusion teacher D(x, t). */
export function edmSkip(t: number, sigmaData: number): number {
  const s2 = sigmaData * sigmaData;
  return s2 / (t * t + s2);
}

export function edmOut(t: number, sigmaData: number): number {
  return (t * sigmaData) / Math.sqrt(t * t + sigmaData * sigmaData);
}

/** EDM loss weight (t^2 + sigma_d^2) / (t sigma_d)^2. */
export function edmLossWeight(t: number, sigmaData: number): number {
  return (t * t + sigmaData * sigmaData) / (t * sigmaData) ** 2;
}
