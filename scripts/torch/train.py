"""Trains the playground's shipped MNIST weights on the CPU (or a CUDA GPU) and exports them as safetensors.

  /usr/bin/python3 scripts/torch/train.py classifier   # public/models/digit-classifier.safetensors
  /usr/bin/python3 scripts/torch/train.py teacher      # public/pretrained/mnist-teacher.safetensors (EDM)
  /usr/bin/python3 scripts/torch/train.py cd           # public/pretrained/mnist-cd.safetensors (Algorithm 2)
  /usr/bin/python3 scripts/torch/train.py ct           # public/pretrained/mnist-ct.safetensors (Algorithm 3, iCT options)
  /usr/bin/python3 scripts/torch/train.py ect          # public/pretrained/mnist-ect.safetensors (ECT from the teacher)
  /usr/bin/python3 scripts/torch/train.py fixture      # test/fixtures/mnist/parity.safetensors
  /usr/bin/python3 scripts/torch/train.py eval         # quality (FD, label entropy) of the shipped teacher, CD, CT, ECT
  /usr/bin/python3 scripts/torch/train.py average A B ... --out M   # the mean of one run's checkpoints
  /usr/bin/python3 scripts/torch/train.py --device cuda teacher ...   # the same on a CUDA GPU (teacher, cd, ct, ect, eval)

Needs public/data/mnist.bin (node scripts/build-mnist-asset.mjs). Settings and wall times: README.md here.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

# One BLAS thread per torch thread: OpenBLAS otherwise starts its own worker thread, which competes with the
# other job when two one-thread runs share the two cores (~20% slower per step, measured in session 10).
# It reads the variable when it loads, so this must come before numpy and torch are imported.
for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'):
    os.environ.setdefault(_var, os.environ.get('CM_TORCH_THREADS', '1'))

import numpy as np
import torch

from cmlib import (CLASSIFIER_SPEC, save_training_state, EPS, ROOT, SIGMA_DATA, T_MAX, UNET_PRESETS, classifier_features,
                   classifier_logits, classifier_param_list, consistency_fn, edm_denoiser, init_params,
                   karras_sigmas, load_mnist, read_safetensors, read_weights, save_params, split_indices, to_signed,
                   unet_forward, unet_param_list, write_safetensors)
from ect import add_ect_parser, ect_sample, train_ect

PRE = os.path.join(ROOT, 'public', 'pretrained')
CLASSIFIER_PATH = os.path.join(ROOT, 'public', 'models', 'digit-classifier.safetensors')
FIXTURE_PATH = os.path.join(ROOT, 'test', 'fixtures', 'mnist', 'parity.safetensors')
PAGE_TAU = 1.7  # the page's multistep tau on digits (MNIST_TAUS in src/core/config.ts; a test keeps them equal)
# Where teacher, cd, ct, ect and eval compute (--device). The random draws stay on the CPU generators and are moved,
# so a run draws the same batches and noise on any device.
DEVICE = torch.device('cpu')


def dev(t):
    return t.to(DEVICE)


def trainable(W):
    """Weights as leaves on the run's device that train."""
    return {k: v.detach().to(DEVICE).requires_grad_(True) for k, v in W.items()}


def restore_adam(opt, P, moments, adam_step):
    for k, (m, v) in moments.items():
        opt.state[P[k]] = {'step': torch.tensor(float(adam_step)), 'exp_avg': dev(m.clone()), 'exp_avg_sq': dev(v.clone())}


def repo_path(text):
    """A path inside the checkout (absolute, or relative to here as ./ or ../) as the repository names it, so metadata
    reads the same on any machine and from any directory; anything else as it is."""
    if not isinstance(text, str) or not (os.path.isabs(text) or text.startswith('.')):
        return text
    path = os.path.abspath(text)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else text


def command_line():
    """The command as run from the repository root."""
    return 'python3 scripts/torch/' + ' '.join([os.path.basename(sys.argv[0])] + [repo_path(x) for x in sys.argv[1:]])


def train_data():
    images, labels = load_mnist()
    tr, _ = split_indices(len(labels))
    return to_signed(images[tr]), torch.from_numpy(labels[tr].astype(np.int64))


def heldout_data():
    images, labels = load_mnist()
    _, ho = split_indices(len(labels))
    return to_signed(images[ho]), torch.from_numpy(labels[ho].astype(np.int64))


def ema_update(target, online, decay):
    with torch.no_grad():
        for k in target:
            target[k].mul_(decay).add_(online[k].detach(), alpha=1 - decay)


def detached_copy(P):
    return {k: v.detach().clone() for k, v in P.items()}


def out_of_time(a, started):
    if a.max_minutes > 0 and time.time() - started > 60 * a.max_minutes:
        log(f'stopping early: {a.max_minutes} minutes spent')
        return True
    return False


def log(msg):
    print(msg, flush=True)


def metadata(role, spec, config, started):
    config = {k: repo_path(v) for k, v in config.items()}
    config = dict(config, wallSeconds=round(time.time() - started, 1), torch=torch.__version__)
    return {'format': 'cm-playground/weights@1', 'spec': json.dumps(spec), 'role': role,
            'config': json.dumps(config), 'trainedBy': command_line()}

# ---------------------------------------------------------------- classifier


def train_classifier(a):
    x, y = train_data()
    g = torch.Generator().manual_seed(a.seed)
    P = init_params(classifier_param_list(), g, out_scale_names=('fc1.w',))
    opt = torch.optim.Adam(P.values(), lr=a.lr)
    started = time.time()
    for step in range(a.steps):
        idx = torch.randint(0, len(x), (a.batch,), generator=g)
        xb = x[idx]
        # small random translations (+-2 px) so generated digits that sit slightly off-centre are still read
        dx, dy = torch.randint(-2, 3, (2,), generator=g).tolist()
        xb = torch.roll(xb, shifts=(dy, dx), dims=(2, 3))
        loss = torch.nn.functional.cross_entropy(classifier_logits(P, xb), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 200 == 0 or step == a.steps - 1:
            log(f'classifier step {step} loss {loss.item():.4f}')
    xh, yh = heldout_data()
    with torch.no_grad():
        acc = (classifier_logits(P, xh).argmax(1) == yh).float().mean().item()
    log(f'held-out accuracy {acc:.4f}  ({time.time() - started:.0f} s)')
    cfg = dict(vars(a), heldoutAccuracy=round(acc, 4), optimizer='adam')
    save_params(CLASSIFIER_PATH, classifier_param_list(), P, metadata('classifier', CLASSIFIER_SPEC, cfg, started))

# ---------------------------------------------------------------- EDM teacher (consistency-models.md §2)


def edm_weight(t):
    """EDM's loss weight lambda(t) = (t^2 + sd^2) / (t sd)^2: the teacher trains and is judged (--heldout-loss) by it."""
    return (t ** 2 + SIGMA_DATA ** 2) / (t * SIGMA_DATA) ** 2


TEACHER_STATE = os.path.join(ROOT, 'scripts', 'torch', 'state', 'mnist-teacher.state.safetensors')
# The EMA weights `teacher --resume` starts from when there is no state file, per preset (the large one is kept
# without its optimiser state: Adam's moments would triple its size in the repository).
TEACHER_WEIGHTS = {'default': os.path.join(PRE, 'mnist-teacher.safetensors'),
                   'large': os.path.join(PRE, 'mnist-teacher-large.safetensors')}


def save_teacher_state(path, pl, P, ema, opt, steps_done, a, started):
    """Everything needed to continue the teacher: online and EMA weights, Adam's moments, the step count."""
    save_training_state(path, pl, P, ema, opt, 'cm-playground/teacher-state@1', steps_done, a, started)


def refuse(message):
    """A bad combination of options: say why and exit 2 (as argparse does) before any work."""
    print(f'train.py: error: {message}', file=sys.stderr)
    sys.exit(2)


def load_teacher_start(a, pl):
    """Where the teacher run starts: the saved state, else (with --resume) the shipped EMA weights, else init."""
    if a.resume and os.path.exists(a.state):
        T, meta = read_safetensors(a.state)
        saved = json.loads(meta.get('config', '{}')).get('model', 'default')
        if saved != a.model:
            refuse(f'teacher --resume: {a.state} holds a "{saved}" teacher; pass --model {saved}, or a new --state for --model {a.model}')
        P = trainable({k: T[f'online/{k}'] for k, _ in pl})
        ema = {k: dev(T[f'ema/{k}'].clone()) for k, _ in pl}
        moments = {k: (T[f'adam_m/{k}'], T[f'adam_v/{k}']) for k, _ in pl if f'adam_m/{k}' in T}
        return P, ema, moments, int(meta['stepsDone']), int(meta.get('adamStep', '0')), 'state file'
    if a.resume:  # no state yet: continue from the committed EMA weights with a fresh optimiser (and its warm-up)
        path = TEACHER_WEIGHTS.get(a.model)
        if path is None or not os.path.exists(path):
            refuse(f'teacher --resume: no state at {a.state} and no committed "{a.model}" teacher; start one from scratch (no --resume)')
        W, meta = read_safetensors(path)
        done = json.loads(meta['config']).get('stepsDone', json.loads(meta['config']).get('steps', 0))
        P = trainable({k: W[k] for k, _ in pl})
        return P, detached_copy(P), {}, int(done), 0, os.path.relpath(path, ROOT)
    g = torch.Generator().manual_seed(a.seed)
    P = trainable(init_params(pl, g))
    return P, detached_copy(P), {}, 0, 0, 'initialisation'


def train_teacher(a):
    spec = UNET_PRESETS[a.model]
    x = dev(train_data()[0])
    pl = unet_param_list(spec)
    P, ema, moments, done, adam_step, source = load_teacher_start(a, pl)
    g = torch.Generator().manual_seed(a.seed + done)  # a resumed run draws new batches, reproducibly
    opt = torch.optim.Adam(P.values(), lr=a.lr, eps=1e-8)
    restore_adam(opt, P, moments, adam_step)
    log(f'teacher: starting at step {done} from {source} on {DEVICE}')
    started = time.time()
    first, last = done, done

    def save(steps_done):
        cfg = dict(vars(a), stepsDone=steps_done, objective='EDM', lnT='N(-1.2, 1.2^2)', sigmaData=SIGMA_DATA,
                   optimizer='adam', shipped='ema', startedFrom=source)
        save_params(a.out, pl, ema, metadata('teacher', spec, cfg, started))
        if a.ckpt_dir:  # one EMA file per save, to score the run's curve afterwards
            os.makedirs(a.ckpt_dir, exist_ok=True)
            save_params(os.path.join(a.ckpt_dir, f'teacher-{steps_done:06d}.safetensors'), pl, ema, metadata('teacher', spec, cfg, started))
        save_teacher_state(a.state, pl, P, ema, opt, steps_done, a, started)
        log(f'teacher: saved at step {steps_done}')

    for step in range(done, done + a.steps):
        if out_of_time(a, started):
            break
        # warm-up counts from this run's first step when Adam starts fresh; a restored Adam needs none
        warm = 1.0 if moments else min(1.0, (step - first + 1) / a.warmup)
        for group in opt.param_groups:
            group['lr'] = a.lr * warm
        x0 = x[torch.randint(0, len(x), (a.batch,), generator=g)]
        t = dev(torch.exp(-1.2 + 1.2 * torch.randn(a.batch, generator=g, dtype=torch.float64)))
        z = dev(torch.randn(x0.shape, generator=g))
        xt = x0 + t.float()[:, None, None, None] * z
        w = edm_weight(t).float()
        loss = (w * (edm_denoiser(P, spec, xt, t) - x0).square().mean(dim=(1, 2, 3))).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema_update(ema, P, a.ema)
        last = step + 1
        if step % 100 == 0:
            log(f'teacher step {step} loss {loss.item():.4f} ({time.time() - started:.0f} s)')
        if a.save_every > 0 and (last - first) % a.save_every == 0:
            save(last)
    save(last)

# ---------------------------------------------------------------- CD (Algorithm 2)


def heun_step(D, x, t_from, t_to):
    """One Heun step of dx/dt = (x - D(x, t)) / t from t_from to t_to (both [B] float64)."""
    tf_, tt = t_from.float()[:, None, None, None], t_to.float()[:, None, None, None]
    v1 = (x - D(x, t_from)) / tf_
    x_euler = x + (tt - tf_) * v1
    v2 = (x_euler - D(x_euler, t_to)) / tt
    return x + (tt - tf_) * (v1 + v2) / 2


HUBER_C = 0.00054 * math.sqrt(28 * 28)  # iCT's pseudo-Huber constant for 28 x 28 digits (0.0151)


def pseudo_huber(diff):
    """iCT's metric per sample: sqrt(|diff|^2 + c^2) - c over each digit's pixels."""
    return torch.sqrt(diff.square().sum(dim=(1, 2, 3)) + HUBER_C ** 2) - HUBER_C


def save_ema(a, role, pl, ema, meta, steps_done):
    """Write a run's EMA weights to --out, and with --ckpt-dir one file per save too, to score the run's curve afterwards."""
    save_params(a.out, pl, ema, meta)
    if a.ckpt_dir:
        os.makedirs(a.ckpt_dir, exist_ok=True)
        save_params(os.path.join(a.ckpt_dir, f'{role}-{steps_done:06d}.safetensors'), pl, ema, meta)


def train_cd(a):
    teacher, meta = read_weights(a.teacher, 'teacher', 'a teacher', 'cd --teacher')
    teacher = {k: dev(v) for k, v in teacher.items()}
    spec = json.loads(meta['spec'])  # the student is the teacher's architecture (it starts as a copy)
    pl = unet_param_list(spec)
    x = dev(train_data()[0])
    g = torch.Generator().manual_seed(a.seed)
    init, previous = teacher, None
    if a.resume:  # continue from CD weights (student, target and EMA all start there)
        init, prev_meta = read_weights(a.init, 'cd', 'a CD', 'cd --resume')
        if json.loads(prev_meta['spec']) != spec:
            refuse(f'cd --resume: {a.init} is another architecture than the teacher {a.teacher}')
        previous = {'trainedBy': prev_meta['trainedBy'], 'config': json.loads(prev_meta['config'])}
    P = trainable(init)  # the student starts as the teacher (or the CD file)
    target = detached_copy(P)
    ema = detached_copy(P)
    sig = torch.from_numpy(karras_sigmas(a.N))
    opt = torch.optim.Adam(P.values(), lr=a.lr, eps=1e-8)
    D = lambda xx, tt: edm_denoiser(teacher, spec, xx, tt)  # noqa: E731
    started = time.time()

    def save(steps_done):
        cfg = dict(vars(a), stepsDone=steps_done, algorithm='CD (Algorithm 2)', solver='heun', weighting='uniform',
                   **({'huberC': HUBER_C} if a.metric == 'pseudo-huber' else {}),
                   eps=EPS, T=T_MAX, sigmaData=SIGMA_DATA, optimizer='adam',
                   init=f'previous {os.path.basename(a.init)}' if previous else 'teacher ema', previousRun=previous, shipped='ema')
        meta = metadata('cd', spec, cfg, started)
        save_ema(a, 'cd', pl, ema, meta, steps_done)

    done = 0  # steps finished (the loop may stop early on time)
    for step in range(a.steps):
        if out_of_time(a, started):
            break
        if a.save_every > 0 and done > 0 and done % a.save_every == 0:  # a long run loses at most this many steps
            save(done)
        x0 = x[torch.randint(0, len(x), (a.batch,), generator=g)]
        n = torch.randint(0, a.N - 1, (a.batch,), generator=g)  # 0-based n: pair (t_n, t_{n+1})
        t_n, t_n1 = dev(sig[n]), dev(sig[n + 1])
        z = dev(torch.randn(x0.shape, generator=g))
        x_n1 = x0 + t_n1.float()[:, None, None, None] * z
        with torch.no_grad():
            x_hat = heun_step(D, x_n1, t_n1, t_n)
            y = consistency_fn(target, spec, x_hat, t_n)
        diff = consistency_fn(P, spec, x_n1, t_n1) - y
        if a.metric == 'l2':
            loss = diff.square().mean()
        else:
            loss = pseudo_huber(diff).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema_update(target, P, a.mu)
        ema_update(ema, P, a.ema)
        done = step + 1
        if step % 50 == 0 or step == a.steps - 1:
            log(f'cd step {step} loss {loss.item():.6f} ({time.time() - started:.0f} s)')
    save(done)

# ---------------------------------------------------------------- CT (Algorithm 3 with the iCT options)


def ict_num_scales(k, K, s0, s1):
    """iCT doubling curriculum N(k) = min(s0 2^floor(k/K'), s1) + 1."""
    Kp = max(1, math.floor(K / (math.log2(math.floor(s1 / s0)) + 1)))
    return min(s0 * 2 ** math.floor(k / Kp), s1) + 1


def lognormal_index_cdf(sig, Pm=-1.1, Ps=2.0):
    lo = torch.erf((torch.log(sig[:-1]) - Pm) / (math.sqrt(2) * Ps))
    hi = torch.erf((torch.log(sig[1:]) - Pm) / (math.sqrt(2) * Ps))
    return (hi - lo) / (hi - lo).sum()


def train_ct(a):
    spec = UNET_PRESETS[a.model]
    pl = unet_param_list(spec)
    x = dev(train_data()[0])
    g = torch.Generator().manual_seed(a.seed)
    P = trainable(init_params(pl, g))
    ema = detached_copy(P)
    opt = torch.optim.Adam(P.values(), lr=a.lr, eps=1e-8)
    started = time.time()

    def save(steps_done):
        cfg = dict(vars(a), stepsDone=steps_done, algorithm='CT (Algorithm 3) with iCT options', mu=0, metric='pseudo-huber',
                   huberC=HUBER_C, weighting='1/(t_{n+1}-t_n)', indexSampling='lognormal(-1.1, 2.0)',
                   curriculum='doubling N(k) = min(s0 2^floor(k/K\'), s1) + 1', eps=EPS, T=T_MAX,
                   sigmaData=SIGMA_DATA, optimizer='adam', shipped='ema')
        meta = metadata('ct', spec, cfg, started)
        save_ema(a, 'ct', pl, ema, meta, steps_done)

    done = 0  # steps finished (the loop may stop early on time)
    for step in range(a.steps):
        if out_of_time(a, started):
            break
        if a.save_every > 0 and done > 0 and done % a.save_every == 0:  # a long run loses at most this many steps
            save(done)
        for group in opt.param_groups:
            group['lr'] = a.lr * min(1.0, (step + 1) / a.warmup)
        N = ict_num_scales(step, a.steps, a.s0, a.s1)
        sig = torch.from_numpy(karras_sigmas(N))
        n = torch.multinomial(lognormal_index_cdf(sig), a.batch, replacement=True, generator=g)
        t_n, t_n1 = dev(sig[n]), dev(sig[n + 1])
        x0 = x[torch.randint(0, len(x), (a.batch,), generator=g)]
        z = dev(torch.randn(x0.shape, generator=g))
        with torch.no_grad():  # mu = 0: the target is the stop-gradient of the online net
            y = consistency_fn(P, spec, x0 + t_n.float()[:, None, None, None] * z, t_n)
        out = consistency_fn(P, spec, x0 + t_n1.float()[:, None, None, None] * z, t_n1)
        d = pseudo_huber(out - y)
        lam = (1 / (t_n1 - t_n)).float()
        loss = (lam * d).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema_update(ema, P, a.ema)
        done = step + 1
        if step % 50 == 0 or step == a.steps - 1:
            log(f'ct step {step} N {N} loss {loss.item():.5f} ({time.time() - started:.0f} s)')
    save(done)

# ---------------------------------------------------------------- evaluation and test fixture


def frechet(fa, fb):
    ma, mb = fa.mean(0), fb.mean(0)
    ca, cb = np.cov(fa, rowvar=False), np.cov(fb, rowvar=False)
    w, V = np.linalg.eigh(ca)
    sa = (V * np.sqrt(np.clip(w, 0, None))) @ V.T
    m = sa @ cb @ sa
    ev = np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)
    return float(((ma - mb) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * np.sqrt(ev).sum())


HELDOUT_LOSS_SIGMAS = (0.02, 0.1, 0.3, 0.6, 1.0, 2.0, 5.0, 20.0)


def heldout_loss(path, count, seed=5):
    """The teacher's EDM-weighted denoising loss on held-out digits at fixed sigmas and fixed noise: a fit measure
    that takes seconds, where the FD takes minutes. Per sigma, then the mean."""
    # a CD / ECT file has the same U-Net but another parameterisation: refused
    P, meta = read_weights(path, 'teacher', 'a teacher', '--heldout-loss')
    P = {k: dev(v) for k, v in P.items()}
    spec = json.loads(meta['spec'])
    xh = dev(heldout_data()[0][:count])
    g = torch.Generator().manual_seed(seed)
    losses = []
    with torch.no_grad():
        for s in HELDOUT_LOSS_SIGMAS:
            z = dev(torch.randn(xh.shape, generator=g))
            d = edm_denoiser(P, spec, xh + s * z, times(len(xh), s))
            losses.append(edm_weight(s) * (d - xh).square().mean().item())
    return losses


def times(count, t):
    """A batch's float64 times, all t, on the run's device."""
    return torch.full((count,), float(t), dtype=torch.float64, device=DEVICE)


def read_on_device(path):
    W, meta = read_safetensors(path)
    return {k: dev(v) for k, v in W.items()}, meta


def features(C, x):
    return classifier_features(C, x).double().cpu().numpy()


def scored(role, path):
    """Whether eval scores `role`'s file; a missing one is named and skipped (`--ect /nonexistent` skips ECT)."""
    if os.path.exists(path):
        return True
    log(f'{role}: no file {path}, skipped')
    return False


def evaluate(a):
    if a.heldout_loss:
        losses = heldout_loss(a.teacher, a.count)
        log(f'held-out EDM loss of {os.path.relpath(a.teacher)} ({a.count} digits) at sigma ' +
            '  '.join(f'{s:g}: {v:.4f}' for s, v in zip(HELDOUT_LOSS_SIGMAS, losses)) + f'  mean {np.mean(losses):.4f}')
        return
    C, _ = read_on_device(CLASSIFIER_PATH)
    xh = dev(heldout_data()[0])
    xt = dev(train_data()[0])
    g = torch.Generator().manual_seed(a.seed)
    with torch.no_grad():
        fh = features(C, xh)
        ft = features(C, xt[::9])
        noise = dev(torch.clamp(torch.randn(1000, 1, 28, 28, generator=g), -1, 1))
        log(f'floor FD(train, held-out) {frechet(ft, fh):.3f}   ceiling FD(noise) {frechet(features(C, noise), fh):.3f}')
        teacher_path = a.teacher
        if a.only_ect:
            return evaluate_ect(a, C, fh, g)
        if scored('teacher', teacher_path):  # the teacher's own samples: Heun on the N = 18 Karras grid (35 NFE)
            Tp, meta = read_on_device(teacher_path)
            tspec = json.loads(meta['spec'])
            sig = karras_sigmas(18)
            xs = dev(T_MAX * torch.randn(a.count, 1, 28, 28, generator=g))
            for i in range(17, 0, -1):
                xs = heun_step(lambda xx, tt: edm_denoiser(Tp, tspec, xx, tt), xs, times(a.count, sig[i]), times(a.count, sig[i - 1]))
            report('teacher (Heun, 35 NFE)', torch.clamp(xs, -1, 1), C, fh, a)
        for role, path in () if a.only_teacher else (('cd', a.cd), ('ct', a.ct)):
            if not scored(role, path):
                continue
            P, meta = read_on_device(path)
            spec = json.loads(meta['spec'])
            z = dev(torch.randn(a.count, 1, 28, 28, generator=g))
            s = torch.clamp(consistency_fn(P, spec, T_MAX * z, times(a.count, T_MAX)), -1, 1)
            report(f'{role} one-step', s, C, fh, a)
            if role == 'cd':
                evaluate_cd_multistep(a, P, spec, s, C, fh)
        if not a.only_teacher:
            evaluate_ect(a, C, fh, g)


def tau_sequence(text):
    """argparse type for a multistep sample's taus, 'tau_1,tau_2,...': the page's rule (strictly decreasing,
    each in [eps, T]), so a typo is refused with exit 2 instead of scoring something else."""
    try:
        taus = [float(v) for v in text.split(',')]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of taus (e.g. 2.5,1.0)")
    outside = [t for t in taus if not EPS <= t <= T_MAX]  # NaN fails this too
    if outside:
        raise argparse.ArgumentTypeError(f"'{text}': {outside[0]} is outside [eps, T] = [{EPS}, {T_MAX}]")
    if any(b >= a for a, b in zip(taus, taus[1:])):
        raise argparse.ArgumentTypeError(f"'{text}': taus must be strictly decreasing (tau_1 > tau_2 > ...)")
    return taus


def sequences_to_score(two_step_taus, multistep):
    """--cd-tau / --ect-tau give two-step samples (one tau each), --cd-multistep / --ect-multistep longer ones."""
    return [[tau] for tau in two_step_taus] + list(multistep)


def multistep_label(taus):
    return f'{len(taus) + 1}-step taus={",".join(f"{t:g}" for t in taus)}'


def sample_name(role, taus):
    return f'{role} two-step tau={taus[0]}' if len(taus) == 1 else f'{role} {multistep_label(taus)}'


def evaluate_cd_multistep(a, P, spec, one, C, fh):
    """Algorithm 1 as the page samples: x = f(T z) clamped to [-1, 1], then per tau (clamped to [eps, T])
    x = f(x + sqrt(tau^2 - eps^2) z', tau), clamped. Its own noise stream, so the CT and ECT samples that follow
    get the same noise as before this was added (their recorded scores stay reproducible); every sequence starts
    that stream afresh, so its first re-noising is the two-step samples' own."""
    for taus in sequences_to_score(a.cd_tau, a.cd_multistep):
        g = torch.Generator().manual_seed(a.seed + 1)
        x = one
        for tau in (min(T_MAX, max(EPS, tau)) for tau in taus):
            zn = dev(torch.randn(one.shape, generator=g))
            x = torch.clamp(consistency_fn(P, spec, x + math.sqrt(tau ** 2 - EPS ** 2) * zn, times(len(one), tau)), -1, 1)
        report(sample_name('cd', taus), x, C, fh, a)


def evaluate_ect(a, C, fh, g):
    """ECT's one-step and two-step samples (f(T z, T), then f(x + tau z', tau) for each --ect-tau)."""
    if not scored('ect', a.ect):
        return
    P, meta = read_on_device(a.ect)
    spec = json.loads(meta['spec'])
    steps = json.loads(meta['config']).get('stepsDone', '?')
    z = dev(torch.randn(a.count, 1, 28, 28, generator=g))
    zn = dev(torch.randn(a.count, 1, 28, 28, generator=g))
    with torch.no_grad():
        one = ect_sample(P, spec, z, [], [])[0]
        measured = {'samples': a.count, 'seed': a.seed, 'by': 'train.py eval (classifier features vs the 1,000 held-out digits)',
                    'oneStep': report(f'ect one-step ({steps} steps)', torch.clamp(one, -1, 1), C, fh, a)}
        for tau in a.ect_tau:
            two = ect_sample(P, spec, z, [tau], [zn])[1]
            measured[f'twoStep tau={tau}'] = report(f'ect two-step tau={tau} ({steps} steps)', torch.clamp(two, -1, 1), C, fh, a)
        more = torch.Generator().manual_seed(a.seed + 2)  # the later re-noisings' own stream: the two-step noise is zn
        extra = [dev(torch.randn(zn.shape, generator=more)) for _ in range(max((len(t) for t in a.ect_multistep), default=1) - 1)]
        for taus in a.ect_multistep:
            last = ect_sample(P, spec, z, taus, [zn] + extra)[-1]
            measured[multistep_label(taus)] = report(
                f'{sample_name("ect", taus)} ({steps} steps)', torch.clamp(last, -1, 1), C, fh, a)
    if a.record:  # the file carries its own measured quality
        write_safetensors(a.ect, [(k, v.cpu().numpy()) for k, v in P.items()], dict(meta, quality=json.dumps(measured)))
        log(f'recorded the quality in {a.ect}')


def report(name, s, C, fh, a):
    p = torch.softmax(classifier_logits(C, s), 1)
    hist = torch.bincount(p.argmax(1), minlength=10).double().cpu() / len(s)
    ent = max(0.0, -(hist[hist > 0] * hist[hist > 0].log()).sum().item())
    fd = frechet(features(C, s), fh)
    conf = p.max(1).values.mean().item()
    log(f'{name}: mean confidence {conf:.4f}  label entropy {ent:.3f} nats  FD {fd:.3f}  labels {hist.numpy().round(3)}')
    if a.grid and len(s) >= 64:  # a quick look at 64 samples (needs PIL)
        import PIL.Image
        grid = ((s[:64, 0].cpu().numpy() + 1) * 127.5).round().astype(np.uint8).reshape(8, 8, 28, 28).transpose(0, 2, 1, 3).reshape(224, 224)
        PIL.Image.fromarray(grid).save('/tmp/' + ''.join(ch if ch.isalnum() else '-' for ch in name) + '-grid.png')
    return {'fd': round(fd, 2), 'labelEntropy': round(ent, 3), 'meanConfidence': round(conf, 4)}


def average_weights(a):
    """The mean of weights files of one role and architecture (checkpoints of one run): a longer average than the run's
    EMA, which at 0.995 still wanders by several FD between checkpoints. Written with the last file's metadata, and
    the files averaged (name and steps done) under `averageOf`."""
    if os.path.exists(a.out) and not a.force:
        refuse(f'average: {a.out} exists (--force to replace it)')
    if os.path.abspath(a.out) in map(os.path.abspath, a.files):
        refuse('average: --out is one of the files averaged')
    for path in a.files:
        if not os.path.exists(path):
            refuse(f'average: no file {path}')
    files = [(path, *read_safetensors(path)) for path in a.files]
    _, first, meta = files[0]
    for path, W, m in files[1:]:
        if m.get('role') != meta.get('role') or m.get('spec') != meta.get('spec') or W.keys() != first.keys():
            refuse(f'average: {path} is not the role and architecture of {a.files[0]} (role {m.get("role")!r} against {meta.get("role")!r})')
    mean = [(k, (sum(W[k] for _, W, _ in files) / len(files)).numpy()) for k in first]
    steps = lambda m: json.loads(m['config']).get('stepsDone') if 'config' in m else None  # noqa: E731
    out_meta = dict(files[-1][2], averageOf=json.dumps([{'file': os.path.basename(p), 'stepsDone': steps(m)} for p, _, m in files]))
    write_safetensors(a.out, mean, out_meta)
    log(f'average of {len(files)} {meta.get("role")} files -> {a.out}')


TINY3_SPEC = dict(UNET_PRESETS['tiny'], channels=[4, 8, 16])


def make_fixture(a):
    """Fixed inputs and PyTorch outputs for the TF.js parity tests (tiny random U-Net, shipped teacher, classifier)."""
    g = torch.Generator().manual_seed(1234)
    tiny = UNET_PRESETS['tiny']
    Pt = init_params(unet_param_list(tiny), g)
    with torch.no_grad():
        for k in Pt:  # non-trivial gammas / biases so every parameter matters in the comparison
            Pt[k] += 0.1 * torch.randn(Pt[k].shape, generator=g)
    x = torch.randn(2, 1, 28, 28, generator=g)
    c_noise = torch.tensor([-1.2, 0.7])
    xh, _ = heldout_data()
    digits = xh[:4]
    tensors = [('input.x', x.permute(0, 2, 3, 1).numpy()), ('input.cNoise', c_noise.numpy()),
               ('input.digits', digits.permute(0, 2, 3, 1).numpy())]
    with torch.no_grad():
        tensors.append(('tiny.out', unet_forward(Pt, tiny, x, c_noise).permute(0, 2, 3, 1).numpy()))
        tensors += [(f'tiny.param.{k}', Pt[k].detach().numpy()) for k, _ in unet_param_list(tiny)]
        # The three-level layout (the large preset's) at tiny widths, from its own generator so the rest stays as it was.
        g3 = torch.Generator().manual_seed(4321)
        P3 = init_params(unet_param_list(TINY3_SPEC), g3)
        for k in P3:
            P3[k] = P3[k].detach() + 0.1 * torch.randn(P3[k].shape, generator=g3)
        tensors.append(('tiny3.out', unet_forward(P3, TINY3_SPEC, x, c_noise).permute(0, 2, 3, 1).numpy()))
        tensors += [(f'tiny3.param.{k}', P3[k].numpy()) for k, _ in unet_param_list(TINY3_SPEC)]
        teacher_path = os.path.join(PRE, 'mnist-teacher.safetensors')
        if os.path.exists(teacher_path):
            T, meta = read_safetensors(teacher_path)
            tensors.append(('teacher.out', unet_forward(T, json.loads(meta['spec']), x, c_noise).permute(0, 2, 3, 1).numpy()))
        if os.path.exists(CLASSIFIER_PATH):
            C, _ = read_safetensors(CLASSIFIER_PATH)
            tensors.append(('classifier.features', classifier_features(C, digits).numpy()))
            tensors.append(('classifier.logits', classifier_logits(C, digits).numpy()))
    from cmlib import write_safetensors
    write_safetensors(FIXTURE_PATH, tensors, {'format': 'cm-playground/fixture@1', 'tinySpec': json.dumps(tiny), 'tiny3Spec': json.dumps(TINY3_SPEC),
                                              'trainedBy': command_line()})
    log(f'wrote {FIXTURE_PATH}: {[n for n, _ in tensors if ".param." not in n]}')


ECT_CONTEXT = {'PRE': PRE, 'ROOT': ROOT, 'train_data': train_data, 'metadata': metadata, 'log': log, 'out_of_time': out_of_time,
               'ema_update': ema_update, 'dev': dev, 'trainable': trainable, 'restore_adam': restore_adam}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu', help='where teacher, cd, ct, ect and eval compute: cpu (default), cuda, cuda:N')
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('classifier')
    c.add_argument('--steps', type=int, default=1500)
    c.add_argument('--batch', type=int, default=64)
    c.add_argument('--lr', type=float, default=1e-3)
    c.add_argument('--seed', type=int, default=0)
    t = sub.add_parser('teacher')
    t.add_argument('--model', default='default', choices=list(UNET_PRESETS))
    t.add_argument('--steps', type=int, default=1800)
    t.add_argument('--batch', type=int, default=64)
    t.add_argument('--lr', type=float, default=1e-3)
    t.add_argument('--warmup', type=int, default=100)
    t.add_argument('--ema', type=float, default=0.998)
    t.add_argument('--seed', type=int, default=0)
    t.add_argument('--resume', action='store_true', help=f'continue from {os.path.relpath(TEACHER_STATE, ROOT)} (or the shipped teacher)')
    t.add_argument('--max-minutes', type=float, default=0, help='stop early after this wall time (0 = never)')
    t.add_argument('--out', default=os.path.join(PRE, 'mnist-teacher.safetensors'), help='the shipped (EMA) weights file')
    t.add_argument('--state', default=TEACHER_STATE, help='the full training state (read by --resume, written with --out)')
    t.add_argument('--save-every', type=int, default=500, help='write the state and the shipped file every this many steps')
    t.add_argument('--ckpt-dir', default='', help='also keep an EMA weights file per save here (teacher-<steps>.safetensors)')
    d = sub.add_parser('cd')
    d.add_argument('--steps', type=int, default=300)
    d.add_argument('--batch', type=int, default=64)
    d.add_argument('--lr', type=float, default=2e-4)
    d.add_argument('--N', type=int, default=18)
    d.add_argument('--metric', default='l2', choices=['l2', 'pseudo-huber'], help='d(x, y): l2 (mean square) or iCT\'s pseudo-Huber')
    d.add_argument('--mu', type=float, default=0.95)
    d.add_argument('--ema', type=float, default=0.995)
    d.add_argument('--seed', type=int, default=1)
    d.add_argument('--max-minutes', type=float, default=0, help='stop early after this wall time (0 = never)')
    d.add_argument('--resume', action='store_true', help='start from the CD weights in --init')
    d.add_argument('--teacher', default=os.path.join(PRE, 'mnist-teacher.safetensors'), help='the EDM teacher (its architecture is the student\'s)')
    d.add_argument('--init', default=os.path.join(PRE, 'mnist-cd.safetensors'), help='the CD file --resume starts from')
    d.add_argument('--out', default=os.path.join(PRE, 'mnist-cd.safetensors'), help='where the EMA weights go')
    d.add_argument('--save-every', type=int, default=0, help='also write --out every this many steps (0 = at the end only)')
    d.add_argument('--ckpt-dir', default='', help='also keep an EMA weights file per save here (cd-<steps>.safetensors)')
    s = sub.add_parser('ct')
    s.add_argument('--model', default='default', choices=list(UNET_PRESETS))
    s.add_argument('--steps', type=int, default=700)
    s.add_argument('--batch', type=int, default=64)
    s.add_argument('--lr', type=float, default=5e-4)
    s.add_argument('--warmup', type=int, default=100)
    s.add_argument('--s0', type=int, default=10)
    s.add_argument('--s1', type=int, default=160)
    s.add_argument('--ema', type=float, default=0.995)
    s.add_argument('--seed', type=int, default=2)
    s.add_argument('--max-minutes', type=float, default=0, help='stop early after this wall time (0 = never)')
    s.add_argument('--out', default=os.path.join(PRE, 'mnist-ct.safetensors'), help='where the EMA weights go')
    s.add_argument('--save-every', type=int, default=0, help='also write --out every this many steps (0 = at the end only)')
    s.add_argument('--ckpt-dir', default='', help='also keep an EMA weights file per save here (ct-<steps>.safetensors)')
    e = sub.add_parser('eval')
    e.add_argument('--count', type=int, default=1000)
    e.add_argument('--seed', type=int, default=0)
    e.add_argument('--grid', action='store_true')
    e.add_argument('--teacher', default=os.path.join(PRE, 'mnist-teacher.safetensors'), help='the teacher file to score')
    e.add_argument('--only-teacher', action='store_true', help='score the teacher only (skip the CD, CT and ECT files)')
    e.add_argument('--heldout-loss', action='store_true',
                   help="print the teacher's weighted denoising loss on --count held-out digits (seconds; no sampling)")
    e.add_argument('--cd', default=os.path.join(PRE, 'mnist-cd.safetensors'), help='the CD file to score')
    e.add_argument('--cd-tau', type=float, nargs='*', default=[PAGE_TAU],
                   help=f'middle times of the two-step CD samples (default {PAGE_TAU}, the page\'s on digits; 0.585 is the paper\'s CIFAR-10 example)')
    e.add_argument('--cd-multistep', type=tau_sequence, nargs='*', default=[], metavar='TAUS',
                   help='also score CD samples with more steps, one per comma-separated tau list (e.g. 2.5,1.0 for 3 steps)')
    e.add_argument('--ct', default=os.path.join(PRE, 'mnist-ct.safetensors'), help='the CT file to score')
    e.add_argument('--ect', default=os.path.join(PRE, 'mnist-ect.safetensors'), help='the ECT file to score (a checkpoint too)')
    e.add_argument('--only-ect', action='store_true', help='score the ECT file only')
    e.add_argument('--ect-tau', type=float, nargs='*', default=[PAGE_TAU],
                   help=f'middle times of the two-step ECT samples (default {PAGE_TAU}, the page\'s on digits; 0.821 is ECT\'s own)')
    e.add_argument('--ect-multistep', type=tau_sequence, nargs='*', default=[], metavar='TAUS',
                   help='also score ECT samples with more steps, one per comma-separated tau list')
    e.add_argument('--record', action='store_true', help='write the ECT file\'s measured quality into its metadata ("quality")')
    add_ect_parser(sub, PRE, os.path.dirname(TEACHER_STATE))
    sub.add_parser('fixture')
    v = sub.add_parser('average', help='the mean of checkpoints of one run (same role and architecture) into --out')
    v.add_argument('files', nargs='+')
    v.add_argument('--out', required=True)
    v.add_argument('--force', action='store_true', help='replace --out if it exists')
    a = ap.parse_args()
    global DEVICE
    try:
        DEVICE = torch.device(a.device)
    except RuntimeError as e:
        ap.error(f'--device {a.device}: {e}')
    if DEVICE.type == 'cuda' and not torch.cuda.is_available():
        ap.error(f'--device {a.device}: this torch sees no CUDA device')
    if DEVICE.type not in ('cpu', 'cuda'):
        ap.error(f'--device {a.device}: only cpu and cuda are supported')
    if DEVICE.type != 'cpu' and a.cmd in ('classifier', 'fixture'):
        ap.error(f'{a.cmd} runs on the CPU only (its outputs are test references or tiny)')
    torch.set_num_threads(int(os.environ.get('CM_TORCH_THREADS', '1')))
    torch.manual_seed(0)
    {'classifier': train_classifier, 'teacher': train_teacher, 'cd': train_cd, 'ct': train_ct,
     'ect': lambda a: train_ect(a, ECT_CONTEXT), 'eval': evaluate, 'fixture': make_fixture,
     'average': average_weights}[a.cmd](a)


if __name__ == '__main__':
    main()
