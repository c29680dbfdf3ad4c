// Where saved runs live: one small interface, so the autosaver can be tested against an in-memory
// fake and the page uses IndexedDB (indexedDbRunStorage.ts). A run is kept as two records: the small
// description the list shows, and the payload (run file bytes, config, points, loss history) read only
// to resume.
import type { Config } from '../core/config';

export interface SavedRunMeta {
  id: string;
  /** e.g. "CD on moons, seed 1". */
  name: string;
  /** When the run started (ms since the epoch), and when it was last saved. */
  createdAt: number;
  savedAt: number;
  step: number;
  /** The settings that tell runs apart, e.g. "CD · moons · MLP 4x256 · batch 256 · lr 0.005". */
  summary: string;
  /** A small picture of the latest samples (a PNG data URL), or null when there was none yet. */
  thumbnail: string | null;
  /** Size of the run file in bytes. */
  bytes: number;
}

export interface SavedRunPayload {
  /** The run file (src/core/run/runFile.ts) of the checkpoint. */
  runFile: ArrayBuffer;
  /** Settings as they were; validated again before use. */
  config: Config;
  /** Custom 2D points (the user's coordinates), if the run trains on them. */
  points: Float64Array | null;
  /** Loss history for the chart: step numbers and values. */
  lossSteps: Float64Array;
  lossValues: Float64Array;
}

export interface SavedRun extends SavedRunMeta, SavedRunPayload {}

export interface RunStorage {
  /** Descriptions of every kept run, newest save first. */
  list(): Promise<SavedRunMeta[]>;
  load(id: string): Promise<SavedRun | null>;
  /** Writes (or replaces) the run with this id; throws StorageFullError when the browser refuses for space. */
  save(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

/** The browser keeps no storage for this page (private mode, blocked site data, no IndexedDB). */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** The write did not fit in the space the browser allows this page. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

/** Browsers name a full store "QuotaExceededError" (Firefox also NS_ERROR_DOM_QUOTA_REACHED). */
export function isQuotaError(e: unknown): boolean {
  if (e instanceof StorageFullError) return true;
  const name = (e as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export const newestFirst = (a: SavedRunMeta, b: SavedRunMeta) => b.savedAt - a.savedAt;
