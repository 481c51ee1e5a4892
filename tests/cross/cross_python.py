"""Cross-language files (tests/cross/SPEC.md) through the Python binding.

    cross_python.py write DIR           writes the files of SPEC.md into DIR
    cross_python.py read DIR WRITER     checks the files language WRITER wrote
"""

import os
import sys

import numpy as np

import qtensor

BUNDLE_FILE = "bundle.qtb"
GGUF_FILE = "model.gguf"
GGUF_ARCHITECTURE = 'STRING "qtensor"'


def tensors():
    """The tensors of SPEC.md by file name, built from its float inputs."""
    index = np.arange(12, dtype=np.float64)
    made = {
        "qint8_per_tensor.qt": qtensor.quantize_per_tensor(
            np.array([[-1.6, 4.0, 7.0], [3.3, 6.6, 8.6]], dtype=np.float32), 0.1, 0,
            qtensor.qint8),
        "quint8_per_channel.qt": qtensor.quantize_per_channel(
            (index * 0.37 - 2.0).astype(np.float32).reshape(3, 4), [0.05, 0.1, 0.2],
            [0, 128, 255], 0, qtensor.quint8),
        "qint32_per_tensor.qt": qtensor.quantize_per_tensor(
            np.array([10000.0, -25000.0, 3.25, 0.0], dtype=np.float32), 0.001, -7,
            qtensor.qint32),
        "qint32_per_channel.qt": qtensor.quantize_per_channel(
            ((index - 6) * 0.71).astype(np.float32).reshape(2, 2, 3), [0.01, 0.001, 0.0001],
            [-1, 0, 1], 2, qtensor.qint32),
        "scalar.qt": qtensor.quantize_per_tensor(
            np.array(2.5, dtype=np.float32), 0.5, -3, qtensor.qint8),
    }
    made["view.qt"] = made["quint8_per_channel.qt"].transpose(0, 1)[0:4:2]
    made["qint16_per_tensor.qt"] = qtensor.quantize_per_tensor(
        np.array([-300.0, 1000.25, 0.0, 12345.5], dtype=np.float32), 0.25, -7, qtensor.qint16)
    quint4x2 = qtensor.quantize_per_tensor(
        (np.arange(15, dtype=np.float64) * 0.5 - 1.0).astype(np.float32).reshape(3, 5), 0.5, 2,
        qtensor.quint4x2)
    made["quint4x2_view.qt"] = quint4x2[:, 1:4]
    blocks = qtensor.Quantizer.per_block_affine([0.125, 0.25, 0.5, 0.0625, 0.1875, 0.375],
                                                [8, 7, 9, 6, 8, 10], 1, 2, qtensor.quint4)
    made["quint4_per_block.qt"] = qtensor.quantize(
        (np.arange(10, dtype=np.float64) * 0.3 - 1.4).astype(np.float32).reshape(2, 5),
        blocks.with_rounding(qtensor.onnx_rounding).with_scale_type(qtensor.float16_scale))
    return made


def bundle_of(made, writer):
    bundle = qtensor.Bundle()
    bundle["a"] = made["qint8_per_tensor.qt"]
    bundle["b"] = made["qint32_per_channel.qt"]
    bundle.metadata["framework"] = "qtensor"
    bundle.metadata["writer"] = writer
    return bundle


def gguf_bundle_of(writer):
    """The GGUF file's bundle: blocks as llama.cpp makes them (q4's largest
    magnitude is positive, so its d is negative)."""
    index = np.arange(128, dtype=np.float64)
    bundle = qtensor.Bundle()
    bundle["q8"] = qtensor.quantize_gguf((index * 0.37 - 20.0).astype(np.float32).reshape(2, 64),
                                         qtensor.gguf_q8_0)
    bundle["q4"] = qtensor.quantize_gguf((index[:32] * 0.25 - 3.0).astype(np.float32),
                                         qtensor.gguf_q4_0)
    bundle.metadata["general.architecture"] = GGUF_ARCHITECTURE
    bundle.metadata["writer"] = writer
    return bundle


FLOAT_ENTRIES_FILE = "float_entries.qtb"
# name: (dtype, shape, bytes) of float_entries.qtb's float entries (SPEC.md).
FLOAT_ENTRIES = {
    "f32": ("float32", (2, 2),
            np.array([0x7FC00123, 0x80000000, 0x00000001, 0x3FC00000], "<u4").tobytes()),
    "f16": ("float16", (3,), np.array([0x7C01, 0x8000, 0x0001], "<u2").tobytes()),
    "bf16": ("bfloat16", (2,), np.array([0x7F81, 0x0001], "<u2").tobytes()),
}


def float_entries(made):
    bundle = qtensor.Bundle()
    bundle["q"] = made["qint8_per_tensor.qt"]
    for name, (dtype, shape, data) in FLOAT_ENTRIES.items():
        bundle.set_float(name, data, shape, dtype)
    return bundle


def float_entry_differences(bundle, made):
    if list(bundle) != ["q", *FLOAT_ENTRIES]:
        return [f"{FLOAT_ENTRIES_FILE}: names {list(bundle)}, expected ['q', 'f32', 'f16', 'bf16']"]
    found = differences(f"{FLOAT_ENTRIES_FILE}['q']", bundle["q"], made["qint8_per_tensor.qt"])
    for name, want in FLOAT_ENTRIES.items():
        got = (bundle.float_dtype(name), bundle.float_shape(name), bundle.float_data(name))
        if got != want:
            found.append(f"{FLOAT_ENTRIES_FILE}[{name!r}]: {got}, expected {want}")
    return found


MAPPED_FILE = "mapped.qtc"
CONTAINER_MAGIC = b"\x89QTBNDL\n"
# name: (float entry?, shape, dtype) as mapped.qtc's header must give them.
MAPPED_HEADER = {"w": (False, (3, 4), qtensor.quint8), "v": (False, (2, 3), qtensor.quint8),
                 "p": (False, (2, 5), qtensor.quint4), "f16": (True, (3,), "float16")}


def write_mapped(made, path, writer):
    """mapped.qtc: written one entry at a time by the streaming writer."""
    with qtensor.BundleWriter(path) as stream:
        stream.add("w", made["quint8_per_channel.qt"])
        stream.add("v", made["view.qt"])
        stream.add("p", made["quint4_per_block.qt"])
        dtype, shape, data = FLOAT_ENTRIES["f16"]
        stream.add_float("f16", data, shape, dtype)
        stream.set_metadata("format", "container")
        stream.set_metadata("writer", writer)


def mapped_differences(path, made, writer):
    """mapped.qtc, opened lazily: the header checked before any tensor is
    got, then the checksums, the tensors (read-only) and the float bytes."""
    with open(path, "rb") as file:
        if file.read(8) != CONTAINER_MAGIC:
            return [f"{MAPPED_FILE}: does not start with the container magic"]
    found = []
    with qtensor.load(path, mmap=True) as mapped:
        if list(mapped) != list(MAPPED_HEADER):
            return [f"{MAPPED_FILE}: names {list(mapped)}, expected {list(MAPPED_HEADER)}"]
        for name, (is_float, shape, dtype) in MAPPED_HEADER.items():
            got = (mapped.is_float(name), tuple(mapped.shape(name)),
                   mapped.float_dtype(name) if is_float else mapped.dtype(name))
            if got != (is_float, shape, dtype):
                found.append(f"{MAPPED_FILE}[{name!r}] header: {got}, expected "
                             f"{(is_float, shape, dtype)}")
            if mapped.payload(name)[0] % 64 != 0:
                found.append(f"{MAPPED_FILE}[{name!r}]: payload at {mapped.payload(name)[0]}")
        metadata = {"format": "container", "writer": writer}
        if dict(mapped.metadata) != metadata:
            found.append(f"{MAPPED_FILE}: metadata {dict(mapped.metadata)}, expected {metadata}")
        mapped.verify()
        for name, source in (("w", "quint8_per_channel.qt"), ("v", "view.qt"),
                             ("p", "quint4_per_block.qt")):
            tensor = mapped[name]
            found += differences(f"{MAPPED_FILE}[{name!r}]", tensor, made[source].contiguous())
            if not tensor.is_read_only():
                found.append(f"{MAPPED_FILE}[{name!r}]: not read-only")
        want = FLOAT_ENTRIES["f16"][2]
        if mapped.select(["f16"]).float_data("f16") != want:
            found.append(f"{MAPPED_FILE}['f16']: bytes differ")
    return found


def write(directory):
    os.makedirs(directory, exist_ok=True)
    made = tensors()
    for name, tensor in made.items():
        tensor.save(os.path.join(directory, name))
    bundle_of(made, "python").save(os.path.join(directory, BUNDLE_FILE))
    gguf_bundle_of("python").save_gguf(os.path.join(directory, GGUF_FILE))
    float_entries(made).save(os.path.join(directory, FLOAT_ENTRIES_FILE))
    write_mapped(made, os.path.join(directory, MAPPED_FILE), "python")


def differences(what, got, want):
    """What differs between two tensors, as printable lines."""
    found = []
    if got.dtype is not want.dtype:
        found.append(f"{what}: dtype {got.dtype!r}, expected {want.dtype!r}")
    if got.shape != want.shape:
        found.append(f"{what}: shape {got.shape}, expected {want.shape}")
    if got.qscheme() is not want.qscheme():
        found.append(f"{what}: qscheme {got.qscheme()!r}, expected {want.qscheme()!r}")
    elif got.qscheme() is qtensor.per_tensor_affine:
        if (got.q_scale(), got.q_zero_point()) != (want.q_scale(), want.q_zero_point()):
            found.append(f"{what}: scale {got.q_scale()!r} zero point {got.q_zero_point()}, "
                         f"expected {want.q_scale()!r} and {want.q_zero_point()}")
    elif got.qscheme() is qtensor.per_block_affine:
        if got.quantizer() != want.quantizer():
            found.append(f"{what}: quantizer {got.quantizer()!r}, expected {want.quantizer()!r}")
    else:
        got_parameters = (got.q_per_channel_scales().tolist(),
                          got.q_per_channel_zero_points().tolist(), got.q_per_channel_axis())
        want_parameters = (want.q_per_channel_scales().tolist(),
                           want.q_per_channel_zero_points().tolist(), want.q_per_channel_axis())
        if got_parameters != want_parameters:
            found.append(f"{what}: per-channel parameters {got_parameters}, "
                         f"expected {want_parameters}")
    if found:
        return found
    if not np.array_equal(got.int_repr(), want.int_repr()):
        found.append(f"{what}: int_repr {got.int_repr().tolist()}, "
                     f"expected {want.int_repr().tolist()}")
    elif not np.array_equal(got.packed_repr(), want.packed_repr()):
        found.append(f"{what}: packed_repr {got.packed_repr().tolist()}, "
                     f"expected {want.packed_repr().tolist()}")
    if repr(got) != repr(want):
        found.append(f"{what}: printed\n{got!r}\nexpected\n{want!r}")
    return found


def read(directory, writer):
    made = tensors()
    failed = False
    for name, want in made.items():
        try:
            found = differences(name, qtensor.load(os.path.join(directory, name)), want)
        except (qtensor.Error, OSError) as error:
            found = [f"{name}: cannot load: {type(error).__name__}: {error}"]
        print("\n".join(found) if found else f"ok {name}")
        failed |= bool(found)
    # The GGUF file's metadata values come back as typed text.
    gguf_metadata = {"general.architecture": GGUF_ARCHITECTURE, "writer": f'STRING "{writer}"'}
    for file, load, want, metadata in (
            (BUNDLE_FILE, qtensor.Bundle.load, bundle_of(made, writer), None),
            (GGUF_FILE, qtensor.Bundle.load_gguf, gguf_bundle_of(writer), gguf_metadata)):
        found = bundle_differences(file, load, want, metadata or dict(want.metadata), directory)
        print("\n".join(found) if found else f"ok {file}")
        failed |= bool(found)
    try:
        found = float_entry_differences(
            qtensor.Bundle.load(os.path.join(directory, FLOAT_ENTRIES_FILE)), made)
    except (qtensor.Error, OSError) as error:
        found = [f"{FLOAT_ENTRIES_FILE}: cannot load: {type(error).__name__}: {error}"]
    print("\n".join(found) if found else f"ok {FLOAT_ENTRIES_FILE}")
    failed |= bool(found)
    # Bundle files saved to a path are containers.
    for file in (BUNDLE_FILE, FLOAT_ENTRIES_FILE):
        with open(os.path.join(directory, file), "rb") as saved:
            if saved.read(1) != CONTAINER_MAGIC[:1]:
                print(f"{file}: not a container (first byte)")
                failed = True
    try:
        found = mapped_differences(os.path.join(directory, MAPPED_FILE), made, writer)
    except (qtensor.Error, OSError) as error:
        found = [f"{MAPPED_FILE}: cannot read: {type(error).__name__}: {error}"]
    print("\n".join(found) if found else f"ok {MAPPED_FILE}")
    failed |= bool(found)
    return 1 if failed else 0


def bundle_differences(file, load, want, metadata, directory):
    """What differs between the bundle file and want (names in order, each
    tensor) and metadata."""
    try:
        bundle = load(os.path.join(directory, file))
        found = []
        if list(bundle) != list(want):
            found.append(f"{file}: names {list(bundle)}, expected {list(want)}")
        else:
            for name in bundle:
                found += differences(f"{file}[{name!r}]", bundle[name], want[name])
        if dict(bundle.metadata) != metadata:
            found.append(f"{file}: metadata {dict(bundle.metadata)}, expected {metadata}")
    except (qtensor.Error, OSError) as error:
        found = [f"{file}: cannot load: {type(error).__name__}: {error}"]
    return found


def main(argv):
    if len(argv) == 3 and argv[1] == "write":
        write(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "read":
        return read(argv[2], argv[3])
    print(f"usage: {argv[0]} write DIR | read DIR WRITER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
