"""PyTorch interop: qtensor.from_torch(t) and Tensor.to_torch(), integers
and parameters bit for bit, and torch inputs where qtensor takes arrays
(float tensors) or dtypes (torch.qint8). torch is imported only when a
torch object is handed over, so qtensor does not need it."""

import numpy as np

from ._errors import InternalError, InvalidArgumentError, TypeMismatchError


def is_torch_tensor(value):
    """Whether value is a torch.Tensor (or a subclass such as Parameter),
    without importing torch."""
    return any(c.__module__.startswith("torch") and c.__name__ == "Tensor"
               for c in type(value).__mro__)


def is_torch_dtype(value):
    return type(value).__module__ == "torch" and type(value).__name__ == "dtype"


def dtype_of_torch(value):
    """qtensor's dtype for torch.qint8 / quint8 / qint32 / quint4x2 /
    quint2x4; TypeError for any other torch dtype."""
    from ._types import qint8, qint32, quint2x4, quint4x2, quint8
    name = str(value).replace("torch.", "")
    dtype = {d.name: d for d in (qint8, quint8, qint32, quint4x2, quint2x4)}.get(name)
    if dtype is None:
        raise TypeError(f"dtype must be a quantized dtype qtensor has (torch.qint8, "
                        f"torch.quint8, torch.qint32, torch.quint4x2, torch.quint2x4), "
                        f"not {value}")
    return dtype


def float_array_of_torch(tensor):
    """A float32 NumPy array of a float (or integer) torch tensor's values;
    TypeError for a quantized one, ValueError for one off the CPU."""
    if tensor.is_quantized:
        raise TypeError("this torch tensor is already quantized: convert it with "
                        "qtensor.from_torch(t)")
    if tensor.device.type != "cpu":
        raise ValueError(f"a torch tensor on {tensor.device} must be moved to the CPU first "
                         "(t.cpu())")
    if tensor.is_complex():
        raise TypeError(f"expected real numbers, got a torch tensor of {tensor.dtype}")
    import torch
    return tensor.detach().to(torch.float32).numpy()


def from_torch(tensor):
    """qtensor's copy of a quantized torch tensor: the same shape, integers
    and parameters (per tensor or per channel, qint8, quint8, qint32; per
    tensor quint4x2 and quint2x4; per_channel_affine_float_qparams of qint8,
    quint8, quint4x2 and quint2x4), also for the views PyTorch can read out.
    The result is contiguous."""
    from ._functions import from_int_repr
    from ._quantizer import Quantizer
    if not is_torch_tensor(tensor):
        raise TypeError(f"expected a torch.Tensor, not {type(tensor).__name__}")
    if not tensor.is_quantized:
        raise TypeError("from_torch takes a quantized torch tensor; quantize a float tensor "
                        "with qtensor.quantize_per_tensor(t, scale, zero_point, dtype)")
    if tensor.device.type != "cpu":
        raise ValueError(f"a torch tensor on {tensor.device} must be moved to the CPU first")
    dtype = dtype_of_torch(tensor.dtype)
    import torch
    if dtype.is_packed:
        return _from_torch_packed(tensor, dtype)
    scheme = tensor.qscheme()
    try:
        ints = tensor.int_repr().numpy()
        if scheme in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            quantizer = Quantizer.per_tensor_affine(tensor.q_scale(), tensor.q_zero_point(),
                                                    dtype)
        elif scheme in (torch.per_channel_affine, torch.per_channel_symmetric):
            scales = tensor.q_per_channel_scales().to(torch.float64).numpy()
            axis = tensor.q_per_channel_axis()
            if not 0 <= axis < tensor.dim() or tensor.shape[axis] != len(scales):
                # PyTorch 1.13's select of a dim after the channel axis
                # shifts the axis it reports, and its dequantize() fails.
                raise RuntimeError(f"it reports channel axis {axis} with {len(scales)} "
                                   f"channels for shape {tuple(tensor.shape)}")
            quantizer = Quantizer.per_channel_affine(
                scales, tensor.q_per_channel_zero_points().to(torch.int64).numpy(), axis,
                dtype)
        elif scheme == torch.per_channel_affine_float_qparams:
            quantizer = _float_qparams_of(tensor, dtype)
        else:
            raise TypeError(f"qtensor has no {scheme} tensors")
    except RuntimeError as error:
        # PyTorch 1.13 cannot read some views of per-channel tensors itself.
        raise InvalidArgumentError(
            f"PyTorch cannot read this tensor's integers or parameters ({error}); convert "
            "its base and take the view in qtensor") from None
    return from_int_repr(ints, quantizer)


def _float_qparams_of(tensor, dtype):
    """The quantizer of a per_channel_affine_float_qparams torch tensor: its
    float32 scales and zero points as they are."""
    import torch
    from ._quantizer import Quantizer
    scales = tensor.q_per_channel_scales()
    axis = tensor.q_per_channel_axis()
    if not 0 <= axis < tensor.dim() or tensor.shape[axis] != len(scales):
        raise RuntimeError(f"it reports channel axis {axis} with {len(scales)} "
                           f"channels for shape {tuple(tensor.shape)}")
    return Quantizer.per_channel_affine_float_qparams(
        scales.to(torch.float32).numpy(),
        tensor.q_per_channel_zero_points().to(torch.float32).numpy(), axis, dtype)


def _from_torch_packed(tensor, dtype):
    """from_torch of a quint4x2 / quint2x4 tensor: PyTorch 1.13's int_repr()
    gives its packed bytes. Its views of these dtypes misread their storage
    (strides count values, the storage counts bytes), so only a whole
    contiguous tensor is taken."""
    import torch
    from ._functions import from_packed
    from ._quantizer import Quantizer
    scheme = tensor.qscheme()
    if scheme not in (torch.per_tensor_affine, torch.per_tensor_symmetric,
                      torch.per_channel_affine_float_qparams):
        raise TypeMismatchError(f"qtensor reads per-tensor and per_channel_affine_float_qparams "
                                f"{dtype.name} torch tensors only, not {scheme}")
    if not tensor.is_contiguous() or tensor.storage_offset() != 0:
        raise InvalidArgumentError(f"PyTorch 1.13 cannot read a view of a {dtype.name} tensor; "
                                   "convert its base and take the view in qtensor")
    if scheme == torch.per_channel_affine_float_qparams:
        quantizer = _float_qparams_of(tensor, dtype)
    else:
        quantizer = Quantizer.per_tensor_affine(tensor.q_scale(), tensor.q_zero_point(), dtype)
    return from_packed(tensor.int_repr().numpy(), list(tensor.shape), quantizer)


def _to_torch_packed(q):
    """to_torch of a quint4x2 / quint2x4 tensor: an empty torch tensor of the
    dtype, whose storage gets q's packed bytes (PyTorch 1.13's
    _make_per_tensor_quantized_tensor takes 8-bit and 32-bit integers only)."""
    import torch
    from ._types import per_channel_affine, per_channel_affine_float_qparams, per_tensor_affine
    torch_dtype = getattr(torch, q.dtype.name)
    if q.qscheme() is per_channel_affine_float_qparams:
        scales, zero_points, axis = _float_qparams_to_torch(q)
        out = torch._empty_per_channel_affine_quantized(
            list(q.shape), scales=scales, zero_points=zero_points, axis=axis, dtype=torch_dtype)
    elif q.qscheme() is per_tensor_affine:
        out = torch._empty_affine_quantized(list(q.shape), scale=q.q_scale(),
                                            zero_point=q.q_zero_point(), dtype=torch_dtype)
    else:
        scheme = "per-channel" if q.qscheme() is per_channel_affine else q.qscheme().name
        raise TypeMismatchError(f"PyTorch 1.13 has no {scheme} {q.dtype.name} tensors to "
                                "convert to")
    # torch 1.13 allocates ceil(last dim * bits / 8) bytes per row but keeps
    # the values packed flat from the first byte, as packed_repr() has them.
    storage = out.storage().untyped()
    packed = q.packed_repr()
    if storage.nbytes() < packed.size:
        raise InternalError(f"PyTorch allocated {storage.nbytes()} bytes for "
                                f"{packed.size} bytes of {q.dtype.name} values")
    if packed.size:
        padded = np.zeros(storage.nbytes(), dtype=np.uint8)
        padded[:packed.size] = packed
        storage.copy_(torch.from_numpy(padded).storage().untyped())
    return out


def _float_qparams_to_torch(q):
    """A float-qparams tensor's scales, zero points (float32 torch tensors,
    as torch keeps them) and axis."""
    import torch
    return (torch.from_numpy(np.asarray(q.q_per_channel_scales(), dtype=np.float32)),
            torch.from_numpy(np.asarray(q.q_per_channel_zero_points(), dtype=np.float32)),
            q.q_per_channel_axis())


def to_torch(q):
    """A new quantized torch tensor with q's shape, integers and parameters
    (torch's per_tensor_affine, per_channel_affine or
    per_channel_affine_float_qparams). TypeMismatchError for a dtype torch
    lacks (qint16, quint16, qint4, quint4)."""
    import torch
    from ._types import per_channel_affine_float_qparams, per_tensor_affine, quint2x4, quint4x2
    if q.dtype in (quint4x2, quint2x4):
        return _to_torch_packed(q)
    if q.dtype.name not in ("qint8", "quint8", "qint32"):
        raise TypeMismatchError(f"PyTorch has no {q.dtype.name} dtype: requantize to one it has "
                                "(qtensor.requantize(q, qtensor.Quantizer.per_tensor_affine(...)))")
    ints = torch.from_numpy(np.ascontiguousarray(q.int_repr()))
    if q.qscheme() is per_tensor_affine:
        return torch._make_per_tensor_quantized_tensor(ints, q.q_scale(), q.q_zero_point())
    if q.qscheme() is per_channel_affine_float_qparams:
        scales, zero_points, axis = _float_qparams_to_torch(q)
        # Float zero points make torch's quantizer per_channel_affine_float_qparams.
        return torch._make_per_channel_quantized_tensor(ints, scales, zero_points, axis)
    scales = torch.from_numpy(np.asarray(q.q_per_channel_scales(), dtype=np.float64))
    zero_points = torch.from_numpy(np.asarray(q.q_per_channel_zero_points(), dtype=np.int64))
    return torch._make_per_channel_quantized_tensor(ints, scales, zero_points,
                                                    q.q_per_channel_axis())
