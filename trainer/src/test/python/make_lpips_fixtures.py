#!/usr/bin/env python3
"""Writes the fixtures of the LPIPS test (io.sr4j.eval.LpipsTest): random weights in the key layouts of the files
LPIPS-VGG and LPIPS-Alex load, image pairs, and the distances the reference formula gives for them.

The reference is LPIPS v0.1 as lpips/lpips.py of richzhang/PerceptualSimilarity computes LPIPS(net='vgg') and
LPIPS(net='alex') for inputs in [0,1] (normalize=True): inputs mapped to [-1,1], the ScalingLayer ((x - shift) /
scale with shift [-.030,-.088,-.188], scale [.458,.448,.450]), torchvision's features cut as
lpips/pretrained_networks.py cuts them (VGG-16 after relu1_2, relu2_2, relu3_3, relu4_3, relu5_3: features[0:4],
[4:9], [9:16], [16:23], [23:30]; AlexNet after relu1 ... relu5: features[0:2], [2:5], [5:8], [8:10], [10:12]),
lpips.normalize_tensor (x / (sqrt(sum_c x^2) + 1e-10)), squared difference, the 1x1 convolutions lin<k>.model.1
(no bias), spatial mean, sum over the five layers. It is written out here in PyTorch (the lpips package is not
needed) and evaluated in float64.

The networks are torchvision's at 1/16 of their width: num_feat 4 (VGG-16 channels 4, 8, 16, 32, 32 instead of
64 ... 512; AlexNet 4, 12, 24, 16, 16 instead of 64, 192, 384, 256, 256) so the fixtures stay small; the key
layout is torchvision's (features.<index>.weight/bias, plus a classifier tensor that the importer must ignore), and
the linear layers are the LPIPS files' (lin0.model.1.weight ... lin4.model.1.weight, [1, C, 1, 1]). Needs torch:

    /usr/bin/python3 trainer/src/test/python/make_lpips_fixtures.py

CI never runs this script; its outputs are committed under trainer/src/test/resources/io/sr4j/eval/.
"""
import json
import os
import struct
from collections import OrderedDict

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'io', 'sr4j', 'eval')
NUM_FEAT = 4
CFG_D = [1, 1, 'M', 2, 2, 'M', 4, 4, 4, 'M', 8, 8, 8, 'M', 8, 8, 8]  # widths relative to NUM_FEAT, up to relu5_3
VGG_SLICES = [(0, 4), (4, 9), (9, 16), (16, 23), (23, 30)]
ALEX_SLICES = [(0, 2), (2, 5), (5, 8), (8, 10), (10, 12)]
SHIFT = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1)
SCALE = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)


def out(name):
    return os.path.join(OUT, name)


def vgg16_features():
    layers, c = [], 3
    for v in CFG_D:
        if v == 'M':
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(c, v * NUM_FEAT, kernel_size=3, padding=1), nn.ReLU(inplace=False)]
            c = v * NUM_FEAT
    return nn.Sequential(*layers)


def alexnet_features():
    """torchvision's AlexNet().features at NUM_FEAT / 64 of its width."""
    w = [NUM_FEAT * m for m in (1, 3, 6, 4, 4)]
    return nn.Sequential(
        nn.Conv2d(3, w[0], kernel_size=11, stride=4, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(w[0], w[1], kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(w[1], w[2], kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(w[2], w[3], kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(w[3], w[4], kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2))


def normalize_tensor(x, eps=1e-10):
    return x / (torch.sqrt(torch.sum(x ** 2, dim=1, keepdim=True)) + eps)


def lpips(features, slices, lins, a, b):
    """LPIPS v0.1 of a, b in [0,1] ([N,3,H,W]), per image."""
    total = 0
    xa = ((2 * a - 1) - SHIFT.to(a.dtype)) / SCALE.to(a.dtype)
    xb = ((2 * b - 1) - SHIFT.to(b.dtype)) / SCALE.to(b.dtype)
    for (start, end), lin in zip(slices, lins):
        xa, xb = features[start:end](xa), features[start:end](xb)
        diff = (normalize_tensor(xa) - normalize_tensor(xb)) ** 2
        total = total + torch.nn.functional.conv2d(diff, lin).mean(dim=[2, 3])
    return total.flatten()


def write_safetensors(name, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        raw = t.detach().float().contiguous().numpy().tobytes()
        header[key] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(out(name), 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        f.write(b''.join(blobs))


def write_network(name, make_features, slices, widths, seed, pairs, images):
    """Random weights of one network and its LPIPS layers; the reference distance of every pair."""
    torch.manual_seed(seed)
    features = make_features().eval()  # PyTorch's default Conv2d initialisation, random biases
    sd = OrderedDict(('features.' + k, v.detach().clone()) for k, v in features.state_dict().items())
    sd['classifier.1.weight'] = torch.randn(10, 32)  # the published files have a classifier: it must be ignored
    torch.save(sd, out('lpips_%s_nf%d.pth' % (name, NUM_FEAT)))
    lins = [torch.rand(1, w, 1, 1) for w in widths]  # non-negative, as trained LPIPS layers are
    torch.save(OrderedDict(('lin%d.model.1.weight' % k, w) for k, w in enumerate(lins)),
               out('lpips_v0.1_%s_nf%d.pth' % (name, NUM_FEAT)))
    f64 = make_features()
    f64.load_state_dict(features.state_dict())
    f64 = f64.double().eval()
    expected = []
    with torch.no_grad():
        for na, nb in pairs:
            a, b = images[na], images[nb]
            a3 = a.expand(-1, 3, -1, -1) if a.shape[1] == 1 else a
            d = lpips(f64, slices, [w.double() for w in lins], a3.double(), b.double()).item()
            expected.append({'a': na, 'b': nb, 'lpips': d})
    return expected


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(18)
    images = OrderedDict()
    images['a0'] = torch.rand(1, 3, 37, 45, generator=g)  # odd sizes: the poolings drop the last row/column
    images['b0'] = (images['a0'] + 0.1 * torch.randn(1, 3, 37, 45, generator=g)).clamp(0, 1)
    images['a1'] = torch.rand(1, 3, 32, 16, generator=g)  # VGG's smallest width: relu5_3 is 2x1
    images['b1'] = torch.rand(1, 3, 32, 16, generator=g)
    images['gray2'] = torch.rand(1, 1, 20, 24, generator=g)  # a gray image, compared as RGB
    images['b2'] = torch.rand(1, 3, 20, 24, generator=g)
    images['a3'] = torch.rand(1, 3, 31, 50, generator=g)  # AlexNet's smallest height: relu3 ... relu5 are 1x2
    images['b3'] = torch.rand(1, 3, 31, 50, generator=g)
    images['gray4'] = torch.rand(1, 1, 40, 36, generator=g)
    images['b4'] = torch.rand(1, 3, 40, 36, generator=g)
    vgg = write_network('vgg16', vgg16_features, VGG_SLICES, [w * NUM_FEAT for w in (1, 2, 4, 8, 8)], 17,
                        [('a0', 'b0'), ('a1', 'b1'), ('gray2', 'b2'), ('a0', 'a0')], images)
    alex = write_network('alexnet', alexnet_features, ALEX_SLICES, [w * NUM_FEAT for w in (1, 3, 6, 4, 4)], 19,
                         [('a0', 'b0'), ('a3', 'b3'), ('gray4', 'b4'), ('a3', 'a3')], images)
    write_safetensors('lpips_io.safetensors', images)
    with open(out('lpips_expected.json'), 'w') as f:
        json.dump({'vgg': vgg, 'alex': alex}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
