"""The library itself: its version, SIMD target and threads, with PyTorch's
names (torch.set_num_threads, torch.get_num_threads)."""

import operator

from . import native
from ._arrays import spelled_int
from ._errors import InvalidArgumentError

__version__ = native.version()


def simd_target():
    """The SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...)."""
    return native.simd_target()


def set_num_threads(threads):
    """Threads for quantize and dequantize calls of 2**20 elements and more,
    for the whole process: 1, the default, starts none; 0 means one per
    logical core; at most 64. The results do not depend on it."""
    threads = operator.index(threads)  # TypeError for floats, as torch
    if not -2**31 <= threads < 2**31:  # beyond C int: the library's message
        raise InvalidArgumentError(
            f"threads = {spelled_int(threads)} is out of range [0, 64] (0: one per logical core)")
    native.set_num_threads(threads)


def get_num_threads():
    """The thread count set_num_threads set (1 by default; for 0, the cores)."""
    return native.get_num_threads()
