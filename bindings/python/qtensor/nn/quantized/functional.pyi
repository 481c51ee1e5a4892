# Types of qtensor.nn.quantized.functional (see qtensor/__init__.pyi).
from typing import Sequence, SupportsIndex

from ... import Tensor

_Size = SupportsIndex | Sequence[SupportsIndex]

def max_pool2d(input: Tensor, kernel_size: _Size, stride: _Size | None = ...,
               padding: _Size = ..., dilation: _Size = ..., ceil_mode: bool = ...,
               return_indices: bool = ...) -> Tensor: ...
def avg_pool2d(input: Tensor, kernel_size: _Size, stride: _Size | None = ...,
               padding: _Size = ..., ceil_mode: bool = ..., count_include_pad: bool = ...,
               divisor_override: SupportsIndex | None = ...) -> Tensor: ...
def adaptive_avg_pool2d(input: Tensor, output_size: _Size) -> Tensor: ...
