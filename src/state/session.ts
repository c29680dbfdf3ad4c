// Joins the stores to the training worker: config and view changes become commands, worker events
// become run state. The only module that talks to the TrainerClient; UI components call its actions.
import { FIELDS, validateConfig, type Config } from '../core/config';
import { TrainerClient, WorkerCommandError } from '../worker/client';
import type { WorkerEvent } from '../worker/protocol';
import { useConfig } from './configStore';
import type { PretrainedRole } from '../core/run/pretrained';
import { pretrainedRoleFor, pretrainedUnavailableReason } from './configRules';
import { notify, useNotices } from './notices';
import { restartNotice } from './restartNotice';
import { applyProgress, applyQuality, clearRunHistory, isSoftwareRendering, useRun } from './runStore';
import { IMAGE_PROBES_SOFTWARE, useView, viewRequest } from './viewStore';
import { forgetAll, loadRemembered, remember } from './backendMemory';
import { readRunToImport } from './runBundleImport';
import type { SavedRun } from './runStorage';
import { markPretrainedShown, markReady, markStep, markTrainPressed, noteBackendReason } from './timings';

/** Snapshots while the tab is hidden: enough to keep the state fresh, few enough not to slow training. */
const HIDDEN_SNAPSHOT_INTERVAL_MS = 5000;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class Session {
  readonly client: TrainerClient;
  private configureInFlight: Promise<void> | null = null;
  private configureAgain = false;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribers: (() => void)[] = [];
  /** The view request the worker has (JSON), so identical requests are not sent twice. */
  private sentView: string | null = null;
  /** Dataset of the last configure: entering MNIST loads a shipped model (instant start). */
  private configuredDataset: string | null = null;
  /** MNIST: the shipped model to load after every rebuild, until the user resets or imports weights. */
  private wantPretrained: PretrainedRole | null = null;
  /** The tab is hidden: nobody sees the views, so the worker sends snapshots rarely and trains faster. */
  private pageHidden = false;
  /** A Start is on its way (it may wait behind `prepare`): the phase reports in between do not end training. */
  private startPending = false;
  /** A saved run waiting for the configure of its settings, then restored into it. */
  private pendingResume: { run: SavedRun; configJson: string; done: (error: string | null) => void } | null = null;
  /** Told when a new run begins or a saved one continues (the autosaver keys its entries this way). */
  runLifecycle: { newRun(): void; continued(run: SavedRun): void } | null = null;

  constructor(createWorker: () => Worker) {
    this.client = new TrainerClient({
      createWorker,
      onCrash: ({ restoredStep, message: why }) => {
        notify({
          kind: restoredStep === null ? 'error' : 'warning',
          topic: 'crash',
          title: restoredStep === null ? 'The training worker crashed and could not be restarted' : 'The training worker crashed and was restarted',
          lines: [why, restoredStep === null ? 'Reload the page to start again.' : `Restored the last checkpoint (step ${restoredStep}).`],
        });
        if (restoredStep === null) useRun.setState({ training: false, phase: 'failed' });
      },
    });
    this.listen();
  }

  async boot(): Promise<void> {
    const { config } = useConfig.getState();
    useRun.setState({ phase: 'loading', statusMessage: 'Starting the training worker…' });
    try {
      await this.client.init(config.backend);
    } catch (err) {
      useRun.setState({ phase: 'failed', statusMessage: `No backend could start: ${message(err)}` });
      notify({ kind: 'error', topic: 'backend', title: 'No TensorFlow.js backend could start', lines: [message(err)] });
      return;
    }
    this.watchStores();
    // The view goes first, so the first build already computes the probes the page wants.
    await this.sendView();
    await this.configure();
  }

  private listen(): void {
    const c = this.client;
    c.on('ready', (e) => {
      useRun.setState({ backend: e.backend, adapter: e.adapter, fallbackReasons: e.fallbackReasons, warmupMs: e.warmupMs });
      // Without a GPU each digit of an image grid costs about a second: draw fewer unless the user chose.
      const v = useView.getState();
      if (!v.imageProbeCountChosen && isSoftwareRendering(e.backend, e.adapter)) useView.setState({ imageProbeCount: Math.min(v.imageProbeCount, IMAGE_PROBES_SOFTWARE) });
    });
    c.on('backendChoice', (e) => {
      useRun.setState({ backendReason: e.summary });
      noteBackendReason(e.summary);
      if (e.measured) remember(e.key, e.backend);
    });
    c.on('status', (e) => {
      const training = e.phase === 'training' || e.phase === 'teacher' || this.startPending ? true
        : e.phase === 'paused' || e.phase === 'done' || e.phase === 'failed' || e.phase === 'idle' ? false : useRun.getState().training;
      useRun.setState({ phase: e.phase, statusMessage: e.message, training });
    });
    c.on('progress', (e) => {
      applyProgress(e);
      markStep(e.step, useRun.getState().backend);
    });
    c.on('quality', applyQuality);
    c.on('static', (e) => useRun.setState({ staticData: e }));
    c.on('snapshot', (e) => useRun.setState({ snapshot: e }));
    c.on('error', (e) => this.onWorkerError(e));
  }

  private onWorkerError(e: Extract<WorkerEvent, { type: 'error' }>): void {
    useRun.setState({ lastError: { code: e.code, message: e.message, recoverable: e.recoverable } });
    if (e.code === 'nan-loss') {
      useRun.setState({ training: false });
      notify({
        kind: 'error', topic: 'nan',
        title: 'The loss became NaN or infinite, so training was paused',
        lines: [e.message, e.recoverable
          // The restored state includes the random streams: training on repeats the very same steps.
          ? 'Training on from there repeats the same random draws, so the same steps would diverge again. Lower the learning rate, add gradient clipping or a warm-up (a changed setting starts the run over from step 0).'
          : 'Lower the learning rate, add gradient clipping or a warm-up, then start over from step 0.'],
        action: { label: 'Start over', run: () => void this.reset() },
      });
    } else if (e.code === 'out-of-memory') {
      useRun.setState({ training: false });
      const { batchSize } = useConfig.getState().config;
      const smaller = Math.max(1, Math.floor(batchSize / 2));
      notify({
        kind: 'error', topic: 'oom',
        title: 'Out of memory: training was paused',
        lines: [e.message, `The batch size is ${batchSize}. A smaller batch (or the unet-tiny model) needs less memory; the run restarts from step 0.`],
        action: batchSize > 1 ? { label: `Use batch size ${smaller}`, run: () => void useConfig.getState().setField('batchSize', smaller) } : undefined,
      });
    } else if (e.code === 'device-lost') {
      notify({ kind: 'warning', topic: 'backend', title: 'The GPU device was lost', lines: [e.message] });
    } else {
      notify({ kind: e.recoverable ? 'warning' : 'error', topic: 'worker-error', title: `Training error (${e.code})`, lines: [e.message] });
      if (!e.recoverable) useRun.setState({ training: false });
    }
  }

  /** Config changes rebuild the run; view changes only change what snapshots contain. */
  private watchStores(): void {
    this.unsubscribers.push(
      useConfig.subscribe((s, prev) => {
        if (s.config.backend !== prev.config.backend) void this.setBackend();
        if (s.revision !== prev.revision) {
          const step = useRun.getState().step;
          if (step > 0 && !this.pendingResume) notify({ kind: 'info', topic: 'restart', ...restartNotice(prev.config, s.config, step) });
          void this.configure();
        }
      }),
      useView.subscribe((s, prev) => {
        if (s.probeCount !== prev.probeCount || s.trajectoryCount !== prev.trajectoryCount || s.consistencyTimes !== prev.consistencyTimes
          || s.cursorT !== prev.cursorT || s.weights !== prev.weights || s.imageProbeCount !== prev.imageProbeCount) this.scheduleView();
      }),
    );
  }

  private scheduleView(): void {
    // The scrubber fires on every pixel: send the newest view at most every 60 ms.
    if (this.viewTimer) return;
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      void this.sendView();
    }, 60);
  }

  private async sendView(): Promise<void> {
    // Images get their own probe count and more consistency times (the trajectory strip).
    const shown = viewRequest(useView.getState(), useConfig.getState().config.dataset === 'mnist');
    const request = this.pageHidden ? { ...shown, snapshotIntervalMs: Math.max(shown.snapshotIntervalMs, HIDDEN_SNAPSHOT_INTERVAL_MS) } : shown;
    const json = JSON.stringify(request);
    if (json === this.sentView) return;
    this.sentView = json;
    try {
      // The worker answers a view change with a fresh snapshot when it is not training.
      await this.client.setView(request);
    } catch (err) {
      if (!(err instanceof WorkerCommandError && err.code === 'not-configured')) console.warn('setView failed', err);
    }
  }

  /**
   * The tab was hidden or shown. Training goes on either way (the worker is not throttled); while hidden the
   * worker sends snapshots rarely, and when shown again the next snapshot comes at once (a paused run's view
   * change is answered with a fresh one), so the views catch up on their next frame.
   */
  setPageHidden(hidden: boolean): void {
    if (hidden === this.pageHidden) return;
    this.pageHidden = hidden;
    void this.sendView();
  }

  /** Sends the current config (coalescing bursts of changes into one configure). */
  async configure(): Promise<void> {
    if (this.configureInFlight) {
      this.configureAgain = true;
      return this.configureInFlight;
    }
    this.configureInFlight = this.configureNow().finally(() => {
      this.configureInFlight = null;
      if (this.configureAgain) {
        this.configureAgain = false;
        void this.configure();
      }
    });
    return this.configureInFlight;
  }

  private async configureNow(): Promise<void> {
    const { config, points } = useConfig.getState();
    clearRunHistory();
    useRun.setState({ training: false, configuring: true, configured: false, snapshot: null, staticData: null, pretrainedRole: null });
    if (config.dataset === 'custom' && (!points || points.length < 4)) {
      useRun.setState({ configuring: false, phase: 'idle', statusMessage: 'Draw or upload at least 2 points to train on custom data.' });
      return;
    }
    const resume = this.pendingResume?.configJson === JSON.stringify(config) ? this.pendingResume : null;
    if (resume) this.wantPretrained = null;
    else if (config.dataset === 'mnist' && this.configuredDataset !== 'mnist') this.wantPretrained = pretrainedRoleFor(config.mode);
    try {
      // A dataset switch changes what the view asks for: send it first, so the build computes the right probes.
      await this.sendView();
      // The worker builds the run and sends the static data and a first snapshot itself; when a shipped model
      // follows, its snapshot is the first (one U-Net evaluation saved before the digits appear).
      const pretrained = config.dataset === 'mnist' ? this.pretrainedToShow(config) : null;
      await this.client.configure(config, config.dataset === 'custom' && points ? points.slice() : undefined, pretrained === null);
      this.configuredDataset = config.dataset;
      useRun.setState({ configured: true });
      markReady();
      useNotices.getState().dismissTopic('configure');
      if (resume) await this.restoreSaved(resume);
      else this.runLifecycle?.newRun();
      // Instant start: the shipped model, so one-step digits appear without training.
      if (pretrained && !(await this.loadPretrainedNow(pretrained))) await this.client.requestSnapshot();
      // Warm-up and the auto backend choice run after the first samples are on screen, never before.
      void this.prepare();
    } catch (err) {
      notify({ kind: 'error', topic: 'configure', title: 'The run could not be set up with these settings', lines: [message(err)] });
      if (resume && this.pendingResume === resume) {
        this.pendingResume = null;
        resume.done(message(err));
      }
    } finally {
      useRun.setState({ configuring: false });
    }
  }

  /**
   * Continues a saved run: its settings go through the same validation as a link (one rebuild), then its
   * checkpoint is restored, ready to train on. Resolves with null, or the reason nothing was resumed.
   */
  resume(run: SavedRun): Promise<string | null> {
    const { config, errors } = validateConfig(run.config as unknown as Record<string, unknown>);
    if (errors.length > 0) return Promise.resolve(`its settings are not valid here: ${errors.join('; ')}`);
    if (useRun.getState().training) void this.pause();
    this.pendingResume?.done('another saved run was resumed instead');
    return new Promise((done) => {
      this.pendingResume = { run, configJson: JSON.stringify(config), done };
      const rejected = useConfig.getState().restoreRun(config as unknown as Record<string, unknown>, run.points);
      if (rejected.length > 0) {
        this.pendingResume = null;
        done(rejected.join('; '));
      }
    });
  }

  private async restoreSaved(resume: NonNullable<Session['pendingResume']>): Promise<void> {
    this.pendingResume = null;
    const { run } = resume;
    // Before the restore: the checkpoint the worker answers with belongs to the resumed run's entry.
    this.runLifecycle?.continued(run);
    try {
      await this.client.restore(run.runFile);
      const s = useRun.getState();
      for (let i = 0; i < run.lossSteps.length; i++) s.loss.push(run.lossSteps[i], run.lossValues[i]);
      useRun.setState({ seriesVersion: s.seriesVersion + 1, pretrainedRole: null });
      resume.done(null);
    } catch (err) {
      this.runLifecycle?.newRun();
      resume.done(`its checkpoint could not be restored (${message(err)}); its settings are in place and the run starts from step 0`);
    }
  }

  async train(): Promise<void> {
    const run = useRun.getState();
    if (!run.configured || run.training) return;
    useRun.setState({ training: true });
    markTrainPressed();
    this.startPending = true;
    try {
      // Accepted at once; the worker starts as soon as a running warm-up or backend choice is done.
      await this.client.start();
    } catch (err) {
      useRun.setState({ training: false });
      notify({ kind: 'error', topic: 'train', title: 'Training could not start', lines: [message(err)] });
    } finally {
      this.startPending = false;
    }
  }

  async pause(): Promise<void> {
    this.startPending = false;
    useRun.setState({ training: false });
    try {
      await this.client.pause();
    } catch (err) {
      notify({ kind: 'warning', topic: 'train', title: 'Pause failed', lines: [message(err)] });
    }
  }

  toggleTraining(): Promise<void> {
    return useRun.getState().training ? this.pause() : this.train();
  }

  async step(count: number): Promise<void> {
    const run = useRun.getState();
    if (!run.configured || run.training) return;
    try {
      await this.client.step(count);
    } catch (err) {
      notify({ kind: 'error', topic: 'train', title: 'Step failed', lines: [message(err)] });
    }
  }

  /**
   * The shipped model to load after a rebuild: the one asked for, or, when the mode changed to one it does not
   * fit (CD to ECT, say), the new mode's own; null when neither fits or none was asked for.
   */
  private pretrainedToShow(config: Config): PretrainedRole | null {
    if (!this.wantPretrained) return null;
    const own = pretrainedRoleFor(config.mode);
    const role = !pretrainedUnavailableReason(config, this.wantPretrained) ? this.wantPretrained
      : own && !pretrainedUnavailableReason(config, own) ? own : null;
    if (role) this.wantPretrained = role;
    return role;
  }

  /** MNIST: load the shipped pretrained CD, CT or ECT model into the current run (to look at or fine-tune). */
  async loadPretrained(role: PretrainedRole): Promise<void> {
    const run = useRun.getState();
    if (!run.configured || run.loadingPretrained) return;
    if (run.training) await this.pause();
    this.wantPretrained = role;
    await this.loadPretrainedNow(role);
  }

  /** True when the shipped model is loaded (and its snapshot sent). */
  private async loadPretrainedNow(role: PretrainedRole): Promise<boolean> {
    useRun.setState({ loadingPretrained: true });
    try {
      clearRunHistory();
      await this.client.loadPretrained(role);
      useRun.setState({ pretrainedRole: role });
      markPretrainedShown(); // the worker sent the snapshot before its reply
      useNotices.getState().dismissTopic('pretrained');
      return true;
    } catch (err) {
      this.wantPretrained = null;
      // The worker names the mismatch (e.g. weights for another architecture); the run is unchanged.
      notify({ kind: 'error', topic: 'pretrained', title: `The pretrained ${role.toUpperCase()} model could not be loaded`, lines: [message(err), 'Nothing was changed.'] });
      return false;
    } finally {
      useRun.setState({ loadingPretrained: false });
    }
  }

  /** Back to step 0 with the same seed: identical initial weights and noise. */
  async reset(): Promise<void> {
    this.wantPretrained = null; // "train from scratch"
    this.runLifecycle?.newRun();
    useRun.setState({ training: false, pretrainedRole: null });
    useNotices.getState().dismissTopic('nan');
    try {
      clearRunHistory();
      await this.client.reset();
    } catch (err) {
      notify({ kind: 'error', topic: 'train', title: 'Reset failed', lines: [message(err)] });
    }
  }

  newSeed(): void {
    const max = (FIELDS.seed as { max: number }).max;
    const current = useConfig.getState().config.seed;
    let seed = current;
    while (seed === current) seed = 1 + Math.floor(Math.random() * Math.min(max, 1_000_000));
    useConfig.getState().setField('seed', seed);
  }

  private async setBackend(): Promise<void> {
    const { backend } = useConfig.getState().config;
    useRun.setState({ statusMessage: `Switching to ${backend}…` });
    useRun.setState({ backendReason: null });
    try {
      await this.client.setBackend(backend);
      void this.prepare();
    } catch (err) {
      notify({ kind: 'error', topic: 'backend', title: `Could not switch the backend to ${backend}`, lines: [message(err)] });
    }
  }

  /** auto: forget the remembered choices and time the backends again. */
  remeasure(): Promise<void> {
    forgetAll();
    useRun.setState({ backendReason: null });
    return this.prepare(true);
  }

  /** Background work the worker queues (auto backend choice, shader warm-up); errors only notify. */
  private async prepare(remeasure = false): Promise<void> {
    try {
      await this.client.prepare(loadRemembered(), remeasure);
    } catch (err) {
      if (err instanceof WorkerCommandError && err.code === 'not-configured') return;
      notify({ kind: 'warning', topic: 'backend', title: 'The backend could not be prepared', lines: [message(err)] });
    }
  }

  async exportWeights(): Promise<{ bytes: ArrayBuffer; fileName: string } | null> {
    return this.exportFile(false, 'consistency');
  }

  /** The worker's weight file (or whole run), named `<prefix>-<mode>-<dataset>-step<k>.safetensors`; null after a notice. */
  private async exportFile(wholeRun: boolean, prefix: string): Promise<{ bytes: ArrayBuffer; fileName: string } | null> {
    try {
      const bytes = await this.client.exportWeights(wholeRun);
      const { config } = useConfig.getState();
      return { bytes, fileName: `${prefix}-${config.mode}-${config.dataset}-step${useRun.getState().step}.safetensors` };
    } catch (err) {
      notify({ kind: 'error', topic: 'weights', title: 'Export failed', lines: [message(err)] });
      return null;
    }
  }

  async importWeights(file: File): Promise<boolean> {
    try {
      const bytes = await file.arrayBuffer();
      await this.client.importWeights(bytes);
      this.wantPretrained = null;
      useRun.setState({ pretrainedRole: null });
      useNotices.getState().dismissTopic('weights');
      notify({ kind: 'info', topic: 'weights', title: `Loaded weights from ${file.name}`, lines: [] });
      return true;
    } catch (err) {
      notify({ kind: 'error', topic: 'weights', title: `Could not load ${file.name}`, lines: [message(err), 'Nothing was changed.'] });
      return false;
    }
  }

  /** The whole run as a bundle (scripts/torch/run-bundle.md) with the next step's draws, for scripts/torch/continue.py. */
  async exportRun(): Promise<{ bytes: ArrayBuffer; fileName: string } | null> {
    return this.exportFile(true, 'run');
  }

  /**
   * A run bundle (from "Export run", `cm export` or continue.py) with its own settings: they replace the
   * current ones (one rebuild), then its weights, optimiser and streams are restored. A file that is not a
   * readable run changes nothing.
   */
  async importRun(file: File): Promise<boolean> {
    const fail = (why: string, changed: boolean) => {
      notify({ kind: 'error', topic: 'weights', title: `Could not import the run ${file.name}`, lines: [why, changed ? 'Its settings are in place; the run starts from step 0.' : 'Nothing was changed.'] });
      return false;
    };
    let bytes: ArrayBuffer;
    let run;
    try {
      bytes = await file.arrayBuffer();
      run = readRunToImport(new Uint8Array(bytes));
    } catch (err) {
      return fail(message(err), false);
    }
    if (useRun.getState().training) await this.pause();
    this.wantPretrained = null;
    useConfig.setState((s) => ({ config: run.config, points: run.points, fieldErrors: {}, revision: s.revision + 1 }));
    while (this.configureInFlight) await this.configureInFlight;
    if (!useRun.getState().configured) return fail('the run could not be set up with its settings', true);
    try {
      await this.client.importWeights(bytes);
    } catch (err) {
      return fail(message(err), true);
    }
    useRun.setState({ pretrainedRole: null });
    useNotices.getState().dismissTopic('weights');
    notify({ kind: 'info', topic: 'weights', title: `Imported the run ${file.name} at step ${run.step}`, lines: run.writer === 'continue.py' ? ['Trained further by scripts/torch/continue.py.'] : [] });
    return true;
  }

  dispose(): void {
    this.unsubscribers.forEach((u) => u());
    this.client.terminate();
  }
}

let current: Session | null = null;

export function startSession(createWorker: () => Worker): Session {
  current = new Session(createWorker);
  void current.boot();
  return current;
}

export function session(): Session {
  if (!current) throw new Error('the session has not been started');
  return current;
}
