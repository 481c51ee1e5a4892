"""Parameters chosen from data, as PyTorch 1.13 chooses them: choose_qparams,
torch._choose_qparams_per_tensor, torch.quantize_per_tensor_dynamic and the
observers of torch.ao.quantization (re-exported by qtensor.ao.quantization).
The arithmetic is the library's (docs/numerics.md); this module converts
arguments and results."""

import numpy as np

from . import native
from ._arrays import float_input, float_of, int64_of
from ._errors import InvalidArgumentError
from ._quantizer import Quantizer
from ._tensor import Tensor
from ._types import (DTYPES, check_dtype, per_channel_affine, per_channel_symmetric,
                     per_tensor_affine, per_tensor_symmetric, quint8)


def _flag(value, what):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be a bool, not {type(value).__name__}")
    return bool(value)


def choose_qparams(min, max, qmin, qmax, preserve_sparsity=False, reduce_range=False):
    """PyTorch's ChooseQuantizationParams: (scale, zero_point) for values in
    [min, max] (float32) and integers in [qmin, qmax]."""
    # pylint: disable=redefined-builtin
    p = native.choose_qparams(float_of(min, "min"), float_of(max, "max"),
                              int64_of(qmin, "qmin", InvalidArgumentError),
                              int64_of(qmax, "qmax", InvalidArgumentError),
                              _flag(preserve_sparsity, "preserve_sparsity"),
                              _flag(reduce_range, "reduce_range"))
    return p.scale, p.zero_point


def choose_qparams_per_tensor(data, reduce_range=False):
    """torch._choose_qparams_per_tensor: (scale, zero_point) for quint8's
    [0, 255] from the data's min and max."""
    values = float_input(data)
    p = native.choose_qparams_per_tensor(values, list(values.shape),
                                         _flag(reduce_range, "reduce_range"))
    return p.scale, p.zero_point


_choose_qparams_per_tensor = choose_qparams_per_tensor


def quantize_per_tensor_dynamic(data, dtype, reduce_range=False):
    """torch.quantize_per_tensor_dynamic: quantizes with parameters chosen
    from the data's min and max (qint8 or quint8)."""
    values = float_input(data)
    return Tensor._wrap(native.quantize_per_tensor_dynamic(
        values, list(values.shape), check_dtype(dtype), _flag(reduce_range, "reduce_range")))


def _range_of(quant_min, quant_max):
    """The library's (quant_min, quant_max): (0, 0) for PyTorch's None."""
    if quant_min is None and quant_max is None:
        return 0, 0
    if quant_min is None or quant_max is None:
        raise InvalidArgumentError("give both quant_min and quant_max, or neither (PyTorch "
                                   "ignores one alone)")
    lo = int64_of(quant_min, "quant_min", InvalidArgumentError)
    hi = int64_of(quant_max, "quant_max", InvalidArgumentError)
    if lo == 0 and hi == 0:
        raise InvalidArgumentError("quant_min must be less than quant_max, got [0, 0]")
    return lo, hi


AVERAGING_CONSTANT_DOC = "The weight of each new batch's minimum and maximum (0 to 1]."
CH_AXIS_DOC = "The dimension whose indices get parameters of their own."


class _Observer:
    """The methods every observer shares: forward (or calling the
    observer), calculate_qparams and quantizer."""

    __slots__ = {"_native": "The library's observer.",
                 "dtype": "The dtype the parameters are for (qtensor.qint8, quint8, qint32).",
                 "qscheme": "The scheme: per_tensor_affine / per_tensor_symmetric, or "
                            "per_channel_affine / per_channel_symmetric.",
                 "reduce_range": "Whether the integer range is cut by one bit, as torch's."}
    _schemes = ()

    def _setup(self, dtype, qscheme, reduce_range):
        dtype = DTYPES[check_dtype(dtype)]  # qtensor's or torch's
        if qscheme not in self._schemes:
            raise InvalidArgumentError(
                f"{type(self).__name__} takes qscheme " +
                " or ".join(repr(s) for s in self._schemes) + f", not {qscheme!r}")
        self.dtype = dtype
        self.qscheme = qscheme
        self.reduce_range = _flag(reduce_range, "reduce_range")
        return self.qscheme in (per_tensor_symmetric, per_channel_symmetric)

    def forward(self, x):
        """Records the batch's minimum and maximum (per channel for the
        per-channel observers); returns x unchanged, as torch's do."""
        values = float_input(x)
        self._native.forward(values, list(values.shape))
        return x

    __call__ = forward

    def calculate_qparams(self):
        """(scales, zero_points) as NumPy arrays of torch's dtypes and shapes:
        float32 scales; int32 zero points for affine schemes and int64 for
        symmetric ones; shape (1,) per tensor, (channels,) per channel."""
        p = self._native.calculate_qparams()
        symmetric = self.qscheme in (per_tensor_symmetric, per_channel_symmetric)
        return (np.array(p.scales, dtype=np.float32),
                np.array(p.zero_points, dtype=np.int64 if symmetric else np.int32))

    @property
    def min_val(self):
        """The running minimum as float32: a 0-dim array per tensor (inf
        before data), one per channel for the per-channel observers."""
        return self._range(self._native.min_val())

    @property
    def max_val(self):
        """The running maximum, as min_val."""
        return self._range(self._native.max_val())

    def _range(self, values):
        array = np.array(values, dtype=np.float32)
        return array if isinstance(self, (PerChannelMinMaxObserver,
                                          MovingAveragePerChannelMinMaxObserver)) \
            else array.reshape(())

    def quantizer(self):
        """The parameters as a qtensor.Quantizer (per channel along ch_axis
        for the per-channel observers)."""
        return Quantizer._wrap(self._native.quantizer())

    def __repr__(self):
        return f"{type(self).__name__}(dtype={self.dtype!r}, qscheme={self.qscheme!r})"


class MinMaxObserver(_Observer):
    """torch.ao.quantization.MinMaxObserver: parameters from the running
    minimum and maximum."""

    __slots__ = ()
    _schemes = (per_tensor_affine, per_tensor_symmetric)

    def __init__(self, dtype=quint8, qscheme=per_tensor_affine, reduce_range=False,
                 quant_min=None, quant_max=None):
        symmetric = self._setup(dtype, qscheme, reduce_range)
        self._native = native.Observer.MinMax(self.dtype.code, symmetric, self.reduce_range,
                                              *_range_of(quant_min, quant_max))


class MovingAverageMinMaxObserver(_Observer):
    """torch.ao.quantization.MovingAverageMinMaxObserver: the moving average
    of each batch's minimum and maximum."""

    __slots__ = {"averaging_constant": AVERAGING_CONSTANT_DOC}
    _schemes = (per_tensor_affine, per_tensor_symmetric)

    def __init__(self, averaging_constant=0.01, dtype=quint8, qscheme=per_tensor_affine,
                 reduce_range=False, quant_min=None, quant_max=None):
        symmetric = self._setup(dtype, qscheme, reduce_range)
        self.averaging_constant = float_of(averaging_constant, "averaging_constant")
        self._native = native.Observer.MovingAverageMinMax(
            self.averaging_constant, self.dtype.code, symmetric, self.reduce_range,
            *_range_of(quant_min, quant_max))


class PerChannelMinMaxObserver(_Observer):
    """torch.ao.quantization.PerChannelMinMaxObserver: a running minimum and
    maximum per index of ch_axis."""

    __slots__ = {"ch_axis": CH_AXIS_DOC}
    _schemes = (per_channel_affine, per_channel_symmetric)

    def __init__(self, ch_axis=0, dtype=quint8, qscheme=per_channel_affine, reduce_range=False,
                 quant_min=None, quant_max=None):
        symmetric = self._setup(dtype, qscheme, reduce_range)
        self.ch_axis = int64_of(ch_axis, "ch_axis", InvalidArgumentError)
        self._native = native.Observer.PerChannelMinMax(
            self.ch_axis, self.dtype.code, symmetric, self.reduce_range,
            *_range_of(quant_min, quant_max))


class MovingAveragePerChannelMinMaxObserver(_Observer):
    """torch.ao.quantization.MovingAveragePerChannelMinMaxObserver."""

    __slots__ = {"averaging_constant": AVERAGING_CONSTANT_DOC, "ch_axis": CH_AXIS_DOC}
    _schemes = (per_channel_affine, per_channel_symmetric)

    def __init__(self, averaging_constant=0.01, ch_axis=0, dtype=quint8,
                 qscheme=per_channel_affine, reduce_range=False, quant_min=None,
                 quant_max=None):
        symmetric = self._setup(dtype, qscheme, reduce_range)
        self.averaging_constant = float_of(averaging_constant, "averaging_constant")
        self.ch_axis = int64_of(ch_axis, "ch_axis", InvalidArgumentError)
        self._native = native.Observer.MovingAveragePerChannelMinMax(
            self.averaging_constant, self.ch_axis, self.dtype.code, symmetric, self.reduce_range,
            *_range_of(quant_min, quant_max))


class HistogramObserver(_Observer):
    """torch.ao.quantization.HistogramObserver: a histogram of the running
    range and the range its L2 search picks (bit for bit as PyTorch 1.13's,
    including its truncation of the first range to integers). A batch with
    NaN or an infinity raises InvalidArgumentError (PyTorch fails too)."""

    __slots__ = {"bins": "The number of histogram bins.",
                 "upsample_rate": "How finely the histogram is upsampled when it is merged."}
    _schemes = (per_tensor_affine, per_tensor_symmetric)

    def __init__(self, bins=2048, upsample_rate=128, dtype=quint8, qscheme=per_tensor_affine,
                 reduce_range=False, quant_min=None, quant_max=None):
        symmetric = self._setup(dtype, qscheme, reduce_range)
        self.bins = int64_of(bins, "bins", InvalidArgumentError)
        self.upsample_rate = int64_of(upsample_rate, "upsample_rate", InvalidArgumentError)
        self._native = native.Observer.Histogram(self.bins, self.upsample_rate, self.dtype.code,
                                                 symmetric, self.reduce_range,
                                                 *_range_of(quant_min, quant_max))
