// Zero-shot editing in the page: the user's edit settings, the painted mask and drawing, and the last
// reply of the worker (typed arrays, read by the edit canvases). Edits go to the worker through the
// session's client; its error message is shown as it is.
import { create } from 'zustand';
import { maskPreset, type MaskPreset } from '../core/edit/masks';
import { WorkerCommandError } from '../worker/client';
import type { EditConstraint2d, EditReply, EditRequest } from '../worker/protocol';
import { imageEditRequest, planeEditRequest, type EditInputs, type Mode2d, type PlaneInputs } from './edit/request';
import { session } from './session';

export const SIDE = 28;

export interface EditState extends EditInputs {
  mode2d: Mode2d;
  plane: PlaneInputs;
  /** Brush radius in pixels of the 28x28 image. */
  brush: number;
  /** The reference digit shown under the mask (from the worker). */
  reference: Float32Array | null;
  referenceLabel: number | null;
  busy: boolean;
  /** The user cancelled the edit in flight (its result is dropped). */
  cancelled: boolean;
  error: string | null;
  reply: EditReply | null;
  /** Bumped on every change of the mask or drawing (they are mutated in place while painting). */
  paintVersion: number;
  set(patch: Partial<EditInputs & Pick<EditState, 'mode2d' | 'brush'>>): void;
  setPlane(patch: Partial<PlaneInputs>): void;
  presetMask(name: MaskPreset): void;
  clearMask(): void;
  clearStroke(): void;
  touched(): void;
  loadReference(): Promise<void>;
  runImageEdit(): Promise<EditReply | null>;
  runPlaneEdit(constraint?: EditConstraint2d): Promise<EditReply | null>;
  /** Stops the running edit at its next step; training goes on if it was running. */
  abort(): Promise<void>;
  reset(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useEdit = create<EditState>((set, get) => {
  /** One edit at a time; a newer request while one runs is dropped (the button is disabled anyway). */
  const send = async (req: EditRequest | null, noConstraint: string): Promise<EditReply | null> => {
    if (get().busy) return null;
    if (!req) {
      set({ error: noConstraint });
      return null;
    }
    set({ busy: true, error: null, cancelled: false });
    try {
      const reply = await session().client.edit(req);
      set({ reply, busy: false });
      if (reply.reference) set({ reference: reply.reference, referenceLabel: reply.digit?.label ?? null });
      return reply;
    } catch (e) {
      if (e instanceof WorkerCommandError && e.code === 'aborted') set({ busy: false, cancelled: true });
      else set({ busy: false, error: message(e) });
      return null;
    }
  };

  return {
    task: 'inpaint',
    digit: 0,
    mask: Uint8Array.from(maskPreset('left-half', SIDE, SIDE)),
    stroke: new Float32Array(SIDE * SIDE),
    factor: 4,
    sigma: 0.5,
    seedBase: 0,
    seedCount: 4,
    t1Text: '',
    steps: 3,
    interpSeeds: [0, 1],
    interpCount: 9,
    mode2d: 'line',
    plane: { constraint: null, count: 500, t1Text: '', steps: 8 },
    brush: 1.5,
    reference: null,
    referenceLabel: null,
    busy: false,
    cancelled: false,
    error: null,
    reply: null,
    paintVersion: 0,

    set: (patch) => set({ ...patch, error: null }),
    setPlane: (patch) => set({ plane: { ...get().plane, ...patch }, error: null }),
    presetMask: (name) => set({ mask: Uint8Array.from(maskPreset(name, SIDE, SIDE)), paintVersion: get().paintVersion + 1, error: null }),
    clearMask: () => set({ mask: new Uint8Array(SIDE * SIDE), paintVersion: get().paintVersion + 1 }),
    clearStroke: () => set({ stroke: new Float32Array(SIDE * SIDE), paintVersion: get().paintVersion + 1 }),
    touched: () => set({ paintVersion: get().paintVersion + 1, error: null }),

    async loadReference() {
      try {
        const r = await session().client.edit({ task: 'reference', digit: get().digit, seeds: [0] });
        set({ reference: r.reference, referenceLabel: r.digit?.label ?? null });
      } catch (e) {
        set({ error: message(e) });
      }
    },
    runImageEdit: () => send(imageEditRequest(get()), ''),
    runPlaneEdit(constraint) {
      if (constraint) set({ plane: { ...get().plane, constraint } });
      return send(planeEditRequest(get().plane), 'Drag a line on the canvas first: the samples will keep to it.');
    },
    async abort() {
      if (!get().busy) return;
      try {
        await session().client.abortEdit();
      } catch (e) {
        set({ error: `The edit could not be cancelled: ${message(e)}` });
      }
    },
    reset: () => set({ reply: null, error: null, cancelled: false, reference: null, referenceLabel: null }),
  };
});

// Test hook for the browser tests: the edit state (reply arrays included) without going through pixels.
if (typeof window !== 'undefined') (window as unknown as { __edit?: unknown }).__edit = { state: () => useEdit.getState() };
