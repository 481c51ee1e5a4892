"""Writes the ONNX rounding cases: QuantizeLinear and DequantizeLinear models
(opset 21) per tensor, per axis and blocked, for int8, uint8, int16, uint16,
int4 and uint4, with their inputs and parameters, into OUT_DIR, and a
manifest OUT_DIR/cases.txt, one case a line:

    name op type layout outer axis_len inner block_size

op is quantize or dequantize; layout tensor (n = axis_len elements, one
parameter), axis (parameters [axis_len]) or blocked (parameters [outer]
[ceil(axis_len / block_size)][inner]). Files per case: NAME.onnx, NAME.x
(float32 inputs, or int32 integers for dequantize), NAME.scale (float32),
NAME.zp (int32). run_ort.mjs writes NAME.ort beside them.

Debian's onnx 1.12 predates opset 21 and the 4-bit types, so the protos are
filled in by hand: data_type and elem_type are plain int32 fields. onnxruntime
-node cannot return or take int4 tensors, so 4-bit outputs are Cast to int8 /
uint8 in the graph, and 4-bit inputs come as int8 / uint8 and are Cast to
int4 / uint4 first.

Usage: make_cases.py OUT_DIR
"""
import math
import os
import sys

import numpy as np
import onnx
from onnx import helper

FLOAT, INT8, UINT8, INT16, UINT16, UINT4, INT4 = 1, 3, 2, 5, 4, 21, 22
TYPES = {  # name: (onnx type, qmin, qmax, numpy type of the bytes, 4-bit)
    "int8": (INT8, -128, 127, np.int8, False),
    "uint8": (UINT8, 0, 255, np.uint8, False),
    "int16": (INT16, -32768, 32767, np.int16, False),
    "uint16": (UINT16, 0, 65535, np.uint16, False),
    "int4": (INT4, -8, 7, np.int8, True),
    "uint4": (UINT4, 0, 15, np.uint8, True),
}
# docs/numerics.md's example, exact powers of two, ordinary, tiny, huge and
# denormal scales.
SCALES = [0.00214854861, 1.0, 0.5, 3.0, 0.1, 1e-3, 7e-8, 1e-38, 1e-40, 1e30]
F32 = np.float32


def pack_4bit(values):
    nibbles = [int(v) & 0xF for v in values]
    if len(nibbles) % 2:
        nibbles.append(0)
    return bytes(lo | (hi << 4) for lo, hi in zip(nibbles[::2], nibbles[1::2]))


def initializer(name, data_type, dims, raw):
    t = onnx.TensorProto()
    t.name, t.data_type, t.raw_data = name, data_type, raw
    t.dims.extend(dims)
    return t


def value_info(name, elem_type, dims):
    v = onnx.ValueInfoProto()
    v.name = name
    v.type.tensor_type.elem_type = elem_type
    for d in dims:
        v.type.tensor_type.shape.dim.add().dim_value = d
    return v


def zero_points(type_name):
    _, qmin, qmax, _, _ = TYPES[type_name]
    return [qmin, qmax, (qmin + qmax + 1) // 2, 0 if qmin < 0 else 1]


def inputs_for(scale, zp, qmin, qmax, rng, count):
    """count float32 inputs for one scale and zero point: ties of x / scale
    and a float either side, saturation edges, specials, random values."""
    s = F32(scale)
    picks = []
    for q in [qmin - zp, qmax - zp, 0]:
        for d in (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5):
            picks.append((q + d) * float(s))
    for k in range(-6, 7):
        picks.append((k + 0.5) * float(s))
    values = []
    for p in picks:
        x = F32(p)
        values += [np.nextafter(x, F32(-np.inf)), x, np.nextafter(x, F32(np.inf))]
    values += [F32(v) for v in (np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 0.273939937,
                                3.4e38, -3.4e38, 1e-45, -1e-45, 2.0**31, -(2.0**31), 2.0**40)]
    values += list(rng.uniform(-300, 300, 40).astype(F32))
    values += list((rng.uniform(-1, 1, 40) * (qmax - qmin) * float(s)).astype(F32))
    return [values[i % len(values)] if i < len(values) else values[rng.integers(len(values))]
            for i in range(count)]


class Writer:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.lines = []

    def case(self, name, op, type_name, layout, shape, block, scales, zps, x, dims):
        """shape = (outer, axis_len, inner); dims = the ONNX input's dims."""
        onnx_type, _, _, np_type, four_bit = TYPES[type_name]
        outer, axis_len, inner = shape
        if layout == "tensor":
            param_dims = []
        elif layout == "axis":
            param_dims = [axis_len]
        else:
            param_dims = [outer, -(-axis_len // block), inner]
        zp_raw = pack_4bit(zps) if four_bit else np.array(zps, dtype=np_type).tobytes()
        inits = [initializer("scale", FLOAT, param_dims, np.array(scales, F32).tobytes()),
                 initializer("zero_point", onnx_type, param_dims, zp_raw)]
        attrs = {}
        if layout != "tensor":
            attrs["axis"] = 1
        if layout == "blocked":
            attrs["block_size"] = block
        byte_type = INT8 if np_type == np.int8 else UINT8
        nodes = []
        if op == "quantize":
            in_type, out_type = FLOAT, byte_type if four_bit else onnx_type
            q_out = "q" if four_bit else "y"
            nodes.append(helper.make_node("QuantizeLinear", ["x", "scale", "zero_point"],
                                          [q_out], **attrs))
            if four_bit:
                nodes.append(helper.make_node("Cast", ["q"], ["y"], to=byte_type))
            x_bytes = np.array(x, F32).tobytes()
        else:
            in_type, out_type = byte_type if four_bit else onnx_type, FLOAT
            dq_in = "x"
            if four_bit:
                nodes.append(helper.make_node("Cast", ["x"], ["x4"], to=onnx_type))
                dq_in = "x4"
            nodes.append(helper.make_node("DequantizeLinear", [dq_in, "scale", "zero_point"],
                                          ["y"], **attrs))
            x_bytes = np.array(x, np.int32).tobytes()
        graph = helper.make_graph(nodes, name, [value_info("x", in_type, dims)],
                                  [value_info("y", out_type, dims)], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_operatorsetid("", 21)])
        model.ir_version = 10
        base = os.path.join(self.out_dir, name)
        with open(base + ".onnx", "wb") as f:
            f.write(model.SerializeToString())
        with open(base + ".x", "wb") as f:
            f.write(x_bytes)
        with open(base + ".scale", "wb") as f:
            f.write(np.array(scales, F32).tobytes())
        with open(base + ".zp", "wb") as f:
            f.write(np.array(zps, np.int32).tobytes())
        self.lines.append(f"{name} {op} {type_name} {layout} {outer} {axis_len} {inner} {block}")


def param_index(o, a, i, shape, layout, block):
    outer, axis_len, inner = shape
    if layout == "tensor":
        return 0
    if layout == "axis":
        return a
    return (o * -(-axis_len // block) + a // block) * inner + i


def write_cases(w, rng):
    for type_name, (_, qmin, qmax, _, _) in TYPES.items():
        zps_of_type = zero_points(type_name)
        # Per tensor: one case per scale, odd lengths (ONNX Runtime quantizes
        # a 4-bit tensor's odd last element on its own).
        for k, scale in enumerate(SCALES):
            zp = zps_of_type[k % len(zps_of_type)]
            n = 1001 + 2 * k
            x = inputs_for(scale, zp, qmin, qmax, rng, n)
            w.case(f"q_tensor_{type_name}_{k}", "quantize", type_name, "tensor", (1, n, 1), n,
                   [scale], [zp], x, [n])
            q = list(range(qmin, qmax + 1)) if qmax - qmin < 256 else \
                [qmin, qmax, 0] + list(rng.integers(qmin, qmax + 1, 997))
            q = [q[i % len(q)] for i in range(n)]
            w.case(f"dq_tensor_{type_name}_{k}", "dequantize", type_name, "tensor", (1, n, 1), n,
                   [scale], [zp], q, [n])
        # Per axis and blocked: parameters drawn per channel or block.
        for layout, shape, block in [("axis", (3, 6, 5), 0), ("axis", (4, 7, 1), 0),
                                     ("axis", (2, 5, 33), 0),
                                     ("blocked", (3, 70, 1), 32), ("blocked", (2, 9, 5), 4),
                                     ("blocked", (1, 33, 17), 16), ("blocked", (2, 7, 3), 1),
                                     ("blocked", (5, 37, 1), 8)]:
            outer, axis_len, inner = shape
            count = axis_len if layout == "axis" else outer * -(-axis_len // block) * inner
            scales = [SCALES[int(rng.integers(len(SCALES)))] for _ in range(count)]
            zps = [zps_of_type[int(rng.integers(len(zps_of_type)))] for _ in range(count)]
            xs, qs = [], []
            full = list(range(qmin, qmax + 1))
            for o in range(outer):
                for a in range(axis_len):
                    for i in range(inner):
                        p = param_index(o, a, i, shape, layout, block)
                        pool = inputs_for(scales[p], zps[p], qmin, qmax, rng, 150)
                        xs.append(pool[int(rng.integers(len(pool)))])
                        qs.append(full[int(rng.integers(len(full)))])
            tag = f"{layout}_{type_name}_{outer}x{axis_len}x{inner}" + (
                f"_b{block}" if block else "")
            dims = list(shape)
            w.case("q_" + tag, "quantize", type_name, layout, shape, block, scales, zps, xs, dims)
            w.case("dq_" + tag, "dequantize", type_name, layout, shape, block, scales, zps, qs,
                   dims)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    w = Writer(out_dir)
    write_cases(w, np.random.default_rng(20261207))
    with open(os.path.join(out_dir, "cases.txt"), "w") as f:
        f.write("\n".join(w.lines) + "\n")
    print(f"{len(w.lines)} cases in {out_dir}")


if __name__ == "__main__":
    main()
