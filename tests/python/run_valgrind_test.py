"""ctest's driver of test_binding_valgrind.py (the path is argv[1]).

valgrind 3.19 cannot decode every instruction of every CPU: on an AMD Zen 4
it stops in Highway's start-up code (hwy::platform::TimerResolution, bytes
0F 01 F9) however the kernels are capped. So a probe first runs the
interpreter under valgrind, importing qtensor and quantizing once, with the
environment of the real test (QTENSOR_MAX_SIMD_TARGET=AVX2). If valgrind
reports an instruction it cannot run (or the probe dies of SIGILL), this
prints why and exits 77, which ctest counts as a skip (SKIP_RETURN_CODE);
if the probe fails otherwise, it prints valgrind's output and fails; if it
runs, the test runs under pytest and its exit status is this one's.
test_valgrind_wrapper.py checks each way with a fake valgrind on PATH."""

import pathlib
import re
import shutil
import signal
import subprocess
import sys

SKIP = 77
HERE = pathlib.Path(__file__).resolve().parent
# What valgrind prints when the guest executes an instruction it cannot
# decode, and the signal the guest then gets.
CANNOT_RUN = re.compile(r"unhandled instruction bytes|Unrecognised instruction|Illegal opcode|"
                        r"signal 4 \(SIGILL\)")
PROBE = ("import qtensor; q = qtensor.quantize_per_tensor([1.0, -2.0], 0.5, 0, qtensor.qint8); "
         "assert q.int_repr().tolist() == [2, -4]; print('probe done on', qtensor.simd_target())")


def main(test_file):
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, str(HERE))
    from test_binding_valgrind import valgrind_command, valgrind_environment

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind is not installed (see .ci/install-packages)", flush=True)
        return 1
    probe = subprocess.run(valgrind_command(valgrind, "-c", PROBE), env=valgrind_environment(),
                           capture_output=True, text=True, timeout=900)
    output = probe.stdout + probe.stderr
    died_of_sigill = probe.returncode in (-signal.SIGILL, 128 + signal.SIGILL)
    if probe.returncode != 0 and (CANNOT_RUN.search(output) or died_of_sigill):
        reasons = [line for line in output.splitlines() if CANNOT_RUN.search(line)]
        print(f"SKIPPED: valgrind ({valgrind}) cannot run the Python interpreter with qtensor "
              f"on this CPU (exit status {probe.returncode}), even with "
              f"QTENSOR_MAX_SIMD_TARGET=AVX2:", flush=True)
        for line in reasons[:8] or ["(no message; the probe died of SIGILL)"]:
            print("  " + line, flush=True)
        return SKIP
    if probe.returncode != 0 or "probe done" not in probe.stdout:
        print(f"the probe under valgrind failed (exit status {probe.returncode}):", flush=True)
        print(output[-6000:], flush=True)
        return 1
    print(probe.stdout.strip(), "under valgrind; running", test_file, flush=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           test_file]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
