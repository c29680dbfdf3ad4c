// Maps any failure to the protocol's error codes, with an actionable message for out-of-memory.
import { SessionError } from '../core/run/session';
import { EditError } from '../core/edit/errors';
import { EditAbortedError } from './editing';
import type { ErrorCode } from './protocol';

export function classify(e: unknown): { code: ErrorCode; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SessionError) return { code: e.code, message };
  if (e instanceof EditError) return { code: 'invalid-edit', message };
  if (e instanceof EditAbortedError) return { code: 'aborted', message };
  if (/out of memory|OOM|allocation failed|Failed to allocate/i.test(message)) {
    return { code: 'out-of-memory', message: `The GPU ran out of memory (${message}). Try a smaller batch size or model.` };
  }
  return { code: 'internal', message };
}
