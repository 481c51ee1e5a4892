"""Writes ONNX models built independently of qtensor, with onnx's own
protobuf classes (Debian's onnx 1.12), whose initializers keep their values
in the typed fields (int32_data, float_data) instead of raw_data, as ONNX
allows: per tensor, per axis (a negative axis too) and blocked, 8-, 16-,
32- and 4-bit integers (4-bit ones packed two to an int32_data entry, the
first in the low nibble), with and without zero points, and a float16 scale
cast to float as qtensor writes them. Each model is one DequantizeLinear
of initializers; DIR/typed.txt lists "NAME OUTPUT" per model, for
run_ort.mjs and the checker. onnx 1.12 predates opset 21 and the 4-bit
types, so those data types are plain numbers set by hand.

Usage: make_typed_models.py DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper

FLOAT, UINT8, INT8, UINT16, INT16, INT32, FLOAT16, UINT4, INT4 = 1, 2, 3, 4, 5, 6, 10, 21, 22
RANGES = {UINT8: (0, 255), INT8: (-128, 127), UINT16: (0, 65535), INT16: (-32768, 32767),
          INT32: (-(1 << 24), 1 << 24), UINT4: (0, 15), INT4: (-8, 7)}


def typed_tensor(name, data_type, dims, values):
    """A TensorProto holding values in int32_data (float_data for FLOAT)."""
    t = onnx.TensorProto()
    t.name, t.data_type = name, data_type
    t.dims.extend(dims)
    if data_type == FLOAT:
        t.float_data.extend(float(v) for v in values)
    elif data_type in (UINT4, INT4):
        nibbles = [int(v) & 0xF for v in values] + ([0] if len(values) % 2 else [])
        t.int32_data.extend(lo | (hi << 4) for lo, hi in zip(nibbles[::2], nibbles[1::2]))
    elif data_type == FLOAT16:
        t.int32_data.extend(int(b) for b in np.array(values, np.float16).view(np.uint16))
    else:
        t.int32_data.extend(int(v) for v in values)
    return t


def float_output(name, dims):
    v = onnx.ValueInfoProto()
    v.name = name
    v.type.tensor_type.elem_type = FLOAT
    for d in dims:
        v.type.tensor_type.shape.dim.add().dim_value = d
    return v


def param_dims(shape, axis, block):
    if axis is None:
        return []
    if not block:
        return [shape[axis]]
    dims = list(shape)
    dims[axis] = -(-shape[axis] // block)
    return dims


def write_model(out_dir, name, data_type, shape, axis=None, block=0, zero_point=True,
                scale_type=FLOAT, rng=None):
    lo, hi = RANGES[data_type]
    count = int(np.prod(shape))
    x = [lo, hi] + list(rng.integers(lo, hi + 1, max(count - 2, 0)))
    pdims = param_dims(shape, axis, block)
    pcount = int(np.prod(pdims)) if pdims else 1
    scales = [float(np.float32(2.0 ** rng.integers(-8, 3) * rng.uniform(1, 2))) for _ in
              range(pcount)]
    if scale_type == FLOAT16:
        scales = [float(np.float16(s)) for s in scales]
    inits = [typed_tensor("x", data_type, shape, x[:count]),
             typed_tensor("scale", scale_type, pdims, scales)]
    nodes = []
    scale_input = "scale"
    if scale_type != FLOAT:
        nodes.append(helper.make_node("Cast", ["scale"], ["scale_float"], to=FLOAT))
        scale_input = "scale_float"
    inputs = ["x", scale_input]
    if zero_point:
        zlo, zhi = (0, 0) if data_type == INT32 else (lo, hi)
        inits.append(typed_tensor("zero_point", data_type, pdims,
                                  list(rng.integers(zlo, zhi + 1, pcount))))
        inputs.append("zero_point")
    attrs = {}
    if axis is not None:
        attrs["axis"] = axis - len(shape) if name.endswith("negative_axis") else axis
    if block:
        attrs["block_size"] = block
    nodes.append(helper.make_node("DequantizeLinear", inputs, ["y"], **attrs))
    graph = helper.make_graph(nodes, name, [], [float_output("y", shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_operatorsetid("", 21)])
    model.ir_version = 10
    with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
    return f"{name} y"


def main():
    out_dir = sys.argv[1]
    rng = np.random.default_rng(16)
    lines = [
        write_model(out_dir, "typed_uint8_tensor_no_zero_point", UINT8, [5, 3], zero_point=False,
                    rng=rng),
        write_model(out_dir, "typed_int8_axis_negative_axis", INT8, [4, 6], axis=1, rng=rng),
        write_model(out_dir, "typed_int16_blocked", INT16, [3, 10], axis=1, block=4, rng=rng),
        write_model(out_dir, "typed_uint16_axis", UINT16, [6, 2], axis=0, rng=rng),
        write_model(out_dir, "typed_int32_tensor", INT32, [7], rng=rng),
        write_model(out_dir, "typed_uint4_tensor", UINT4, [3, 5], rng=rng),
        write_model(out_dir, "typed_int4_blocked_axis0", INT4, [9, 3], axis=0, block=2, rng=rng),
        write_model(out_dir, "typed_uint4_axis_float16_cast", UINT4, [5, 3], axis=1,
                    scale_type=FLOAT16, rng=rng),
    ]
    with open(os.path.join(out_dir, "typed.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines)} typed-field models in {out_dir}")


if __name__ == "__main__":
    main()
