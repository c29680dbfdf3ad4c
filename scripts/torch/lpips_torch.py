"""LPIPS v0.1 as the training metric, the same computation as src/core/lpips/ (metric.ts, backbone.ts, nets.ts,
resize.ts): grey images repeated to 3 channels, bilinear resize (align_corners=False, as a matrix product),
LPIPS' scaling layer, a frozen SqueezeNet 1.1 / AlexNet / VGG16 backbone, unit-normalised taps, lin weights,
spatial mean, sum over taps. Weights come from the files the page and `cm --lpips-weights` take: safetensors
or torch containers, recognised by their keys (a backbone under torchvision `features` keys, lin layers as
`lin{l}.model.1.weight`).
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from bundle import BundleError, read_safetensors_any

SHIFT = torch.tensor([-0.03, -0.088, -0.188]).view(1, 3, 1, 1)
SCALE = torch.tensor([0.458, 0.448, 0.45]).view(1, 3, 1, 1)
TAPS = {'squeeze': [64, 128, 256, 384, 384, 512, 512], 'alex': [64, 192, 384, 256, 256], 'vgg': [64, 128, 256, 512, 512]}
FIRES = ['3', '4', '6', '7', '9', '10', '11', '12']
PROGRAMS = {
    'squeeze': [('conv', '0', 2, 0), 'tap', ('pool', 3, 2, True), ('fire', '3'), ('fire', '4'), 'tap',
                ('pool', 3, 2, True), ('fire', '6'), ('fire', '7'), 'tap', ('pool', 3, 2, True), ('fire', '9'), 'tap',
                ('fire', '10'), 'tap', ('fire', '11'), 'tap', ('fire', '12'), 'tap'],
    'alex': [('conv', '0', 4, 2), 'tap', ('pool', 3, 2, False), ('conv', '3', 1, 2), 'tap', ('pool', 3, 2, False),
             ('conv', '6', 1, 1), 'tap', ('conv', '8', 1, 1), 'tap', ('conv', '10', 1, 1), 'tap'],
    'vgg': [('conv', '0', 1, 1), ('conv', '2', 1, 1), 'tap', ('pool', 2, 2, False), ('conv', '5', 1, 1), ('conv', '7', 1, 1), 'tap',
            ('pool', 2, 2, False), ('conv', '10', 1, 1), ('conv', '12', 1, 1), ('conv', '14', 1, 1), 'tap',
            ('pool', 2, 2, False), ('conv', '17', 1, 1), ('conv', '19', 1, 1), ('conv', '21', 1, 1), 'tap',
            ('pool', 2, 2, False), ('conv', '24', 1, 1), ('conv', '26', 1, 1), ('conv', '28', 1, 1), 'tap'],
}


def _read_any(path):
    with open(path, 'rb') as f:
        head = f.read(8)
    if head[:2] == b'PK' or head[:1] == b'\x80':  # torch zip container or legacy pickle
        sd = torch.load(path, map_location='cpu')
        sd = sd.get('state_dict', sd) if isinstance(sd, dict) else sd
        return {k: v.float() for k, v in sd.items() if torch.is_tensor(v)}
    tensors, _ = read_safetensors_any(path)
    return {k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()}


def load_lpips_weights(spec, net):
    """spec: a directory or comma-separated files. -> (backbone dict, lin list); BundleError says what is missing."""
    paths = []
    for p in spec.split(','):
        if not os.path.exists(p):
            raise BundleError(f'--lpips-weights: {p} does not exist')
        paths += [os.path.join(p, f) for f in sorted(os.listdir(p))] if os.path.isdir(p) else [p]
    backbone, lin = {}, {}
    for p in paths:
        try:
            t = _read_any(p)
        except Exception:  # not a weight file (a README, a PNG): recognised by content, so skipped
            continue
        for k, v in t.items():
            if k.startswith('lin') and k.endswith('.model.1.weight'):
                lin[int(k[3:k.index('.')])] = v.reshape(-1)
            else:
                backbone[k[len('features.'):] if k.startswith('features.') else k] = v
    n = len(TAPS[net])
    if sorted(lin) != list(range(n)) or any(lin[l].numel() != c for l, c in enumerate(TAPS[net])):
        raise BundleError(f'--lpips-weights: no complete {net} lin layers (lin0..lin{n - 1}) in {spec}')
    need = [op[1] for op in PROGRAMS[net] if isinstance(op, tuple) and op[0] == 'conv']
    need += [f'{f}.{part}' for f in FIRES for part in ('squeeze', 'expand1x1', 'expand3x3')] if net == 'squeeze' else []
    missing = [k for k in need if f'{k}.weight' not in backbone or f'{k}.bias' not in backbone]
    if missing:
        raise BundleError(f'--lpips-weights: the {net} backbone lacks {missing[0]}.weight/.bias in {spec}')
    return backbone, [lin[l] for l in range(n)]


def bilinear_matrix(in_size, out_size):
    """resize.ts bilinearMatrix: row o = weights of output pixel o over the input pixels (align_corners=False)."""
    m = np.zeros((out_size, in_size), dtype=np.float32)
    scale = in_size / out_size
    for o in range(out_size):
        src = max(0.0, (o + 0.5) * scale - 0.5)
        i0 = min(int(np.floor(src)), in_size - 1)
        i1 = min(i0 + 1, in_size - 1)
        t = np.float32(src - i0)
        m[o, i0] += 1 - t
        m[o, i1] += t
    return torch.from_numpy(m)


class Lpips:
    def __init__(self, backbone, lin, net, resolution, device):
        self.net, self.res = net, resolution
        self.W = {k: v.to(device) for k, v in backbone.items()}
        self.lin = [w.to(device) for w in lin]
        self.shift, self.scale = SHIFT.to(device), SCALE.to(device)
        self.device = device
        self.mats = {}

    def _conv(self, h, key, stride, pad):
        return F.relu(F.conv2d(h, self.W[f'{key}.weight'], self.W[f'{key}.bias'], stride=stride, padding=pad))

    def taps(self, h):
        out = []
        for op in PROGRAMS[self.net]:
            if op == 'tap':
                out.append(h)
            elif op[0] == 'conv':
                h = self._conv(h, op[1], op[2], op[3])
            elif op[0] == 'fire':
                s = self._conv(h, f'{op[1]}.squeeze', 1, 0)
                h = torch.cat([self._conv(s, f'{op[1]}.expand1x1', 1, 0), self._conv(s, f'{op[1]}.expand3x3', 1, 1)], 1)
            else:
                h = F.max_pool2d(h, op[1], op[2], ceil_mode=op[3])
        return out

    def _prepare(self, x):
        """NHWC [B, H, W, 1|3] in [-1, 1] -> scaled NCHW at the LPIPS resolution."""
        h = x.permute(0, 3, 1, 2)
        if h.shape[1] == 1:
            h = h.repeat(1, 3, 1, 1)
        H, W = h.shape[2], h.shape[3]
        if (H, W) != (self.res, self.res):
            if (H, W) not in self.mats:
                self.mats[(H, W)] = (bilinear_matrix(H, self.res).to(self.device), bilinear_matrix(W, self.res).to(self.device))
            rows, cols = self.mats[(H, W)]
            h = torch.einsum('oh,bchw,pw->bcop', rows, h, cols)
        return (h - self.shift) / self.scale

    def __call__(self, x, y):
        """d(x, y) per batch element."""
        b = x.shape[0]
        feats = self.taps(torch.cat([self._prepare(x), self._prepare(y)], 0))
        total = 0
        for f, w in zip(feats, self.lin):
            norm = torch.sqrt(torch.clamp((f * f).sum(1, keepdim=True), min=1e-30)) + 1e-10
            u = f / norm
            d = (u[:b] - u[b:]) ** 2
            total = total + (d * w.view(1, -1, 1, 1)).sum(1).mean((1, 2))
        return total
