#!/usr/bin/env python3
"""Writes the fixtures of the LPIPS test (io.sr4j.eval.LpipsTest): random weights in the key layouts of the files
LPIPS-VGG loads, image pairs, and the distances the reference formula gives for them.

The reference is LPIPS v0.1 as lpips/lpips.py of richzhang/PerceptualSimilarity computes LPIPS(net='vgg') for
inputs in [0,1] (normalize=True): inputs mapped to [-1,1], the ScalingLayer ((x - shift) / scale with shift
[-.030,-.088,-.188], scale [.458,.448,.450]), torchvision's VGG-16 features cut after relu1_2, relu2_2, relu3_3,
relu4_3 and relu5_3 (features[0:4], [4:9], [9:16], [16:23], [23:30]), lpips.normalize_tensor (x / (sqrt(sum_c
x^2) + 1e-10)), squared difference, the 1x1 convolutions lin<k>.model.1 (no bias), spatial mean, sum over the five
layers. It is written out here in PyTorch (the lpips package is not needed) and evaluated in float64.

The VGG-16 is torchvision's configuration D at 1/16 of its width: num_feat 4 (channels 4, 8, 16, 32, 32
instead of 64 ... 512) so the fixture stays small; the key layout is torchvision's (features.<index>.weight/bias,
plus a classifier tensor that the importer must ignore), and the linear layers are the LPIPS file's
(lin0.model.1.weight ... lin4.model.1.weight, [1, C, 1, 1]). Needs torch and numpy:

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
SLICES = [(0, 4), (4, 9), (9, 16), (16, 23), (23, 30)]
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


def normalize_tensor(x, eps=1e-10):
    return x / (torch.sqrt(torch.sum(x ** 2, dim=1, keepdim=True)) + eps)


def lpips(features, lins, a, b):
    """LPIPS v0.1 of a, b in [0,1] ([N,3,H,W]), per image."""
    total = 0
    xa = ((2 * a - 1) - SHIFT.to(a.dtype)) / SCALE.to(a.dtype)
    xb = ((2 * b - 1) - SHIFT.to(b.dtype)) / SCALE.to(b.dtype)
    for (start, end), lin in zip(SLICES, lins):
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


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(17)
    features = vgg16_features().eval()  # PyTorch's default Conv2d initialisation, random biases
    sd = OrderedDict((k, v.detach().clone()) for k, v in features.state_dict().items())
    sd = OrderedDict(('features.' + k, v) for k, v in sd.items())
    sd['classifier.0.weight'] = torch.randn(10, 32)  # the published file has a classifier: it must be ignored
    torch.save(sd, out('lpips_vgg16_nf4.pth'))

    lins = [torch.rand(1, w * NUM_FEAT, 1, 1) for w in (1, 2, 4, 8, 8)]  # non-negative, as trained LPIPS layers are
    torch.save(OrderedDict(('lin%d.model.1.weight' % k, w) for k, w in enumerate(lins)),
               out('lpips_v0.1_vgg_nf4.pth'))

    g = torch.Generator().manual_seed(18)
    a0 = torch.rand(1, 3, 37, 45, generator=g)  # odd sizes: the poolings drop the last row/column
    b0 = (a0 + 0.1 * torch.randn(1, 3, 37, 45, generator=g)).clamp(0, 1)
    a1 = torch.rand(1, 3, 32, 16, generator=g)  # the smallest height: relu5_3 is 2x1
    b1 = torch.rand(1, 3, 32, 16, generator=g)
    gray = torch.rand(1, 1, 20, 24, generator=g)  # a gray image, compared as RGB
    b2 = torch.rand(1, 3, 20, 24, generator=g)
    pairs = [('a0', a0, 'b0', b0), ('a1', a1, 'b1', b1), ('gray2', gray, 'b2', b2), ('a0', a0, 'a0', a0)]

    f64 = vgg16_features()
    f64.load_state_dict(features.state_dict())
    f64 = f64.double().eval()
    expected = []
    with torch.no_grad():
        for na, a, nb, b in pairs:
            a3 = a.expand(-1, 3, -1, -1) if a.shape[1] == 1 else a
            d = lpips(f64, [w.double() for w in lins], a3.double(), b.double()).item()
            d32 = lpips(features, lins, a3, b).item()
            expected.append({'a': na, 'b': nb, 'lpips': d, 'lpips_float32': d32})
    write_safetensors('lpips_io.safetensors', OrderedDict(a0=a0, b0=b0, a1=a1, b1=b1, gray2=gray, b2=b2))
    with open(out('lpips_expected.json'), 'w') as f:
        json.dump({'pairs': expected}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
