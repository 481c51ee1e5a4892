"""torch.nn.quantized.functional's pooling: max_pool2d, avg_pool2d and
adaptive_avg_pool2d on quantized (C, H, W) or (N, C, H, W) tensors, with
PyTorch 1.13's integer results (docs/numerics.md, "Pooling")."""

from ..._pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d

__all__ = ["adaptive_avg_pool2d", "avg_pool2d", "max_pool2d"]
