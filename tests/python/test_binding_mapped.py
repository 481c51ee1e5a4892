"""Containers from Python: save(path) writes one, load(path, mmap=True) opens
it lazily (the header first, each tensor mapped read-only on request),
BundleWriter streams one, and every misuse raises the right exception."""

import io
import os

import numpy as np
import pytest

import qtensor

MAGIC = b"\x89QTBNDL\n"


def weight():
    return qtensor.quantize_per_channel(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4),
                                        [0.05, 0.1, 0.2], [0, 128, 255], 0, qtensor.quint8)


def blocks():
    return qtensor.quantize_per_block(np.arange(10, dtype=np.float32).reshape(2, 5) * 0.3 - 1.4,
                                      np.array([0.125, 0.25, 0.5, 0.0625, 0.1875, 0.375]),
                                      np.array([8, 7, 9, 6, 8, 10]), 1, 2, qtensor.quint4)


HALF_BITS = np.array([0x7C01, 0x8000, 0x0001], dtype="<u2")  # sNaN, -0.0, least subnormal


def sample_bundle():
    bundle = qtensor.Bundle()
    bundle["w"] = weight()
    bundle["v"] = weight().transpose(0, 1)[::2]
    bundle["p"] = blocks()
    bundle.set_float("f16", HALF_BITS.tobytes(), [3], "float16")
    bundle.metadata["format"] = "container"
    bundle.metadata["epoch"] = "3"
    return bundle


def assert_same(got, want):
    assert got.dtype is want.dtype and got.shape == want.shape
    assert got.quantizer() == want.quantizer()
    np.testing.assert_array_equal(got.int_repr(), want.int_repr())
    assert repr(got) == repr(want)


def mapping_of(address):
    """The file mapped at address in this process (from /proc/self/maps)."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            start, end = (int(part, 16) for part in fields[0].split("-"))
            if start <= address < end:
                return fields[5].strip() if len(fields) == 6 else ""
    return None


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.qtb"
    sample_bundle().save(path)
    return path


def test_save_to_a_path_writes_a_container_and_load_reads_it(saved):
    assert saved.read_bytes()[:8] == MAGIC
    bundle = qtensor.load(saved)
    assert isinstance(bundle, qtensor.Bundle)
    assert list(bundle) == ["w", "v", "p", "f16"]
    assert_same(bundle["w"], weight())
    assert bundle["w"].is_read_only()  # load maps a container too


def test_the_header_is_read_before_any_payload(saved):
    with qtensor.load(saved, mmap=True) as mapped:
        assert isinstance(mapped, qtensor.MappedBundle)
        assert list(mapped) == ["w", "v", "p", "f16"] and len(mapped) == 4
        assert "w" in mapped and "x" not in mapped and 3 not in mapped and "a\0" not in mapped
        assert [mapped.is_float(name) for name in mapped] == [False, False, False, True]
        assert mapped.shape("w") == (3, 4) and mapped.shape("v") == (2, 3)
        assert mapped.shape("p") == (2, 5) and mapped.shape("f16") == (3,)
        assert mapped.dtype("w") is qtensor.quint8 and mapped.dtype("p") is qtensor.quint4
        assert mapped.quantizer("w") == weight().quantizer()
        assert mapped.quantizer("p") == blocks().quantizer()
        assert mapped.float_dtype("f16") == "float16"
        assert dict(mapped.metadata) == {"epoch": "3", "format": "container"}
        assert list(mapped.metadata) == ["epoch", "format"]
        assert "epoch" in mapped.metadata and "nope" not in mapped.metadata
        offsets = [mapped.payload(name) for name in mapped]
        assert all(offset % 64 == 0 for offset, _ in offsets)
        assert [length for _, length in offsets] == [12, 6, 5, 6]
        with pytest.raises(qtensor.NotFoundError):
            mapped.shape("nope")
        with pytest.raises(qtensor.TypeMismatchError):
            mapped.dtype("f16")
        with pytest.raises(qtensor.TypeMismatchError):
            mapped.float_dtype("w")
        with pytest.raises(qtensor.NotFoundError):
            mapped.metadata["nope"]
        with pytest.raises(TypeError):
            mapped.metadata["epoch"] = "4"


def test_tensors_are_mapped_read_only_without_a_copy_and_outlive_the_file(saved):
    mapped = qtensor.load(saved, mmap=True)
    w, v = mapped["w"], mapped["v"]
    assert_same(w, weight())
    assert_same(v, weight().transpose(0, 1)[::2].contiguous())
    assert_same(mapped["p"], blocks())
    assert w.is_read_only() and not w.clone().is_read_only()
    assert not weight().is_read_only()

    # int_view is a read-only NumPy view of the mapping itself.
    view = w.int_view()
    assert not view.flags.writeable
    assert view.ctypes.data == int(w._native.data_ptr())
    assert mapping_of(view.ctypes.data) == str(saved)  # the file's own pages
    offset, length = mapped.payload("w")
    on_disk = np.memmap(saved, dtype=np.uint8, mode="r", offset=offset, shape=(length,))
    np.testing.assert_array_equal(view.reshape(-1), on_disk)
    with pytest.raises(qtensor.InvalidArgumentError, match="read-only"):
        w.int_view(writable=True)
    with pytest.raises(qtensor.InvalidArgumentError, match="read-only"):
        w.copy_(np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(qtensor.InvalidArgumentError, match="read-only"):
        qtensor.relu6(w, inplace=True)
    with pytest.raises(qtensor.InvalidArgumentError, match="read-only"):
        w.fill_(0.0)
    clone = w.clone()
    clone.copy_(np.zeros((3, 4), dtype=np.float32))
    assert_same(w, weight())

    float_entry = mapped["f16"]
    assert float_entry.dtype == np.float16 and float_entry.view("<u2").tolist() == HALF_BITS.tolist()
    assert not float_entry.flags.writeable
    assert mapping_of(float_entry.ctypes.data) == str(saved)  # a view of the file, no copy

    mapped.close()
    mapped.close()
    assert_same(w, weight())  # still mapped by the tensor
    assert float_entry.view("<u2").tolist() == HALF_BITS.tolist()  # and by the array
    with pytest.raises(ValueError, match="closed"):
        mapped["w"]
    with pytest.raises(ValueError, match="closed"):
        len(mapped)
    assert repr(mapped) == "qtensor.MappedBundle(closed)"


def test_select_and_to_bundle_give_bundles_of_mapped_entries(saved):
    with qtensor.load(saved, mmap=True) as mapped:
        chosen = mapped.select(["f16", "w"])
        assert list(chosen) == ["f16", "w"] and dict(chosen.metadata)["epoch"] == "3"
        assert chosen.float_data("f16") == HALF_BITS.tobytes()
        assert chosen["w"].is_read_only()
        with pytest.raises(qtensor.InvalidArgumentError, match="twice"):
            mapped.select(["w", "w"])
        with pytest.raises(qtensor.NotFoundError):
            mapped.select(["w", "nope"])
        assert list(mapped.to_bundle()) == ["w", "v", "p", "f16"]
        assert mapped.to_bundle().serialize() == sample_bundle().serialize()


def test_verify_names_the_entry_whose_bytes_changed(saved, tmp_path):
    with qtensor.load(saved, mmap=True) as mapped:
        mapped.verify()
        mapped.verify("p")
        offset, _ = mapped.payload("p")
    data = bytearray(saved.read_bytes())
    data[offset] ^= 0x01
    damaged = tmp_path / "damaged.qtb"
    damaged.write_bytes(bytes(data))
    with qtensor.load(damaged, mmap=True) as mapped:
        mapped.verify("w")
        with pytest.raises(qtensor.CorruptDataError, match=r'"p".*XXH3-64'):
            mapped.verify()


def test_bundle_writer_streams_and_an_unfinished_one_leaves_nothing(tmp_path):
    path = tmp_path / "streamed.qtc"
    with qtensor.BundleWriter(path) as writer:
        writer.add("w", weight())
        writer.add("v", weight().transpose(0, 1)[::2])
        writer.add("g", np.array([0.5, -1.0], dtype=np.float32))
        writer.add_float("b", np.array([0x3F80, 0x7FC1], dtype="<u2").tobytes(), (2,), "bfloat16")
        writer.set_metadata("writer", "python")
        assert not path.exists()
    with qtensor.load(path, mmap=True) as mapped:
        assert list(mapped) == ["w", "v", "g", "b"]
        assert_same(mapped["v"], weight().transpose(0, 1)[::2].contiguous())
        assert mapped["g"].tolist() == [0.5, -1.0]
        widened = mapped["b"]  # bfloat16: its float32 values
        assert widened.dtype == np.float32 and widened[0] == 1.0 and np.isnan(widened[1])
        assert mapped.select(["b"]).float_data("b") == bytes([0x80, 0x3F, 0xC1, 0x7F])
        assert mapped.metadata["writer"] == "python"

    with pytest.raises(RuntimeError):
        with qtensor.BundleWriter(tmp_path / "failed.qtc") as writer:
            writer.add("w", weight())
            raise RuntimeError("stop")
    abandoned = qtensor.BundleWriter(tmp_path / "abandoned.qtc")
    abandoned.add("w", weight())
    abandoned.close()
    assert sorted(os.listdir(tmp_path)) == ["streamed.qtc"]

    writer = qtensor.BundleWriter(tmp_path / "bad.qtc")
    writer.add("w", weight())
    with pytest.raises(qtensor.InvalidArgumentError):
        writer.add("w", weight())
    with pytest.raises(ValueError, match="NUL"):
        writer.add("a\0b", weight())
    with pytest.raises(ValueError, match="surrogate"):
        writer.add("\udc80", weight())
    with pytest.raises(TypeError):
        writer.add("x", [1.0, 2.0])
    with pytest.raises(qtensor.ShapeMismatchError):
        writer.add_float("x", b"\0" * 6, (2,), "float32")
    with pytest.raises(TypeError):
        writer.add_float("x", b"\0" * 8, (2,), "int32")
    with pytest.raises(TypeError):
        writer.set_metadata("k", 3)
    writer.finish()
    with pytest.raises(ValueError, match="closed"):
        writer.add("y", weight())
    assert list(qtensor.load(tmp_path / "bad.qtc", mmap=True)) == ["w"]


def test_the_two_forms_of_a_bundle_file(tmp_path):
    bundle = sample_bundle()
    bundle.save_message(tmp_path / "message.qtb")
    assert (tmp_path / "message.qtb").read_bytes()[:1] == b"\x0a"
    assert qtensor.load(tmp_path / "message.qtb").serialize() == bundle.serialize()
    with pytest.raises(qtensor.InvalidArgumentError, match="message form"):
        qtensor.load(tmp_path / "message.qtb", mmap=True)
    bundle.save_container(tmp_path / "container.qtb")
    assert (tmp_path / "container.qtb").read_bytes()[:8] == MAGIC

    stream = io.BytesIO()
    bundle.save(stream)  # a stream takes the message form
    assert stream.getvalue() == bundle.serialize()
    with pytest.raises(TypeError, match="path"):
        bundle.save_container(io.BytesIO())
    with pytest.raises(TypeError, match="path"):
        qtensor.load(io.BytesIO(stream.getvalue()), mmap=True)

    weight().save(tmp_path / "t.qt")  # a single tensor stays one message
    with pytest.raises(qtensor.InvalidArgumentError, match="message form"):
        qtensor.load(tmp_path / "t.qt", mmap=True)
    with pytest.raises(qtensor.FileError):
        qtensor.load(tmp_path / "absent.qtb", mmap=True)
    with pytest.raises(ValueError, match="NUL"):
        qtensor.load("a\0b", mmap=True)


def test_corrupt_containers_are_refused(saved, tmp_path):
    data = saved.read_bytes()
    for name, damaged in (("short", data[:40]), ("no_header", data[:-5]),
                          ("bad_version", data[:8] + b"\x02" + data[9:])):
        path = tmp_path / f"{name}.qtb"
        path.write_bytes(damaged)
        with pytest.raises(qtensor.CorruptDataError):
            qtensor.MappedBundle(path)


def vm_rss_kib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_resident_memory_grows_by_the_tensor_read_not_the_file(tmp_path):
    path = tmp_path / "big.qtc"
    ints = np.arange(4 << 20, dtype=np.int64).astype(np.uint8).reshape(1024, 4096)
    with qtensor.BundleWriter(path) as writer:
        for index in range(8):  # 8 tensors of 4 MiB
            writer.add(f"t{index}", qtensor.from_int_repr(ints, qtensor.Quantizer.per_tensor_affine(
                0.5, index, qtensor.quint8)))
    del ints
    with qtensor.load(path, mmap=True) as mapped:
        before = vm_rss_kib()
        tensor = mapped["t5"]
        assert int(tensor.int_view().sum(dtype=np.int64)) == 255 * 128 * (4 << 20) // 256
        grown = vm_rss_kib() - before
    assert 3 * 1024 <= grown <= 12 * 1024, f"resident memory grew by {grown} KiB"


def test_a_file_truncated_while_mapped_reads_zeros_and_reports_it(tmp_path):
    path = tmp_path / "cut.qtc"
    ints = (np.arange(1 << 20) % 251 + 1).astype(np.uint8).reshape(256, 4096)
    with qtensor.BundleWriter(path) as writer:
        writer.add("t", qtensor.from_int_repr(ints, qtensor.Quantizer.per_tensor_affine(
            0.5, 0, qtensor.quint8)))
    mapped = qtensor.load(path, mmap=True)
    tensor = mapped["t"]
    offset, length = mapped.payload("t")
    os.truncate(path, offset + length // 2)  # another process cuts the file
    values = tensor.int_repr().reshape(-1)  # SIGBUS, handled: no crash
    np.testing.assert_array_equal(values[:length // 2 - 4096], ints.reshape(-1)[:length // 2 - 4096])
    assert not values[length // 2 + 4096:].any()
    with pytest.raises(qtensor.CorruptDataError, match="truncated"):
        mapped.verify()
    with pytest.raises(qtensor.CorruptDataError, match="truncated"):
        mapped["t"]
