#!/usr/bin/env python3
"""Writes small PyTorch models in the key layouts of the released SR weights, with their outputs for a fixed
input, for the io.sr4j.ckpt importer tests (the imported DL4J graph must reproduce these outputs).

The networks are small instances (few features, few blocks) of the reference architectures, defined here in
PyTorch from their papers and the BasicSR definitions: RRDBNet (ESRGAN), MSRResNet (BasicSR) and the first layer of
VGG-19 (torchvision layout, and the Keras notop layout with its BGR/0-255 input convention). Needs torch, numpy, h5py:

    /usr/bin/python3 trainer/src/test/python/make_model_fixtures.py

CI never runs this script; its outputs are committed under trainer/src/test/resources/io/sr4j/ckpt/models/.
Each <name>_io.safetensors holds 'input' [1, C, H, W] and 'output' (or 'output_<layer>') computed by PyTorch.
"""
import json
import os
import struct
from collections import OrderedDict

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'io', 'sr4j', 'ckpt', 'models')


def out(name):
    return os.path.join(OUT, name)


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


class DenseBlock(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.conv1 = nn.Conv2d(nf, gc, 3, 1, 1)
        self.conv2 = nn.Conv2d(nf + gc, gc, 3, 1, 1)
        self.conv3 = nn.Conv2d(nf + 2 * gc, gc, 3, 1, 1)
        self.conv4 = nn.Conv2d(nf + 3 * gc, gc, 3, 1, 1)
        self.conv5 = nn.Conv2d(nf + 4 * gc, nf, 3, 1, 1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.2)
        x1 = act(self.conv1(x))
        x2 = act(self.conv2(torch.cat((x, x1), 1)))
        x3 = act(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = act(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class Rrdb(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdb1, self.rdb2, self.rdb3 = DenseBlock(nf, gc), DenseBlock(nf, gc), DenseBlock(nf, gc)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    """BasicSR names; x4 = two nearest x2 stages, x2/x3 = one nearest stage."""

    def __init__(self, nf, nb, gc, scale):
        super().__init__()
        self.scale = scale
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.body = nn.Sequential(*[Rrdb(nf, gc) for _ in range(nb)])
        self.conv_body = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(nf, nf, 3, 1, 1)
        if scale == 4:
            self.conv_up2 = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_hr = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, 3, 3, 1, 1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.2)
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        first = 2 if self.scale == 4 else self.scale
        feat = act(self.conv_up1(F.interpolate(feat, scale_factor=first, mode='nearest')))
        if self.scale == 4:
            feat = act(self.conv_up2(F.interpolate(feat, scale_factor=2, mode='nearest')))
        return self.conv_last(act(self.conv_hr(feat)))


def official_esrgan_keys(sd):
    """BasicSR names -> the names of ESRGAN's official release (RRDB_ESRGAN_x4.pth)."""
    renames = {'conv_body': 'trunk_conv', 'conv_up1': 'upconv1', 'conv_up2': 'upconv2', 'conv_hr': 'HRconv'}
    result = OrderedDict()
    for k, v in sd.items():
        parts = k.split('.')
        if parts[0] == 'body':
            k = 'RRDB_trunk.%s.RDB%s.%s.%s' % (parts[1], parts[2][3:], parts[3], parts[4])
        elif parts[0] in renames:
            k = renames[parts[0]] + '.' + parts[1]
        result[k] = v
    return result


class ResBlock(nn.Module):
    def __init__(self, nf):
        super().__init__()
        self.conv1 = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv2 = nn.Conv2d(nf, nf, 3, 1, 1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class MSRResNet(nn.Module):
    def __init__(self, nf, nb, scale):
        super().__init__()
        self.scale = scale
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.body = nn.Sequential(*[ResBlock(nf) for _ in range(nb)])
        r = 2 if scale == 4 else scale
        self.upconv1 = nn.Conv2d(nf, nf * r * r, 3, 1, 1)
        if scale == 4:
            self.upconv2 = nn.Conv2d(nf, nf * 4, 3, 1, 1)
        self.conv_hr = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, 3, 3, 1, 1)

    def forward(self, x):
        act = lambda t: F.leaky_relu(t, 0.1)
        out = self.body(act(self.conv_first(x)))
        r = 2 if self.scale == 4 else self.scale
        out = act(F.pixel_shuffle(self.upconv1(out), r))
        if self.scale == 4:
            out = act(F.pixel_shuffle(self.upconv2(out), 2))
        out = self.conv_last(act(self.conv_hr(out)))
        return out + F.interpolate(x, scale_factor=self.scale, mode='bilinear', align_corners=False)


def randomise(model, seed):
    """Weights large enough that every layer matters (PyTorch's default init is fine; biases made non-zero)."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * (0.5 / max(1, p[0].numel()) ** 0.5))
    return model


def fixed_input(channels, h, w, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(1, channels, h, w, generator=g)


def write_generators():
    rrdb = randomise(RRDBNet(nf=8, nb=2, gc=4, scale=4), 1).eval()
    x = fixed_input(3, 7, 9, 10)
    with torch.no_grad():
        y = rrdb(x)
    torch.save(official_esrgan_keys(rrdb.state_dict()), out('rrdb_official_x4.pth'), _use_new_zipfile_serialization=False)
    write_safetensors('rrdb_x4_io.safetensors', OrderedDict(input=x, output=y))
    small = randomise(RRDBNet(nf=8, nb=1, gc=4, scale=4), 1).eval()
    ema = randomise(RRDBNet(nf=8, nb=1, gc=4, scale=4), 2).eval()
    with torch.no_grad():
        y_ema = ema(x)
    torch.save({"params": small.state_dict(), "params_ema": ema.state_dict()}, out("rrdb_basicsr_x4.pth"))
    write_safetensors('rrdb_basicsr_x4_ema_io.safetensors', OrderedDict(input=x, output=y_ema))

    rrdb3 = randomise(RRDBNet(nf=8, nb=1, gc=4, scale=3), 3).eval()
    x3 = fixed_input(3, 6, 5, 11)
    with torch.no_grad():
        y3 = rrdb3(x3)
    write_safetensors('rrdb_x3.safetensors', rrdb3.state_dict())
    write_safetensors('rrdb_x3_io.safetensors', OrderedDict(input=x3, output=y3))

    for scale in (4, 3):
        msr = randomise(MSRResNet(nf=8, nb=2, scale=scale), 4 + scale).eval()
        xm = fixed_input(3, 5, 8, 12 + scale)
        with torch.no_grad():
            ym = msr(xm)
        torch.save({'params': msr.state_dict()}, out('msrresnet_x%d.pth' % scale))
        write_safetensors('msrresnet_x%d_io.safetensors' % scale, OrderedDict(input=xm, output=ym))


def write_vgg():
    """conv1_1 and conv1_2 of VGG-19 (torchvision features.0 and features.2), with outputs of both layers before
    and after ReLU for an RGB input in [0,1] normalised as torchvision expects."""
    torch.manual_seed(5)
    conv1 = nn.Conv2d(3, 64, 3, 1, 1)
    conv2 = nn.Conv2d(64, 64, 3, 1, 1)
    with torch.no_grad():
        conv2.weight.mul_(0.2)
    sd = OrderedDict([('features.0.weight', conv1.weight), ('features.0.bias', conv1.bias),
                      ('features.2.weight', conv2.weight.half()), ('features.2.bias', conv2.bias)])
    torch.save(OrderedDict((k, v.detach().clone()) for k, v in sd.items()), out('vgg19_first_block.pth'))
    x = fixed_input(3, 9, 7, 20)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        c11 = conv1((x - mean) / std)
        c12 = F.conv2d(F.relu(c11), conv2.weight.half().float(), conv2.bias, padding=1)
    write_safetensors('vgg19_first_block_io.safetensors', OrderedDict(
        input=x, output_conv1_1=c11, output_relu1_1=F.relu(c11), output_conv1_2=c12, output_relu1_2=F.relu(c12)))

    # Keras notop layout: BGR input in [0,255] minus the Caffe means, HWIO kernels (Keras 1 dataset names)
    rng = np.random.default_rng(6)
    kernel = (rng.standard_normal((3, 3, 3, 64)) * 0.01).astype(np.float32)
    bias = (rng.standard_normal(64) * 0.1).astype(np.float32)
    with h5py.File(out('vgg19_keras_block1_conv1.h5'), 'w') as f:
        f.attrs['layer_names'] = np.asarray([b'input_1', b'block1_conv1'])
        f.create_group('input_1').attrs['weight_names'] = np.asarray([], dtype='S1')
        g = f.create_group('block1_conv1')
        g.attrs['weight_names'] = np.asarray([b'block1_conv1_W_1:0', b'block1_conv1_b_1:0'])
        g.create_dataset('block1_conv1_W_1:0', data=kernel)
        g.create_dataset('block1_conv1_b_1:0', data=bias)
    bgr = x[:, [2, 1, 0]] * 255 - torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)
    w = torch.from_numpy(kernel).permute(3, 2, 0, 1)
    with torch.no_grad():
        y = F.conv2d(bgr, w, torch.from_numpy(bias), padding=1)
    write_safetensors('vgg19_keras_block1_conv1_io.safetensors', OrderedDict(input=x, output_conv1_1=y))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_generators()
    write_vgg()


if __name__ == '__main__':
    main()
