"""qtensor.nn.quantized mirrors torch.nn.quantized: functional holds its
functions."""

from . import functional

__all__ = ["functional"]
