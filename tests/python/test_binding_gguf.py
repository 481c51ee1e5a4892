"""GGUF in the Python binding: quantize_gguf against llama.cpp's golden
blocks (tests/data/gguf_golden) and against an independent NumPy version of
quantize_row_q8_0_ref / quantize_row_q4_0_ref; GGUF files as bundles (round
trip, signed and zero block scales, typed metadata); the refusals."""

import io
import pathlib
import pickle
import struct

import numpy as np
import pytest

import qtensor

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "data" / "gguf_golden" / "blocks.txt"


def golden_lines():
    """(type name, case, input floats, block bytes) of blocks.txt."""
    for line in GOLDEN.read_text().splitlines():
        if line.startswith("#"):
            continue
        head, rest = line.split(": ", 1)
        floats, blocks, _ = rest.split(" / ")
        type_name, case = head.split(" ")
        values = np.array([int(h, 16) for h in floats.split()], np.uint32).view(np.float32)
        yield type_name.upper(), case, values, bytes.fromhex(blocks)


def round_half_away(v):
    """C's roundf of float32 values: the sum in float64 is exact, so it cannot
    carry 0.49999997 up to 1 as a float32 sum would."""
    v = v.astype(np.float64)
    return np.trunc(v + np.copysign(0.5, v))


def inverse(d):
    """id = d != 0 ? 1 / d : 0, in float32."""
    with np.errstate(divide="ignore"):
        return np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)


def numpy_q8_0(x):
    """quantize_row_q8_0_ref of finite rows of blocks of 32: (d as float16, q)."""
    blocks = x.reshape(-1, 32).astype(np.float32)
    d = (np.abs(blocks).max(axis=1) / np.float32(127)).astype(np.float32)
    q = round_half_away(blocks * inverse(d)[:, None]).astype(np.int8)
    return d.astype(np.float16), q


def numpy_q4_0(x):
    """quantize_row_q4_0_ref: d = the first value of largest magnitude / -8
    (0 when none is above 0), q = min(15, trunc(x * id + 8.5))."""
    blocks = x.reshape(-1, 32).astype(np.float32)
    magnitude = np.abs(blocks)
    first_largest = blocks[np.arange(len(blocks)), magnitude.argmax(axis=1)]
    peak = np.where(magnitude.max(axis=1) > 0, first_largest, np.float32(0)).astype(np.float32)
    d = (peak / np.float32(-8)).astype(np.float32)
    v = (blocks * inverse(d)[:, None]).astype(np.float32) + np.float32(8.5)
    q = np.minimum(np.trunc(v), 15).astype(np.uint8)
    return d.astype(np.float16), q


def block_bytes(d, q, type_name):
    """GGUF's blocks of float16 d and the integers (Q4_0: element j in byte
    j's low nibble, j + 16 in its high one)."""
    out = bytearray()
    for scale, values in zip(d, q):
        out += np.float16(scale).tobytes()
        if type_name == "Q4_0":
            out += (values[:16] | (values[16:] << 4)).astype(np.uint8).tobytes()
        else:
            out += values.astype(np.int8).tobytes()
    return bytes(out)


def blocks_of(tensor, type_name):
    """The GGUF block bytes of a tensor with a GGUF quantizer."""
    d = tensor.quantizer().scales.astype(np.float16)
    q = tensor.int_repr().reshape(-1, 32)
    return block_bytes(d, q, type_name)


def finite_golden(type_name):
    """The golden cases whose stored d is finite (llama.cpp writes the others
    too; quantize_gguf refuses them)."""
    for name, case, values, blocks in golden_lines():
        if name == type_name and np.isfinite(np.frombuffer(blocks[:2], np.float16)[0]):
            yield case, values, blocks


def ordinary(values):
    """No NaN, and 1 / d finite: the blocks where llama.cpp's float to int8
    conversion is defined C (the others take x86's, which the library's own
    tests cover)."""
    amax = np.abs(values).max()
    with np.errstate(divide="ignore", over="ignore"):
        return not np.isnan(values).any() and (
            amax == 0 or np.isfinite(np.float32(1) / (amax / np.float32(127))))


@pytest.mark.parametrize("type_name", ["Q8_0", "Q4_0"])
def test_numpy_reference_gives_the_golden_blocks(type_name):
    reference = numpy_q8_0 if type_name == "Q8_0" else numpy_q4_0
    cases = 0
    for case, values, blocks in finite_golden(type_name):
        if not ordinary(values):
            continue
        assert block_bytes(*reference(values), type_name) == blocks, case
        cases += 1
    assert cases >= 8


@pytest.mark.parametrize("type_name", ["Q8_0", "Q4_0"])
def test_quantize_gguf_gives_the_golden_blocks(type_name):
    cases = 0
    for case, values, blocks in finite_golden(type_name):
        tensor = qtensor.quantize_gguf(values, type_name)
        assert blocks_of(tensor, type_name) == blocks, case
        cases += 1
    assert cases >= 10


def test_ramp_known_values():
    # The golden "ramp": 32 values from -5.735 to 5.735 in steps of 0.37.
    ramp = next(v for n, c, v, _ in golden_lines() if (n, c) == ("Q4_0", "ramp"))
    q4 = qtensor.quantize_gguf(ramp, qtensor.gguf_q4_0)
    assert q4.dtype is qtensor.quint4
    assert q4.quantizer().scales.tolist() == [float(np.float16(-5.735 / -8))]
    assert q4.int_repr().tolist()[:4] == [0, 1, 1, 2]
    assert q4.int_repr().tolist()[-3:] == [15, 15, 15]
    q8 = qtensor.quantize_gguf(ramp.reshape(1, 32), qtensor.gguf_q8_0)
    assert q8.dtype is qtensor.qint8
    assert q8.int_repr()[0, [0, 1, 15, 16, 31]].tolist() == [-127, -119, -4, 4, 127]
    assert q8.quantizer().rounding is qtensor.gguf_rounding
    assert q8.quantizer().scale_type is qtensor.float16_scale


@pytest.mark.parametrize("type_name", ["Q8_0", "Q4_0"])
def test_quantize_gguf_equals_numpy_on_random_blocks(type_name):
    rng = np.random.default_rng(16)
    x = (rng.standard_normal((64, 4096 // 64 * 32)) *
         rng.uniform(1e-3, 1e3, (64, 1))).astype(np.float32)  # 4096 blocks
    x[3, :32] = 0  # an all-zero block: d = 0
    peak = np.abs(x[5, 32:64]).max()  # two largest magnitudes: Q4_0 takes the first
    x[5, 40], x[5, 50] = -peak, peak
    # Q8_0 with d = 1: ties (k + 0.5) round away from zero, and the float
    # just below 0.5 rounds to 0 (a float32 sum with 0.5 would give 1).
    x[7, :32] = np.arange(32) - 15.5
    x[7, 0], x[7, 31] = 127, np.nextafter(np.float32(0.5), np.float32(0))
    reference = numpy_q8_0 if type_name == "Q8_0" else numpy_q4_0
    d, q = reference(x)
    tensor = qtensor.quantize_gguf(x, type_name)
    assert tensor.shape == x.shape
    np.testing.assert_array_equal(tensor.int_repr().reshape(-1, 32), q)
    # Bits, so that 0.0 and -0.0 differ.
    assert tensor.quantizer().scales.astype(np.float16).view(np.uint16).tolist() == \
        d.view(np.uint16).tolist()


def gguf_bundle():
    x = np.linspace(-3, 3, 4 * 64, dtype=np.float32).reshape(4, 64)
    bundle = qtensor.Bundle({"blk.0.q8_0": qtensor.quantize_gguf(x, "Q8_0"),
                             "blk.0.q4_0": qtensor.quantize_gguf(x[:, ::-1].copy(), "Q4_0")})
    bundle.metadata["general.architecture"] = 'STRING "llama"'
    bundle.metadata["llama.block_count"] = "UINT32 32"
    bundle.metadata["note"] = "plain text"
    return bundle


def test_gguf_bytes_round_trip_identical(tmp_path):
    bundle = gguf_bundle()
    data = bundle.serialize_gguf()
    assert data[:4] == b"GGUF" and struct.unpack_from("<I", data, 4)[0] == 3
    back = qtensor.Bundle.deserialize_gguf(data)
    assert back.serialize_gguf() == data
    assert list(back) == ["blk.0.q8_0", "blk.0.q4_0"]
    for name in bundle:
        np.testing.assert_array_equal(back[name].int_repr(), bundle[name].int_repr())
        assert back[name].quantizer() == bundle[name].quantizer()
    assert back.metadata["general.architecture"] == 'STRING "llama"'
    assert back.metadata["llama.block_count"] == "UINT32 32"
    assert back.metadata["note"] == 'STRING "plain text"'
    # Paths and file objects.
    bundle.save_gguf(tmp_path / "model.gguf")
    assert (tmp_path / "model.gguf").read_bytes() == data
    assert qtensor.Bundle.load_gguf(str(tmp_path / "model.gguf")).serialize_gguf() == data
    stream = io.BytesIO()
    bundle.save_gguf(stream)
    assert stream.getvalue() == data
    stream.seek(0)
    assert qtensor.Bundle.load_gguf(stream).serialize_gguf() == data
    assert qtensor.Bundle.deserialize_gguf(bytearray(data)).serialize_gguf() == data


def test_negative_and_zero_block_scales_survive():
    scales = [-0.5, 0.0, -0.0, 2.0]
    q8 = qtensor.Quantizer.gguf(qtensor.gguf_q8_0, scales)
    ints = np.arange(-64, 64, dtype=np.int8).reshape(1, 128)
    tensor = qtensor.from_int_repr(ints, q8)
    q4 = qtensor.Quantizer.gguf("Q4_0", [-1.5])
    nibbles = qtensor.from_int_repr(np.arange(32, dtype=np.uint8).reshape(32) % 16, q4)
    back = qtensor.Bundle.deserialize_gguf(
        qtensor.Bundle({"q8": tensor, "q4": nibbles}).serialize_gguf())
    got = back["q8"].quantizer().scales
    assert np.signbit(got).tolist() == [True, False, True, False]
    assert got.tolist() == scales
    np.testing.assert_array_equal(back["q8"].int_repr(), ints)
    expected = ints.astype(np.float32) * np.repeat(np.float32(scales), 32)
    np.testing.assert_array_equal(back["q8"].dequantize(), expected)
    np.testing.assert_array_equal(back["q4"].dequantize(),
                                  (np.arange(32) % 16 - 8).astype(np.float32) * np.float32(-1.5))
    assert back["q4"].quantizer().zero_points.tolist() == [8]


def test_gguf_quantizer_pickles_and_prints():
    quantizer = qtensor.Quantizer.gguf(qtensor.gguf_q4_0, [-0.5, 0.25])
    assert quantizer.rounding is qtensor.gguf_rounding
    assert quantizer.dtype is qtensor.quint4 and quantizer.block_size == 32
    assert repr(quantizer) == ("Quantizer.gguf(gguf_type=qtensor.gguf_q4_0, "
                               "scales=[-0.5, 0.25])")
    assert pickle.loads(pickle.dumps(quantizer)) == quantizer
    assert pickle.loads(pickle.dumps(qtensor.gguf_q8_0)) is qtensor.gguf_q8_0
    assert pickle.loads(pickle.dumps(qtensor.gguf_rounding)) is qtensor.gguf_rounding
    assert qtensor.gguf_rounding.name == "gguf"
    assert (qtensor.gguf_q4_0.code, qtensor.gguf_q8_0.code) == (2, 8)


def q4_1_file(name):
    """A GGUF file of one tensor whose ggml type is patched to Q4_1 (3)."""
    tensor = qtensor.quantize_gguf(np.ones(64, np.float32), "Q8_0")
    data = bytearray(qtensor.Bundle({name: tensor}).serialize_gguf())
    # Tensor info: name (u64 length, bytes), n_dims u32, ne u64 each, type u32.
    at = data.index(name.encode()) + len(name) + 4 + 8
    assert struct.unpack_from("<I", data, at)[0] == 8
    struct.pack_into("<I", data, at, 3)
    return bytes(data)


def test_refusals():
    with pytest.raises(qtensor.CorruptDataError, match='"weird".*Q4_1'):
        qtensor.Bundle.deserialize_gguf(q4_1_file("weird"))
    per_tensor = qtensor.quantize_per_tensor(np.zeros((2, 32), np.float32), 0.5, 0, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match="'w'"):
        qtensor.Bundle({"w": per_tensor}).serialize_gguf()
    with pytest.raises(qtensor.InvalidArgumentError, match="multiple of 32, got 48"):
        qtensor.quantize_gguf(np.zeros(48, np.float32), "Q8_0")
    with pytest.raises(qtensor.InvalidArgumentError, match="not finite|finite"):
        qtensor.quantize_gguf(np.full(32, np.inf, np.float32), "Q4_0")
    with pytest.raises(ValueError, match="Q4_1"):
        qtensor.quantize_gguf(np.zeros(32, np.float32), "Q4_1")
    with pytest.raises(TypeError, match="gguf_type"):
        qtensor.quantize_gguf(np.zeros(32, np.float32), 8)
    with pytest.raises(qtensor.InvalidArgumentError, match="float16"):
        qtensor.Quantizer.gguf("Q8_0", [0.1])
    with pytest.raises(qtensor.CorruptDataError):
        qtensor.Bundle.deserialize_gguf(b"GGUF")
    with pytest.raises(qtensor.FileError):
        qtensor.Bundle.load_gguf("/nonexistent/model.gguf")
