"""Reads and writes the playground's run bundle (scripts/torch/run-bundle.md): a safetensors file whose tensors are
grouped by prefix (online/, target/, ema/, teacher/, optimizer/, data/, next/) and whose __metadata__ holds
the full config, the method, the step and the format version as strings.

Versions: run@2 (this format) and run@1 (older files, no version key) are read; anything else is refused
with a BundleError naming the version, so a newer bundle is never half-read.
"""
import json
import os
import struct

import numpy as np

FORMAT_VERSION = 2
RUN_FORMAT = f'cm-playground/run@{FORMAT_VERSION}'
RUN_FORMAT_V1 = 'cm-playground/run@1'
READABLE = (RUN_FORMAT, RUN_FORMAT_V1)

_DTYPES = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4', 'I64': '<i8', 'U8': 'u1'}
_CODES = {np.dtype('<f4'): 'F32', np.dtype('<f8'): 'F64', np.dtype('<i4'): 'I32', np.dtype('<i8'): 'I64',
          np.dtype('u1'): 'U8'}


class BundleError(Exception):
    """A file this script cannot continue from; the message says why."""


def project_version():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        with open(os.path.join(here, '..', '..', 'package.json')) as f:
            return json.load(f).get('version', 'unknown')
    except OSError:
        return 'unknown'


def read_safetensors_any(path):
    """-> ({name: numpy array}, metadata dict). Any dtype of _DTYPES; arrays are copies."""
    try:
        raw = open(path, 'rb').read()
    except OSError as e:
        raise BundleError(f'cannot read {path}: {e.strerror}')
    if len(raw) < 8:
        raise BundleError(f'{path} is not a safetensors file ({len(raw)} bytes)')
    (n,) = struct.unpack('<Q', raw[:8])
    if 8 + n > len(raw):
        raise BundleError(f'{path} is truncated (header of {n} bytes, file of {len(raw)})')
    try:
        header = json.loads(raw[8:8 + n])
    except ValueError as e:
        raise BundleError(f'{path} has an unreadable header: {e}')
    if not isinstance(header, dict):
        raise BundleError(f'{path} has a header that is not a JSON object')
    meta = header.pop('__metadata__', {}) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise BundleError(f'{path}: __metadata__ must map names to strings')
    out = {}
    body = len(raw) - 8 - n
    for name, info in header.items():
        try:
            code = info.get('dtype')
            if code not in _DTYPES:
                raise BundleError(f'tensor "{name}" has dtype {code}, which a run bundle never uses')
            a, b = (int(v) for v in info['data_offsets'])
            shape = [int(v) for v in info['shape']]
            dt = np.dtype(_DTYPES[code])
            if not 0 <= a <= b <= body or b - a != int(np.prod(shape)) * dt.itemsize:
                raise BundleError(f'tensor "{name}": offsets [{a}, {b}] do not fit shape {shape} of {code} inside the file')
            out[name] = np.frombuffer(raw, dt, (b - a) // dt.itemsize, 8 + n + a).reshape(shape).copy()
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise BundleError(f'tensor "{name}" has a malformed header entry ({e})')
    return out, meta


def check_format(meta, path):
    fmt = meta.get('format')
    if fmt in READABLE:
        return fmt
    if fmt and fmt.startswith('cm-playground/run@'):
        by = meta.get('projectVersion')
        raise BundleError(f'{path} is a run bundle of format version {fmt.split("@")[1]}'
                          f'{f" (written by project version {by})" if by else ""}; this script '
                          f'(project {project_version()}) reads versions 1 and {FORMAT_VERSION} only')
    if fmt == 'cm-playground/weights@1':
        raise BundleError(f'{path} is a weights file, not a run: export the run ("Export run" or `cm export`)')
    raise BundleError(f'{path} is not a run bundle of the playground (format "{fmt or "none"}"; expected {RUN_FORMAT})')


def read_bundle(path):
    tensors, meta = read_safetensors_any(path)
    check_format(meta, path)
    for key in ('config', 'spec'):
        if key not in meta:
            raise BundleError(f'{path} has no "{key}" metadata')
    return tensors, meta


def write_bundle(path, tensors, metadata):
    """tensors: list of (name, numpy array of a _CODES dtype). Written to a temporary file, then renamed,
    so an interrupted write never leaves half a bundle where a checkpoint was."""
    header = {'__metadata__': {k: str(v) for k, v in metadata.items()}}
    offset, blobs = 0, []
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr)
        if arr.dtype not in _CODES:
            raise ValueError(f'{name}: dtype {arr.dtype} cannot go into a bundle')
        header[name] = {'dtype': _CODES[arr.dtype], 'shape': list(arr.shape),
                        'data_offsets': [offset, offset + arr.nbytes]}
        offset += arr.nbytes
        blobs.append(arr.tobytes())
    h = json.dumps(header, separators=(',', ':')).encode('utf-8')
    h += b' ' * ((8 - len(h) % 8) % 8)
    tmp = f'{path}.partial'
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
