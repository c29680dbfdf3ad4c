// LPIPS weights as the page knows them: what the worker reports per backbone, download progress, the
// latest failure with its next option. Actions send the lpips commands through the session's client.
import { create } from 'zustand';
import type { Config } from '../core/config';
import type { LpipsNet } from '../core/lpips/nets';
import type { TrainerClient } from '../worker/client';
import type { LpipsProgressEvent, LpipsSourceOverride, LpipsStatusEvent } from '../worker/protocol';
import { useConfig } from './configStore';
import { useRun } from './runStore';
import { session } from './session';

export interface LpipsState {
  /** The backbone the weights panel manages; follows the run's lpipsNet setting. */
  net: LpipsNet;
  statusByNet: Partial<Record<LpipsNet, LpipsStatusEvent>>;
  /** Backbones with both parts loaded (from the latest status). */
  readyNets: LpipsNet[];
  progress: LpipsProgressEvent | null;
  busy: 'download' | 'files' | 'restore' | null;
  /** The latest failure, as the worker worded it (with the next option). */
  error: string | null;
}

export const useLpips = create<LpipsState>(() => ({
  net: useConfig.getState().config.lpipsNet,
  statusByNet: {},
  readyNets: [],
  progress: null,
  busy: null,
  error: null,
}));

/** Browser tests set this global (page.addInitScript) to serve synthetic files with their own checksums. */
export const LPIPS_TEST_SOURCES_GLOBAL = '__cmLpipsSources';

function testSources(): LpipsSourceOverride | undefined {
  return (globalThis as Record<string, unknown>)[LPIPS_TEST_SOURCES_GLOBAL] as LpipsSourceOverride | undefined;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Why the LPIPS metric cannot be chosen for `config` now, or null. */
export function lpipsMetricReason(config: Pick<Config, 'lpipsNet'>, s: Pick<LpipsState, 'statusByNet' | 'readyNets'>): string | null {
  if (s.readyNets.includes(config.lpipsNet)) return null;
  const missing = s.statusByNet[config.lpipsNet]?.missing ?? ['lin', 'backbone'];
  const what = missing.length === 2 ? 'weights not loaded' : `${missing[0] === 'lin' ? 'lin layers' : 'backbone'} still needed`;
  return `${config.lpipsNet} ${what}`;
}

let connectedTo: TrainerClient | null = null;

/** Listens to the worker's LPIPS events and asks for the cached weights once (idempotent). */
export function connectLpips(client: TrainerClient = session().client): () => void {
  if (connectedTo === client) return () => undefined;
  connectedTo = client;
  const offStatus = client.on('lpipsStatus', (e) => {
    useLpips.setState((s) => ({ statusByNet: { ...s.statusByNet, [e.net]: e }, readyNets: e.readyNets }));
    maybeReconfigure(e.readyNets);
  });
  const offProgress = client.on('lpipsProgress', (e) => useLpips.setState({ progress: e }));
  const offConfig = useConfig.subscribe((s, prev) => {
    if (s.config.lpipsNet !== prev.config.lpipsNet) {
      useLpips.setState({ net: s.config.lpipsNet });
      void restoreLpips();
    }
  });
  void restoreLpips();
  return () => {
    offStatus();
    offProgress();
    offConfig();
    connectedTo = null;
  };
}

/** A run that asked for LPIPS before its weights were there is set up again once they are. */
function maybeReconfigure(readyNets: LpipsNet[]): void {
  const { config } = useConfig.getState();
  const run = useRun.getState();
  if (config.metric === 'lpips' && readyNets.includes(config.lpipsNet) && !run.configured && !run.configuring) {
    void session().configure();
  }
}

async function act(kind: NonNullable<LpipsState['busy']>, work: () => Promise<unknown>): Promise<boolean> {
  useLpips.setState({ busy: kind, error: null, ...(kind === 'download' ? { progress: null } : {}) });
  try {
    await work();
    return true;
  } catch (err) {
    useLpips.setState({ error: message(err) });
    return false;
  } finally {
    useLpips.setState({ busy: null });
  }
}

export function setLpipsNet(net: LpipsNet): void {
  useLpips.setState({ net, error: null });
  void restoreLpips();
}

export function restoreLpips(): Promise<boolean> {
  const { net } = useLpips.getState();
  return act('restore', () => session().client.lpipsRestore(net, testSources()));
}

export function downloadLpips(): Promise<boolean> {
  const { net } = useLpips.getState();
  return act('download', () => session().client.lpipsDownload(net, testSources()));
}

export async function addLpipsFiles(files: File[]): Promise<boolean> {
  if (files.length === 0) return false;
  const { net } = useLpips.getState();
  return act('files', async () => {
    // Files go as handles: the client reads them, and reads them again for a worker restarted after a crash.
    await session().client.lpipsWeights(net, files.map((f) => ({ name: f.name, bytes: f })));
    const problems = useLpips.getState().statusByNet[net]?.problems ?? [];
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
}
