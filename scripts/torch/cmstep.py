"""One consistency training step in PyTorch, mirroring src/core/cm/consistencyTrainer.ts term by term:
the schedules (N(k), mu(k), Karras grid, interval sampling and weights: src/core/schedule.ts), the
parameterisation (parameterisation.ts), the distances (distance.ts), the ODE teacher step (teacher/ode.ts,
mixtureDenoiser.ts, edmTeacher.ts), FlatAdam (optimizer.ts: the lr schedule of lrSchedule.ts, global-norm
clip, Adam / RAdam with the bias corrections folded into two scalars) and the EMAs (ema.ts). Parameters live in one flat buffer in
the network's parameter order, row-major: the optimiser moments of a bundle are in that layout.
"""
import math

import numpy as np
import torch

from cmlib import mlp_forward, mlp_param_list, mlp_time_frequencies, unet_forward, unet_param_list

SUPPORTED_MODES = ('cd', 'ct')
SUPPORTED_METRICS = ('l2', 'l1', 'pseudo-huber')

# ---------------------------------------------------------------- schedules (schedule.ts, scheduleState.ts)


def schedule_length(c):
    return c['K'] if c['K'] > 0 else c['steps']


def ct_adaptive_n(k, K, s0, s1):
    frac = min(k / K, 1) if K > 0 else 1
    return math.ceil(math.sqrt(frac * ((s1 + 1) ** 2 - s0 ** 2) + s0 ** 2) - 1) + 1


def ict_doubling_n(k, K, s0, s1):
    stage = max(1, math.floor(K / (math.log2(math.floor(s1 / s0)) + 1)))
    return min(s0 * 2 ** math.floor(k / stage), s1) + 1


def scheduled_n(c, k):
    if c['nSchedule'] == 'ct-adaptive':
        return ct_adaptive_n(k, schedule_length(c), c['s0'], c['s1'])
    if c['nSchedule'] == 'ict-doubling':
        return ict_doubling_n(k, schedule_length(c), c['s0'], c['s1'])
    return c['N']


def scheduled_mu(c, n):
    if c['nSchedule'] != 'ct-adaptive':
        return c['mu']
    if c['mu0'] == 0:
        return 0.0
    denom = n if c['muVariant'] == 'paper' else n - 1
    return math.exp(c['s0'] * math.log(c['mu0']) / denom)


def karras_sigmas_ascending(n, c):
    lo, hi, rho = c['eps'] ** (1 / c['rho']), c['T'] ** (1 / c['rho']), c['rho']
    t = np.array([(lo + (i / (n - 1)) * (hi - lo)) ** rho for i in range(n)], dtype=np.float64)
    t[0], t[-1] = c['eps'], c['T']  # exact endpoints: f(x, eps) = x relies on t_1 == eps
    return t


def interval_probabilities(sigmas, c):
    n = len(sigmas) - 1
    if c['indexSampling'] != 'lognormal':
        return np.full(n, 1 / n)
    pm, ps = c['Pm'], c['Ps']
    p = np.array([max(math.erf((math.log(sigmas[i + 1]) - pm) / (math.sqrt(2) * ps))
                      - math.erf((math.log(sigmas[i]) - pm) / (math.sqrt(2) * ps)), 0) for i in range(n)])
    return p / p.sum()


def interval_weights(sigmas, c):
    gaps = sigmas[1:] - sigmas[:-1]
    return np.ones(len(gaps)) if c['weighting'] == 'uniform' else 1 / gaps


class Schedule:
    """What the schedules say at iteration k (cached per N, as ScheduleCache)."""

    def __init__(self, c):
        self.c, self.cache = c, {}

    def at(self, k):
        n = scheduled_n(self.c, k)
        if n not in self.cache:
            sig = karras_sigmas_ascending(n, self.c)
            self.cache[n] = (sig, np.cumsum(interval_probabilities(sig, self.c)), interval_weights(sig, self.c))
        sig, cum, w = self.cache[n]
        return {'N': n, 'mu': scheduled_mu(self.c, n), 'sigmas': sig, 'cumulative': cum, 'weights': w}

# ---------------------------------------------------------------- parameterisation (float64, then float32)


def c_skip(t, c):
    s2 = c['sigmaData'] ** 2
    return s2 / ((t - c['eps']) ** 2 + s2)


def c_out(t, c):
    return c['sigmaData'] * (t - c['eps']) / np.sqrt(c['sigmaData'] ** 2 + t * t)


def c_in(t, c):
    return 1 / np.sqrt(t * t + c['sigmaData'] ** 2)


def c_noise(t, c):
    v = 0.25 * np.log(t)
    return v if c['cNoiseConvention'] == 'jax' else 1000 * v


def per_sample(values, ndim, device):
    """float64 numpy [B] -> float32 tensor [B, 1, ...] (as tensorUtil.perSample)."""
    v = torch.from_numpy(np.asarray(values, dtype=np.float64).astype(np.float32)).to(device)
    return v.view(-1, *([1] * (ndim - 1)))

# ---------------------------------------------------------------- networks over one flat buffer


class FlatNet(torch.nn.Module):
    """The bundle's network as F(x_in, c_noise) over ONE flat parameter (so DDP all-reduces one buffer and
    Adam's moments keep the bundle's layout). Data are NHWC / [B, d] as in TF.js; the U-Net permutes."""

    def __init__(self, spec, c, flat):
        super().__init__()
        self.spec = spec
        if spec['kind'] == 'mlp':
            self.param_list = mlp_param_list(spec)
            self.register_buffer('freqs', mlp_time_frequencies(spec['timeFeatures'], c['cNoiseConvention']))
        elif spec['kind'] == 'unet':
            self.param_list = unet_param_list(spec)
        else:
            raise ValueError(f'unknown network kind {spec["kind"]}')
        self.sizes = [int(np.prod(s)) for _, s in self.param_list]
        self.flat = torch.nn.Parameter(flat)

    def pieces(self, flat=None):
        flat = self.flat if flat is None else flat
        out, o = {}, 0
        for (name, shape), n in zip(self.param_list, self.sizes):
            out[name] = flat[o:o + n].view(shape)
            o += n
        return out

    def apply(self, flat, x_in, noise):
        P = self.pieces(flat)
        if self.spec['kind'] == 'mlp':
            return mlp_forward(P, self.spec, x_in, noise, self.freqs)
        # Standard NCHW strides (with one channel a permuted view passes for channels-last, and forward-mode group_norm fails on that).
        y = unet_forward(P, self.spec, x_in.permute(0, 3, 1, 2).clone(memory_format=torch.contiguous_format), noise)
        return y.permute(0, 2, 3, 1)

    def forward(self, x_in, noise):
        return self.apply(self.flat, x_in, noise)


def param_names(spec):
    return mlp_param_list(spec) if spec['kind'] == 'mlp' else unet_param_list(spec)

# ---------------------------------------------------------------- teachers and the ODE step


class MixtureDenoiser:
    """Exact D(x, t) of an isotropic Gaussian mixture (mixtureDenoiser.ts), float32 like the TF.js ops."""

    def __init__(self, means, stds, weights, device):
        self.means = torch.from_numpy(means.astype(np.float32)).to(device)
        self.var = torch.from_numpy((stds ** 2).astype(np.float32)).to(device)[None, :]
        self.logw = torch.from_numpy(np.log(weights).astype(np.float32)).to(device)[None, :]
        self.half_sq = (self.means ** 2).sum(1)[None, :] / 2
        self.common = float(stds[0]) if np.all(stds == stds[0]) else None
        self.device = device

    def __call__(self, x, t):
        if self.common is not None:
            s2 = self.common ** 2
            v = s2 + t * t
            col = lambda a: torch.from_numpy(a.astype(np.float32)).to(self.device)[:, None]
            logits = self.logw + (x @ self.means.T - self.half_sq) * col(1 / v)
            w = torch.softmax(logits, -1)
            return (w @ self.means) * col(1 - s2 / v) + x * col(s2 / v)
        d = x.shape[1]
        v = self.var + torch.from_numpy((t * t).astype(np.float32)).to(self.device)[:, None]
        dist2 = torch.relu((x ** 2).sum(1, keepdim=True) - 2 * (x @ self.means.T) + 2 * self.half_sq)
        w = torch.softmax(self.logw - torch.log(v) * (d / 2) - dist2 / (v * 2), -1)
        a = self.var / v
        return (w * (1 - a)) @ self.means + x * (w * a).sum(1, keepdim=True)


class EdmDenoiser:
    """A learned teacher D = c_skip x + c_out F(c_in x, c_noise) with the unshifted EDM scalings."""

    def __init__(self, net, flat, c):
        self.net, self.flat, self.c = net, flat, c

    def __call__(self, x, t):
        sd2 = self.c['sigmaData'] ** 2
        r, dev = x.dim(), x.device
        skip = per_sample(sd2 / (t * t + sd2), r, dev)
        out = per_sample(t * self.c['sigmaData'] / np.sqrt(t * t + sd2), r, dev)
        noise = torch.from_numpy(c_noise(t, self.c).astype(np.float32)).to(dev)
        return skip * x + out * self.net.apply(self.flat, per_sample(c_in(t, self.c), r, dev) * x, noise)


def ode_step(solver, D, x, t_from, t_to):
    """One Euler or Heun step of dx/dt = (x - D(x, t)) / t (teacher/ode.ts)."""
    r, dev = x.dim(), x.device
    dt = t_to - t_from
    d1 = x - D(x, t_from)
    if solver != 'heun':
        return x + d1 * per_sample(dt / t_from, r, dev)
    x_pred = x + d1 * per_sample(dt / t_from, r, dev)
    d2 = x_pred - D(x_pred, t_to)
    return x + (d1 * per_sample(0.5 * dt / t_from, r, dev) + d2 * per_sample(0.5 * dt / t_to, r, dev))

# ---------------------------------------------------------------- loss


def noisy(x0, z, t):
    """x + t z per sample, in float64 then rounded once (netInputs.hostNoisy)."""
    tt = torch.from_numpy(t).to(x0.device).view(-1, *([1] * (x0.dim() - 1)))
    return (x0.double() + tt * z.double()).float()


def inputs(x, t, c, host=True):
    """(c_in x, c_skip x, c_out, c_noise). host: the products in float64 (hostInputs); else float32."""
    r, dev = x.dim(), x.device
    col = lambda a: torch.from_numpy(a).to(dev).view(-1, *([1] * (r - 1)))
    if host:
        x_in, skip_x = (col(c_in(t, c)) * x.double()).float(), (col(c_skip(t, c)) * x.double()).float()
    else:
        x_in, skip_x = per_sample(c_in(t, c), r, dev) * x, per_sample(c_skip(t, c), r, dev) * x
    return x_in, skip_x, per_sample(c_out(t, c), r, dev), torch.from_numpy(c_noise(t, c).astype(np.float32)).to(dev)


def huber_c(c, dim):
    return c['huberC'] if c['huberC'] > 0 else 0.00054 * math.sqrt(dim)


def consistency_loss(metric, f, target, lam, c):
    """mean_i lambda_i d(f_i, target_i) over this rank's samples (distance.ts, l2Loss.ts)."""
    axes = tuple(range(1, f.dim()))
    B, dim = f.shape[0], int(np.prod(f.shape[1:]))
    r = f - target
    if metric == 'l2':
        coef = torch.from_numpy((lam / (B * dim)).astype(np.float32)).to(f.device).view(-1, *([1] * len(axes)))
        return (r * r * coef).sum()
    lam_t = torch.from_numpy(lam.astype(np.float32)).to(f.device)
    if metric == 'l1':
        return (lam_t * r.abs().mean(axes)).mean()
    if metric == 'pseudo-huber':
        hc = huber_c(c, dim)
        return (lam_t * (torch.sqrt((r * r).sum(axes) + hc * hc) - hc)).mean()
    raise ValueError(f'metric {metric}')

# ---------------------------------------------------------------- FlatAdam and the EMAs


LR_DECAYS = ('constant', 'cosine', 'linear')


def lr_decays(c):
    """Whether the lr falls to 0 just after the budget: a decay with room for it (lrSchedule.ts, span > 1)."""
    return c.get('lrDecay', 'constant') != 'constant' and c['steps'] - c['warmupSteps'] + 1 > 1


def scheduled_lr(c, k):
    """lrSchedule.ts scheduledLr: the lr of update k (1-based). Linear warm-up lr k / W for k <= W; then
    constant, or cosine / linear in p = (k - W - 1) / (steps - W + 1): the full lr at update W + 1, a sliver
    at update steps + 1 (the first past the budget `steps`), 0 from steps + 2 on, as lrSchedule.ts's code,
    comment and golden values say. A bundle without `lrDecay` (older) is constant."""
    lr, w = c['lr'], c['warmupSteps']
    if w > 0 and k <= w:
        return lr * k / w
    decay = c.get('lrDecay', 'constant')
    if decay == 'constant':
        return lr
    span = c['steps'] - w + 1  # updates W+1 .. steps, then the zero point
    if span <= 1:
        return lr  # a budget inside the warm-up leaves no room to decay
    p = min(1.0, max(0.0, (k - w - 1) / span))
    return lr * 0.5 * (1 + math.cos(math.pi * p)) if decay == 'cosine' else lr * (1 - p)


class FlatAdam:
    """optimizer.ts: the lr schedule (scheduled_lr), global-norm clipping, Adam or RAdam, moments m, v and step t."""

    def __init__(self, c, m, v, t):
        self.c, self.m, self.v, self.t = c, m, v, t

    def current_lr(self):
        """The lr of the next update: the schedule at t + 1, t being Adam's update count (as optimizer.ts)."""
        return scheduled_lr(self.c, self.t + 1)

    @torch.no_grad()
    def step(self, p, g):
        c = self.c
        b1, b2, eps, clip = c['beta1'], c['beta2'], c['adamEps'], c['gradClip']
        lr = self.current_lr()
        self.t += 1
        t = self.t
        bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
        scale, adaptive = lr, True
        if c['optimizer'] == 'radam':
            rho_inf = 2 / (1 - b2) - 1
            rho_t = rho_inf - 2 * t * b2 ** t / bc2
            if rho_t > 5:
                scale = lr * math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            else:
                adaptive = False
        if clip > 0:
            n = torch.sqrt((g * g).sum())
            g = g * torch.clamp(clip / (n + 1e-12), max=1.0)
        self.m.mul_(b1).add_(g, alpha=1 - b1)
        self.v.mul_(b2).add_(g * g, alpha=1 - b2)
        if adaptive:
            p.sub_(self.m * (scale * math.sqrt(bc2) / bc1) / (torch.sqrt(self.v) + eps * math.sqrt(bc2)))
        else:
            p.sub_(self.m * (scale / bc1))


@torch.no_grad()
def ema_update(target, source, mu):
    """theta^- <- mu theta^- + (1 - mu) theta (ema.ts); mu = 0 copies."""
    if mu == 0:
        target.copy_(source)
    else:
        target.mul_(mu).add_(source, alpha=1 - mu)
