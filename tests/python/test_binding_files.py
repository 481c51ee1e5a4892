"""save / load / serialize / deserialize, bundles as dicts, and pickle."""

import io
import pickle

import numpy as np
import pytest

import qtensor


def per_tensor():
    return qtensor.quantize_per_tensor(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4),
                                       0.05, 3, qtensor.qint8)


def per_channel():
    return qtensor.quantize_per_channel(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4),
                                        [0.1, 0.2, 0.3, 0.4], [0, 1, 2, 3], 1, qtensor.qint32)


def assert_equal_tensors(got, want):
    assert got.dtype is want.dtype and got.shape == want.shape
    assert got.quantizer() == want.quantizer()
    np.testing.assert_array_equal(got.int_repr(), want.int_repr())
    assert repr(got) == repr(want)


@pytest.mark.parametrize("make", [per_tensor, per_channel])
def test_serialize_round_trip(make):
    q = make()
    data = q.serialize()
    assert isinstance(data, bytes) and data == qtensor.serialize(q)
    assert_equal_tensors(qtensor.deserialize(data), q)
    assert_equal_tensors(qtensor.deserialize(bytearray(data)), q)
    assert_equal_tensors(qtensor.deserialize(memoryview(data)), q)


def test_view_is_saved_with_its_own_elements(tmp_path):
    view = per_channel().transpose(0, 1)[::2]
    path = tmp_path / "view.qt"
    qtensor.save(view, path)
    loaded = qtensor.load(path)
    assert loaded.is_contiguous()
    np.testing.assert_array_equal(loaded.int_repr(), view.int_repr())
    assert loaded.dequantize().tobytes() == view.dequantize().tobytes()
    assert repr(loaded) == repr(view)


def test_file_objects():
    q = per_tensor()
    buffer = io.BytesIO()
    qtensor.save(q, buffer)
    buffer.seek(0)
    assert_equal_tensors(qtensor.load(buffer), q)


def test_bundle_is_a_dict(tmp_path):
    a, b = per_tensor(), per_channel()
    bundle = qtensor.Bundle({"weight": a})
    bundle["bias"] = b
    bundle.metadata["framework"] = "qtensor"
    assert len(bundle) == 2 and list(bundle) == ["weight", "bias"]
    assert list(bundle.keys()) == ["weight", "bias"] and "bias" in bundle
    assert [name for name, _ in bundle.items()] == ["weight", "bias"]
    assert_equal_tensors(bundle["bias"], b)
    assert dict(bundle.metadata) == {"framework": "qtensor"}
    assert "framework" in bundle.metadata and len(bundle.metadata) == 1

    path = tmp_path / "state.qtb"
    bundle.save(path)
    for loaded in (qtensor.Bundle.load(path), qtensor.load(path),
                   qtensor.deserialize(bundle.serialize()),
                   qtensor.Bundle.deserialize(bundle.serialize())):
        assert isinstance(loaded, qtensor.Bundle)
        assert list(loaded) == ["weight", "bias"]
        assert_equal_tensors(loaded["weight"], a)
        assert_equal_tensors(loaded["bias"], b)
        assert loaded.metadata["framework"] == "qtensor"

    del bundle["weight"]
    assert list(bundle) == ["bias"] and "weight" not in bundle
    with pytest.raises(KeyError):
        bundle["weight"]


def test_many_names_and_metadata_keys_cost_linear_time():
    """Listing and looking up every name and key of a large bundle (a file
    from a stranger may hold many) within a generous budget: a scan per
    lookup, as `key in metadata` once did, takes minutes at this size."""
    import time
    count = 20000
    tensors = [qtensor.quantize_per_tensor(np.float32(v), 1.0, 0, qtensor.qint8) for v in range(7)]
    bundle = qtensor.Bundle()
    for i in reversed(range(count)):
        bundle.metadata["key%06d" % i] = str(i)
        bundle["t%06d" % i] = tensors[i % 7]
    loaded = qtensor.Bundle.deserialize(bundle.serialize())
    start = time.monotonic()
    keys = ["key%06d" % i for i in range(count)]
    assert list(loaded.metadata) == keys and len(loaded.metadata) == count
    assert all(key in loaded.metadata for key in keys)
    assert "key" not in loaded.metadata and "key000001\0" not in loaded.metadata
    assert [loaded.metadata[key] for key in keys[:100]] == [str(i) for i in range(100)]
    names = ["t%06d" % i for i in reversed(range(count))]
    assert list(loaded) == names and all(name in loaded for name in names)
    assert [int(loaded[name].item()) for name in names[:70]] == [
        (count - 1 - i) % 7 for i in range(70)]
    assert time.monotonic() - start < 10.0


def test_pickle_round_trip():
    q = per_channel()
    assert_equal_tensors(pickle.loads(pickle.dumps(q)), q)
    view = per_tensor()[1:, ::-1]
    assert_equal_tensors(pickle.loads(pickle.dumps(view)), view)
    quantizer = q.quantizer()
    assert pickle.loads(pickle.dumps(quantizer)) == quantizer
    assert pickle.loads(pickle.dumps(qtensor.quint8)) is qtensor.quint8
    bundle = qtensor.Bundle({"q": q}, metadata={"k": "v"})
    copy = pickle.loads(pickle.dumps(bundle))
    assert list(copy) == ["q"] and copy.metadata["k"] == "v"
    assert_equal_tensors(copy["q"], q)


def test_handles_outlive_what_they_came_from():
    bundle = qtensor.Bundle({"q": per_tensor()})
    taken = bundle["q"]
    expected = taken.int_repr().copy()
    del bundle
    np.testing.assert_array_equal(taken.int_repr(), expected)
    base = per_channel()
    view = base.transpose(0, 1)[1:]
    want = view.dequantize().copy()
    del base
    np.testing.assert_array_equal(view.dequantize(), want)
