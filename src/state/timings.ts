// Timing marks for the benchmark (never asserted in tests): performance marks named cm:* and a summary
// on window.__cmTimings, all in ms since the page's time origin or since Train was pressed.
export interface CmTimings {
  /** Page load -> the first training step the page saw (once per page). */
  pageLoadToFirstStepMs: number | null;
  /** Latest Train press -> the first step after it. */
  trainToFirstStepMs: number | null;
  /** Page load -> Train enabled (the first run built). */
  pageLoadToReadyMs: number | null;
  /** Page load -> the first snapshot of a shipped pretrained model (MNIST). */
  pageLoadToPretrainedMs: number | null;
  /** Backend of the latest first step, and auto's reason. */
  backend: string | null;
  backendReason: string | null;
}

export const timings: CmTimings = {
  pageLoadToFirstStepMs: null, trainToFirstStepMs: null, pageLoadToReadyMs: null, pageLoadToPretrainedMs: null, backend: null, backendReason: null,
};
if (typeof window !== 'undefined') (window as unknown as { __cmTimings: CmTimings }).__cmTimings = timings;

let trainPressedAt: number | null = null;

const mark = (name: string) => performance.mark(name);

export function markTrainPressed(): void {
  trainPressedAt = performance.now();
  mark('cm:train-pressed');
}

/** Called on every progress event: the first step after a Train press closes that interval. */
export function markStep(step: number, backend: string | null): void {
  if (step <= 0 || trainPressedAt === null) return;
  const now = performance.now();
  timings.trainToFirstStepMs = now - trainPressedAt;
  timings.backend = backend;
  trainPressedAt = null;
  mark('cm:first-step');
  if (timings.pageLoadToFirstStepMs === null) timings.pageLoadToFirstStepMs = now;
}

export function markReady(): void {
  if (timings.pageLoadToReadyMs !== null) return;
  timings.pageLoadToReadyMs = performance.now();
  mark('cm:ready');
}

export function markPretrainedShown(): void {
  if (timings.pageLoadToPretrainedMs !== null) return;
  timings.pageLoadToPretrainedMs = performance.now();
  mark('cm:pretrained-shown');
}

export function noteBackendReason(summary: string): void {
  timings.backendReason = summary;
  mark('cm:backend-chosen');
}
