"""Deliberate misuses mypy must report against the stubs: each marked line
ends with the words mypy's error there must contain (test_binding_typing.py)."""

import qtensor
from qtensor.ao.quantization import MinMaxObserver

q = qtensor.quantize_per_tensor([1.0], "0.1", 0, qtensor.qint8)  # error: "str"; expected "float"
r = qtensor.quantize_per_tensor([1.0], 0.1, 0.5, qtensor.qint8)  # error: expected "SupportsIndex"
s = qtensor.quantize_per_tensor([1.0], 0.1, 0, "qint8")  # error: "str"; expected "DType"
n: str = q.item()  # error: expression has type "float", variable has type "str"
q.dequantize().no_such_method()  # error: has no attribute "no_such_method"
qtensor.ops.add(q, r, out=s, scale=0.1)  # error: No overload variant of "__call__"
qtensor.ops.quantized.linear(q, q, 0.1, 0)  # error: "Tensor"; expected "LinearPackedParams"
qtensor.ops.quantized.conv2d(q, q, 0.1, 0)  # error: "Tensor"; expected "Conv2dPackedParams"
MinMaxObserver(reduce_range="yes")  # error: "str"; expected "bool"
qtensor.nn.quantized.functional.avg_pool2d(q, 2, divisor_override=1.5)  # error: incompatible type "float"
qtensor.Quantizer.per_tensor_affine(0.1, 0, qtensor.qint8).with_rounding("onnx")  # error: "str"; expected "Rounding"
