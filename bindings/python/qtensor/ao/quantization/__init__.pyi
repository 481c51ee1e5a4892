# Types of qtensor.ao.quantization's observers (see qtensor/__init__.pyi).
from typing import Any, SupportsIndex, TypeVar

import numpy as np
import numpy.typing as npt

from ... import DType, QScheme, Quantizer

_Batch = TypeVar("_Batch")

class _Observer:
    dtype: DType
    qscheme: QScheme
    reduce_range: bool
    def forward(self, x: _Batch) -> _Batch: ...
    def __call__(self, x: _Batch) -> _Batch: ...
    # float32 scales; int32 zero points (int64 for the symmetric schemes).
    def calculate_qparams(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[Any]]: ...
    @property
    def min_val(self) -> npt.NDArray[np.float32]: ...
    @property
    def max_val(self) -> npt.NDArray[np.float32]: ...
    def quantizer(self) -> Quantizer: ...

class MinMaxObserver(_Observer):
    def __init__(self, dtype: DType = ..., qscheme: QScheme = ..., reduce_range: bool = ...,
                 quant_min: SupportsIndex | None = ...,
                 quant_max: SupportsIndex | None = ...) -> None: ...

class MovingAverageMinMaxObserver(_Observer):
    averaging_constant: float
    def __init__(self, averaging_constant: float = ..., dtype: DType = ...,
                 qscheme: QScheme = ..., reduce_range: bool = ...,
                 quant_min: SupportsIndex | None = ...,
                 quant_max: SupportsIndex | None = ...) -> None: ...

class PerChannelMinMaxObserver(_Observer):
    ch_axis: int
    def __init__(self, ch_axis: SupportsIndex = ..., dtype: DType = ..., qscheme: QScheme = ...,
                 reduce_range: bool = ..., quant_min: SupportsIndex | None = ...,
                 quant_max: SupportsIndex | None = ...) -> None: ...

class MovingAveragePerChannelMinMaxObserver(_Observer):
    averaging_constant: float
    ch_axis: int
    def __init__(self, averaging_constant: float = ..., ch_axis: SupportsIndex = ...,
                 dtype: DType = ..., qscheme: QScheme = ..., reduce_range: bool = ...,
                 quant_min: SupportsIndex | None = ...,
                 quant_max: SupportsIndex | None = ...) -> None: ...

class HistogramObserver(_Observer):
    bins: int
    upsample_rate: int
    def __init__(self, bins: SupportsIndex = ..., upsample_rate: SupportsIndex = ...,
                 dtype: DType = ..., qscheme: QScheme = ..., reduce_range: bool = ...,
                 quant_min: SupportsIndex | None = ...,
                 quant_max: SupportsIndex | None = ...) -> None: ...
