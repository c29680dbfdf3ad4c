/// <reference lib="webworker" />
// The training worker's entry: routes commands to their handlers (commands.ts), one at a time, and
// answers each with exactly one reply. It imports tfjs and the core only (never UI modules); the page
// sees only protocol events.
import { handle } from './commands';
import { post, w } from './context';
import { editTransfer } from './editing';
import { classify } from './errors';
import type { Command } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// Commands run one at a time, except pause (and view changes) which must act while training runs.
let queue: Promise<unknown> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<Command>) => {
  const cmd = ev.data;
  const run = async () => {
    try {
      const out = await handle(cmd);
      if (out && 'fOnline' in out) post({ type: 'reply', id: cmd.id, ok: true, anatomy: out });
      else if (out && !(out instanceof ArrayBuffer)) post({ type: 'reply', id: cmd.id, ok: true, edit: out }, editTransfer(out));
      else post({ type: 'reply', id: cmd.id, ok: true, bytes: out }, out ? [out] : []);
    } catch (e) {
      const err = classify(e);
      post({ type: 'reply', id: cmd.id, ok: false, error: err });
    }
  };
  if (cmd.type === 'pause') w.pauseEpoch++;
  if (cmd.type === 'pause' || cmd.type === 'abortEdit' || cmd.type === 'setView' || cmd.type === 'snapshot' || cmd.type === 'setStopRules') void run();
  else if (cmd.type === 'start') {
    // A Start waiting behind `prepare` is dropped if the user paused meanwhile.
    const epoch = w.pauseEpoch;
    queue = queue.then(() => (epoch === w.pauseEpoch ? run() : post({ type: 'reply', id: cmd.id, ok: true })));
  } else queue = queue.then(run);
};
