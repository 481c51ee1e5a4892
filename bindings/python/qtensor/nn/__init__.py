"""qtensor.nn mirrors torch.nn: its quantized.functional module holds the
quantized pooling functions."""

from . import quantized

__all__ = ["quantized"]
