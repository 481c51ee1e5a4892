"""The binding under valgrind: run as a script, this file exercises every
kind of native call (including failing ones); the test runs that script
under memcheck and requires no memory error and no leak outside CPython's
own (valgrind-python.supp). The kernels are capped at AVX2
(QTENSOR_MAX_SIMD_TARGET): valgrind cannot run AVX-512. ctest runs this file
through run_valgrind_test.py, which skips it where valgrind cannot run the
interpreter on this CPU at all."""

import os
import pathlib
import pickle
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
# The targets valgrind can run: no AVX-512 (AVX3, AVX3_DL).
VALGRIND_TARGETS = ("AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR")


def valgrind_environment():
    """The environment of a Python child under valgrind: the C allocator (so
    memcheck sees every block) and the kernels capped at AVX2."""
    return dict(os.environ, PYTHONMALLOC="malloc", QTENSOR_MAX_SIMD_TARGET="AVX2")


def valgrind_command(valgrind, *arguments):
    return [valgrind, "--error-exitcode=99", "--leak-check=full", "--show-leak-kinds=definite",
            "--errors-for-leak-kinds=definite", f"--suppressions={HERE / 'valgrind-python.supp'}",
            sys.executable, *arguments]


def workload():
    import numpy as np

    import qtensor

    x = np.linspace(-3, 3, 24, dtype=np.float32).reshape(2, 3, 4)
    for _ in range(20):
        q = qtensor.quantize_per_channel(x, [0.1, 0.2, 0.3], [0, 1, 2], 1, qtensor.qint8)
        view = q.transpose(0, 2)[::-1, 1:, 0]
        view.int_repr()
        view.dequantize()
        repr(view)
        view.quantizer().scales
        q[0, 1] = 2.0
        q[1] = x[0]
        q.contiguous().copy_(q)
        ints = qtensor.make_per_tensor_quantized_tensor(np.arange(6, dtype=np.int32), 0.5, 1)
        ints[2].item()
        bundle = qtensor.Bundle({"q": q, "i": ints}, metadata={"k": "v"})
        qtensor.deserialize(bundle.serialize())["q"].int_repr()
        pickle.loads(pickle.dumps(q))
        packed = qtensor.quantize_per_tensor(x.reshape(6, 4), 0.5, 3, qtensor.quint4x2)[1:, 1:]
        qtensor.from_packed(packed.packed_repr(), packed.shape, packed.quantizer()).int_repr()
        qtensor.quantize_per_tensor(x, 0.01, -5, qtensor.qint16).int_repr()
        for bad in (lambda: q[9], lambda: qtensor.deserialize(b"garbage"),
                    lambda: q.q_scale(), lambda: bundle["absent"],
                    lambda: qtensor.quantize_per_tensor(x, -1.0, 0, qtensor.qint8),
                    lambda: qtensor.native.Tensor.dim(None),
                    lambda: q._native.dequantize_into(np.empty(1, np.float32)),
                    lambda: qtensor.from_packed(b"\xff", [1], packed.quantizer()),
                    lambda: qtensor.relu(packed)):
            try:
                bad()
            except (qtensor.Error, TypeError, IndexError, KeyError, ValueError):
                pass
            else:
                raise AssertionError("misuse did not raise")
    print("workload done on", qtensor.simd_target())


def test_workload_is_clean_under_valgrind():
    valgrind = shutil.which("valgrind")
    assert valgrind, "valgrind is not installed (see .ci/install-packages)"
    result = subprocess.run(valgrind_command(valgrind, __file__), env=valgrind_environment(),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-6000:]
    done = result.stdout.split("workload done on ")
    assert len(done) == 2, result.stdout[-2000:]
    assert done[1].strip() in VALGRIND_TARGETS  # no AVX-512 under valgrind
    assert "ERROR SUMMARY: 0 errors" in result.stderr


if __name__ == "__main__":
    workload()
