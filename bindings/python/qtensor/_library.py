"""The library itself: its version, SIMD target and threads, with PyTorch's
names (torch.set_num_threads, torch.get_num_threads)."""

import operator

from . import native
from ._arrays import spelled_int
from ._errors import InvalidArgumentError

__version__ = native.version()


def version_number():
    """The loaded library's version as one int, MAJOR * 10000 + MINOR * 100 +
    PATCH (200 for 0.2.0): the C header's QTENSOR_VERSION_NUMBER."""
    return native.version_number()


def simd_target():
    """The SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...)."""
    return native.simd_target()


def set_max_simd_target(target):
    """Caps the SIMD target the kernels dispatch to, for the whole process:
    they then use the best target this CPU supports that is not above target,
    a name as simd_target() prints it, in any case ("AVX2", "sse4",
    "EMU128", ...). "" or None removes the cap. Results are the same on every
    target; the cap serves tools that cannot run newer instructions (valgrind
    and AVX-512) and comparisons of targets. The environment variable
    QTENSOR_MAX_SIMD_TARGET, read when the library loads, sets the same cap.
    Raises InvalidArgumentError for an unknown name (the cap is then
    unchanged), TypeError for what is not a str."""
    if target is None:
        target = ""
    if not isinstance(target, str):
        raise TypeError(f"a SIMD target is a str, not {type(target).__name__}")
    # The library takes a C string in UTF-8: a NUL would cut the name short.
    if "\0" in target:
        raise InvalidArgumentError(f"unknown SIMD target {target!r}: it contains a NUL character")
    try:
        target.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            f"unknown SIMD target {target!r}: it contains an unpaired surrogate") from None
    native.set_max_simd_target(target)


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
