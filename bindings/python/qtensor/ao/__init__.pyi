from . import quantization as quantization
