"""Assignment through indexing (q[key] = value) against PyTorch 1.13: the
value's leading size-1 dims are dropped as NumPy and torch drop them, for
float arrays, torch float tensors and quantized tensors; copy_ stays
strict."""

import numpy as np
import pytest
import torch

import qtensor

from torch_pairs import DTYPES, floats, pair
from torch_pairs import assert_values_same as assert_same

SCHEMES = [("per tensor", None), ("per channel", 1)]


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
def test_one_element_into_a_scalar_of_a_1d_tensor(dtype, torch_dtype):
    q, t = pair((4,), dtype, torch_dtype)
    t[0] = torch.Tensor([11.3])
    q[0] = np.array([11.3])
    assert_same(q, t)
    q[1] = torch.Tensor([-2.2])
    t[1] = torch.Tensor([-2.2])
    assert_same(q, t)
    q[2] = [[0.7]]
    t[2] = torch.Tensor([[0.7]])
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("scheme,axis", SCHEMES)
def test_a_row_with_leading_ones_into_a_row(dtype, torch_dtype, scheme, axis):
    q, t = pair((2, 3), dtype, torch_dtype, axis)
    row = floats(1, 3, seed=1)
    q[1] = row
    t[1] = torch.from_numpy(row)
    assert_same(q, t)
    deeper = floats(1, 1, 3, seed=2)
    q[0] = torch.from_numpy(deeper)
    t[0] = torch.from_numpy(deeper)
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
def test_a_quantized_value_with_leading_ones(dtype, torch_dtype):
    q, t = pair((2, 3), dtype, torch_dtype)
    # The value has the destination's parameters, so both libraries copy
    # its integers unchanged (torch copies integers whatever the parameters).
    x = floats(1, 3, seed=3)
    q[1] = qtensor.quantize_per_tensor(x, 0.05, 3, dtype)
    t[1] = torch.quantize_per_tensor(torch.from_numpy(x), 0.05, 3, torch_dtype)
    assert_same(q, t)


def test_leading_dims_larger_than_one_are_refused():
    q, _ = pair((2, 3), qtensor.quint8, torch.quint8)
    before = q.int_repr().copy()
    with pytest.raises(ValueError):
        q[1] = np.ones((2, 3))
    with pytest.raises(ValueError):
        q[0] = qtensor.quantize_per_tensor(np.ones((2, 3), np.float32), 0.1, 0, qtensor.quint8)
    np.testing.assert_array_equal(q.int_repr(), before)


def test_copy_stays_strict():
    q, t = pair((2, 3), qtensor.quint8, torch.quint8)
    with pytest.raises(RuntimeError):
        t[1].copy_(torch.quantize_per_tensor(torch.ones(1, 3), 0.05, 3, torch.quint8))
    with pytest.raises(ValueError):
        q[1].copy_(qtensor.quantize_per_tensor(np.ones((1, 3), np.float32), 0.05, 3,
                                               qtensor.quint8))
