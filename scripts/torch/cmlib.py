"""PyTorch mirror of the playground's MNIST networks and file formats.

The U-Net and the digit classifier here are built from the SAME parameter list (names, shapes, order) as
src/core/models/unet.ts and src/core/metrics/digitClassifier.ts. Parameters are kept in the TF.js layout
(conv kernels [kh, kw, cin, cout], dense [in, out]) so an export is a plain dump; the forward passes permute
them for PyTorch's NCHW ops. GroupNorm matches the hand-written one in TF.js (biased variance, eps 1e-5).
"""
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ASSET = os.path.join(ROOT, 'public', 'data', 'mnist.bin')
GN_EPS = 1e-5

# ---------------------------------------------------------------- data


def load_mnist(path=ASSET):
    """Returns (images uint8 [N,28,28], labels uint8 [N]) from the asset written by build-mnist-asset.mjs."""
    if not os.path.exists(path):
        raise SystemExit(f'{path} is missing: run `node scripts/build-mnist-asset.mjs` first')
    raw = open(path, 'rb').read()
    assert raw[:8] == b'CMPMNIST', 'not an MNIST asset'
    version, count, rows, cols = struct.unpack('<4I', raw[8:24])
    assert version == 1
    labels = np.frombuffer(raw, np.uint8, count, 24)
    images = np.frombuffer(raw, np.uint8, count * rows * cols, 24 + count).reshape(count, rows, cols)
    return images, labels


def split_indices(count):
    """Held-out split shared with mnist.ts: every 10th digit of the asset (index % 10 == 9)."""
    idx = np.arange(count)
    return idx[idx % 10 != 9], idx[idx % 10 == 9]


def to_signed(images):
    """uint8 [N,28,28] -> float32 tensor [N,1,28,28] in [-1, 1]."""
    return torch.from_numpy(images.astype(np.float32) / 127.5 - 1.0).unsqueeze(1)

# ---------------------------------------------------------------- U-Net


UNET_PRESETS = {
    'tiny': {'kind': 'unet', 'dataShape': [28, 28, 1], 'channels': [4, 8], 'timeFeatures': 8,
             'timeEmbedDim': 16, 'groups': 2, 'maxFrequency': 16},
    'default': {'kind': 'unet', 'dataShape': [28, 28, 1], 'channels': [32, 64], 'timeFeatures': 32,
                'timeEmbedDim': 128, 'groups': 8, 'maxFrequency': 16},
    # Three resolutions (28, 14, 7): a wider field of view and ~4x the parameters for ~1.5x the compute.
    'large': {'kind': 'unet', 'dataShape': [28, 28, 1], 'channels': [32, 64, 128], 'timeFeatures': 32,
              'timeEmbedDim': 128, 'groups': 8, 'maxFrequency': 16},
}


def _res_params(prefix, cin, cout, emb):
    p = [(f'{prefix}.norm1.gamma', [cin]), (f'{prefix}.norm1.beta', [cin]),
         (f'{prefix}.conv1.w', [3, 3, cin, cout]), (f'{prefix}.conv1.b', [cout]),
         (f'{prefix}.emb.w', [emb, 2 * cout]), (f'{prefix}.emb.b', [2 * cout]),
         (f'{prefix}.conv2.w', [3, 3, cout, cout]), (f'{prefix}.conv2.b', [cout])]
    if cin != cout:
        p += [(f'{prefix}.skip.w', [1, 1, cin, cout]), (f'{prefix}.skip.b', [cout])]
    return p


def unet_blocks(spec):
    """enc0..enc{L-1} (one per resolution), mid, dec{L-2}..dec0; two levels give enc0, enc1, mid, dec0."""
    c = spec['channels']
    enc = [(f'enc{i}', c[max(i - 1, 0)], c[i]) for i in range(len(c))]
    dec = [(f'dec{i}', c[i + 1] + c[i], c[i]) for i in reversed(range(len(c) - 1))]
    return enc + [('mid', c[-1], c[-1])] + dec


def unet_param_list(spec):
    F_, E = spec['timeFeatures'] * spec.get('timeInputs', 1), spec['timeEmbedDim']
    c0 = spec['channels'][0]
    p = [('time.fc0.w', [F_, E]), ('time.fc0.b', [E]), ('time.fc1.w', [E, E]), ('time.fc1.b', [E]),
         ('stem.w', [3, 3, 1, c0]), ('stem.b', [c0])]
    for name, cin, cout in unet_blocks(spec):
        p += _res_params(name, cin, cout, E)
    p += [('out.norm.gamma', [c0]), ('out.norm.beta', [c0]), ('out.conv.w', [3, 3, c0, 1]), ('out.conv.b', [1])]
    return p


def init_params(param_list, gen, out_scale_names=()):
    """Lecun-normal kernels, unit gammas, zero biases; residual-branch outputs scaled down by 0.2."""
    params = {}
    for name, shape in param_list:
        if name.endswith('.w'):
            fan_in = int(np.prod(shape[:-1]))
            t = torch.randn(shape, generator=gen) / math.sqrt(fan_in)
            if name.endswith('conv2.w') or name == 'out.conv.w' or name in out_scale_names:
                t = t * 0.2
        elif name.endswith('gamma'):
            t = torch.ones(shape)
        else:
            t = torch.zeros(shape)
        params[name] = t.requires_grad_(True)
    return params


def time_frequencies(spec):
    """Geometric frequencies 1 .. maxFrequency (float64, then float32), same as unet.ts."""
    half = spec['timeFeatures'] // 2
    fmax = spec['maxFrequency']
    f = np.array([fmax ** (k / (half - 1)) for k in range(half)], dtype=np.float64)
    return torch.from_numpy(f.astype(np.float32))


def conv(x, w, b, pad=1):
    return F.conv2d(x, w.permute(3, 2, 0, 1), b, padding=pad)


def group_norm(x, groups):
    return F.group_norm(x, groups, eps=GN_EPS)


def res_block(P, prefix, x, temb, groups):
    h = group_norm(x, groups) * P[f'{prefix}.norm1.gamma'].view(1, -1, 1, 1) + P[f'{prefix}.norm1.beta'].view(1, -1, 1, 1)
    h = conv(F.silu(h), P[f'{prefix}.conv1.w'], P[f'{prefix}.conv1.b'])
    ss = temb @ P[f'{prefix}.emb.w'] + P[f'{prefix}.emb.b']
    scale, shift = ss.chunk(2, dim=1)
    h = group_norm(h, groups) * (1 + scale[:, :, None, None]) + shift[:, :, None, None]
    h = conv(F.silu(h), P[f'{prefix}.conv2.w'], P[f'{prefix}.conv2.b'])
    skip = conv(x, P[f'{prefix}.skip.w'], P[f'{prefix}.skip.b'], pad=0) if f'{prefix}.skip.w' in P else x
    return skip + h


def unet_forward(P, spec, x, c_noise):
    """F(x_in, c_noise): x [B,1,28,28] NCHW, c_noise [B] -> [B,1,28,28]."""
    g = spec['groups']
    freqs = time_frequencies(spec).to(c_noise.device)[None, :]
    # Two conditioning times (timeInputs 2, c_noise [B, 2]): [sin, cos] per column, side by side (unet.ts).
    cols = c_noise.unbind(1) if c_noise.dim() == 2 else (c_noise,)
    feat = torch.cat([torch.cat([torch.sin(c[:, None] * freqs), torch.cos(c[:, None] * freqs)], dim=1) for c in cols], dim=1)
    temb = F.silu(feat @ P['time.fc0.w'] + P['time.fc0.b'])
    temb = F.silu(temb @ P['time.fc1.w'] + P['time.fc1.b'])
    h = conv(x, P['stem.w'], P['stem.b'])
    levels = len(spec['channels'])
    skips = []
    for i in range(levels):  # encoder: a block per resolution, 2x average pooling between
        if i > 0:
            h = F.avg_pool2d(h, 2)
        h = res_block(P, f'enc{i}', h, temb, g)
        skips.append(h)
    h = res_block(P, 'mid', h, temb, g)
    for i in reversed(range(levels - 1)):  # decoder: nearest 2x upsampling, concat the encoder's output
        h = torch.cat([F.interpolate(h, scale_factor=2, mode='nearest'), skips[i]], dim=1)
        h = res_block(P, f'dec{i}', h, temb, g)
    h = group_norm(h, g) * P['out.norm.gamma'].view(1, -1, 1, 1) + P['out.norm.beta'].view(1, -1, 1, 1)
    return conv(F.silu(h), P['out.conv.w'], P['out.conv.b'])

# ---------------------------------------------------------------- digit classifier


CLASSIFIER_SPEC = {'kind': 'digit-classifier', 'channels': [16, 32], 'hidden': 64}


def classifier_param_list(spec=CLASSIFIER_SPEC):
    a, b = spec['channels']
    h = spec['hidden']
    return [('conv0.w', [3, 3, 1, a]), ('conv0.b', [a]), ('conv1.w', [3, 3, a, b]), ('conv1.b', [b]),
            ('fc0.w', [7 * 7 * b, h]), ('fc0.b', [h]), ('fc1.w', [h, 10]), ('fc1.b', [10])]


def classifier_features(P, x):
    """Penultimate features (post-ReLU, `hidden` dims) of x [B,1,28,28] in [-1,1]."""
    h = F.avg_pool2d(F.relu(conv(x, P['conv0.w'], P['conv0.b'])), 2)
    h = F.avg_pool2d(F.relu(conv(h, P['conv1.w'], P['conv1.b'])), 2)
    h = h.permute(0, 2, 3, 1).reshape(h.shape[0], -1)  # NHWC flatten order, as in TF.js
    return F.relu(h @ P['fc0.w'] + P['fc0.b'])


def classifier_logits(P, x):
    return classifier_features(P, x) @ P['fc1.w'] + P['fc1.b']

# ---------------------------------------------------------------- parameterisations (consistency-models.md §2)


SIGMA_DATA = 0.5
EPS = 0.002
T_MAX = 80.0


def edm_denoiser(P, spec, x, t):
    """Teacher D(x, t): unshifted EDM c_skip / c_out. t: [B] tensor."""
    sd = SIGMA_DATA
    tt = t.double()
    c_skip = (sd ** 2 / (tt ** 2 + sd ** 2)).float()[:, None, None, None]
    c_out = (tt * sd / torch.sqrt(tt ** 2 + sd ** 2)).float()[:, None, None, None]
    c_in = (1 / torch.sqrt(tt ** 2 + sd ** 2)).float()[:, None, None, None]
    c_noise = (0.25 * torch.log(tt)).float()
    return c_skip * x + c_out * unet_forward(P, spec, c_in * x, c_noise)


def consistency_fn(P, spec, x, t):
    """f(x, t) with the shifted c_skip / c_out, so f(x, eps) = x exactly."""
    sd, eps = SIGMA_DATA, EPS
    tt = t.double()
    c_skip = (sd ** 2 / ((tt - eps) ** 2 + sd ** 2)).float()[:, None, None, None]
    c_out = (sd * (tt - eps) / torch.sqrt(sd ** 2 + tt ** 2)).float()[:, None, None, None]
    c_in = (1 / torch.sqrt(tt ** 2 + sd ** 2)).float()[:, None, None, None]
    c_noise = (0.25 * torch.log(tt)).float()
    return c_skip * x + c_out * unet_forward(P, spec, c_in * x, c_noise)


def karras_sigmas(n, eps=EPS, T=T_MAX, rho=7.0):
    """Ascending Karras grid t_1 = eps .. t_N = T, float64."""
    i = np.arange(n, dtype=np.float64)
    return (eps ** (1 / rho) + i / (n - 1) * (T ** (1 / rho) - eps ** (1 / rho))) ** rho

# ---------------------------------------------------------------- safetensors (written by hand)


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, float32 numpy array). Metadata values must be strings."""
    header = {'__metadata__': {k: str(v) for k, v in metadata.items()}}
    offset = 0
    blobs = []
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype='<f4')
        header[name] = {'dtype': 'F32', 'shape': list(arr.shape), 'data_offsets': [offset, offset + arr.nbytes]}
        offset += arr.nbytes
        blobs.append(arr.tobytes())
    h = json.dumps(header, separators=(',', ':')).encode('utf-8')
    h += b' ' * ((8 - len(h) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)



def save_training_state(path, pl, P, ema, opt, fmt, steps_done, a, started, **extra):
    """A resumable state (teacher, ECT): online and EMA weights, torch Adam's moments and step, the run's options."""
    tensors = [(f'online/{k}', P[k].detach().cpu().numpy()) for k, _ in pl] + [(f'ema/{k}', ema[k].cpu().numpy()) for k, _ in pl]
    adam_step = 0
    for k, _ in pl:
        st = opt.state.get(P[k], {})
        if st:
            adam_step = int(st['step'])
            tensors += [(f'adam_m/{k}', st['exp_avg'].cpu().numpy()), (f'adam_v/{k}', st['exp_avg_sq'].cpu().numpy())]
    write_safetensors(path, tensors, {'format': fmt, 'stepsDone': steps_done, 'adamStep': adam_step, **extra,
                                      'config': json.dumps(vars(a)), 'wallSecondsThisRun': round(time.time() - started, 1)})

def read_safetensors(path):
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    out = {}
    for name, info in header.items():
        a, b = info['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(raw, '<f4', (b - a) // 4, 8 + n + a).reshape(info['shape']).copy())
    return out, meta


def read_weights(path, role, label, who):
    """read_safetensors for a weights file that must exist and have this role; otherwise exit with a message that
    starts with `who` (the option or command that named the file)."""
    if not os.path.exists(path):
        raise SystemExit(f'{who}: no file {path}')
    W, meta = read_safetensors(path)
    if meta.get('role') != role:
        raise SystemExit(f'{who}: {path} is not {label} weights file (role {meta.get("role")!r})')
    return W, meta


def save_params(path, param_list, P, metadata):
    write_safetensors(path, [(name, P[name].detach().cpu().numpy()) for name, _ in param_list], metadata)

# ---------------------------------------------------------------- 2D MLP (src/core/models/mlp.ts)


def mlp_param_list(spec):
    """Same names, shapes (dense [in, out]) and order as mlpParams() in mlp.ts."""
    d, width, tf_ = spec['dataShape'][0], spec['width'], spec['timeFeatures'] * spec.get('timeInputs', 1)
    every = spec.get('timeConditioning') == 'every-layer'
    p, fan_in = [], d + tf_
    for l in range(spec['depth']):
        p += [(f'hidden{l}.weight', [fan_in, width]), (f'hidden{l}.bias', [width])]
        fan_in = width + (tf_ if every else 0)
    return p + [('out.weight', [width, d]), ('out.bias', [d])]


def mlp_time_frequencies(features, convention='jax'):
    """timeFrequencies() of timeFeatures.ts: F/2 geometric frequencies 1..64 (divided by 1000 for 'pytorch')."""
    half = features // 2
    base = 1.0 if convention == 'jax' else 1 / 1000
    f = [base * (1.0 if half == 1 else 64.0 ** (j / (half - 1))) for j in range(half)]
    return torch.tensor(np.array(f, dtype=np.float32))


def sinusoidal_features(c_noise, freqs):
    """[sin(w c), cos(w c)] as sin(c [w, w] + [0, pi/2]) in float32, as the TF.js ops round. c_noise [B, k]
    (two-time networks, timeInputs 2): the features of each column, side by side (mlp.ts)."""
    if c_noise.dim() == 2:
        return torch.cat([sinusoidal_features(c, freqs) for c in c_noise.unbind(1)], dim=1)
    h = freqs.shape[0]
    doubled = torch.cat([freqs, freqs]).to(c_noise.device)
    phase = torch.cat([torch.zeros(h), torch.full((h,), math.pi / 2)]).to(c_noise.device)
    return torch.sin(c_noise[:, None] * doubled[None, :] + phase[None, :])


def _activate(x, kind):
    if kind == 'silu':
        return x * torch.sigmoid(x)
    if kind == 'relu':
        return torch.relu(x)
    if kind == 'tanh':
        return torch.tanh(x)
    if kind == 'gelu':  # tanh approximation, as mlp.ts
        return x * 0.5 * (1 + torch.tanh((x + x ** 3 * 0.044715) * math.sqrt(2 / math.pi)))
    raise ValueError(f'unknown activation {kind}')


def mlp_forward(P, spec, x_in, c_noise, freqs):
    """F(x_in, c_noise) of mlp.ts: x_in [B, d], c_noise [B]; `freqs` from mlp_time_frequencies."""
    feats = sinusoidal_features(c_noise, freqs)
    h = torch.cat([x_in, feats], dim=1)
    every = spec.get('timeConditioning') == 'every-layer'
    for l in range(spec['depth']):
        if l > 0 and every:
            h = torch.cat([h, feats], dim=1)
        h = _activate(h @ P[f'hidden{l}.weight'] + P[f'hidden{l}.bias'], spec['activation'])
    return h @ P['out.weight'] + P['out.bias']
