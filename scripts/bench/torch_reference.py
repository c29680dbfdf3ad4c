"""PyTorch reference for `npm run bench`: the playground's training step, written the plain PyTorch way.

Mirrors, on this machine's CPU (CM_BENCH_THREADS threads, 1 by default, like tfjs's single-threaded WASM build;
the bench runs it again with every core for the page's multi-threaded WASM):
  * the 2D MLP of src/core/models/mlp.ts (input [c_in x, sin / cos of c_noise at geometric frequencies],
    with timeConditioning 'every-layer' the same features also concatenated to every later hidden layer's
    input; SiLU, Glorot-uniform hidden weights, zero biases, zero-initialised output layer);
  * the consistency parameterisation of src/core/cm/parameterisation.ts (scalings in float64 -> float32);
  * the CT step of src/core/cm/consistencyTrainer.ts (l2 metric, EMA target, Adam, evaluation EMA) and the
    CD step with one Heun step of the exact mixture denoiser (src/core/teacher/mixtureDenoiser.ts);
  * the MNIST U-Net step through scripts/torch/cmlib.py (the project's own PyTorch mirror of unet.ts).

Reads a JSON spec (path in argv[1]) written by test/bench/sections/pytorch.ts, prints one JSON object.
"""
import json
import math
import os
import statistics
import sys
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


try:
    import torch
    import torch.nn.functional as F
except Exception as e:  # the bench skips PyTorch with this reason; it tries nothing else
    emit({'available': False, 'reason': f'import torch failed: {e}'})
    sys.exit(0)

torch.set_num_threads(int(os.environ.get('CM_BENCH_THREADS', '1')))

# ---------------------------------------------------------------- shared pieces


def scalings(t, eps, sd):
    """c_skip, c_out, c_in, c_noise per sample, computed in float64 then cast (as the TS code does)."""
    tt = t.double()
    c_skip = sd * sd / ((tt - eps) ** 2 + sd * sd)
    c_out = sd * (tt - eps) / torch.sqrt(sd * sd + tt * tt)
    c_in = 1 / torch.sqrt(tt * tt + sd * sd)
    c_noise = 0.25 * torch.log(tt)
    return c_skip.float(), c_out.float(), c_in.float(), c_noise.float()


def karras(n, eps, T, rho):
    i = torch.arange(n, dtype=torch.float64)
    return (eps ** (1 / rho) + i / (n - 1) * (T ** (1 / rho) - eps ** (1 / rho))) ** rho


def timed(step, warmup, repeats, budget_s):
    """Median ms of `step` after `warmup` calls; stops early once `budget_s` is spent (at least 3 timed)."""
    for _ in range(warmup):
        step()
    times = []
    start = time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
        if len(times) >= 3 and time.perf_counter() - start > budget_s:
            break
    return {'medianMs': statistics.median(times), 'minMs': min(times), 'maxMs': max(times), 'steps': len(times)}

# ---------------------------------------------------------------- 2D MLP


class Mlp2d:
    def __init__(self, c, gen):
        self.c = c
        half = c['timeFeatures'] // 2
        self.freqs = torch.tensor([64.0 ** (j / (half - 1)) if half > 1 else 1.0 for j in range(half)], dtype=torch.float32)
        self.every_layer = c.get('timeConditioning', 'input') == 'every-layer'
        fan_in = 2 + c['timeFeatures']
        self.params = []
        for _ in range(c['depth']):
            limit = math.sqrt(6 / (fan_in + c['width']))
            w = (torch.rand(fan_in, c['width'], generator=gen) * 2 - 1) * limit
            self.params += [w, torch.zeros(c['width'])]
            fan_in = c['width'] + (c['timeFeatures'] if self.every_layer else 0)
        self.params += [torch.zeros(c['width'], 2), torch.zeros(2)]
        for p in self.params:
            p.requires_grad_(True)

    @staticmethod
    def forward(params, freqs, depth, x_in, c_noise, every_layer=False):
        ang = c_noise[:, None] * freqs[None, :]
        feats = torch.cat([torch.sin(ang), torch.cos(ang)], dim=1)
        h = torch.cat([x_in, feats], dim=1)
        for layer in range(depth):
            if layer > 0 and every_layer:  # a learned projection of the time features in each pre-activation
                h = torch.cat([h, feats], dim=1)
            h = F.silu(torch.addmm(params[2 * layer + 1], h, params[2 * layer]))
        return torch.addmm(params[-1], h, params[-2])

    def f(self, params, x, t):
        c = self.c
        c_skip, c_out, c_in, c_noise = scalings(t, c['eps'], c['sigmaData'])
        F_ = Mlp2d.forward(params, self.freqs, c['depth'], c_in[:, None] * x, c_noise, self.every_layer)
        return c_skip[:, None] * x + c_out[:, None] * F_


class MixtureData:
    """The normalised 2D mixture the bench exported: sampling and its exact denoiser."""

    def __init__(self, m):
        K = len(m['weights'])
        self.means = torch.tensor(m['means'], dtype=torch.float32).reshape(K, 2)
        self.meansT = self.means.t().contiguous()
        self.means_sq = (self.means ** 2).sum(1)[None, :]
        self.var = torch.tensor(m['stds'], dtype=torch.float32)[None, :] ** 2
        self.log_w = torch.log(torch.tensor(m['weights'], dtype=torch.float32))[None, :]
        self.w = torch.tensor(m['weights'], dtype=torch.float64)
        self.std = torch.tensor(m['stds'], dtype=torch.float32)

    def sample(self, n):
        k = torch.multinomial(self.w, n, replacement=True)
        return self.means[k] + self.std[k, None] * torch.randn(n, 2)

    def denoise(self, x, t):
        v = self.var + (t.float() ** 2)[:, None]
        d2 = torch.relu((x * x).sum(1, keepdim=True) - 2 * x @ self.meansT + self.means_sq)
        w = torch.softmax(self.log_w - torch.log(v) - d2 / (2 * v), dim=1)  # d/2 log v with d = 2
        a = self.var / v
        return (w * (1 - a)) @ self.means + x * (w * a).sum(1, keepdim=True)


def per_sample(t, x):
    return t.float().view((-1,) + (1,) * (x.dim() - 1))


def heun_step(D, x, t_from, t_to):
    dt = per_sample(t_to - t_from, x)
    v1 = (x - D(x, t_from)) / per_sample(t_from, x)
    x_pred = x + dt * v1
    v2 = (x_pred - D(x_pred, t_to)) / per_sample(t_to, x)
    return x + dt * 0.5 * (v1 + v2)


def ema_update(target, source, mu):
    """target <- mu target + (1 - mu) source, as multi-tensor kernels (torch 1.13 has no _foreach_lerp_)."""
    torch._foreach_mul_(target, mu)
    torch._foreach_add_(target, [p.detach() for p in source], alpha=1 - mu)


class ConsistencyStep:
    """One CT or CD step with the online net, the EMA target, Adam and the evaluation EMA."""

    def __init__(self, model, sample_data, c, mode, teacher=None):
        self.model, self.sample_data, self.c, self.mode, self.teacher = model, sample_data, c, mode, teacher
        self.online = model.params
        self.target = [p.detach().clone() for p in self.online]
        self.ema = [p.detach().clone() for p in self.online]
        self.opt = torch.optim.Adam(self.online, lr=c['lr'], betas=(c['beta1'], c['beta2']), eps=c['adamEps'])
        self.sigmas = karras(c['N'], c['eps'], c['T'], c['rho'])
        self.k = 0

    def __call__(self):
        c = self.c
        B = c['batchSize']
        x = self.sample_data(B)
        n = torch.randint(0, c['N'] - 1, (B,))
        t_cur, t_next = self.sigmas[n], self.sigmas[n + 1]
        z = torch.randn_like(x)
        shape = (B,) + (1,) * (x.dim() - 1)
        x_next = x + t_next.float().view(shape) * z
        with torch.no_grad():
            if self.mode == 'ct':
                x_cur = x + t_cur.float().view(shape) * z
            else:
                x_cur = heun_step(self.teacher, x_next, t_next, t_cur)
            target = self.model.f(self.target, x_cur, t_cur)
        online = self.model.f(self.online, x_next, t_next)
        loss = ((online - target) ** 2).mean(dim=tuple(range(1, x.dim()))).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        with torch.no_grad():
            ema_update(self.target, self.online, c['mu'])
            ema_update(self.ema, self.online, min(c['evalEma'], (1 + self.k) / (10 + self.k)))
        self.k += 1
        return loss.item()  # a host read each step, as the bench reads ours


def mlp_parity(spec, data):
    """Same parameters and draws as the TS side: f and the CT loss must agree to float32 precision."""
    c = spec['mlp']
    p = spec['parity']
    model = Mlp2d(c, torch.Generator().manual_seed(0))
    params = [torch.tensor(v, dtype=torch.float32).reshape(s) for v, s in zip(p['params'], p['shapes'])]
    x = torch.tensor(p['x0'], dtype=torch.float32).reshape(-1, 2)
    z = torch.tensor(p['z'], dtype=torch.float32).reshape(-1, 2)
    t_cur = torch.tensor(p['tCur'], dtype=torch.float64)
    t_next = torch.tensor(p['tNext'], dtype=torch.float64)
    with torch.no_grad():
        online = model.f(params, x + t_next.float()[:, None] * z, t_next)
        target = model.f(params, x + t_cur.float()[:, None] * z, t_cur)
        loss = ((online - target) ** 2).mean(1).mean().item()
    expected = torch.tensor(p['fOnline'], dtype=torch.float32).reshape(-1, 2)
    return {'maxAbsDiffF': (online - expected).abs().max().item(), 'loss': loss, 'lossTs': p['loss'],
            'relDiffLoss': abs(loss - p['loss']) / max(abs(p['loss']), 1e-12)}


def bench_mlp(spec):
    c = spec['mlp']
    data = MixtureData(spec['mixture'])
    out = {}
    if spec.get('parity'):
        out['parity'] = mlp_parity(spec, data)
    for mode in spec['mlpModes']:
        torch.manual_seed(1)
        model = Mlp2d(c, torch.Generator().manual_seed(1))
        step = ConsistencyStep(model, data.sample, c, 'ct' if mode == 'ct' else 'cd', teacher=data.denoise)
        out[mode] = timed(step, spec['warmup'], spec['repeats'], spec['budgetS'])
    # One-step and four-step sampling of 4096 points from the (untrained) EMA weights.
    model = Mlp2d(c, torch.Generator().manual_seed(2))
    n = spec['sampleCount']
    taus = spec['taus4']

    def sample(steps):
        def run():
            with torch.no_grad():
                x = model.f(model.params, torch.randn(n, 2) * c['T'], torch.full((n,), c['T'], dtype=torch.float64))
                for tau in taus[: steps - 1]:
                    x_hat = x + math.sqrt(tau * tau - c['eps'] ** 2) * torch.randn(n, 2)
                    x = model.f(model.params, x_hat, torch.full((n,), tau, dtype=torch.float64))
                return x
        return run
    out['sample1'] = timed(sample(1), spec['sampleWarmup'], 20, spec['budgetS'])
    out['sample4'] = timed(sample(4), spec['sampleWarmup'], 20, spec['budgetS'])
    return out

# ---------------------------------------------------------------- MNIST U-Net (via the project's mirror)


class UnetModel:
    def __init__(self, cmlib, preset, gen):
        self.cmlib = cmlib
        self.spec = cmlib.UNET_PRESETS[preset]
        plist = cmlib.unet_param_list(self.spec)
        P = cmlib.init_params(plist, gen)
        self.names = [name for name, _ in plist]
        self.params = [P[name] for name in self.names]

    def f(self, params, x, t):
        return self.cmlib.consistency_fn(dict(zip(self.names, params)), self.spec, x, t)

    def teacher(self, params):
        P = dict(zip(self.names, [p.detach() for p in params]))
        return lambda x, t: self.cmlib.edm_denoiser(P, self.spec, x, t)


def bench_unet(spec):
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', 'torch'))
    if not os.path.exists(os.path.join(root, 'cmlib.py')):
        return {'available': False, 'reason': 'scripts/torch/cmlib.py (the PyTorch U-Net mirror) is missing'}
    sys.path.insert(0, root)
    import cmlib
    images, _ = cmlib.load_mnist()
    train_idx, _ = cmlib.split_indices(len(images))
    pixels = cmlib.to_signed(images[train_idx])
    out = {'available': True}
    for preset, batch in spec['unets']:
        c = {**spec['unetConfig'], 'batchSize': batch}
        for mode in spec['unetModes']:
            torch.manual_seed(1)
            model = UnetModel(cmlib, preset, torch.Generator().manual_seed(1))
            teacher = model.teacher(UnetModel(cmlib, preset, torch.Generator().manual_seed(2)).params)

            def sample_data(B):
                return pixels[torch.randint(0, pixels.shape[0], (B,))]
            step = ConsistencyStep(model, sample_data, c, 'ct' if mode == 'ct' else 'cd', teacher=teacher)
            out[f'{preset}-b{batch}-{mode}'] = timed(step, spec['unetWarmup'], spec['unetRepeats'], spec['budgetS'])
        # One-step and four-step sampling of 64 digits.
        model = UnetModel(cmlib, preset, torch.Generator().manual_seed(3))
        n = spec['digitCount']

        def sample(steps):
            def run():
                with torch.no_grad():
                    T = c['T']
                    x = model.f(model.params, torch.randn(n, 1, 28, 28) * T, torch.full((n,), T, dtype=torch.float64)).clamp(-1, 1)
                    for tau in spec['taus4'][: steps - 1]:
                        x_hat = x + math.sqrt(tau * tau - c['eps'] ** 2) * torch.randn_like(x)
                        x = model.f(model.params, x_hat, torch.full((n,), tau, dtype=torch.float64)).clamp(-1, 1)
                    return x
            return run
        out[f'{preset}-sample1'] = timed(sample(1), 1, 10, spec['budgetS'] / 2)
        out[f'{preset}-sample4'] = timed(sample(4), 1, 10, spec['budgetS'] / 2)
    return out


def blas_info():
    """Which BLAS this torch build calls for dense layers: it decides the MLP numbers more than torch does."""
    config = torch.__config__.show()
    build = next((part.split('=')[1] for part in config.replace(',', ' ').split() if part.startswith('BLAS_INFO=')), 'unknown')
    lib = 'unknown'
    for cand in ('/usr/lib/x86_64-linux-gnu/libblas.so.3', '/usr/lib/aarch64-linux-gnu/libblas.so.3'):
        if os.path.exists(cand):
            lib = os.path.realpath(cand)
            break
    a, b = torch.randn(512, 256), torch.randn(256, 256)
    t = timed(lambda: a @ b, 3, 20, 2)
    return {'buildBlas': build, 'libblas': lib, 'matmul512x256x256Ms': t['medianMs']}


def main():
    spec = json.load(open(sys.argv[1]))
    result = {'available': True, 'torchVersion': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas_info()}
    t0 = time.perf_counter()
    result['mlp'] = bench_mlp(spec)
    if spec.get('unets'):
        try:
            result['unet'] = bench_unet(spec)
        except SystemExit as e:  # cmlib exits with a message when the MNIST asset is missing
            result['unet'] = {'available': False, 'reason': str(e)}
    result['seconds'] = time.perf_counter() - t0
    emit(result)


if __name__ == '__main__':
    main()
