"""qtensor.ao mirrors torch.ao: its quantization module holds the observers."""

from . import quantization

__all__ = ["quantization"]
