// A pickle virtual machine for the subset of opcodes torch.save emits (protocols 2-4, plus the Python 2
// string opcodes found in old checkpoints). It never executes code: globals become PyGlobal markers and
// calls are resolved by the caller's hooks, or kept as inert PyObject records.

export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

/** dict and collections.OrderedDict. `attributes` collects BUILD state (e.g. a state dict's _metadata). */
export class PyDict extends Map<unknown, unknown> {
  attributes: unknown = undefined;
}

/** An object the hooks did not interpret: the callable (or class) and its arguments. */
export class PyObject {
  state: unknown = undefined;
  constructor(readonly callable: PyGlobal, readonly args: unknown[]) {}
}

export interface UnpickleHooks {
  /** Value for a persistent id (torch: storages). */
  persistentLoad?(pid: unknown): unknown;
  /** Result of calling `fn(...args)` (REDUCE / NEWOBJ), or undefined to fall back to the defaults. */
  call?(fn: PyGlobal, args: unknown[]): unknown;
}

export class PickleError extends Error {
  override name = 'PickleError';
}


export interface UnpickleResult {
  value: unknown;
  /** Offset just past the STOP opcode (legacy torch files hold several pickles back to back). */
  end: number;
}

export function unpickle(bytes: Uint8Array, start = 0, hooks: UnpickleHooks = {}): UnpickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  let p = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number): number => {
    if (p + n > bytes.byteLength) throw new PickleError(`truncated pickle: needed ${n} bytes at offset ${p}`);
    const at = p;
    p += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleError('pickle length field too large');
    return Number(v);
  };
  const take = (n: number) => bytes.subarray(need(n), p);
  const line = () => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new PickleError(`truncated pickle: unterminated text line at offset ${p}`);
    const s = latin1.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) throw new PickleError(`pickle stack underflow at offset ${p - 1}`);
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw new PickleError(`pickle stack underflow at offset ${p - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw new PickleError(`pickle MARK missing at offset ${p - 1}`);
    stack = prev;
    return items;
  };
  const getMemo = (i: number) => {
    if (!memo.has(i)) throw new PickleError(`pickle memo key ${i} missing`);
    return memo.get(i);
  };
  const setItems = (target: unknown, kv: unknown[]) => {
    if (!(target instanceof Map)) throw new PickleError('SETITEM(S) on something that is not a dict');
    for (let i = 0; i + 1 < kv.length; i += 2) target.set(kv[i], kv[i + 1]);
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    if (!Array.isArray(target)) throw new PickleError('APPEND(S) on something that is not a list');
    for (const item of items) target.push(item); // not push(...items): a long MARK run would overflow the call stack
  };
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (!(fn instanceof PyGlobal)) throw new PickleError('pickle calls something that is not a global');
    const hooked = hooks.call?.(fn, args);
    if (hooked !== undefined) return hooked;
    return defaultCall(fn, args);
  };

  for (;;) {
    const at = p;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: need(8); break; // FRAME: framing is only a read-ahead hint
      case 0x2e: // STOP
        if (stack.length !== 1) throw new PickleError(`pickle ended with ${stack.length} values on the stack`);
        return { value: stack[0], end: p };
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
      case 0x8a: stack.push(decodeLong(take(u8()))); break; // LONG1 (torch's legacy magic number)
      case 0x8b: stack.push(decodeLong(take(u32()))); break; // LONG4
      case 0x49: { // INT (text); "01"/"00" are Python 2 booleans
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : parseTextInt(s));
        break;
      }
      case 0x4c: stack.push(parseTextInt(line().replace(/L$/, ''))); break; // LONG (text)
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8.decode(take(u64()))); break; // BINUNICODE8
      case 0x54: stack.push(latin1.decode(take(u32()))); break; // BINSTRING (Python 2 str)
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING (Python 2 str)
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(parseTextInt(line()) as number, top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(getMemo(u8())); break; // BINGET
      case 0x6a: stack.push(getMemo(u32())); break; // LONG_BINGET
      case 0x67: stack.push(getMemo(parseTextInt(line()) as number)); break; // GET
      case 0x63: { // GLOBAL "module\nname\n"
        const module = line();
        stack.push(new PyGlobal(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push(new PyGlobal(String(module), String(name)));
        break;
      }
      case 0x74: { const items = popMark(); stack.push(items); break; } // TUPLE (popMark swaps `stack`)
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x64: { const kv = popMark(); const d = new PyDict(); setItems(d, kv); stack.push(d); break; } // DICT
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, asArgs(args))); break; } // REDUCE
      case 0x81: { const args = pop(); const cls = pop(); stack.push(call(cls, asArgs(args))); break; } // NEWOBJ
      case 0x62: { const state = pop(); build(top(), state); break; } // BUILD
      case 0x51: stack.push(persistent(pop())); break; // BINPERSID
      case 0x50: stack.push(persistent(line())); break; // PERSID
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      default:
        throw new PickleError(
          `unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at} (not a torch weight file?)`,
        );
    }
  }

  function persistent(pid: unknown): unknown {
    if (!hooks.persistentLoad) throw new PickleError('pickle uses persistent ids but no loader was given');
    return hooks.persistentLoad(pid);
  }
}

function asArgs(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new PickleError('pickle call arguments are not a tuple');
  return v;
}

function defaultCall(fn: PyGlobal, args: unknown[]): unknown {
  if (fn.name === 'OrderedDict' || fn.name === 'dict') {
    const d = new PyDict();
    // Python 2 pickles pass an OrderedDict's content as one argument: a list of [key, value] pairs.
    const items = args[0];
    if (Array.isArray(items)) {
      for (const pair of items) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new PickleError(`${fn.path} argument is not a list of pairs`);
        d.set(pair[0], pair[1]);
      }
    } else if (items instanceof Map) {
      for (const [k, v] of items) d.set(k, v);
    }
    return d;
  }
  return new PyObject(fn, args);
}

function build(target: unknown, state: unknown): void {
  if (target instanceof PyDict) target.attributes = state;
  else if (target instanceof PyObject) target.state = state;
  // Other BUILD targets (e.g. tensors from hooks) carry nothing we need.
}

/** Longest LONG1/LONG4 accepted: torch writes at most 10 bytes (the legacy magic); decoding is quadratic. */
const MAX_LONG_BYTES = 64;
/** Decimal integers of the text opcodes (INT, LONG, PUT, GET), at most 40 digits. */
const TEXT_INT = /^[-+]?\d{1,40}$/;

/** Little-endian two's complement; a number when it fits exactly, else a bigint. */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length > MAX_LONG_BYTES) throw new PickleError(`pickle integer of ${b.length} bytes is too long for a weight file`);
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseTextInt(s: string): number | bigint {
  const text = s.trim();
  if (!TEXT_INT.test(text)) {
    throw new PickleError(`pickle text integer "${text.slice(0, 24)}" is not a decimal integer`);
  }
  const v = BigInt(text);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
