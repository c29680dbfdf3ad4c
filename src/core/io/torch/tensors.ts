// Torch tensors inside a pickle: storages arrive through persistent ids, tensors through
// torch._utils._rebuild_tensor(_v2) calls that name a storage, an element offset, a size and a stride.
// Several tensors may share one storage and any of them may be a strided view of it.

import { type DType, type HostTensor, type TensorData, numel } from '../tensor';
import { PyDict, PyGlobal, PyObject, type UnpickleHooks } from './pickle';

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8',
  ByteStorage: 'uint8', BoolStorage: 'bool', UntypedStorage: 'uint8',
};

export class TorchFormatError extends Error {
  override name = 'TorchFormatError';
}

/** One storage of the file; `data` is filled in once its bytes have been located. */
export interface StorageRef {
  key: string;
  dtype: DType;
  /** Location tag such as 'cpu' or 'cuda:0'; irrelevant here, every storage is read to the host. */
  location: string;
  numel: number;
  /** Legacy storage views: this storage starts `viewOffset` elements into storage `key`. */
  viewOffset: number;
  data?: TensorData;
}

export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

/** Hooks that turn torch's persistent ids and rebuild calls into StorageRef / TensorRef values. */
export function torchHooks(storages: Map<string, StorageRef>): UnpickleHooks {
  return {
    persistentLoad(pid) {
      if (!Array.isArray(pid) || String(pid[0]).toLowerCase() !== 'storage') {
        throw new TorchFormatError(`unsupported persistent id ${describe(pid)} (only tensor storages are supported)`);
      }
      const [, type, key, location, count, viewMeta] = pid;
      const dtype = type instanceof PyGlobal ? STORAGE_DTYPES[type.name] : undefined;
      if (!dtype) throw new TorchFormatError(`unsupported storage type ${describe(type)}`);
      const rootKey = String(key);
      let root = storages.get(rootKey);
      if (!root) {
        root = { key: rootKey, dtype, location: String(location), numel: Number(count), viewOffset: 0 };
        storages.set(rootKey, root);
      }
      if (Array.isArray(viewMeta)) {
        // Old torch saved views of storages: (view_key, offset, size), offset counted in elements.
        const [, offset, size] = viewMeta;
        return { ...root, viewOffset: toCount(offset, 'storage view offset'), numel: toCount(size, 'storage view size'), data: undefined, key: rootKey };
      }
      return root;
    },
    call(fn, args) {
      if (fn.module !== 'torch._utils') return undefined;
      switch (fn.name) {
        case '_rebuild_tensor': // (storage, offset, size, stride): torch < 0.4
        case '_rebuild_tensor_v2': // (..., requires_grad, backward_hooks[, metadata])
        case '_rebuild_tensor_v3': // (..., dtype, metadata): same leading four
          return rebuildTensor(args);
        case '_rebuild_parameter': // (data, requires_grad, backward_hooks)
        case '_rebuild_parameter_with_state':
          return args[0];
        default:
          return undefined;
      }
    },
  };
}

function rebuildTensor(args: unknown[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!isStorage(storage)) throw new TorchFormatError('tensor rebuild without a storage');
  const shape = toInts(size, 'size');
  const strides = toInts(stride, 'stride');
  if (shape.length !== strides.length) throw new TorchFormatError('tensor size and stride differ in length');
  if (shape.some((d) => d < 0)) throw new TorchFormatError(`tensor size [${shape}] has a negative dimension`);
  return new TensorRef(storage, toCount(offset, 'storage offset'), shape, strides);
}

function isStorage(v: unknown): v is StorageRef {
  return typeof v === 'object' && v !== null && 'key' in v && 'dtype' in v && 'viewOffset' in v;
}

function toInts(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new TorchFormatError(`tensor ${what} is not a tuple`);
  if (v.length > 32) throw new TorchFormatError(`tensor ${what} has ${v.length} dimensions`);
  return v.map((x) => {
    const n = typeof x === 'bigint' || typeof x === 'number' ? Number(x) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new TorchFormatError(`tensor ${what} holds ${describe(x)}, not an integer`);
    return n;
  });
}

function toCount(x: unknown, what: string): number {
  const n = typeof x === 'bigint' || typeof x === 'number' ? Number(x) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new TorchFormatError(`${what} ${describe(x)} is not a non-negative integer`);
  return n;
}

/** Copies a (possibly strided, offset) view out of its storage into a row-major array. */
export function materialize(t: TensorRef, rootData: TensorData): HostTensor {
  const n = numel(t.shape);
  const base = t.storage.viewOffset + t.offset;
  const Ctor = rootData.constructor as { new (n: number): TensorData };
  if (n === 0) return { dtype: t.storage.dtype, shape: t.shape, data: new Ctor(0) };
  // Checked before allocating: the view must lie inside its storage, so the file's size bounds the copy.
  // Broadcast views (zero or overlapping strides) with more elements than their storage are refused.
  if (n > rootData.length) {
    throw new TorchFormatError(`tensor of shape [${t.shape}] has ${n} elements but its storage holds ${rootData.length}`);
  }
  let minIndex = base;
  let maxIndex = base;
  for (let d = 0; d < t.shape.length; d++) {
    const span = (t.shape[d] - 1) * t.stride[d];
    if (span < 0) minIndex += span;
    else maxIndex += span;
  }
  if (minIndex < 0 || maxIndex >= rootData.length) {
    throw new TorchFormatError(
      `tensor view reaches elements ${minIndex}..${maxIndex} of a storage with ${rootData.length} (corrupt or truncated file)`,
    );
  }
  const out = new Ctor(n);
  const rank = t.shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = base;
  for (let i = 0; i < n; i++) {
    (out as unknown as ArrayLike<unknown> & Record<number, unknown>)[i] = rootData[src];
    // Odometer increment over the shape, moving `src` by the matching strides.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      src += t.stride[d];
      if (index[d] < t.shape[d]) break;
      src -= t.stride[d] * t.shape[d];
      index[d] = 0;
    }
  }
  return { dtype: t.storage.dtype, shape: t.shape, data: out };
}

/**
 * Walks a loaded object (state dict, or a checkpoint dict holding one) and collects tensors under
 * dotted names. Non-tensor leaves (ints, strings, metadata) are skipped.
 */
export function collectTensors(
  root: unknown,
  resolve: (t: TensorRef) => HostTensor,
): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (depth > 8) return;
    if (v instanceof TensorRef) {
      out.set(prefix, resolve(v));
    } else if (v instanceof PyDict) {
      for (const [k, x] of v) walk(x, prefix ? `${prefix}.${String(k)}` : String(k), depth + 1);
    } else if (v instanceof PyObject && v.state instanceof PyDict) {
      walk(v.state, prefix, depth + 1);
    }
  };
  walk(root, '', 0);
  if (out.size === 0) throw new TorchFormatError('no tensors found in the file');
  return out;
}

function describe(v: unknown): string {
  if (v instanceof PyGlobal) return v.path;
  try {
    return String(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))).slice(0, 80);
  } catch {
    return '(an unprintable value)'; // cyclic or deeply nested pickle data
  }
}

