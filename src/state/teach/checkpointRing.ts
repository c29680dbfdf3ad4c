// A few checkpoints of one run for Rewind (TensorFlow Playground's users asked to go back to the same
// initialisation, tensorflow/playground#25). Bounded: when full, the checkpoint closest to its predecessor
// goes, so the kept ones stay spread over the whole run; the first (the initialisation) and the newest stay.
export interface RingEntry<Q> {
  step: number;
  bytes: ArrayBuffer;
  /** The evaluation at this step, when there was one. */
  quality: Q | null;
}

export class CheckpointRing<Q> {
  private items: RingEntry<Q>[] = [];

  constructor(readonly capacity = 10) {
    if (capacity < 2) throw new RangeError('a checkpoint ring keeps at least 2 entries');
  }

  get entries(): readonly RingEntry<Q>[] {
    return this.items;
  }

  /** Keeps the entries in step order; a checkpoint at a step already kept replaces it. */
  add(entry: RingEntry<Q>): void {
    this.items = this.items.filter((e) => e.step !== entry.step);
    const at = this.items.findIndex((e) => e.step > entry.step);
    this.items.splice(at < 0 ? this.items.length : at, 0, entry);
    while (this.items.length > this.capacity) {
      let drop = 1;
      for (let i = 2; i < this.items.length - 1; i++) {
        if (this.items[i].step - this.items[i - 1].step < this.items[drop].step - this.items[drop - 1].step) drop = i;
      }
      this.items.splice(drop, 1);
    }
  }

  find(step: number): RingEntry<Q> | null {
    return this.items.find((e) => e.step === step) ?? null;
  }

  /** The run went back to `step` (Rewind, a restored good state): later entries belong to an abandoned future. */
  dropAfter(step: number): void {
    this.items = this.items.filter((e) => e.step <= step);
  }

  clear(): void {
    this.items = [];
  }
}
