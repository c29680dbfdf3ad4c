"""ECT (easy consistency tuning, Geng et al. 2025; few-step-methods.md section 3) of the shipped MNIST teacher.

f(x, t) = c_skip x + c_out F(c_in x, ln(t)/4) with EDM's UNSHIFTED scalings (sheet 3.1, 3.7): at step 0 f is the
teacher's denoiser D, and it is what src/core/methods/ect.ts evaluates (its ectF), so the shipped file runs there
unchanged. Loss (sheet 3.2): t = exp(P_mean + P_std xi) clamped to [eps, T], r = max(0, t (1 - n(t)/q^(s+1))),
n(t) = 1 + k sigmoid(-b t), the same noise in x_t and x_r, y = sg f(x_r, r) of the ONLINE net (x_0 where r = 0),
per-sample (sqrt(|f - y|^2 + c^2) - c) / (t - r), averaged over the batch.
"""
import json
import math
import os
import time

import torch

from cmlib import EPS, T_MAX, edm_denoiser, read_safetensors, read_weights, save_params, save_training_state, unet_param_list


def ect_r(t, stage, q, k, b):
    """r = max(0, t (1 - n(t)/q^(stage+1))) for a float64 tensor t (ECT code training/loss.py:45-50)."""
    n = 1 + k * torch.sigmoid(-b * t)
    return torch.clamp(t * (1 - n / q ** (stage + 1)), min=0)


def ect_stage(step, first_stage, stage_steps):
    return first_stage + step // stage_steps


def ect_f(P, spec, x, t):
    """ECT's f for t > 0 (unshifted EDM scalings): the same function as the teacher's denoiser."""
    return edm_denoiser(P, spec, x, t)


def ect_loss(P, spec, x0, z, t, r, c):
    """Mean over the batch of (sqrt(|f(x_t, t) - y|^2 + c^2) - c) / (t - r); y from the online net without grad."""
    col = lambda v: v.float()[:, None, None, None]  # noqa: E731
    live = r > 0
    y = x0.clone()
    if live.any():  # mask before the network call: ln(0) would be -inf (sheet 3.7)
        with torch.no_grad():
            y[live] = ect_f(P, spec, x0[live] + col(r[live]) * z[live], r[live])
    f = ect_f(P, spec, x0 + col(t) * z, t)
    sq = (f - y).square().sum(dim=(1, 2, 3))
    per = torch.sqrt(sq + c * c + 1e-20) - c  # the floor keeps the norm's gradient finite where f = y
    return (per / (t - r).float()).mean()


def ect_sample(P, spec, z0, taus, noises):
    """1 step: f(T z, T); then per tau: f(x + tau z', tau) (re-noised from the boundary at 0, sheet 3.3)."""
    B = len(z0)
    x = ect_f(P, spec, T_MAX * z0, torch.full((B,), T_MAX, dtype=torch.float64, device=z0.device))
    out = [x]
    for tau, zn in zip(taus, noises):
        x = ect_f(P, spec, x + tau * zn, torch.full((B,), float(tau), dtype=torch.float64, device=z0.device))
        out.append(x)
    return out


def save_state(path, pl, P, ema, opt, steps_done, plan, a, started):
    save_training_state(path, pl, P, ema, opt, 'cm-playground/ect-state@1', steps_done, a, started, plan=json.dumps(plan))


def load_start(a, pl, spec, teacher_path, ctx):
    """The saved state (with --resume), else the teacher's EMA weights with a fresh Adam; on the run's device."""
    if a.resume and os.path.exists(a.state):
        T, meta = read_safetensors(a.state)
        if any(f'online/{k}' not in T or list(T[f'online/{k}'].shape) != shape for k, shape in pl):
            raise SystemExit(f'--resume: the ECT state {a.state} is another architecture than the teacher {teacher_path}')
        P = ctx['trainable']({k: T[f'online/{k}'] for k, _ in pl})
        ema = {k: ctx['dev'](T[f'ema/{k}'].clone()) for k, _ in pl}
        moments = {k: (T[f'adam_m/{k}'], T[f'adam_v/{k}']) for k, _ in pl if f'adam_m/{k}' in T}
        return P, ema, moments, int(meta['stepsDone']), int(meta.get('adamStep', '0')), json.loads(meta['plan']), 'state file'
    if a.resume:
        raise SystemExit(f'--resume: no ECT state at {a.state} (start a run without --resume first)')
    W, meta = read_weights(a.init, 'ect', 'an ECT', '--init') if a.init else read_safetensors(teacher_path)
    if json.loads(meta['spec']) != spec:
        raise SystemExit(f'--init: {a.init} is another architecture than the teacher {teacher_path}')
    P = ctx['trainable']({k: W[k] for k, _ in pl})
    shipped = os.path.abspath(teacher_path) == os.path.join(ctx['PRE'], 'mnist-teacher.safetensors')
    start = 'shipped teacher' if shipped else f'teacher {teacher_path}'  # --teacher FILE: name it
    if a.init:  # name the run that made the file, so the shipped metadata tells the whole recipe
        config = json.loads(meta['config'])
        start = {'file': a.init, 'trainedBy': meta.get('trainedBy'), 'stepsDone': config.get('stepsDone'),
                 'plan': config.get('plan'), 'startedFrom': config.get('startedFrom')}  # and where that run started: the whole chain
        if 'averageOf' in meta:  # a `train.py average` of checkpoints
            start['averageOf'] = json.loads(meta['averageOf'])
    return P, {k: v.detach().clone() for k, v in P.items()}, {}, 0, 0, None, start


def train_ect(a, ctx):
    """ctx: the helpers train.py owns (paths, data, metadata, logging), so this file holds ECT only."""
    teacher_path = a.teacher  # ECT starts as this teacher (or --init); its architecture is the run's
    _, tmeta = read_weights(teacher_path, 'teacher', 'a teacher', 'ect --teacher')
    spec = json.loads(tmeta['spec'])
    pl = unet_param_list(spec)
    dev = ctx['dev']
    x = dev(ctx['train_data']()[0])
    P, ema, moments, done, adam_step, plan, source = load_start(a, pl, spec, teacher_path, ctx)
    if plan is None:  # the sheet's q = 2 stages, scaled so the planned steps end in stage `last_stage`
        if a.last_stage < a.first_stage:
            raise SystemExit(f'--last-stage {a.last_stage} is before --first-stage {a.first_stage}: the plan needs at least one stage')
        stages = a.last_stage - a.first_stage + 1
        plan = {'firstStage': a.first_stage, 'stageSteps': a.stage_steps or max(1, math.ceil(a.steps / stages)),
                'q': a.q, 'k': a.k, 'b': a.b, 'c': a.c, 'Pm': a.Pm, 'Ps': a.Ps}
    g = torch.Generator().manual_seed(a.seed + done)  # a resumed run draws new batches, reproducibly
    opt = torch.optim.Adam(P.values(), lr=a.lr, eps=1e-8)
    ctx['restore_adam'](opt, P, moments, adam_step)
    log = ctx['log']
    log(f'ect: starting at step {done} from {source}; plan {plan}')
    started = time.time()
    first, last = done, done
    os.makedirs(a.ckpt_dir, exist_ok=True)

    def save(steps_done):
        cfg = dict(vars(a), stepsDone=steps_done, plan=plan, algorithm='ECT', parameterisation='unshifted EDM (f(x, 0) = x)',
                   tMid=0.821, eps=EPS, T=T_MAX, optimizer='adam', shipped='ema', startedFrom=source,
                   init='previous ECT run (startedFrom)' if a.init else f'{os.path.relpath(teacher_path, ctx["ROOT"])} (EMA)')
        meta = ctx['metadata']('ect', spec, cfg, started)
        save_params(a.out, pl, ema, meta)
        save_params(os.path.join(a.ckpt_dir, f'ect-{steps_done:05d}.safetensors'), pl, ema, meta)
        save_state(a.state, pl, P, ema, opt, steps_done, plan, a, started)
        log(f'ect: saved at step {steps_done} ({time.time() - started:.0f} s)')

    for step in range(done, done + a.steps):
        if ctx['out_of_time'](a, started):
            break
        warm = 1.0 if moments or a.warmup <= 0 else min(1.0, (step - first + 1) / a.warmup)  # --warmup 0: none
        for group in opt.param_groups:
            group['lr'] = a.lr * warm
        stage = ect_stage(step, plan['firstStage'], plan['stageSteps'])
        x0 = x[torch.randint(0, len(x), (a.batch,), generator=g)]
        t = dev(torch.exp(plan['Pm'] + plan['Ps'] * torch.randn(a.batch, generator=g, dtype=torch.float64)).clamp(EPS, T_MAX))
        r = ect_r(t, stage, plan['q'], plan['k'], plan['b'])
        z = dev(torch.randn(x0.shape, generator=g))
        loss = ect_loss(P, spec, x0, z, t, r, plan['c'])
        opt.zero_grad()
        loss.backward()
        for p in P.values():  # the ECT code nan_to_num's the gradients (ct_training_loop.py:263-265)
            torch.nan_to_num_(p.grad, nan=0.0, posinf=0.0, neginf=0.0)
        opt.step()
        ctx['ema_update'](ema, P, a.ema)
        last = step + 1
        if step % 25 == 0:
            log(f'ect step {step} stage {stage} loss {loss.item():.4f} ({time.time() - started:.0f} s)')
        if a.save_every > 0 and (last - first) % a.save_every == 0:
            save(last)
    if a.save_every <= 0 or (last - first) % a.save_every != 0 or last == first:
        save(last)


def add_ect_parser(sub, PRE, STATE_DIR):
    e = sub.add_parser('ect', help='ECT from the shipped teacher (few-step-methods.md section 3)')
    e.add_argument('--steps', type=int, default=2400, help='steps in this run (the stage plan spreads over them)')
    e.add_argument('--batch', type=int, default=64)
    e.add_argument('--lr', type=float, default=2e-4)
    e.add_argument('--warmup', type=int, default=50, help='linear warm-up of a fresh Adam (none after a resume; 0: none)')
    e.add_argument('--ema', type=float, default=0.995)
    e.add_argument('--q', type=float, default=2.0)
    e.add_argument('--k', type=float, default=8.0)
    e.add_argument('--b', type=float, default=1.0)
    e.add_argument('--c', type=float, default=0.0, help='pseudo-Huber c (0: the plain L2 norm, the ECT default)')
    e.add_argument('--Pm', type=float, default=-1.1)
    e.add_argument('--Ps', type=float, default=2.0)
    e.add_argument('--first-stage', type=int, default=1,
                   help='stage at step 0; 1 skips stage 0 (r = 0 for t <= 1.95: the denoiser the teacher already is)')
    e.add_argument('--last-stage', type=int, default=7, help='stage the planned steps end in (7: dt/t = n(t)/256)')
    e.add_argument('--stage-steps', type=int, default=0, help='steps per stage (0: spread over --steps)')
    e.add_argument('--seed', type=int, default=3)
    e.add_argument('--init', default='', help='start from this ECT weights file (a checkpoint) instead of the teacher; fresh Adam')
    e.add_argument('--teacher', default=os.path.join(PRE, 'mnist-teacher.safetensors'), help='the EDM teacher ECT starts as (its architecture is the run\'s)')
    e.add_argument('--resume', action='store_true', help='continue from --state (online, EMA, Adam, step, stage plan)')
    e.add_argument('--max-minutes', type=float, default=0, help='stop early after this wall time (0 = never)')
    e.add_argument('--out', default=os.path.join(PRE, 'mnist-ect.safetensors'), help='the shipped (EMA) weights file')
    e.add_argument('--state', default=os.path.join(STATE_DIR, 'mnist-ect.state.safetensors'))
    e.add_argument('--ckpt-dir', default='/tmp/ect-ckpts', help='an EMA weights file per save, for the quality curve')
    e.add_argument('--save-every', type=int, default=200)
    return e
