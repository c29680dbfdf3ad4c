"""Independent PyTorch references for the few-step losses of issue 13: flow matching, ECT, shortcut models,
MeanFlow, sCT and sCD, each written from its paper's formulas as few-step-methods.md states them (sections 3-7),
not from the TypeScript. Float64 throughout; JVPs in true forward mode (torch.autograd.forward_ad), which TF.js
does not have, so the TypeScript routes (double VJP, finite difference) are checked against a third one.

  /usr/bin/python3 scripts/torch/methods_ref.py fixture   # test/fixtures/methods/parity.safetensors

The fixture holds a small 2D MLP's weights (src/core/models/mlp.ts's layout and time features), fixed inputs
per method, and each loss with its gradient with respect to every weight. test/unit/methods/parity.test.ts
feeds the same inputs to the methods' draw objects and compares loss and gradient to 1e-4 (relative).

What is a convention of the playground, not of a paper, and therefore mirrored here: the network's inputs.
The MLP sees [x_in, features(c_1), (features(c_2))] with sin/cos features of frequencies 1..64, every hidden
layer again reads the features; flow matching and shortcut feed raw t in [0, 1] (shortcut's step d as
log2(1/d) / log2(M)); MeanFlow feeds (t, t - r) / 32 and sCM t / 32; ECT uses EDM's c_in x and 0.25 ln t.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cmlib import ROOT, write_safetensors  # noqa: E402

FIXTURE = os.path.join(ROOT, 'test', 'fixtures', 'methods', 'parity.safetensors')
SD = 0.5
SPEC = {'width': 16, 'depth': 2, 'timeFeatures': 8, 'activation': 'silu'}
B = 12

# ---------------------------------------------------------------- the network (layout of mlp.ts)


def param_list(time_inputs):
    feats = SPEC['timeFeatures'] * time_inputs
    p, fan_in = [], 2 + feats
    for l in range(SPEC['depth']):
        p += [(f'hidden{l}.weight', [fan_in, SPEC['width']]), (f'hidden{l}.bias', [SPEC['width']])]
        fan_in = SPEC['width'] + feats
    return p + [('out.weight', [SPEC['width'], 2]), ('out.bias', [2])]


def frequencies():
    half = SPEC['timeFeatures'] // 2
    return torch.tensor([64.0 ** (j / (half - 1)) for j in range(half)], dtype=torch.float32).double()


def time_features(c):
    """[B] -> [B, F]: [sin(w_j c), cos(w_j c)]."""
    w = frequencies()
    return torch.cat([torch.sin(c[:, None] * w), torch.cos(c[:, None] * w)], 1)


def net(P, x_in, cond):
    """F(x_in, cond): cond [B] or [B, k]; each column gets [sin(w c), cos(w c)]."""
    cols = cond[:, None] if cond.dim() == 1 else cond
    feats = torch.cat([time_features(c) for c in cols.unbind(1)], 1)
    h = torch.cat([x_in, feats], 1)
    for l in range(SPEC['depth']):
        if l > 0:
            h = torch.cat([h, feats], 1)
        z = h @ P[f'hidden{l}.weight'] + P[f'hidden{l}.bias']
        h = z * torch.sigmoid(z)
    return h @ P['out.weight'] + P['out.bias']


def jvp(fn, primals, tangents):
    """Forward-mode JVP of fn(*primals) along tangents (None = held still)."""
    with fwAD.dual_level():
        duals = [p if v is None else fwAD.make_dual(p, v) for p, v in zip(primals, tangents)]
        return fwAD.unpack_dual(fn(*duals)).tangent

# ---------------------------------------------------------------- the losses (few-step-methods.md)


def flow_loss(P, d):
    """Section 7: z_t = (1 - t) x + t e, L = mean |v(z_t, t) - (e - x)|^2."""
    x, e, t = d['x0'], d['e'], d['t']
    z = (1 - t)[:, None] * x + t[:, None] * e
    return ((net(P, z, t) - (e - x)) ** 2).mean()


def edm_f(P, x, t):
    """Section 3.1: f = c_skip x + c_out F(c_in x, ln(t)/4), unshifted EDM scalings (f(x, 0) = x)."""
    c_skip = SD ** 2 / (t ** 2 + SD ** 2)
    c_out = t * SD / torch.sqrt(t ** 2 + SD ** 2)
    c_in = 1 / torch.sqrt(t ** 2 + SD ** 2)
    c_noise = 0.25 * torch.log(torch.clamp(t, min=0.002))
    return c_skip[:, None] * x + c_out[:, None] * net(P, c_in[:, None] * x, c_noise)


def ect_loss(P, d, c):
    """Section 3.2: L = mean [(sqrt(|f(x_t, t) - y|^2 + c^2) - c) / (t - r)], y = sg f(x_r, r) if r > 0 else x_0."""
    x0, eps, t, r = d['x0'], d['eps'], d['t'], d['r']
    with torch.no_grad():
        y = edm_f(P, x0 + r[:, None] * eps, r)
        y = torch.where((r > 0)[:, None], y, x0)
    f = edm_f(P, x0 + t[:, None] * eps, t)
    per = torch.sqrt(((f - y) ** 2).sum(1) + c * c) - c
    return (per / (t - r)).mean()


def shortcut_s(P, x, t, dstep, M):
    k = torch.log2(1 / dstep) / math.log2(M)
    return net(P, x, torch.stack([t, k], 1))


def shortcut_loss(P, d, M, flow_rows):
    """Section 6.2: flow rows regress s(x_t, t, 1/M) on x_1 - x_0; bootstrap rows s(x_t, t, D) on
    sg clip((s(x_t, t, D/2) + s(x', t + D/2, D/2)) / 2, -4, 4), x' = clip(x_t + D/2 s(x_t, t, D/2), -4, 4)."""
    x1, x0, t, D = d['x0'], d['noise'], d['t'], d['dNet']  # x0 is noise (t = 0), x1 data (t = 1)
    xt = (1 - t)[:, None] * x0 + t[:, None] * x1
    with torch.no_grad():
        h = D[flow_rows:] / 2
        xb, tb = xt[flow_rows:], t[flow_rows:]
        s1 = shortcut_s(P, xb, tb, h, M)
        x2 = torch.clamp(xb + h[:, None] * s1, -4, 4)
        s2 = shortcut_s(P, x2, tb + h, h, M)
        target = torch.cat([(x1 - x0)[:flow_rows], torch.clamp((s1 + s2) / 2, -4, 4)], 0)
    return ((shortcut_s(P, xt, t, D, M) - target) ** 2).mean()


def meanflow_loss(P, d, p, eta):
    """Section 5.2: u_tgt = sg(v - (t - r) du/dt), du/dt = JVP along (v, 0, 1) in (z, r, t);
    L = mean sg(w) Delta, Delta = sum_coords (u - u_tgt)^2, w = 1 / (Delta + eta)^p."""
    x, e, t, r = d['x0'], d['e'], d['t'], d['r']
    z = (1 - t)[:, None] * x + t[:, None] * e
    v = e - x
    Pd = {k: w.detach() for k, w in P.items()}
    u_fn = lambda zz, rr, tt: net(Pd, zz, torch.stack([tt, tt - rr], 1) / 32)
    dudt = jvp(u_fn, (z, r, t), (v, None, torch.ones_like(t)))
    u_tgt = (v - (t - r)[:, None] * dudt).detach()
    u = net(P, z, torch.stack([t, t - r], 1) / 32)
    delta = ((u - u_tgt) ** 2).sum(1)
    w = (1 / (delta + eta) ** p).detach()
    return (w * delta).mean()


def mixture_denoiser(x, sigma, w, m, s):
    """Section 8: D(x, sigma) = sum_k gamma_k [m_k + s_k^2/(s_k^2 + sigma^2)(x - m_k)], with the (n/2) ln term."""
    var = s[None, :] ** 2 + sigma[:, None] ** 2  # [B, K]
    sq = ((x[:, None, :] - m[None, :, :]) ** 2).sum(2)
    logit = torch.log(w)[None, :] - 0.5 * x.shape[1] * torch.log(var) - sq / (2 * var)
    g = torch.softmax(logit, 1)
    comp = m[None, :, :] + (s[None, :, None] ** 2 / var[:, :, None]) * (x[:, None, :] - m[None, :, :])
    return (g[:, :, None] * comp).sum(1)


def scm_loss(P, d, r_warm, c, teacher=None, pretrain=False, wphi=False):
    """Section 4.2, Algorithm 1:
    g = -cos^2 t (sd F^- - dx_t/dt) - r cos t sin t (x_t + sd dF^-/dt), g <- g / (|g| + c),
    L(theta, phi) = e^{w_phi(t)}/D |F(x_t/sd, t) - F^- - g|^2 - w_phi(t) (mean over the batch), with
    w_phi(t) = features(t/32) . P['wphi.weight'] + P['wphi.bias'] when wphi (otherwise w_phi = 0);
    pre-training (Eq. 4): |sd F - dx_t/dt|^2 / sd^2 / D, w_phi held at 0.
    Returns (objective, the unweighted 1/D |F - F^- - g|^2 that the playground reports)."""
    x0, z, t = d['x0'], d['z'], d['t']
    cos, sin = torch.cos(t)[:, None], torch.sin(t)[:, None]
    xt = cos * x0 + sin * z
    if teacher is None:
        dxdt = cos * z - sin * x0                                                        # sCT
    else:
        D = mixture_denoiser(xt / cos, SD * torch.tan(t), *teacher)                      # sCD, section 4.3
        dxdt = (cos * xt - D) / sin
    F = net(P, xt / SD, t / 32)
    if pretrain:
        plain = ((F - dxdt / SD) ** 2).mean()
        return plain, plain
    Pd = {k: w.detach() for k, w in P.items()}
    F_of_t = lambda tt: net(Pd, (torch.cos(tt)[:, None] * x0 + torch.sin(tt)[:, None] * z) / SD, tt / 32)
    with torch.no_grad():
        Fm = net(Pd, xt / SD, t / 32)
    if teacher is None:
        dFdt = jvp(F_of_t, (t,), (torch.ones_like(t),))                                   # d/dt along the data path
    else:
        dFdt = jvp(lambda xx, tt: net(Pd, xx / SD, tt / 32), (xt, t), (dxdt, torch.ones_like(t)))
    g = -cos ** 2 * (SD * Fm - dxdt) - r_warm * cos * sin * (xt + SD * dFdt)
    g = g / (g.norm(dim=1, keepdim=True) + c)
    sq = ((F - (Fm + g).detach()) ** 2).sum(1)                                            # |F - F^- - g|^2 per sample
    Dim = F.shape[1]
    plain = (sq / Dim).mean()
    if not wphi:
        return plain, plain
    w = (time_features(t / 32) @ P['wphi.weight'])[:, 0] + P['wphi.bias']
    return (torch.exp(w) / Dim * sq - w).mean(), plain

# ---------------------------------------------------------------- the fixture


def make_fixture():
    g = torch.Generator().manual_seed(2026)
    f32 = lambda a: a.float().double()  # values exactly representable in float32, as the fixture stores them
    tensors = []

    def weights(name, time_inputs):
        P = {}
        for pname, shape in param_list(time_inputs):
            fan_in = shape[0] if len(shape) == 2 else 1
            P[pname] = f32(torch.randn(shape, generator=g) / math.sqrt(fan_in) * (1.0 if len(shape) == 2 else 0.1)).requires_grad_(True)
            tensors.append((f'{name}.param.{pname}', P[pname].detach().numpy()))
        return P

    def inputs(name, **arrays):
        out = {}
        for k, v in arrays.items():
            out[k] = f32(v)
            tensors.append((f'{name}.input.{k}', out[k].numpy()))
        return out

    def record(name, P, loss, shown=None):
        loss.backward()
        tensors.append((f'{name}.loss', np.array([loss.item()])))
        if shown is not None:
            tensors.append((f'{name}.shown', np.array([shown.item()])))
        for pname, p in P.items():
            tensors.append((f'{name}.grad.{pname}', p.grad.numpy()))
        print(f'{name}: loss {loss.item():.8f}')

    data = lambda: 0.5 * torch.randn(B, 2, generator=g, dtype=torch.float64)
    normal = lambda: torch.randn(B, 2, generator=g, dtype=torch.float64)
    uniform = lambda lo, hi: lo + (hi - lo) * torch.rand(B, generator=g, dtype=torch.float64)

    P = weights('flow', 1)
    record('flow', P, flow_loss(P, inputs('flow', x0=data(), e=normal(), t=uniform(0.0, 1.0))))

    # ECT: t from the lognormal, r = t - Delta t; two rows with r = 0 (the target is x_0 there).
    t = torch.exp(-1.1 + 2.0 * torch.randn(B, generator=g, dtype=torch.float64)).clamp(0.002, 80)
    r = t * (1 - uniform(0.05, 0.5))
    r[:2] = 0
    P = weights('ect', 1)
    for c in (0.0, 0.03):
        for k in P:
            P[k].grad = None
        name = 'ect' if c == 0 else 'ect_c'
        d = inputs(name, x0=data(), eps=normal(), t=t, r=r)
        record(name, P, ect_loss(P, d, c))

    # Shortcut: M = 8, 8 flow rows (t on the 1/M grid, d = 1/M), 4 bootstrap rows with D = 1, 1/2, 1/4, 1/8... per level.
    M, flow_rows = 8, 8
    t_flow = torch.randint(0, M, (flow_rows,), generator=g).double() / M
    levels = [0, 1, 2, 2]
    Dboot = torch.tensor([2.0 ** -j for j in levels], dtype=torch.float64)
    t_boot = torch.tensor([float(torch.randint(0, 2 ** j, (1,), generator=g)) * 2.0 ** -j for j in levels], dtype=torch.float64)
    P = weights('shortcut', 2)
    d = inputs('shortcut', x0=data(), noise=normal(), t=torch.cat([t_flow, t_boot]),
               dNet=torch.cat([torch.full((flow_rows,), 1.0 / M, dtype=torch.float64), Dboot]))
    record('shortcut', P, shortcut_loss(P, d, M, flow_rows))

    # MeanFlow: logit-normal t and r <= t, a third of the rows with r = t.
    tt = torch.sigmoid(-0.6 + 1.6 * torch.randn(B, generator=g, dtype=torch.float64))
    rr = torch.minimum(tt, torch.sigmoid(-4.0 + 1.6 * torch.randn(B, generator=g, dtype=torch.float64)))
    rr[::3] = tt[::3]
    P = weights('meanflow', 2)
    record('meanflow', P, meanflow_loss(P, inputs('meanflow', x0=data(), e=normal(), t=tt, r=rr), 0.75, 1e-3))

    # sCT / sCD: TrigFlow times from the lognormal proposal, z ~ N(0, sd^2), warm-up r = 0.5, c = 0.1.
    ts = torch.atan(torch.exp(-1.0 + 1.4 * torch.randn(B, generator=g, dtype=torch.float64)) / SD).clamp(math.atan(0.002 / SD), math.atan(80 / SD))
    mix = (torch.tensor([0.3, 0.7], dtype=torch.float64), torch.tensor([[-1.0, 0.0], [1.0, 0.5]], dtype=torch.float64),
           torch.tensor([0.1, 0.3], dtype=torch.float64))
    for name, teacher, pre in (('sct', None, False), ('scd', mix, False), ('sct_pretrain', None, True)):
        P = weights(name, 1)
        d = inputs(name, x0=data(), z=SD * normal(), t=ts)
        record(name, P, scm_loss(P, d, 0.5, 0.1, teacher, pre)[0])

    # The same with the learned adaptive weight w_phi, drawn away from its zero start so e^w matters.
    for name, teacher in (('sct_wphi', None), ('scd_wphi', mix)):
        P = weights(name, 1)
        F = SPEC['timeFeatures']
        for pname, shape, scale in (('wphi.weight', [F, 1], 0.4), ('wphi.bias', [1], 0.5)):
            P[pname] = f32(scale * torch.randn(shape, generator=g, dtype=torch.float64)).requires_grad_(True)
            tensors.append((f'{name}.param.{pname}', P[pname].detach().numpy()))
        d = inputs(name, x0=data(), z=SD * normal(), t=ts)
        record(name, P, *scm_loss(P, d, 0.5, 0.1, teacher, wphi=True))
    write_safetensors(FIXTURE, [(k, np.asarray(v, dtype=np.float32)) for k, v in tensors],
                      {'spec': str(SPEC), 'batch': B, 'shortcutM': M, 'shortcutFlowRows': flow_rows, 'meanflow': 'p=0.75 eta=1e-3',
                       'scm': 'r=0.5 c=0.1 mixture w=(0.3,0.7) m=((-1,0),(1,0.5)) s=(0.1,0.3); *_wphi: learned w_phi', 'torch': torch.__version__,
                       'madeBy': 'python3 scripts/torch/methods_ref.py fixture'})
    print(f'wrote {FIXTURE}')


if __name__ == '__main__':
    if sys.argv[1:] != ['fixture']:
        raise SystemExit(__doc__)
    torch.set_num_threads(1)
    make_fixture()
