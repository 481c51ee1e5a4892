"""Quantized operators under PyTorch's names: torch.relu, F.relu6,
torch.clamp, F.hardtanh; and requantize, which PyTorch spells
torch.quantize_per_tensor(q.dequantize(), ...)."""

from ._quantizer import Quantizer
from ._tensor import Tensor


def _tensor(value):
    if not isinstance(value, Tensor):
        raise TypeError(f"expected a qtensor.Tensor, not {type(value).__name__}")
    return value


def relu(input):
    """max(q, zero point) on the integers, parameters kept (torch.relu)."""
    return _tensor(input).relu()


def relu6(input):
    """min(max(q, zero point), quantize(6.0)), parameters kept (F.relu6)."""
    return Tensor._wrap(_tensor(input)._native.relu6())


def clamp(input, min=None, max=None):
    """torch.clamp(q, min, max): see Tensor.clamp."""
    return _tensor(input).clamp(min, max)


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """F.hardtanh(q, min_val, max_val): clamp with PyTorch's defaults."""
    return _tensor(input).clamp(min_val, max_val)


def requantize(input, quantizer):
    """input's dequantized values quantized with quantizer (per tensor, or
    per channel along one of the result's dims), in one pass: what
    torch.quantize_per_tensor(q.dequantize(), scale, zero_point, dtype)
    gives, without the float tensor in between."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    return Tensor._wrap(_tensor(input)._native.requantize(quantizer._native))
