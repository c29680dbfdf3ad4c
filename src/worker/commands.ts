// One handler per command: what each does to the run. The entry (trainer.worker.ts) decides the order.
import { validateConfig } from '../core/config';
import { pretrainedModeProblem } from '../core/run/pretrained';
import { SessionError } from '../core/run/session';
import { prepare } from './autoBackend';
import { initBackend } from './backendControl';
import { lpips, post, requireSession, status, w } from './context';
import { runAnatomy } from './anatomy';
import { runDebug } from './debugHooks';
import { abortEdit, runEdit } from './editing';
import type { AnatomyReply, Command, EditReply } from './protocol';
import { sendCheckpoint, sendQuality, sendSnapshot, sendStatic } from './publish';
import { pretrainedModelBytes } from './resources';
import { rebuild } from './runBuild';
import { checkStopRules } from './stopRules';
import { startLoop, stopLoop } from './trainLoop';

export async function handle(cmd: Command): Promise<ArrayBuffer | EditReply | AnatomyReply | undefined> {
  switch (cmd.type) {
    case 'init':
      await stopLoop();
      w.wasmThreadLimit = cmd.wasmThreads ?? null;
      await initBackend(cmd.backend);
      if (w.config) await rebuild(w.config, w.points, w.lastCheckpointBytes);
      return;
    case 'setBackend':
      await stopLoop();
      await initBackend(cmd.backend);
      if (w.config) await rebuild(w.config, w.points, w.session ? await w.session.exportRunFile() : w.lastCheckpointBytes);
      return;
    case 'configure': {
      const { config: checked, errors } = validateConfig(cmd.config as unknown as Record<string, unknown>);
      if (errors.length) throw new SessionError('invalid-config', errors.join('; '));
      await stopLoop();
      if (!w.backend) await initBackend(w.backendChoice);
      await rebuild(checked, cmd.points, null, cmd.snapshot !== false);
      return;
    }
    case 'prepare':
      await prepare(cmd.remembered, cmd.remeasure);
      return;
    case 'start':
      requireSession();
      if (!w.running) void startLoop();
      return;
    case 'pause':
      await stopLoop();
      return;
    case 'step':
      requireSession();
      await stopLoop();
      await startLoop(Math.max(1, Math.floor(cmd.count)));
      return;
    case 'reset':
      await stopLoop();
      if (!w.config) throw new SessionError('invalid-config', 'no run is configured yet');
      await rebuild(w.config, w.points, null);
      return;
    case 'setView': {
      const countsChanged = cmd.view.probeCount !== w.view.probeCount || cmd.view.trajectoryCount !== w.view.trajectoryCount;
      w.view = cmd.view;
      if (w.session && countsChanged) await sendStatic();
      if (w.session && !w.running) await sendSnapshot();
      return;
    }
    case 'snapshot':
      await sendSnapshot();
      return;
    case 'exportWeights': {
      const bytes = await requireSession().exportRunFile({ withNextDraws: cmd.withNextDraws === true });
      return bytes.slice().buffer;
    }
    case 'importWeights':
    case 'restore': {
      const s = requireSession();
      const resume = w.running;
      const epoch = w.pauseEpoch;
      await stopLoop();
      const bytes = new Uint8Array(cmd.type === 'restore' ? cmd.checkpoint : cmd.bytes);
      try {
        await s.importRunFile(bytes); // throws (and changes nothing) on a wrong file
      } catch (e) {
        // A refused file changes nothing, so training goes on if it was running (unless paused meanwhile).
        if (resume && epoch === w.pauseEpoch && w.session === s && !w.running) void startLoop();
        throw e;
      }
      // The page keeps the new state at once (crash recovery, autosave), not only after the next training,
      // once a loss computed from the loaded weights has come back finite (one step, undone).
      await s.verifyCurrentState();
      await sendCheckpoint();
      w.qualityRuleFired = false;
      await sendStatic();
      await sendSnapshot();
      post({ type: 'progress', step: s.step, teacherStep: s.teacherStep, phase: s.phase, lossSteps: new Float64Array(0), losses: new Float32Array(0),
        N: s.trainer?.scheduleAt().N ?? 0, mu: s.trainer?.scheduleAt().mu ?? 0, lr: 0, stepsPerSecond: 0, msPerStep: 0 });
      status('idle', `weights loaded at step ${s.step}`);
      return;
    }
    case 'loadPretrained': {
      const s = requireSession();
      if (s.config.dataset !== 'mnist') throw new SessionError('invalid-config', 'pretrained models exist for mnist only');
      const wrongMode = pretrainedModeProblem(s.config.mode, cmd.role);
      if (wrongMode) throw new SessionError('invalid-config', wrongMode);
      await stopLoop();
      await s.importRunFile(await pretrainedModelBytes(cmd.role, s.config.model));
      w.lastCheckpointBytes = await s.exportRunFile();
      await sendSnapshot();
      status('idle', `pretrained ${cmd.role.toUpperCase()} model loaded`);
      return;
    }
    case 'edit': {
      const s = requireSession();
      // Showing a digit needs no pause. Edits use the model as it is now: training stops for the edit and goes
      // on afterwards (finished, failed or aborted) if it was running, unless the user paused meanwhile.
      if (cmd.request.task === 'reference') return runEdit(s, cmd.request);
      const resume = w.running;
      const epoch = w.pauseEpoch;
      await stopLoop();
      try {
        return await runEdit(s, cmd.request);
      } finally {
        if (resume && epoch === w.pauseEpoch && w.session === s && !w.running) void startLoop();
      }
    }
    case 'abortEdit':
      abortEdit();
      return;
    case 'lpipsWeights':
      await lpips.addFiles(cmd.net, cmd.files.map((b, i) => ({ name: cmd.names[i] ?? `file ${i + 1}`, bytes: new Uint8Array(b) })));
      await lpips.measureCost();
      return;
    case 'lpipsDownload':
      await lpips.download(cmd.net, cmd.sources);
      await lpips.measureCost();
      return;
    case 'lpipsRestore':
      await lpips.restore(cmd.net, cmd.sources);
      await lpips.measureCost();
      return;
    case 'anatomy':
      await stopLoop();
      return runAnatomy(cmd);
    case 'evaluate': {
      const s = requireSession();
      const resume = w.running;
      const epoch = w.pauseEpoch;
      await stopLoop();
      try {
        await sendQuality();
      } finally {
        if (resume && epoch === w.pauseEpoch && w.session === s && !w.running) void startLoop();
      }
      return;
    }
    case 'setStopRules': {
      const { rules, errors } = checkStopRules(cmd.rules);
      if (errors.length) throw new SessionError('invalid-config', errors.join('; '));
      w.stopRules = rules;
      w.qualityRuleFired = false;
      return;
    }
    case 'debug':
      runDebug(cmd.action);
      return;
  }
}
