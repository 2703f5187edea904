#!/usr/bin/env python3
"""Writes the weight-file fixtures of the io.sr4j.ckpt.formats tests and the values those tests expect.

The checkpoints are written by real PyTorch (torch.save), the .mat file by scipy.io.savemat and the .h5
file by h5py; every *_expected.json next to them is produced from the same in-memory objects, so the Java
tests compare against what the writing library holds. Needs torch (1.13 was used), numpy, scipy and h5py:

    /usr/bin/python3 trainer/src/test/python/make_weight_fixtures.py

The CI never runs this script; its outputs are committed under
trainer/src/test/resources/io/sr4j/ckpt/formats/. Rerunning it reproduces every *_expected.json exactly; the
legacy-format files, the rewritten zip and the .mat file differ in bytes that carry no values (storage keys are
memory addresses, zip and MAT headers hold the date).
"""
import json
import os
import pickle
import struct
import types
import zipfile
from collections import OrderedDict

import h5py
import numpy as np
import scipy.io
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   '..', 'resources', 'io', 'sr4j', 'ckpt', 'formats')

# Shell command inside the malicious fixtures. The Java tests check that this file never appears.
MARKER = 'sr4j-malicious-fixture-ran'


def out(name):
    return os.path.join(OUT, name)


def expected(t):
    """dtype, shape and every value in C order (floats widened exactly to float64, integers exact)."""
    dtype = str(t.dtype).replace('torch.', '')
    if t.dtype.is_floating_point:
        values = t.detach().double().flatten().tolist()
    else:
        values = t.detach().long().flatten().tolist()
    return {'dtype': dtype, 'shape': list(t.shape), 'values': values}


def write_json(name, obj):
    with open(out(name), 'w') as f:
        json.dump(obj, f, indent=1)
        f.write('\n')


def tensors_state_dict():
    """A module state dict (an OrderedDict carrying _metadata) plus tensors of every layout the reader handles."""
    torch.manual_seed(0)
    net = nn.Module()
    net.conv = nn.Conv2d(1, 2, 3)
    net.bn = nn.BatchNorm2d(2)
    with torch.no_grad():
        net.bn.running_mean.uniform_(-1, 1)
        net.bn.running_var.uniform_(0.5, 1.5)
    # Above 2**24, so a float32 copy would not hold it exactly.
    net.bn.num_batches_tracked.fill_(123456789)
    sd = net.state_dict()

    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1
    sd['view.base'] = base
    sd['view.transposed'] = base.t()  # shape (4, 3), strides (1, 4); shares the storage of view.base
    sd['view.window'] = base[1:, 1:3]  # shape (2, 2), storage offset 5, strides (4, 1)
    sd['view.broadcast'] = torch.tensor([1.5, -2.0, 3.25]).expand(2, 3)  # strides (0, 1)
    sd['dtype.float16'] = torch.randn(2, 3).half()
    sd['dtype.bfloat16'] = torch.randn(4).bfloat16()
    sd['dtype.float64'] = torch.randn(2, 2, dtype=torch.float64)
    sd['dtype.int64'] = torch.tensor([[-3, 2 ** 40 + 1]])
    sd['scalar'] = torch.tensor(0.125)
    sd['param'] = nn.Parameter(torch.randn(3))  # pickled through torch._utils._rebuild_parameter
    return sd


def basicsr_checkpoint():
    """BasicSR's layout: {'params': state_dict, 'params_ema': state_dict} in a plain dict."""
    torch.manual_seed(1)
    params = nn.Conv2d(1, 2, 3).state_dict()
    params_ema = OrderedDict((k, v * 0.5) for k, v in params.items())
    return {'params': params, 'params_ema': params_ema}


class _StorageView:
    """`length` elements of `base`'s storage from element `offset` on: a storage view, which PyTorch before 0.4
    could pickle and the legacy format records as view_metadata (view_key, offset, size)."""

    def __init__(self, base, offset, length):
        self.base, self.offset, self.length = base, offset, length


class _TensorOnStorageView:
    """A tensor over a _StorageView: its offset (into the view), size and stride."""

    def __init__(self, view, offset, size, stride):
        self.args = (view, offset, size, stride)


class _OldTensorPickler(pickle._Pickler):
    """The pure-Python pickler, reducing tensors as PyTorch 0.1.12 to 0.3 did (torchvision's legacy
    vgg19-dcbb9e9d.pth): torch._utils._rebuild_tensor(storage, offset, size, stride), without requires_grad and
    hooks. Storage persistent ids still come from torch.save's own persistent_id; for a _StorageView it is
    rewritten into the view form those versions wrote."""

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            return torch._utils._rebuild_tensor, (obj.storage(), obj.storage_offset(), tuple(obj.size()),
                                                 obj.stride())
        if isinstance(obj, _TensorOnStorageView):
            return torch._utils._rebuild_tensor, obj.args
        return NotImplemented

    @property
    def persistent_id(self):
        def pid(obj):
            if isinstance(obj, _StorageView):
                storage_type, root_key, location, root_numel = self._torch_pid(obj.base.storage())[1:5]
                return ('storage', storage_type, root_key, location, root_numel,
                        (root_key + '.view', obj.offset, obj.length))
            return self._torch_pid(obj)
        return pid

    @persistent_id.setter
    def persistent_id(self, torch_pid):
        self._torch_pid = torch_pid


def write_old_legacy():
    """The legacy layout as PyTorch 0.1.12 to 0.3 wrote it: a plain OrderedDict (no _metadata), _rebuild_tensor,
    and a tensor on a storage view. torch.save writes the file around the custom pickler; torch.load reads it back."""
    base = torch.arange(12, dtype=torch.float32) * 0.5 - 3
    sd = OrderedDict([
        ('conv.weight', torch.randn(2, 1, 3, 3, generator=torch.Generator().manual_seed(4))),
        ('view.transposed', base.reshape(3, 4).t()),
        # Elements 2..9 of base's storage as a storage view; the tensor is view elements 1..6 as 2x3.
        ('view.on_storage_view', _TensorOnStorageView(_StorageView(base, 2, 8), 1, (2, 3), (3, 1))),
    ])
    module = types.ModuleType('old_tensor_pickle')
    module.Pickler, module.Unpickler, module.dump, module.load = \
        _OldTensorPickler, pickle.Unpickler, pickle.dump, pickle.load
    torch.save(sd, out('tensors_legacy_v1.pth'), pickle_module=module, _use_new_zipfile_serialization=False)
    expect = OrderedDict([('conv.weight', sd['conv.weight']), ('view.transposed', sd['view.transposed']),
                          ('view.on_storage_view', base[3:9].reshape(2, 3))])
    reloaded = torch.load(out('tensors_legacy_v1.pth'))
    assert list(reloaded) == list(expect) and all(torch.equal(reloaded[k], expect[k]) for k in expect)
    with open(out('tensors_legacy_v1.pth'), 'rb') as f:
        data = f.read()
    assert b'_rebuild_tensor\n' in data and b'_rebuild_tensor_v2' not in data
    write_json('tensors_legacy_v1_expected.json', {k: expected(v) for k, v in expect.items()})


def write_training_checkpoint():
    """A training checkpoint: the state dict under 'model' next to plain Python values. (Not bytes: pickle
    protocol 2 writes them as a call of _codecs.encode, which the reader refuses like any other function.)"""
    torch.manual_seed(5)
    ckpt = {'epoch': 3, 'lr': 0.0001, 'step': 2 ** 70, 'model': nn.Conv2d(1, 1, 1).state_dict(),
            'betas': (0.9, 0.99), 'history': [1.5, 2.5], 'name': 'srresnet', 'best': True, 'note': None}
    torch.save(ckpt, out('training_checkpoint.pth'))
    write_json('training_checkpoint_expected.json', {k: expected(v) for k, v in ckpt['model'].items()})


class Payload:
    """Pickles as a call of `func(arg)`, the way a malicious checkpoint runs code inside torch.load."""

    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return self.func, (self.arg,)


def patched_os_system(data):
    # os.system pickles as posix.system on Linux; name it os.system as hand-made attacks do.
    patched = data.replace(b'cposix\nsystem\n', b'cos\nsystem\n')
    assert patched != data
    return patched


def rewrite_zip_pickle(path, patch):
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(name, patch(data) if name.endswith('/data.pkl') else data)


def write_malicious():
    weight = torch.ones(2)
    os_system = {'conv.weight': weight, 'payload': Payload(os.system, 'touch ' + MARKER)}
    # Protocol 2: GLOBAL 'os system' + REDUCE, as in a real .pth (zip) and as a raw legacy pickle.
    torch.save(os_system, out('evil_os_system_zip.pth'))
    rewrite_zip_pickle(out('evil_os_system_zip.pth'), patched_os_system)
    torch.save(os_system, out('evil_os_system_legacy.pth'), _use_new_zipfile_serialization=False)
    with open(out('evil_os_system_legacy.pth'), 'rb') as f:
        data = f.read()
    with open(out('evil_os_system_legacy.pth'), 'wb') as f:
        f.write(patched_os_system(data))

    # Protocol 4: STACK_GLOBAL 'builtins' 'eval' + REDUCE.
    code = "__import__('os').system('touch " + MARKER + "')"
    builtins_eval = {'conv.weight': weight, 'payload': Payload(eval, code)}
    torch.save(builtins_eval, out('evil_eval_zip.pth'), pickle_protocol=4)
    torch.save(builtins_eval, out('evil_eval_legacy.pth'), pickle_protocol=4,
               _use_new_zipfile_serialization=False)
    for name in ('evil_eval_zip.pth', 'evil_eval_legacy.pth'):
        with open(out(name), 'rb') as f:
            assert b'\x8c\x08builtins\x94\x8c\x04eval\x94\x93' in f.read()


def write_safetensors():
    """Written by hand (the safetensors package is not needed): u64 LE header size, JSON header, data."""
    torch.manual_seed(2)
    tensors = OrderedDict([
        ('weight.f32', torch.randn(2, 3)),
        ('weight.f16', torch.randn(3).half()),
        ('weight.bf16', torch.randn(2, 2).bfloat16()),
        ('weight.f64', torch.randn(2, dtype=torch.float64)),
        ('steps.i64', torch.tensor([7, -(2 ** 40)])),
    ])
    codes = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
             torch.float64: 'F64', torch.int64: 'I64'}
    metadata = {'format': 'pt', 'source': 'sr4j test fixture'}
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        # Raw little-endian bytes of the contiguous tensor (a uint8 view also works for bfloat16).
        raw = t.contiguous().view(torch.uint8).numpy().tobytes()
        header[name] = {'dtype': codes[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the reference writer pads the header with spaces to 8 bytes
    with open(out('tensors.safetensors'), 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        f.write(b''.join(blobs))
    write_json('tensors_safetensors_expected.json',
               {'metadata': metadata, 'tensors': {k: expected(v) for k, v in tensors.items()}})


def write_mat():
    """MAT v5 with known values: MATLAB stores them column-major, the reader must return C order."""
    variables = {
        'm23': np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float64),  # on disk: 1 4 2 5 3 6
        'cube': (np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 10) / 4,
        'i16': np.array([[-7], [300]], dtype=np.int16),
        'label': 'not numeric',
    }
    scipy.io.savemat(out('column_major.mat'), variables, format='5')
    back = scipy.io.loadmat(out('column_major.mat'))
    write_json('column_major_mat_expected.json', {
        k: {'dtype': str(back[k].dtype), 'shape': list(back[k].shape),
            'values': back[k].flatten(order='C').tolist()}
        for k in ('m23', 'cube', 'i16')})


def write_keras_h5():
    """The layout of Keras' vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5: root attribute layer_names,
    one group per layer with attribute weight_names, kernels stored HWIO. block1_conv1 uses the Keras 1
    names of that file (datasets directly in the layer group); block1_conv2 uses the Keras 2 names
    (`<layer>/kernel:0`, a nested group); block1_pool has no weights, as in the real file."""
    rng = np.random.default_rng(3)
    layers = OrderedDict([
        ('block1_conv1', [('block1_conv1_W_1:0', rng.standard_normal((3, 3, 3, 2)).astype(np.float32)),
                          ('block1_conv1_b_1:0', rng.standard_normal(2).astype(np.float32))]),
        ('block1_conv2', [('block1_conv2/kernel:0', rng.standard_normal((3, 3, 2, 2)).astype(np.float32)),
                          ('block1_conv2/bias:0', rng.standard_normal(2).astype(np.float32))]),
        ('block1_pool', []),
    ])
    expect = OrderedDict()
    with h5py.File(out('keras_vgg_layout.h5'), 'w') as f:
        f.attrs['layer_names'] = np.asarray([name.encode('utf8') for name in layers])
        f.attrs['backend'] = b'tensorflow'
        f.attrs['keras_version'] = b'2.0.8'
        for layer, weights in layers.items():
            g = f.create_group(layer)
            g.attrs['weight_names'] = np.asarray([w.encode('utf8') for w, _ in weights])
            for w, value in weights:
                g.create_dataset(w, data=value)
                expect[layer + '/' + w] = {'dtype': 'float32', 'shape': list(value.shape),
                                           'values': value.astype(np.float64).flatten().tolist()}
    write_json('keras_vgg_layout_expected.json', expect)


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = tensors_state_dict()
    torch.save(sd, out('tensors_zip.pth'))
    torch.save(sd, out('tensors_zip_protocol4.pth'), pickle_protocol=4)
    torch.save(sd, out('tensors_legacy.pth'), _use_new_zipfile_serialization=False)
    write_json('tensors_expected.json', {k: expected(v) for k, v in sd.items()})
    for name in ('tensors_zip.pth', 'tensors_zip_protocol4.pth', 'tensors_legacy.pth'):
        reloaded = torch.load(out(name))
        assert list(reloaded) == list(sd) and all(torch.equal(reloaded[k], sd[k]) for k in sd)

    write_old_legacy()
    write_training_checkpoint()

    ckpt = basicsr_checkpoint()
    torch.save(ckpt, out('basicsr_params.pth'))
    write_json('basicsr_params_expected.json',
               {key: {k: expected(v) for k, v in sd_.items()} for key, sd_ in ckpt.items()})

    write_malicious()
    write_safetensors()
    write_mat()
    write_keras_h5()


if __name__ == '__main__':
    main()
