#!/usr/bin/env python3
"""Per-image PSNR of the SRCNN release's own evaluation pipeline, the values SrcnnReleaseReferenceTest expects.

An independent re-implementation, in NumPy and PyTorch, of what the release's demo_SR.m and SRCNN.m do in MATLAB,
class by class:

    im    = rgb2ycbcr(imread(HR)); Y = im(:, :, 1)          uint8: (1/255)*[65.481 128.553 24.966]*RGB + 16, rounded
    im_gt = single(modcrop(Y, s)) / 255                     single
    im_l  = imresize(im_gt, 1/s, 'bicubic')                 single, antialiased, rounded to single after each 1-D pass
    im_b  = imresize(im_l, s, 'bicubic')                    single
    im_h  = SRCNN(model, im_b)                              imfilter(..., 'same', 'replicate') per filter: conv1 on
                                                            single gives single, conv2 and conv3 run in double
    PSNR  = on shave(uint8(im_h * 255), s) against shave(uint8(im_gt * 255), s)

imresize is the MATLAB version of the release's time, whose contributions() clamps out-of-range indices
("has the effect of replicating end-points"); today's MATLAB mirrors them instead. Bicubic values are the same
pipeline with im_b in place of im_h. Needs numpy, pillow and torch (1.13 was used):

    /usr/bin/python3 trainer/src/test/python/make_srcnn_release_reference.py [../shared/data]

The CI never runs this script; its output is committed as
trainer/src/test/resources/io/sr4j/eval/srcnn_release_psnr.json.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..', '..')
OUT = os.path.join(HERE, '..', 'resources', 'io', 'sr4j', 'eval', 'srcnn_release_psnr.json')
SETS = ('Set5', 'Set14')
SCALES = (2, 3, 4)

# ---------------------------------------------------------------- MAT v5 (numeric matrices, zlib-compressed or not)
MI_TYPES = {1: np.int8, 2: np.uint8, 3: np.int16, 4: np.uint16, 5: np.int32, 6: np.uint32, 7: np.float32,
            9: np.float64, 12: np.int64, 13: np.uint64}
MI_MATRIX = 14
MI_COMPRESSED = 15


def mat_elements(buf, pos, end):
    while pos < end:
        tag, length = struct.unpack_from('<II', buf, pos)
        if tag >> 16:  # small data element: 2-byte length, 2-byte type, 4 bytes of data
            yield tag & 0xFFFF, buf[pos + 4:pos + 4 + (tag >> 16)]
            pos += 8
        else:
            yield tag, buf[pos + 8:pos + 8 + length]
            pos += 8 + length + (0 if tag == MI_COMPRESSED else (-length) % 8)


def read_mat(path):
    """{name: float64 array in MATLAB's shape} for every real numeric variable."""
    buf = open(path, 'rb').read()
    out = {}
    for tag, data in mat_elements(buf, 128, len(buf)):
        if tag == MI_COMPRESSED:
            data = zlib.decompress(data)
            tag, data = next(mat_elements(data, 0, len(data)))
        if tag != MI_MATRIX:
            continue
        parts = list(mat_elements(data, 0, len(data)))
        dims = np.frombuffer(parts[1][1], dtype=np.int32)
        name = parts[2][1].decode('ascii')
        real_type, real = parts[3]
        out[name] = np.frombuffer(real, dtype=MI_TYPES[real_type]).astype(np.float64).reshape(tuple(dims), order='F')
    return out


# ---------------------------------------------------------------- MATLAB functions, with MATLAB's classes
def matlab_round(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def to_uint8(x):
    return np.clip(matlab_round(x), 0, 255)


def rgb2ycbcr_y(rgb):
    """Y of rgb2ycbcr on uint8: imlincomb(T(1,1), R, T(1,2), G, T(1,3), B, 16) with T = (1/255) * origT."""
    t = (1.0 / 255.0) * np.array([65.481, 128.553, 24.966])
    r, g, b = (rgb[..., c].astype(np.float64) for c in range(3))
    return to_uint8(t[0] * r + t[1] * g + t[2] * b + 16.0)


def cubic(x):
    ax = np.abs(x)
    return ((1.5 * ax ** 3 - 2.5 * ax ** 2 + 1) * (ax <= 1)
            + (-0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2) * ((1 < ax) & (ax <= 2)))


def contributions(in_length, out_length, scale):
    """imresize's contributions() for 'bicubic' with antialiasing, indices clamped to [1, in_length]."""
    kernel_width = 4.0
    if scale < 1:
        h = lambda x: scale * cubic(scale * x)
        kernel_width = kernel_width / scale
    else:
        h = cubic
    x = np.arange(1, out_length + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - kernel_width / 2)
    p = int(np.ceil(kernel_width)) + 2
    indices = left[:, None] + np.arange(p)[None, :]
    weights = h(u[:, None] - indices)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    indices = np.clip(indices.astype(np.int64), 1, in_length) - 1
    keep = np.any(weights != 0, axis=0)
    return weights[:, keep], indices[:, keep]


def imresize(a, scale):
    """imresize(a, scale, 'bicubic') for a 2-D single array: rows first (equal scales), each pass back to single."""
    out = a
    for dim in (0, 1):
        weights, indices = contributions(a.shape[dim], int(np.ceil(scale * a.shape[dim])), scale)
        moved = np.moveaxis(out, dim, 0).astype(np.float64)
        acc = np.zeros((weights.shape[0],) + moved.shape[1:])
        for k in range(weights.shape[1]):
            acc += weights[:, k][:, None] * moved[indices[:, k]]
        out = np.moveaxis(acc.astype(a.dtype), 0, dim)
    return out


def correlate_replicate(x, kernels):
    """sum over input channels of imfilter(x(:,:,j), kernel, 'same', 'replicate'), in double.

    x: [C, H, W]; kernels: [O, C, f, f] with kernel(row, col) as MATLAB indexes it (imfilter correlates)."""
    p = kernels.shape[-1] // 2
    xt = F.pad(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))[None], (p, p, p, p), mode='replicate')
    return F.conv2d(xt, torch.from_numpy(np.ascontiguousarray(kernels, dtype=np.float64)))[0].numpy()


def srcnn(model, im_b):
    w1, w2, w3 = model['weights_conv1'], model['weights_conv2'], model['weights_conv3']
    f1, n1 = int(round(np.sqrt(w1.shape[0]))), w1.shape[1]
    f2, n2 = int(round(np.sqrt(w2.shape[1]))), w2.shape[2]
    f3 = int(round(np.sqrt(w3.shape[1])))
    # reshape(w, f, f) is column-major
    k1 = np.stack([w1[:, i].reshape(f1, f1, order='F') for i in range(n1)])[:, None]
    k2 = np.stack([np.stack([w2[j, :, i].reshape(f2, f2, order='F') for j in range(n1)]) for i in range(n2)])
    k3 = np.stack([w3[j, :].reshape(f3, f3, order='F') for j in range(n2)])[None]
    b1, b2, b3 = (model[k].reshape(-1, 1, 1) for k in ('biases_conv1', 'biases_conv2', 'biases_conv3'))
    # imfilter of the single image is single; single + double bias is single; stored into a double array
    conv1 = np.maximum(correlate_replicate(im_b[None], k1).astype(np.float32) + b1.astype(np.float32),
                       np.float32(0)).astype(np.float64)
    conv2 = np.maximum(correlate_replicate(conv1, k2) + b2, 0)
    return (correlate_replicate(conv2, k3) + b3)[0]


def psnr(a, b):
    return 20 * np.log10(255 / np.sqrt(np.mean((a - b) ** 2)))


def evaluate(hr_file, s, model):
    rgb = np.array(Image.open(hr_file))
    y = rgb2ycbcr_y(rgb[..., :3]) if rgb.ndim == 3 else rgb.astype(np.float64)
    y = y[:y.shape[0] - y.shape[0] % s, :y.shape[1] - y.shape[1] % s]
    im_gt = y.astype(np.float32) / np.float32(255)
    im_b = imresize(imresize(im_gt, 1.0 / s), float(s))
    gt = to_uint8((im_gt * np.float32(255)).astype(np.float64))[s:-s, s:-s]
    bicubic = to_uint8((im_b * np.float32(255)).astype(np.float64))[s:-s, s:-s]
    sr = to_uint8(srcnn(model, im_b) * 255)[s:-s, s:-s]
    return psnr(gt, bicubic), psnr(gt, sr)


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
    result = {'bicubic': {}, 'srcnn_955_imagenet': {}}
    for s in SCALES:
        model = read_mat(os.path.join(shared, 'weights', 'srcnn_matlab', '9-5-5_ImageNet', 'x%d.mat' % s))
        for name in SETS:
            folder = os.path.join(ROOT, 'datasets', 'data', name, 'HR')
            for file in sorted(os.listdir(folder)):
                b, p = evaluate(os.path.join(folder, file), s, model)
                image = os.path.splitext(file)[0]
                result['bicubic'].setdefault(name, {}).setdefault('x%d' % s, {})[image] = b
                result['srcnn_955_imagenet'].setdefault(name, {}).setdefault('x%d' % s, {})[image] = p
                print(name, 'x%d' % s, image, '%.4f %.4f' % (b, p), flush=True)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
