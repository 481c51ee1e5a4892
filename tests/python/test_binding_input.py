"""How array input reaches the library: float32 C-contiguous arrays are passed
in place (the native module sees the array's own data pointer); everything
else is converted first."""

import numpy as np
import torch

import qtensor


def last_input():
    return qtensor.native.last_float_input_address()


def test_float32_contiguous_input_is_not_copied():
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 3, 4)
    qtensor.quantize_per_tensor(x, 0.01, 0, qtensor.qint8)
    assert last_input() == x.ctypes.data
    qtensor.quantize_per_channel(x, [0.1, 0.2, 0.3], [0, 0, 0], 1, qtensor.qint8)
    assert last_input() == x.ctypes.data
    q = qtensor.empty_quantized([2, 3, 4], qtensor.Quantizer.per_tensor_affine(0.01, 0,
                                                                                qtensor.qint8))
    q.copy_(x)
    assert last_input() == x.ctypes.data


def test_float64_and_strided_input_are_converted():
    x64 = np.linspace(-1, 1, 12).reshape(3, 4)
    q64 = qtensor.quantize_per_tensor(x64, 0.01, 0, qtensor.qint8)
    assert last_input() != x64.ctypes.data
    expected = qtensor.quantize_per_tensor(x64.astype(np.float32), 0.01, 0, qtensor.qint8)
    np.testing.assert_array_equal(q64.int_repr(), expected.int_repr())

    base = np.linspace(-1, 1, 24, dtype=np.float32).reshape(4, 6)
    strided = base[::2, ::-3].T
    assert not strided.flags.c_contiguous
    q = qtensor.quantize_per_tensor(strided, 0.01, 0, qtensor.qint8)
    assert q.shape == strided.shape
    t = torch.quantize_per_tensor(torch.from_numpy(strided.copy()), 0.01, 0, torch.qint8)
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())
    np.testing.assert_array_equal(qtensor.quantize_per_tensor([[1, 2], [3, 4]], 0.5, 0,
                                                              qtensor.quint8).int_repr(),
                                  [[2, 4], [6, 8]])


def test_outputs_are_fresh_arrays_of_the_right_kind():
    q = qtensor.quantize_per_tensor(np.ones((2, 3), np.float32), 0.5, 1, qtensor.qint32)
    ints = q.int_repr()
    assert ints.dtype == np.int32 and ints.shape == (2, 3) and ints.flags.owndata
    ints[0, 0] = 99  # the array is a copy: the tensor does not change
    assert q.int_repr()[0, 0] == 3
    scalar = q[1, 2]
    assert scalar.dequantize().shape == () and scalar.int_repr().shape == ()
    empty = qtensor.quantize_per_tensor(np.zeros((0, 3), np.float32), 0.5, 1, qtensor.qint8)
    assert empty.dequantize().shape == (0, 3) and empty.numel() == 0


def test_numpy_sees_dequantized_values():
    q = qtensor.quantize_per_tensor(np.array([[0.25, -1.0], [2.0, 0.5]]), 0.25, 3, qtensor.qint8)
    np.testing.assert_array_equal(np.asarray(q), q.dequantize())
    assert np.asarray(q, dtype=np.float64).dtype == np.float64
    again = qtensor.quantize_per_tensor(q, 0.25, 3, qtensor.qint8)
    np.testing.assert_array_equal(again.int_repr(), q.int_repr())
