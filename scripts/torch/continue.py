"""Continues a playground run (a run bundle, scripts/torch/run-bundle.md) in PyTorch, on the CPU, one GPU or many.

  /usr/bin/python3 scripts/torch/continue.py --bundle run.safetensors --out bigger.safetensors --steps 5000
  torchrun --standalone --nproc_per_node=8 scripts/torch/continue.py --bundle run.safetensors --out bigger.safetensors --steps 100000
  (Debian's torch 1.13 under Python 3.11 needs `--redirects 2 --tee 2`, its default "0" does not parse:
   /usr/bin/python3 -m torch.distributed.run --standalone --nproc_per_node=2 --redirects 2 --tee 2 scripts/torch/continue.py ...;
   --standalone always listens on port 29400, so two runs at once need --nnodes=1 --master_port=<free port> instead)

Same method (every mode: CD and CT with their schedule N(k), mu(k), grid, interval sampling and weights and
metric l2, l1, pseudo-Huber or LPIPS with --lpips-weights; ECT, sCT, sCD, MeanFlow, shortcut models and flow
matching with their own draws, targets and losses from methodstep.py, JVPs exact), optimiser (FlatAdam:
warm-up, clipping, Adam / RAdam, the bundle's moments and step count) and EMAs (target theta^- where the method
has one, evaluation EMA with its warm-up) as the TypeScript trainer. Under torchrun each rank
draws its own data and noise (its own generator) for batchSize / world samples; DDP averages the gradients,
so every rank applies the same update and keeps identical online, target and evaluation-EMA weights.

The bundle's first step is replayed from its `next/*` draws (when present): its loss is the TypeScript
trainer's next loss. The output is written every --checkpoint-every steps and at the end (atomically); it
is itself a bundle: the page ("Import run"), `cm sample --run` and `cm eval --run` read it, and rerunning
the same command with --resume continues from it. Exit codes: 0 done, 2 bad input (nothing written).

Past the bundle's step budget (config.steps): schedules sized by the budget keep their length (CD/CT's N(k),
mu(k) over K, ECT's stages, sCM's tangent warm-up are pinned) and the bundle written records the new end as
`steps`. The lr schedule is the trainer's (lrSchedule.ts): warm-up, then constant or a cosine / linear decay
that reaches 0 just after the budget. A decaying lr would be (about) 0 past it, so continuing past the budget is
refused (exit 2, nothing written) unless one of these says what to do:
  --budget N          a new budget N (>= the continuation's end): the decay ends at N instead; the bundle
                      records steps = N, so the page and `cm`, importing it, go on with the same schedule. The
                      other budget-sized schedules stay pinned as above.
  --lr-decay constant the full lr from here on (recorded in the bundle's config).
"""
import argparse
import datetime
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundle import FORMAT_VERSION, RUN_FORMAT, BundleError, project_version, read_bundle, write_bundle  # noqa: E402
from cmlib import ASSET, load_mnist, split_indices  # noqa: E402
from lpips_torch import Lpips, load_lpips_weights  # noqa: E402
from cmstep import (LR_DECAYS, SUPPORTED_METRICS, SUPPORTED_MODES, EdmDenoiser, FlatAdam, FlatNet,  # noqa: E402
                    MixtureDenoiser, Schedule, consistency_loss, ema_update, inputs, lr_decays, noisy, ode_step,
                    param_names, schedule_length, scheduled_lr)
from methodstep import METHOD_MODES, ect_stage_length, make_method, method_params, scm_warmup_length  # noqa: E402

ALL_MODES = SUPPORTED_MODES + METHOD_MODES


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--bundle', required=True, help='run bundle to continue (from "Export run" or `cm export`)')
    p.add_argument('--out', required=True, help='bundle to write (checkpoints and the result)')
    p.add_argument('--steps', type=int, default=100, help='steps to train beyond the bundle\'s step (default 100)')
    p.add_argument('--budget', type=int, help='a new step budget (config.steps of the bundle written): where the lr decay ends '
                   'and what schedules sized by the budget see; needed to continue a decaying lr past the bundle\'s budget')
    p.add_argument('--lr-decay', choices=LR_DECAYS, help='replace the bundle\'s lr decay (constant: the full lr from here on)')
    p.add_argument('--checkpoint-every', type=int, default=500, help='write --out every this many steps (0: only at the end)')
    p.add_argument('--log-every', type=int, default=50, help='print progress every this many steps')
    p.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    p.add_argument('--resume', action='store_true', help='continue from --out when it exists (same command after an interruption)')
    p.add_argument('--no-replay', action='store_true', help='draw the first step afresh instead of replaying the bundle\'s next/* draws')
    p.add_argument('--mnist-asset', default=ASSET, help='MNIST asset for image runs (default public/data/mnist.bin)')
    p.add_argument('--json', action='store_true', help='progress as JSON lines (one per logged step)')
    p.add_argument('--lpips-weights', help='LPIPS runs: a directory or comma-separated files with the lin layers and the backbone (as for cm)')
    p.add_argument('--threads', type=int, default=0, help='CPU threads per rank (0: torch default)')
    p.add_argument('--dist-timeout', type=float, default=1800, help='seconds a rank waits for the others before failing (torchrun)')
    return p.parse_args(argv)


class Dist:
    """Rank, world size and device; one process without torchrun."""

    def __init__(self, device_choice, timeout_s):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        local = int(os.environ.get('LOCAL_RANK', '0'))
        cuda = torch.cuda.is_available() and device_choice != 'cpu'
        if device_choice == 'cuda' and not torch.cuda.is_available():
            raise BundleError('--device cuda: no CUDA device is visible to PyTorch')
        self.device = torch.device(f'cuda:{local}' if cuda else 'cpu')
        if cuda:
            torch.cuda.set_device(self.device)
        if self.world > 1:
            # A rank that dies must not leave the others waiting in a collective for torch's 30 minutes.
            dist.init_process_group('nccl' if cuda else 'gloo', timeout=datetime.timedelta(seconds=timeout_s))

    def mean(self, x):
        if self.world == 1:
            return float(x)
        t = torch.tensor([float(x)], dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return float(t) / self.world

    def gather(self, obj):
        if self.world == 1:
            return [obj]
        out = [None] * self.world
        dist.all_gather_object(out, obj)
        return out


def left_text(seconds):
    return f'{seconds:.0f} s' if seconds < 90 else f'{seconds / 60:.0f} min' if seconds < 5400 else f'{seconds / 3600:.1f} h'


def log(d, msg):
    if d.rank == 0:
        print(msg, flush=True)


def flat_of(tensors, prefix, names, required):
    keys = [f'{prefix}/{n}' for n, _ in names]
    if not all(k in tensors for k in keys):
        if required:
            missing = next(k for k in keys if k not in tensors)
            raise BundleError(f'the bundle lacks "{missing}"')
        return None
    for (n, shape), k in zip(names, keys):
        if list(tensors[k].shape) != list(shape):
            raise BundleError(f'"{k}" has shape {list(tensors[k].shape)}, the network needs {shape}')
    return torch.from_numpy(np.concatenate([tensors[k].astype(np.float32).reshape(-1) for k in keys]))


def check_supported(c, meta, lpips_weights):
    if meta.get('phase') == 'teacher':
        raise BundleError('the bundle is still in its teacher phase: train the learned teacher to the end first')
    if c['mode'] not in ALL_MODES:
        raise BundleError(f'method "{c["mode"]}" is not supported by continue.py (supported: {", ".join(ALL_MODES)})')
    if c['mode'] in METHOD_MODES:
        return  # the metric setting is CD/CT's; the other methods have their own losses
    if c['metric'] == 'lpips' and not lpips_weights:
        raise BundleError('metric "lpips" needs --lpips-weights (the lin layers and the backbone files the page or cm used)')
    if c['metric'] not in SUPPORTED_METRICS + ('lpips',):
        raise BundleError(f'metric "{c["metric"]}" is not supported by continue.py (supported: {", ".join(SUPPORTED_METRICS)}, lpips)')


class Data:
    """Training examples for one rank, drawn with that rank's generator."""

    def __init__(self, c, tensors, asset, device):
        self.device = device
        if c['dataset'] == 'mnist':
            images, _ = load_mnist(asset)
            train, _ = split_indices(len(images))
            self.images = torch.from_numpy(images[train].astype(np.float32) / 127.5 - 1.0).unsqueeze(-1)
            self.shape = [28, 28, 1]
            self.mixture = None
        else:
            if 'data/mixture/means' not in tensors:
                raise BundleError('the bundle has no data/mixture/* (written before run@2): export the run again')
            self.mixture = tuple(tensors[f'data/mixture/{k}'].astype(np.float64) for k in ('means', 'stds', 'weights'))
            self.cum = torch.from_numpy(np.cumsum(self.mixture[2]))
            self.shape = [self.mixture[0].shape[1]]

    def sample(self, b, gen):
        if self.mixture is None:
            idx = torch.randint(len(self.images), (b,), generator=gen)
            return self.images[idx].to(self.device)
        means, stds, _ = self.mixture
        u = torch.rand(b, generator=gen, dtype=torch.float64) * self.cum[-1]
        k = torch.clamp(torch.searchsorted(self.cum, u, right=True), max=len(stds) - 1).numpy()
        x = means[k] + stds[k][:, None] * torch.randn(b, self.shape[0], generator=gen, dtype=torch.float64).numpy()
        return torch.from_numpy(x.astype(np.float32)).to(self.device)


def draw_intervals(s, b, gen):
    cum = torch.from_numpy(s['cumulative'])
    u = torch.rand(b, generator=gen, dtype=torch.float64) * cum[-1]
    return torch.clamp(torch.searchsorted(cum, u, right=True), max=len(cum) - 1).numpy()


def apply_budget_options(c, a, until):
    """--lr-decay and --budget, before anything trains: a new budget pins the schedules sized by the old one first."""
    if a.lr_decay:
        c['lrDecay'] = a.lr_decay
    if a.budget is not None:
        if a.budget < max(1, until):
            raise BundleError(f'--budget {a.budget} ends before this continuation does (step {until}): give at least {max(1, until)}')
        if a.budget != c['steps']:
            pin_schedules(c)
            c['steps'] = a.budget


def check_lr_horizon(c, t, updates, step, until):
    """A decaying lr is (about) 0 past update `steps` (lrSchedule.ts): training on would change nothing, silently."""
    if not lr_decays(c) or t + updates <= c['steps']:
        return
    raise BundleError(
        f'the lr decays ({c["lrDecay"]}) to 0 just after the step budget {c["steps"]}, so continuing to step {until} would train '
        f'at lr (about) 0 after step {c["steps"]}. Pass --budget N (N >= {until}: the decay then ends at N, the bundle written records steps = N, '
        f'and the lr goes on from that schedule\'s value, {scheduled_lr({**c, "steps": until}, t + 1):.3g} at step {step + 1} for N = {until}) '
        f'or --lr-decay constant (the full lr {c["lr"]:g} from here on)')


def pin_schedules(c):
    """Before the budget `steps` changes (grows, or --budget): schedules sized by it keep their length (CD/CT's
    curricula over K, ECT's stage length, sCM's tangent warm-up), so a longer run goes on as scheduled instead
    of being stretched."""
    if c['K'] == 0:
        c['K'] = schedule_length(c)
    if c['mode'] == 'ect' and c.get('ectStageSteps') == 0:
        pre = c['ectPrefitSteps'] if c['dataset'] != 'mnist' and c['teacher'] == 'exact' else 0
        c['ectStageSteps'] = ect_stage_length(c, pre)
    if c['mode'] in ('sct', 'scd') and c.get('scmWarmup') == 0:
        c['scmWarmup'] = scm_warmup_length(c)


class Run:
    def __init__(self, a, d):
        self.a, self.d = a, d
        src_tensors, src_meta = read_bundle(a.bundle)
        self.start_step = int(src_meta.get('step', 0))
        self.until = self.start_step + a.steps
        resume = a.resume and os.path.exists(a.out)
        tensors, meta = read_bundle(a.out) if resume else (src_tensors, src_meta)
        self.tensors, self.meta = tensors, meta
        try:
            self.c = c = json.loads(meta['config'])
            self.spec = json.loads(meta['spec'])
        except ValueError as e:
            raise BundleError(f'the bundle\'s config or spec is not JSON ({e})')
        check_supported(c, meta, a.lpips_weights)
        apply_budget_options(c, a, self.until)
        if c['batchSize'] % d.world:
            raise BundleError(f'batch size {c["batchSize"]} does not split over {d.world} ranks')
        self.b = c['batchSize'] // d.world
        # The flat buffers: the network's parameters, then the method's own pieces (sCM's w_phi), as the TS trainer.
        self.net_names = param_names(self.spec)
        self.names = self.net_names + method_params(c)
        extra = sorted(k for k in tensors if k.startswith('online/') and k[7:] not in {n for n, _ in self.names})
        if extra:
            # Trainable pieces beside the network that neither it nor the method (method_params: sCM's w_phi)
            # names: continuing without them would drop part of the model and misalign Adam's moments.
            raise BundleError(f'the bundle has parameters beside the network ({", ".join(extra)}) that continue.py cannot train yet')
        online = flat_of(tensors, 'online', self.names, True)
        self.net = FlatNet(self.spec, c, online.to(d.device)).to(d.device)
        target = flat_of(tensors, 'target', self.names, False)
        self.target = target.to(d.device) if target is not None else None
        ema = flat_of(tensors, 'ema', self.names, False)
        self.ema = (ema if ema is not None else online.clone()).to(d.device)
        total = online.numel()
        m = tensors.get('optimizer/m')
        v = tensors.get('optimizer/v')
        has_moments = m is not None and m.size == total
        self.opt = FlatAdam(c, torch.from_numpy(m.astype(np.float32)).to(d.device) if has_moments else torch.zeros(total, device=d.device),
                            torch.from_numpy(v.astype(np.float32)).to(d.device) if has_moments else torch.zeros(total, device=d.device),
                            int(meta.get('optimizerT', 0)))
        self.step = int(meta.get('step', 0))
        check_lr_horizon(c, self.opt.t, self.until - self.step, self.step, self.until)
        self.schedule = Schedule(c)
        self.data = Data(c, tensors, a.mnist_asset, d.device)
        self.teacher = None
        self.method = None
        if c['mode'] in METHOD_MODES:
            tflat = flat_of(tensors, 'teacher', self.net_names, c['mode'] == 'scd' and c['teacher'] != 'exact')
            if c['mode'] == 'scd' and c['teacher'] == 'exact' and self.data.mixture is None:
                raise BundleError('teacher "exact" needs the bundle\'s data/mixture/*')
            self.method = make_method(c, self.net, self.data, tflat.to(d.device) if tflat is not None else None, d.device)
            # theta^- exists where the method's targetDecay > 0 (MethodTrainer); otherwise the online net is the target.
            if self.method.target_decay() > 0 and self.target is None:
                self.target = online.clone().to(d.device)
            elif self.method.target_decay() == 0:
                self.target = None
        elif c['mode'] == 'cd':
            if c['teacher'] == 'exact':
                if self.data.mixture is None:
                    raise BundleError('teacher "exact" needs the bundle\'s data/mixture/*')
                self.teacher = MixtureDenoiser(*self.data.mixture, d.device)
            else:
                tflat = flat_of(tensors, 'teacher', self.net_names, True)
                self.teacher = EdmDenoiser(self.net, tflat.to(d.device), c)
        self.lpips = None
        if c['metric'] == 'lpips' and self.method is None:  # CD/CT's distance; the other methods have their own losses
            backbone, lin = load_lpips_weights(a.lpips_weights, c['lpipsNet'])
            self.lpips = Lpips(backbone, lin, c['lpipsNet'], int(c['lpipsResolution']), d.device)
        self.replay = None
        fields = self.method.fields if self.method else ('x0', 'z', 'n')
        if not a.no_replay and all(f'next/{k}' in tensors for k in fields) and int(meta.get('nextStep', -1)) == self.step:
            sl = slice(d.rank * self.b, (d.rank + 1) * self.b)
            if self.method:
                try:
                    scalars = json.loads(meta.get('nextScalars', '{}'))
                except ValueError as e:
                    raise BundleError(f'the bundle\'s nextScalars is not JSON ({e})')
                missing = [k for k in self.method.scalars if k not in scalars]
                if missing:
                    raise BundleError(f'the bundle\'s next/* draws lack "{missing[0]}" in nextScalars')
                self.replay = self.method.replay(tensors, scalars, sl, d.rank, self.b)
            else:
                self.replay = tuple(tensors[f'next/{k}'][sl] for k in fields)
        self.gen = torch.Generator().manual_seed(int(c['seed']) * 1_000_003 + 7919 * d.rank + self.step)
        states = tensors.get(f'continue/rng/rank{d.rank}')
        self.fresh_streams = None
        if resume and states is not None and int(meta.get('continueWorld', 0)) == d.world:
            self.gen.set_state(torch.from_numpy(states.astype(np.uint8)))
        elif resume:
            self.fresh_streams = f'the checkpoint was written by {meta.get("continueWorld", "?")} ranks, this run has {d.world}: each rank draws from a fresh stream'
        if d.world > 1:
            self.ddp = torch.nn.parallel.DistributedDataParallel(
                self.net, device_ids=[d.device.index] if d.device.type == 'cuda' else None, broadcast_buffers=False)
        else:
            self.ddp = self.net
        self.resumed = resume

    def draws(self, s):
        if self.replay is not None:
            x0, z, n = self.replay
            self.replay = None
            return (torch.from_numpy(x0.astype(np.float32)).to(self.d.device), torch.from_numpy(z.astype(np.float32)).to(self.d.device),
                    n.astype(np.int64), True)
        x0 = self.data.sample(self.b, self.gen)
        n = draw_intervals(s, self.b, self.gen)
        z = torch.randn(self.b, *self.data.shape, generator=self.gen).to(self.d.device)
        return x0, z, n, False

    def method_step(self):
        """One step of ECT, sCT, sCD, MeanFlow, shortcut or flow matching (methodTrainer.ts)."""
        c, k, m = self.c, self.step, self.method
        lr = self.opt.current_lr()
        replayed = self.replay is not None
        dr = self.replay if replayed else m.draw(self.b, self.gen, k)
        self.replay = None
        tflat = self.target if self.target is not None else self.net.flat.detach()
        loss = m.loss(k, dr, self.ddp, tflat)
        self.net.flat.grad = None
        loss.backward()
        self.opt.step(self.net.flat.data, self.net.flat.grad)
        if self.target is not None:
            ema_update(self.target, self.net.flat.data, m.target_decay())
        ema_update(self.ema, self.net.flat.data, min(c['evalEma'], (1 + k) / (10 + k)))
        self.step += 1
        N, mu = m.progress(k)
        return {'step': self.step, 'loss': self.d.mean(loss.detach()), 'N': N, 'mu': mu, 'lr': lr, 'replayed': replayed}

    def train_step(self):
        if self.method:
            return self.method_step()
        c, k = self.c, self.step
        s = self.schedule.at(k)
        lr = self.opt.current_lr()
        x0, z, n, replayed = self.draws(s)
        t_cur, t_next, lam = s['sigmas'][n], s['sigmas'][n + 1], s['weights'][n]
        x_next = noisy(x0, z, t_next)
        x_in, skip_x, out, noise = inputs(x_next, t_next, c)
        with torch.no_grad():
            if c['mode'] == 'ct':
                ti = inputs(noisy(x0, z, t_cur), t_cur, c)
            else:
                ti = inputs(ode_step(c['solver'], self.teacher, x_next, t_next, t_cur), t_cur, c, host=False)
            tflat = self.target if self.target is not None else self.net.flat.detach()
            f_target = ti[1] + ti[2] * self.net.apply(tflat, ti[0], ti[3])
        f = skip_x + out * self.ddp(x_in, noise)
        if self.lpips is not None:
            loss = (torch.from_numpy(lam.astype(np.float32)).to(f.device) * self.lpips(f, f_target)).mean()
        else:
            loss = consistency_loss(c['metric'], f, f_target, lam, c)
        self.net.flat.grad = None
        loss.backward()  # DDP: the gradient is the mean over ranks, i.e. of the global batch's mean loss
        self.opt.step(self.net.flat.data, self.net.flat.grad)
        eval_mu = min(c['evalEma'], (1 + k) / (10 + k))
        if self.target is not None:
            ema_update(self.target, self.net.flat.data, s['mu'])
        ema_update(self.ema, self.net.flat.data, eval_mu)
        self.step += 1
        return {'step': self.step, 'loss': self.d.mean(loss.detach()), 'N': s['N'], 'mu': s['mu'], 'lr': lr, 'replayed': replayed}

    def weights_agree(self):
        """Every rank must hold the same weights: compares checksums of online, target and EMA."""
        sums = [float(self.net.flat.detach().double().sum()), float(self.ema.double().sum()),
                float(self.target.double().sum()) if self.target is not None else 0.0]
        return all(g == sums for g in self.d.gather(sums))

    def save(self, wall):
        states = self.d.gather(self.gen.get_state().numpy())
        if self.d.rank != 0:
            return
        c = dict(self.c)
        if self.until > c['steps']:
            pin_schedules(c)
        c['steps'] = max(c['steps'], self.until)
        split = lambda flat: np.split(flat.detach().cpu().numpy().astype(np.float32), np.cumsum([int(np.prod(s)) for _, s in self.names])[:-1])
        out = []
        for prefix, flat in (('online', self.net.flat), ('target', self.target), ('ema', self.ema)):
            if flat is not None:
                out += [(f'{prefix}/{name}', piece.reshape(shape)) for (name, shape), piece in zip(self.names, split(flat))]
        out += [('optimizer/m', self.opt.m.cpu().numpy()), ('optimizer/v', self.opt.v.cpu().numpy())]
        keep = ('teacher/', 'data/')
        out += [(k, v) for k, v in self.tensors.items() if k.startswith(keep)]
        out += [(f'continue/rng/rank{r}', s) for r, s in enumerate(states)]
        meta = {k: v for k, v in self.meta.items() if k in ('spec', 'teacherStep', 'rng')}
        meta.update({
            'format': RUN_FORMAT, 'formatVersion': FORMAT_VERSION, 'projectVersion': project_version(),
            'writer': 'continue.py', 'method': c['mode'], 'layout': 'tfjs', 'config': json.dumps(c), 'phase': 'student',
            'step': self.step, 'optimizerT': self.opt.t, 'continueWorld': self.d.world,
            'continueDevice': self.d.device.type, 'continueSeconds': round(wall, 1), 'torch': torch.__version__,
        })
        write_bundle(self.a.out, out, meta)


# Objects that must outlive main(): see the end of main.
_KEEP_ALIVE = []


def main(argv):
    a = parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    try:
        d = Dist(a.device, a.dist_timeout)
        try:
            run = Run(a, d)
        except KeyError as e:  # a config or tensor an older writer did not know
            raise BundleError(f'the bundle lacks {e} (an older file? load it with `npm run cm -- export --run FILE --out NEW` first)')
        # Freeing DDP's reducer on return from main dropped the last reference to the gloo process group, whose
        # destructor (holding the GIL) joined a gloo thread that was waiting for the GIL to free a tensor: a rank
        # hung forever after its last step (seen under torch 1.13 with gdb). Nothing is freed before os._exit.
        _KEEP_ALIVE.append(run)
    except BundleError as e:
        print(f'continue.py: {e}', file=sys.stderr, flush=True)
        return 2
    c = run.c
    metric_note = f' ({c["metric"]})' if c['mode'] in SUPPORTED_MODES else ''
    lr_note = f', lr {c["lrDecay"]} to 0 at step {c["steps"]}' if lr_decays(c) else ''
    log(d, json.dumps({'event': 'start', 'step': run.step, 'until': run.until, 'method': c['mode'], 'metric': c['metric'],
                       'world': d.world, 'device': d.device.type, 'batchPerRank': run.b, 'resumed': run.resumed,
                       'replayFirstStep': run.replay is not None, 'lrDecay': c.get('lrDecay', 'constant'), 'budget': c['steps']}) if a.json else
        f'continuing {c["mode"].upper()}{metric_note} from step {run.step} to {run.until} on {d.world} x {d.device.type}, '
        f'{run.b} samples per rank{lr_note}{" (resumed from --out)" if run.resumed else ""}')
    if run.fresh_streams:
        log(d, f'note: {run.fresh_streams}')
    started = time.time()
    last_log, last_t = run.step, started
    while run.step < run.until:
        r = run.train_step()
        if not np.isfinite(r['loss']):
            log(d, f'continue.py: the loss became {r["loss"]} at step {r["step"]}; stopped. The last checkpoint in {a.out} is intact.')
            return 3
        done = run.step >= run.until
        if r['replayed'] or done or (a.log_every > 0 and run.step % a.log_every == 0):
            now = time.time()
            sps = (run.step - last_log) / max(now - last_t, 1e-9)
            last_log, last_t = run.step, now
            log(d, json.dumps({'event': 'step', **r, 'stepsPerSecond': round(sps, 2)}) if a.json else
                f'step {r["step"]:>8}  loss {r["loss"]:.6g}  N {r["N"]}  mu {r["mu"]:.4f}  lr {r["lr"]:.3g}  {sps:.1f} steps/s'
                + (f'  ~{left_text((run.until - run.step) / sps)} left' if sps > 0 and not done else '')
                + ('  (replayed the bundle\'s draws)' if r['replayed'] else ''))
        if done or (a.checkpoint_every > 0 and run.step % a.checkpoint_every == 0):
            if not run.weights_agree():
                log(d, 'continue.py: the ranks\' weights differ; stopped without writing')
                return 1
            run.save(time.time() - started)
            log(d, json.dumps({'event': 'checkpoint', 'step': run.step, 'path': a.out}) if a.json else f'wrote {a.out} at step {run.step}')
    if d.world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return 0


if __name__ == '__main__':
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and closed by now. Skipping the interpreter's teardown (and, through _KEEP_ALIVE, the
    # freeing of the run) avoids the torch 1.13 + gloo shutdown deadlock described in main.
    os._exit(code)
