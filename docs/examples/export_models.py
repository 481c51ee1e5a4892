#!/usr/bin/env python3
"""Builds two small models in PyTorch 1.13, quantizes them, and writes what a
program needs to run them without PyTorch to a qtensor bundle
(docs/examples/models.qt), with torch's outputs for fixed inputs.

- cnn: conv(3->8, 3x3, pad 1)-relu, max_pool 2, conv(8->16, 3x3, pad 1)-relu,
  adaptive_avg_pool to 1x1, flatten, linear(16->10); quantized statically in
  eager mode with the onednn engine's default qconfig (per-channel qint8
  weights, quint8 activations), calibrated on random images.
- mlp: linear(32->64)-relu-linear(64->10), quantized dynamically
  (torch.ao.quantization.quantize_dynamic, qint8 weights).

Tensors: each layer's qint8 weight ("cnn.conv1.weight", ...) and torch's
quantized CNN output ("cnn.expected"). Metadata (strings): float32 values
as their IEEE bits in 8 hex digits separated by spaces, a scale (a double,
as PyTorch keeps it) as its bits in 16 hex digits: exact, and every
language parses them. Integers in decimal:
  <model>.input, <model>.input_shape        the fixed input
  cnn.quant.scale / .zero_point              the QuantStub's parameters
  <layer>.bias                               the float bias
  <layer>.scale / .zero_point                the layer's output parameters
  <layer>.stride / .padding / .dilation / .groups   conv settings
  mlp.expected                               torch's float MLP output

It also writes torch's outputs as the example programs print theirs
(docs/examples/models_torch.txt).

Run from the repository root with the qtensor package on the path:
  PYTHONPATH=build/bindings/python/package /usr/bin/python3 \\
      docs/examples/export_models.py docs/examples/models.qt
"""
import os
import sys

os.environ.setdefault("LRU_CACHE_CAPACITY", "1")  # onednn's primitive cache (numerics.md)

import numpy as np
import torch
import torch.nn as nn
from torch.ao import quantization as tq

import qtensor


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool(self.relu1(self.conv1(x)))
        x = self.avg(self.relu2(self.conv2(x)))
        x = self.fc(torch.flatten(x, 1))
        return self.dequant(x)


def hexes(values):
    bits = np.asarray(values, dtype=np.float32).reshape(-1).view(np.uint32)
    return " ".join("%08x" % b for b in bits)


def double_bits(value):
    return "%016x" % np.array([float(value)], dtype=np.float64).view(np.uint64)[0]


def ints(values):
    return " ".join(str(int(v)) for v in values)


def quantized_cnn():
    torch.backends.quantized.engine = "onednn"
    model = SmallCNN().eval()
    model.qconfig = tq.get_default_qconfig("onednn")
    tq.fuse_modules(model, [["conv1", "relu1"], ["conv2", "relu2"]], inplace=True)
    tq.prepare(model, inplace=True)
    gen = torch.Generator().manual_seed(1)
    for _ in range(8):
        model(torch.randn(4, 3, 16, 16, generator=gen))
    tq.convert(model, inplace=True)
    return model


def export(path):
    torch.manual_seed(0)
    bundle = qtensor.Bundle({})
    meta = bundle.metadata

    cnn = quantized_cnn()
    image = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(2))
    meta["cnn.input"] = hexes(image.numpy())
    meta["cnn.input_shape"] = ints(image.shape)
    meta["cnn.quant.scale"] = double_bits(cnn.quant.scale)
    meta["cnn.quant.zero_point"] = str(int(cnn.quant.zero_point))
    for name in ("conv1", "conv2", "fc"):
        layer = getattr(cnn, name)
        bundle[f"cnn.{name}.weight"] = qtensor.from_torch(layer.weight())
        meta[f"cnn.{name}.bias"] = hexes(layer.bias().detach().numpy())
        meta[f"cnn.{name}.scale"] = double_bits(layer.scale)
        meta[f"cnn.{name}.zero_point"] = str(int(layer.zero_point))
        if name != "fc":
            meta[f"cnn.{name}.stride"] = ints(layer.stride)
            meta[f"cnn.{name}.padding"] = ints(layer.padding)
            meta[f"cnn.{name}.dilation"] = ints(layer.dilation)
            meta[f"cnn.{name}.groups"] = str(layer.groups)
    # The quantized output before DeQuantStub: fc's integers.
    q_image = cnn.quant(image)
    x = cnn.pool(cnn.conv1(q_image))
    x = cnn.fc(torch.flatten(cnn.avg(cnn.conv2(x)), 1))
    bundle["cnn.expected"] = qtensor.from_torch(x)

    torch.manual_seed(3)
    mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10)).eval()
    mlp = tq.quantize_dynamic(mlp, {nn.Linear}, dtype=torch.qint8)
    inputs = torch.randn(3, 32, generator=torch.Generator().manual_seed(4))
    meta["mlp.input"] = hexes(inputs.numpy())
    meta["mlp.input_shape"] = ints(inputs.shape)
    for name, index in (("fc1", 0), ("fc2", 2)):
        weight, bias = mlp[index]._packed_params._weight_bias()
        bundle[f"mlp.{name}.weight"] = qtensor.from_torch(weight)
        meta[f"mlp.{name}.bias"] = hexes(bias.detach().numpy())
    meta["mlp.expected"] = hexes(mlp(inputs).detach().numpy())
    meta["mlp.expected_shape"] = ints((3, 10))

    bundle.save(path)
    # torch's outputs as the example programs print theirs.
    with open(os.path.splitext(path)[0] + "_torch.txt", "w") as f:
        f.write("cnn: " + " ".join(str(int(v)) for v in x.int_repr().reshape(-1)) + "\n")
        f.write("mlp: " + meta["mlp.expected"] + "\n")


if __name__ == "__main__":
    export(sys.argv[1] if len(sys.argv) > 1 else "docs/examples/models.qt")
