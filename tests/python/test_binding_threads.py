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
        return q, q.int_repr(), q.dequantize()

    # The first tensor stays alive, so the second cannot reuse its block
    # (new results are not zeroed): every integer it holds was written.
    one = run()
    qtensor.set_num_threads(2)
    two = run()
    assert np.array_equal(one[1], two[1])
    assert one[2].tobytes() == two[2].tobytes()


# ------------------------------------------------------------- SIMD targets
TARGETS = ["AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR"]  # best first


@pytest.fixture
def restore_cap():
    yield
    qtensor.set_max_simd_target("")


def test_version_number():
    major, minor, patch = (int(part) for part in qtensor.__version__.split("."))
    assert qtensor.version_number() == major * 10000 + minor * 100 + patch
    assert isinstance(qtensor.version_number(), int)


def test_set_max_simd_target(restore_cap):
    qtensor.set_max_simd_target("")
    best = qtensor.simd_target()
    for name in TARGETS:
        qtensor.set_max_simd_target(name)
        capped = qtensor.simd_target()
        # Never above the CPU's best; at or below the cap, but for the
        # fallback (SCALAR, or EMU128 where SCALAR is not built).
        assert TARGETS.index(capped) >= TARGETS.index(best)
        assert (TARGETS.index(capped) >= TARGETS.index(name)
                or capped in ("EMU128", "SCALAR") and name == "SCALAR")
        if TARGETS.index(name) <= TARGETS.index(best):
            assert capped == best
        qtensor.set_max_simd_target(name.lower())  # any case
        assert qtensor.simd_target() == capped
    qtensor.set_max_simd_target("EMU128")
    assert qtensor.simd_target() in ("EMU128", "SCALAR")
    if TARGETS.index(best) <= TARGETS.index("AVX2"):  # x86-64: these are always built
        for name in ("avx2", "Sse4", "SSSE3"):
            qtensor.set_max_simd_target(name)
            assert qtensor.simd_target() == name.upper()
    qtensor.set_max_simd_target("")
    assert qtensor.simd_target() == best
    qtensor.set_max_simd_target("SSE4")
    qtensor.set_max_simd_target(None)  # None, as "", removes the cap
    assert qtensor.simd_target() == best


@pytest.mark.parametrize("name, shown", [
    ("AVX9", '"AVX9"'), ("Unknown", '"Unknown"'), ("AVX2 ", '"AVX2 "'), ("SSE2", '"SSE2"'),
    ("\u00e4", '"\u00e4"'), ("AVX2\0", "'AVX2\\x00'"), ("\0", "'\\x00'"),
    ("AVX2\ud800", "'AVX2\\ud800'"), ("\udc80", "'\\udc80'"),
])
def test_unknown_simd_targets_leave_the_cap(name, shown, restore_cap):
    qtensor.set_max_simd_target("SSE4")
    capped = qtensor.simd_target()
    with pytest.raises(qtensor.InvalidArgumentError) as raised:
        qtensor.set_max_simd_target(name)
    assert type(raised.value) is qtensor.InvalidArgumentError
    assert str(raised.value).startswith(f"unknown SIMD target {shown}")
    if "\0" in name:
        assert str(raised.value).endswith("it contains a NUL character")
    elif "\ud800" in name or "\udc80" in name:
        assert str(raised.value).endswith("it contains an unpaired surrogate")
    else:
        assert "(expected one of " in str(raised.value) and "EMU128" in str(raised.value)
    assert qtensor.simd_target() == capped


@pytest.mark.parametrize("bad", [2, b"AVX2", ["AVX2"]])
def test_simd_targets_are_str(bad, restore_cap):
    with pytest.raises(TypeError, match="a SIMD target is a str"):
        qtensor.set_max_simd_target(bad)


def test_every_target_gives_the_same_results(restore_cap):
    rng = np.random.default_rng(11)
    x = rng.uniform(-300.0, 300.0, size=(3, 4099)).astype(np.float32)
    x[0, :6] = [np.nan, np.inf, -np.inf, -0.0, 2.5, 3.5]

    def run():
        per_tensor = qtensor.quantize_per_tensor(x, 0.9, 3, qtensor.qint8)
        per_channel = qtensor.quantize_per_channel(x[:, :1001], np.linspace(0.5, 3.0, 1001),
                                                   np.arange(1001) % 7 + 120, 1, qtensor.quint8)
        wide = qtensor.quantize_per_channel(x[:, 3:], [0.01, 0.02, 0.5], [-5, 0, 7], 0,
                                            qtensor.qint32)
        return [array.tobytes() for q in (per_tensor, per_channel, wide)
                for array in (q.int_repr(), q.dequantize())]

    qtensor.set_max_simd_target("")
    best = qtensor.simd_target()
    reference = run()
    seen = {best}
    for name in TARGETS:
        qtensor.set_max_simd_target(name)
        seen.add(qtensor.simd_target())
        assert run() == reference, f"{qtensor.simd_target()} differs from {best}"
    assert len(seen) >= 2
