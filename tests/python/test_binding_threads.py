"""The library-level functions of the Python binding: version, SIMD target
and threads (torch.set_num_threads / get_num_threads)."""

import os
import re

import numpy as np
import pytest

import qtensor


@pytest.fixture
def restore_threads():
    yield
    qtensor.set_num_threads(1)


def test_version_and_simd_target():
    assert re.fullmatch(r"\d+\.\d+\.\d+", qtensor.__version__)
    assert qtensor.simd_target() in {"AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128",
                                     "SCALAR"}


def test_threads_default_set_and_all_cores(restore_threads):
    assert qtensor.get_num_threads() == 1
    qtensor.set_num_threads(3)
    assert qtensor.get_num_threads() == 3
    qtensor.set_num_threads(0)
    assert qtensor.get_num_threads() == min(max(os.cpu_count(), 1), 64)
    qtensor.set_num_threads(np.int64(2))  # any integer type, as torch
    assert qtensor.get_num_threads() == 2


@pytest.mark.parametrize("bad", [-1, 65, 2**31, -2**40])
def test_bad_thread_counts_leave_the_setting(bad, restore_threads):
    qtensor.set_num_threads(2)
    with pytest.raises(qtensor.InvalidArgumentError, match=r"out of range \[0, 64\]"):
        qtensor.set_num_threads(bad)
    assert qtensor.get_num_threads() == 2


@pytest.mark.parametrize("bad", [1.5, "2", None])
def test_thread_counts_are_integers(bad):
    with pytest.raises(TypeError):
        qtensor.set_num_threads(bad)
    assert qtensor.get_num_threads() == 1


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_threads_give_the_same_results(axis, restore_threads):
    # 2^20 elements and more are split across threads: the same integers and
    # floats as one thread, per tensor and per channel on either axis.
    rng = np.random.default_rng(7)
    x = rng.uniform(-10.0, 10.0, size=(1024, 1100)).astype(np.float32)

    def run():
        if axis is None:
            q = qtensor.quantize_per_tensor(x, 0.07, 3, qtensor.qint8)
        else:
            channels = x.shape[axis]
            scales = np.linspace(0.01, 0.1, channels)
            q = qtensor.quantize_per_channel(x, scales, np.arange(channels) % 5, axis,
                                             qtensor.qint32)
        return q.int_repr(), q.dequantize()

    one = run()
    qtensor.set_num_threads(2)
    two = run()
    assert np.array_equal(one[0], two[0])
    assert one[1].tobytes() == two[1].tobytes()
