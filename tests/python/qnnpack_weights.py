"""The same qint8 weight as a qtensor and a torch tensor (per tensor, scale
0.01, or per channel on dim 0 with random scales), for the tests comparing
with torch's qnnpack engine."""

import qtensor


def weight_pair(torch, weight_ints, per_channel, rng):
    """(qtensor weight, torch weight) of the int8 array weight_ints."""
    if not per_channel:
        return (qtensor.make_per_tensor_quantized_tensor(weight_ints, 0.01, 0),
                torch._make_per_tensor_quantized_tensor(torch.from_numpy(weight_ints), 0.01, 0))
    channels = weight_ints.shape[0]
    scales = rng.uniform(0.001, 0.05, size=channels)
    ours = qtensor.from_int_repr(weight_ints, qtensor.Quantizer.per_channel_affine(
        scales, [0] * channels, 0, qtensor.qint8))
    theirs = torch._make_per_channel_quantized_tensor(
        torch.from_numpy(weight_ints), torch.from_numpy(scales),
        torch.zeros(channels, dtype=torch.int64), 0)
    return ours, theirs
