// Zero-shot editing (Algorithm 4 and friends): the public surface for the page, the worker and the CLI.
export { EditError, type EditErrorCode } from './errors';
export { identityMap, patchBasisMap, rotationMap2d, type InvertibleLinearMap } from './linearMap';
export { helmertBasis } from './patchBasis';
export { MASK_PRESETS, isMaskPreset, maskPreset, paintedMask, validateMask, type MaskPreset } from './masks';
export {
  blockMeans, fixCoordinateProblem2d, fixCoordinateReference2d, inpaintingProblem, lineProjectionProblem2d,
  lineReference2d, superResolutionProblem, type EditProblem,
} from './problems';
export { diagonalGaussianConsistencyFn, networkConsistencyFn, type ConsistencyFn } from './consistencyFn';
export { odeConsistencyFn } from './odeConsistencyFn';
export { editNoise, seededEditNoise, seededLatent } from './noise';
export { knownPart, projection, validateEditTimes, zeroShotEdit, type EditRange, type EditRequest, type EditResult } from './algorithm4';
export { addNoise, denoise } from './denoise';
export { evenAlphas, interpolate, slerp, type Interpolation } from './interpolation';
export { editTimes } from './times';
export {
  conditionalSample2d, editImage, normaliseConstraint2d, type Constraint2d, type ConditionalRequest2d, type ImageEdit,
  type ImageEditRequest,
} from './tasks';
