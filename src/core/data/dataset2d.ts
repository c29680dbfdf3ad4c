// A ready-to-train 2D dataset: the mixture in normalised coordinates (std sigma_data per coordinate)
// and the map back to the data's own coordinates for exports.
import type { Rng } from '../rng';
import { normaliseMixture, normalisationFor, pointSetMixture, sampleMixture, type Mixture, type Normalisation } from './mixture';
import { PRESET_NAMES, presetMixture, type PresetName } from './presets2d';

export interface Dataset2D {
  name: string;
  /** The distribution in normalised coordinates: what the model and the exact teacher see. */
  mixture: Mixture;
  normalisation: Normalisation;
  sample(n: number, rng: Rng): Float32Array;
}

export function isPreset(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

function fromMixture(name: string, raw: Mixture, normalisation: Normalisation): Dataset2D {
  const mixture = normaliseMixture(raw, normalisation);
  return { name, mixture, normalisation, sample: (n, rng) => sampleMixture(mixture, n, rng) };
}

export function presetDataset(name: PresetName, sigmaData: number): Dataset2D {
  const raw = presetMixture(name);
  return fromMixture(name, raw, normalisationFor(raw, sigmaData));
}

/**
 * User points (drawn or uploaded), in their own coordinates. The normalisation comes from the points
 * alone; `smoothingNormalised` is each point's std after normalisation (reference section 10).
 */
export function customDataset(points: ArrayLike<number>, sigmaData: number, smoothingNormalised: number): Dataset2D {
  const n = Math.floor(points.length / 2);
  if (n < 2) throw new RangeError(`custom data need at least 2 points (got ${n})`);
  for (let i = 0; i < 2 * n; i++) {
    if (!Number.isFinite(points[i])) throw new RangeError(`custom point ${Math.floor(i / 2) + 1} has a non-finite coordinate`);
  }
  const bare = pointSetMixture(points, 2, 0);
  const normalisation = normalisationFor(bare, sigmaData);
  if (!(normalisation.scale > 0) || !Number.isFinite(normalisation.scale)) throw new RangeError('custom points must not all coincide');
  const raw = pointSetMixture(points, 2, smoothingNormalised / normalisation.scale);
  return fromMixture('custom', raw, normalisation);
}

export { parsePointsCsv, PointsCsvError } from './pointsCsv';
