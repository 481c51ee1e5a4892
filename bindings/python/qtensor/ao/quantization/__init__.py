"""The observers of torch.ao.quantization, with the same names, arguments and
results (calculate_qparams bit for bit as PyTorch 1.13's)."""

from ..._observers import (HistogramObserver, MinMaxObserver, MovingAverageMinMaxObserver,
                           MovingAveragePerChannelMinMaxObserver, PerChannelMinMaxObserver)

__all__ = ["HistogramObserver", "MinMaxObserver", "MovingAverageMinMaxObserver",
           "MovingAveragePerChannelMinMaxObserver", "PerChannelMinMaxObserver"]

for _public in (HistogramObserver, MinMaxObserver, MovingAverageMinMaxObserver,
                MovingAveragePerChannelMinMaxObserver, PerChannelMinMaxObserver):
    _public.__module__ = __name__
del _public
