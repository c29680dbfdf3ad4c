// LPIPS perceptual metric: public surface of the module.
export { createLpips, DEFAULT_LPIPS_RESOLUTION, type Lpips, type LpipsOptions, type LpipsWeights } from './metric';
export { LPIPS_NETS, NET_SPECS, linKey, type LpipsNet } from './nets';
export {
  assembleLpipsWeights, loadLpipsWeights,
  type AssembleOptions, type LpipsPart, type LpipsWeightsStatus, type WeightFileReport, type WeightPartInput,
} from './weights';
export { KNOWN_LPIPS_FILES } from './knownFiles';
export {
  cachedVerified, downloadVerified, DownloadError, cacheKeyFor,
  type ByteCache, type DownloadOptions, type DownloadResult, type FetchLike, type WeightSource,
} from './download';
export { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES, LPIPS_WEIGHT_TERMS } from './sources';
export { hashUniform, nchwToNhwc, syntheticImagePair, syntheticLpipsWeights, syntheticWeightFiles } from './synthetic';
export { createLpipsForConfig, lpipsConfigProblem, lpipsDistanceFn, lpipsResolutionOf, measureDistanceCost } from './distance';
