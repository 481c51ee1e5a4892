from . import quantized as quantized
