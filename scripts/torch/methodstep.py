"""One training step of each method of src/core/methods/ other than CD and CT (ECT, sCT, sCD, MeanFlow, shortcut
models, flow matching) in PyTorch, for continue.py. Each class mirrors its TypeScript file term by term: the
draws (MethodDraws: the same fields, so a bundle's next/* replay the TypeScript trainer's next step), the target
made without gradient from the target weights (the online ones where targetDecay is 0), and the loss of the
online network. Host-side per-sample factors are float64 rounded once to float32, as tensorUtil.perSample.

JVPs (sCT, sCD, MeanFlow) are exact, whatever the run's jvpRoute: forward-mode AD (one dual forward pass),
or double backward (torch.autograd.functional.jvp) where an op has no forward-mode rule; the TypeScript trainer
uses a central difference at h = 0.01 by default (jvp.ts), within ~1e-4 of this.
"""
import math

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD

from cmlib import mlp_time_frequencies, sinusoidal_features
from cmstep import EdmDenoiser, MixtureDenoiser, c_in, c_noise, noisy, per_sample

METHOD_MODES = ('ect', 'scd', 'sct', 'meanflow', 'shortcut', 'flow')
MEANFLOW_TIME_SCALE = 1 / 32  # meanflow.ts
SCM_TIME_SCALE = 1 / 32  # scm.ts


_FORWARD_AD = [True]  # cleared the first time an op lacks a forward-mode rule


def exact_jvp(fn, primals, tangents):
    """J v of fn at primals along tangents (exact). Tangents of held inputs are zeros. Forward mode costs about
    one extra forward pass; measured on one CPU thread, a whole MeanFlow step takes 55 ms instead of 75 ms with
    double backward (tiny U-Net, batch 8) and 54 instead of 56 ms (4x256 MLP, batch 256); the two routes agree
    to 2e-7."""
    if _FORWARD_AD[0]:
        try:
            with fwAD.dual_level():
                return fwAD.unpack_dual(fn(*[fwAD.make_dual(p, v) for p, v in zip(primals, tangents)])).tangent.detach()
        except (NotImplementedError, RuntimeError):
            _FORWARD_AD[0] = False
    with torch.enable_grad():
        _, out = torch.autograd.functional.jvp(fn, tuple(primals), tuple(tangents))
    return out.detach()


def f32(values, device):
    """float64 numpy [B] -> float32 tensor [B] (Float32Array.from)."""
    return torch.from_numpy(np.asarray(values, dtype=np.float64).astype(np.float32)).to(device)


def host_mix(a, b, wa, wb):
    """wa_i a + wb_i b per sample in float64, rounded once (the TypeScript host loops)."""
    shape = (-1,) + (1,) * (a.dim() - 1)
    ta = torch.from_numpy(np.asarray(wa, dtype=np.float64)).to(a.device).view(shape)
    tb = torch.from_numpy(np.asarray(wb, dtype=np.float64)).to(a.device).view(shape)
    return (ta * a.double() + tb * b.double()).float()


def row_sum(x):
    return x.sum(tuple(range(1, x.dim())))


def randn64(gen, n):
    return torch.randn(n, generator=gen, dtype=torch.float64).numpy()


def rand64(gen, n):
    return torch.rand(n, generator=gen, dtype=torch.float64).numpy()


def ect_stage_length(c, prefit):
    """Steps per ECT stage (ectStage): ectStageSteps, or with 0 the budget after the pre-fit split into 8."""
    return c['ectStageSteps'] if c['ectStageSteps'] > 0 else max(1, math.ceil((c['steps'] - prefit) / 8))


def scm_warmup_length(c):
    """sCM's tangent warm-up H (tangentWarmup): scmWarmup, or with 0 a tenth of the budget (Math.round)."""
    return c['scmWarmup'] if c['scmWarmup'] > 0 else max(1, math.floor(c['steps'] / 10 + 0.5))


def method_params(c):
    """A method's own trainable pieces after the network's parameters in the flat buffer (TrainingMethod.extraParams):
    sCM's learned adaptive weight w_phi (scm.ts adaptiveWeightParams). Bundles name them online/<name>, ..."""
    if c['mode'] in ('sct', 'scd') and c.get('scmAdaptiveWeight') == 'learned':
        return [('wphi.weight', [c['timeFeatures'], 1]), ('wphi.bias', [1])]
    return []


class Method:
    """What continue.py asks of a method. `fields`: the next/* tensors of its draws (F32 data-shaped or F64 [B])."""
    fields = ()
    scalars = ()

    def __init__(self, c, net, data, teacher, exact):
        self.c, self.net, self.data, self.teacher, self.exact = c, net, data, teacher, exact
        self.device = net.flat.device

    def target_decay(self):
        return 0.0

    def progress(self, step):
        return 0, self.target_decay()

    def normals(self, b, gen, scale=1.0):
        z = torch.randn(b, *self.data.shape, generator=gen, dtype=torch.float64) * scale
        return z.float().to(self.device)

    def replay(self, tensors, scalars, rows, rank, b):
        d = {}
        for k in self.fields:
            v = tensors[f'next/{k}'][rows]
            d[k] = torch.from_numpy(v.astype(np.float32)).to(self.device) if v.dtype == np.float32 else v.astype(np.float64)
        return d


class Ect(Method):
    """ect.ts: f(x_t, t) against sg f(x_r, r) of the online net, r = t (1 - n(t)/q^(s+1)); the exact pre-fit in 2D."""
    fields = ('x0', 'eps', 't', 'r')
    scalars = ('prefit',)

    def prefit_steps(self):
        return self.c['ectPrefitSteps'] if self.exact is not None and self.c['teacher'] == 'exact' else 0

    def stage(self, step):
        pre = self.prefit_steps()
        return math.floor(max(0, step - pre) / ect_stage_length(self.c, pre))

    def progress(self, step):
        return self.stage(step), 0.0

    def draw(self, b, gen, step):
        c = self.c
        x0 = self.data.sample(b, gen)
        t = np.minimum(c['T'], np.maximum(c['eps'], np.exp(c['Pm'] + c['Ps'] * randn64(gen, b))))
        n = 1 + c['ectK'] / (1 + np.exp(c['ectB'] * t))
        r = np.maximum(t * (1 - n / c['ectQ'] ** (self.stage(step) + 1)), 0)
        return {'x0': x0, 'eps': self.normals(b, gen), 't': t, 'r': r, 'prefit': step < self.prefit_steps()}

    def replay(self, tensors, scalars, rows, rank, b):
        return {**super().replay(tensors, scalars, rows, rank, b), 'prefit': bool(scalars['prefit'])}

    def f(self, F, x, t):
        """f = c_skip x + c_out F(c_in x, c_noise) with EDM's unshifted scalings (ectF)."""
        c, r = self.c, x.dim()
        sd = c['sigmaData']
        skip = per_sample(sd * sd / (t * t + sd * sd), r, x.device)
        out = per_sample(t * sd / np.sqrt(t * t + sd * sd), r, x.device)
        noise = f32(c_noise(np.maximum(t, c['eps']), c), x.device)
        return skip * x + out * F(per_sample(c_in(t, c), r, x.device) * x, noise)

    def loss(self, step, d, online, target_flat):
        x0, eps, t, r = d['x0'], d['eps'], d['t'], d['r']
        prefit = d['prefit']
        with torch.no_grad():
            if prefit:
                y = self.exact(noisy(x0, eps, t), t)
            else:
                fr = self.f(lambda a, n: self.net.apply(target_flat, a, n), noisy(x0, eps, r), r)
                live = per_sample((r > 0).astype(np.float64), fr.dim(), fr.device)
                y = live * fr + (1 - live) * x0
        sq = row_sum((self.f(online, noisy(x0, eps, t), t) - y) ** 2)
        if prefit:
            return sq.mean() / float(np.prod(self.data.shape))
        cc = self.c['ectC']
        return ((torch.sqrt(sq + (cc * cc + 1e-20)) - cc) * f32(1 / (t - r), sq.device)).mean()


class Flow(Method):
    """flow.ts: v(z_t, t) regressed onto e - x, z_t = (1 - t) x + t e."""
    fields = ('x0', 'e', 't')

    def draw(self, b, gen, step):
        x0 = self.data.sample(b, gen)
        if self.c['flowTimeSampling'] == 'logit-normal':
            t = 1 / (1 + np.exp(-(-0.4 + randn64(gen, b))))
        else:
            t = rand64(gen, b)
        return {'x0': x0, 'e': self.normals(b, gen), 't': t}

    def loss(self, step, d, online, target_flat):
        x0, e, t = d['x0'], d['e'], d['t']
        z = host_mix(x0, e, 1 - t, t)
        return ((online(z, f32(t, z.device)) - (e - x0)) ** 2).mean()


class Shortcut(Method):
    """shortcut.ts: flow rows at d = 1/M, bootstrap rows s(x_t, t, 2d) = sg (s(x_t, t, d) + s(x', t + d, d)) / 2."""
    fields = ('x0', 'noise', 't', 'dNet')
    scalars = ('flowRows',)

    def target_decay(self):
        return self.c['shortcutTargetEma']

    def levels(self, b):
        M = self.c['shortcutM']
        nb = math.floor(b * self.c['shortcutBootstrap'])
        L = round(math.log2(M))
        per = nb // L
        out = [L - 1 - i for i in range(L) for _ in range(per)]
        return out + [0] * (nb - len(out))

    def draw(self, b, gen, step):
        M = self.c['shortcutM']
        x0 = self.data.sample(b, gen)
        noise = self.normals(b, gen)
        levels = self.levels(b)
        rows = b - len(levels)
        t, dnet = np.zeros(b), np.zeros(b)
        t[:rows] = torch.randint(M, (rows,), generator=gen).numpy() / M
        dnet[:rows] = 1 / M
        for n, j in enumerate(levels):
            D = 2.0 ** -j
            t[rows + n] = int(torch.randint(2 ** j, (1,), generator=gen)) * D
            dnet[rows + n] = D
        return {'x0': x0, 'noise': noise, 't': t, 'dNet': dnet, 'flowRows': rows}

    def replay(self, tensors, scalars, rows, rank, b):
        d = super().replay(tensors, scalars, rows, rank, b)
        # The batch's flow rows come first: this rank's share of them.
        d['flowRows'] = min(max(int(scalars['flowRows']) - rank * b, 0), b)
        return d

    def velocity(self, F, x, t, dstep):
        L = math.log2(self.c['shortcutM'])
        k = np.clip(-np.log2(np.maximum(dstep, 1e-12)), 0, L) / L
        return F(x, torch.from_numpy(np.stack([t, k], 1).astype(np.float32)).to(x.device))

    def loss(self, step, d, online, target_flat):
        x1, x0, t, dnet, rows = d['x0'], d['noise'], d['t'], d['dNet'], d['flowRows']
        with torch.no_grad():
            target = (x1 - x0)[:rows]
            if rows < len(t):
                G = lambda a, n: self.net.apply(target_flat, a, n)
                tb, half = t[rows:], dnet[rows:] / 2
                xt = host_mix(x0[rows:], x1[rows:], 1 - tb, tb)
                s1 = self.velocity(G, xt, tb, half)
                x2 = torch.clamp(xt + per_sample(half, xt.dim(), xt.device) * s1, -4, 4)
                s2 = self.velocity(G, x2, tb + half, half)
                target = torch.cat([target, torch.clamp((s1 + s2) * 0.5, -4, 4)], 0)
        return ((self.velocity(online, host_mix(x0, x1, 1 - t, t), t, dnet) - target) ** 2).mean()


class Meanflow(Method):
    """meanflow.ts: u(z_t, r, t) against sg(v - (t - r) du/dt), du/dt the JVP along (v, 1, 0) in (z, t, r);
    loss sg(w) |u - u_tgt|^2 per sample, w = 1 / (Delta + eta)^p."""
    fields = ('x0', 'e', 't', 'r')

    def draw(self, b, gen, step):
        c = self.c
        x0 = self.data.sample(b, gen)
        sig = lambda v: 1 / (1 + np.exp(-v))
        t = sig(c['mfTMean'] + c['mfTStd'] * randn64(gen, b))
        ri = sig(c['mfRMean'] + c['mfRStd'] * randn64(gen, b))
        r = np.where(rand64(gen, b) < c['mfRatio'], np.minimum(t, ri), t)
        return {'x0': x0, 'e': self.normals(b, gen), 't': t, 'r': r}

    def loss(self, step, d, online, target_flat):
        c = self.c
        x0, e, t, r = d['x0'], d['e'], d['t'], d['r']
        z = host_mix(x0, e, 1 - t, t)
        v = e - x0
        tt, rr = f32(t, z.device), f32(r, z.device)
        cond = lambda a, b: torch.stack([a, a - b], 1) * MEANFLOW_TIME_SCALE
        u = lambda zz, ta, ra: self.net.apply(target_flat, zz, cond(ta, ra))
        with torch.no_grad():
            dudt = exact_jvp(u, (z, tt, rr), (v, torch.ones_like(tt), torch.zeros_like(rr)))
            u_tgt = v - per_sample(t - r, z.dim(), z.device) * dudt
            w = (row_sum((u(z, tt, rr) - u_tgt) ** 2) + c['mfEta']) ** -c['mfPower']
        return (w * row_sum((online(z, cond(tt, rr)) - u_tgt) ** 2)).mean()


class Scm(Method):
    """scm.ts (sCT and sCD in TrigFlow): x_t = cos t x_0 + sin t z, F(x_t / sd, t / 32) regressed onto
    F^- + g / (|g| + c) after `scmPretrain` steps of TrigFlow diffusion training (sd F onto dx_t/dt)."""
    fields = ('x0', 'z', 't')

    def draw(self, b, gen, step):
        c = self.c
        sd = c['sigmaData']
        x0 = self.data.sample(b, gen)
        t = np.clip(np.arctan(np.exp(c['scmPm'] + c['scmPs'] * randn64(gen, b)) / sd), math.atan(c['eps'] / sd), math.atan(c['T'] / sd))
        return {'x0': x0, 'z': self.normals(b, gen, sd), 't': t}

    def warmup(self, step):
        """r = min(1, (step - scmPretrain) / H), H = scmWarmup or round(steps / 10) (tangentWarmup)."""
        return min(1, max(0, step - self.c['scmPretrain']) / scm_warmup_length(self.c))

    def teacher_velocity(self, xt, t):
        """sd F_pre = (cos t x_t - D(x_t / cos t, sd tan t)) / sin t (teacherVelocity)."""
        r, dev = xt.dim(), xt.device
        D = self.teacher(xt * per_sample(1 / np.cos(t), r, dev), self.c['sigmaData'] * np.tan(t))
        return (xt * per_sample(np.cos(t), r, dev) - D) / per_sample(np.sin(t), r, dev)

    def loss(self, step, d, online, target_flat):
        return scm_loss(self, step, d, online, target_flat)

    def adaptive_weight(self, cond):
        """w_phi(t) = phi(t/32) W + b (scm.ts adaptiveWeight): W, b are the online flat's tail after the network."""
        n, F = sum(self.net.sizes), self.c['timeFeatures']
        W, b = self.net.flat[n:n + F].view(F, 1), self.net.flat[n + F:n + F + 1]
        return (sinusoidal_features(cond, mlp_time_frequencies(F, 'jax').to(cond.device)) @ W)[:, 0] + b


def scm_loss(m, step, d, online, target_flat):
    """The sCM step of scm.ts, Algorithm 1: g = -cos^2 t (sd F^- - dx_t/dt) - r (cos t sin t x_t + sd cos t sin t
    dF^-/dt), normalised g / (|g| + c); L = mean e^w/D |F_theta(x_t / sd, t) - F^- - g|^2 - w with the learned
    w = w_phi(t) (scmAdaptiveWeight 'learned', after the pre-training), else mean |F_theta - F^- - g|^2 / D.
    With w_phi the value returned is the unweighted loss and its gradient the objective's, as scm.ts reports."""
    c = m.c
    sd = c['sigmaData']
    x0, z, t = d['x0'], d['z'], d['t']
    rank, dev = x0.dim(), x0.device
    cos, sin = np.cos(t), np.sin(t)
    with torch.no_grad():
        xt = host_mix(x0, z, cos, sin)
        dxdt = host_mix(z, x0, cos, -sin) if c['mode'] == 'sct' else m.teacher_velocity(xt, t)
        x_in, tt = xt / sd, f32(t, dev)
        if step < c['scmPretrain']:
            target = dxdt / sd  # Eq. 4: sd F ~ dx_t/dt
        else:
            G = lambda x, s: m.net.apply(target_flat, x, s * SCM_TIME_SCALE)
            Fm = G(x_in, tt)
            cs = cos * sin
            jv = exact_jvp(G, (x_in, tt), (per_sample(cs, rank, dev) * dxdt, f32(cs * sd, dev)))
            g = -(per_sample(cos ** 2, rank, dev) * (Fm * sd - dxdt)) - m.warmup(step) * (per_sample(cs, rank, dev) * xt + jv)
            norm = torch.sqrt((g * g).sum(tuple(range(1, rank)), keepdim=True))
            target = Fm + g / (norm + c['scmC'])
    cond = tt * SCM_TIME_SCALE
    F = online(x_in, cond)
    plain = ((F - target) ** 2).mean()
    if c.get('scmAdaptiveWeight') != 'learned' or step < c['scmPretrain']:
        return plain  # w_phi held at 0 during the pre-training (zero gradient)
    w = m.adaptive_weight(cond)
    objective = (torch.exp(w) * row_sum((F - target) ** 2) / F[0].numel() - w).mean()
    return objective + (plain - objective).detach()


CLASSES = {'ect': Ect, 'flow': Flow, 'shortcut': Shortcut, 'meanflow': Meanflow, 'sct': Scm, 'scd': Scm}


def make_method(c, net, data, teacher_flat, device):
    """The method of c['mode'] with its teacher: sCD distils from the exact 2D mixture or the bundle's learned
    teacher every step; ECT only uses the exact mixture for its 2D pre-fit (it started from the teacher's weights)."""
    exact = MixtureDenoiser(*data.mixture, device) if data.mixture is not None else None
    teacher = None
    if c['mode'] == 'scd':
        teacher = exact if c['teacher'] == 'exact' else EdmDenoiser(net, teacher_flat, c) if teacher_flat is not None else None
    return CLASSES[c['mode']](c, net, data, teacher, exact)
