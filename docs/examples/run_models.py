#!/usr/bin/env python3
"""Runs the two models of docs/examples/models.qt (written by
export_models.py from PyTorch) with qtensor's Python package and NumPy, no
PyTorch, and prints the same two lines as run_models.c: the CNN's output
integers and the MLP's output floats as their bits in hex.

    python3 run_models.py MODELS.qt
"""
import sys

import numpy as np

import qtensor
from qtensor.nn.quantized import functional as F

ops = qtensor.ops.quantized


def floats(models, key):
    return np.array([int(w, 16) for w in models.metadata[key].split()],
                    dtype=np.uint32).view(np.float32)


def scale(models, key):
    return float(np.array([int(models.metadata[key], 16)], dtype=np.uint64).view(np.float64)[0])


def ints(models, key):
    return [int(w) for w in models.metadata[key].split()]


def conv_relu(models, layer, x):
    packed = ops.conv2d_prepack(models[layer + ".weight"], floats(models, layer + ".bias"),
                                ints(models, layer + ".stride"), ints(models, layer + ".padding"),
                                ints(models, layer + ".dilation"),
                                ints(models, layer + ".groups")[0])
    return ops.conv2d_relu(x, packed, scale(models, layer + ".scale"),
                           ints(models, layer + ".zero_point")[0])


def run_cnn(models):
    image = floats(models, "cnn.input").reshape(ints(models, "cnn.input_shape"))
    x = qtensor.quantize_per_tensor(image, scale(models, "cnn.quant.scale"),
                                    ints(models, "cnn.quant.zero_point")[0], qtensor.quint8)
    x = F.max_pool2d(conv_relu(models, "cnn.conv1", x), 2)
    x = F.adaptive_avg_pool2d(conv_relu(models, "cnn.conv2", x), 1).flatten(1)
    fc = ops.linear_prepack(models["cnn.fc.weight"], floats(models, "cnn.fc.bias"))
    y = ops.linear(x, fc, scale(models, "cnn.fc.scale"), ints(models, "cnn.fc.zero_point")[0])
    print("cnn: " + " ".join(str(v) for v in y.int_repr().reshape(-1)))


def run_mlp(models):
    # PyTorch's dynamic Linear module calls linear_dynamic with reduce_range
    # true, so this does too.
    fc1 = ops.linear_prepack(models["mlp.fc1.weight"], floats(models, "mlp.fc1.bias"))
    fc2 = ops.linear_prepack(models["mlp.fc2.weight"], floats(models, "mlp.fc2.bias"))
    x = floats(models, "mlp.input").reshape(ints(models, "mlp.input_shape"))
    hidden = ops.linear_dynamic(x, fc1, True)
    hidden = np.where(hidden > 0, hidden, np.float32(0)).astype(np.float32)
    y = ops.linear_dynamic(hidden, fc2, True)
    print("mlp: " + " ".join("%08x" % b for b in y.astype(np.float32).reshape(-1).view(np.uint32)))


def main():
    models = qtensor.load(sys.argv[1])
    run_cnn(models)
    run_mlp(models)


if __name__ == "__main__":
    main()
