"""run_valgrind_test.py, ctest's driver of the valgrind test, with a fake
valgrind first on PATH: it skips (exit 77, with the reason) exactly where
valgrind cannot run the interpreter on this CPU, fails when valgrind fails
otherwise, and runs the real test when the probe runs."""

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

HERE = pathlib.Path(__file__).resolve().parent
WRAPPER = HERE / "run_valgrind_test.py"
TEST = HERE / "test_binding_valgrind.py"

# What valgrind 3.19 printed on an AMD Zen 4 (Highway's start-up code).
ZEN4_STDERR = """\
vex amd64->IR: unhandled instruction bytes: 0xF 0x1 0xF9 0x48 0xC1 0xE2 0x20 0x48 0x9 0xD0
vex amd64->IR:   REX=0 REX.W=0 REX.R=0 REX.X=0 REX.B=0
==4242== valgrind: Unrecognised instruction at address 0x5a3e8d4.
==4242==    at 0x5A3E8D4: hwy::platform::TimerResolution() (in libhwy.so.1.0.3)
==4242== Process terminating with default action of signal 4 (SIGILL)
==4242==  Illegal opcode at address 0x5A3E8D4
"""


def fake_valgrind(directory, body):
    """A valgrind on PATH that logs its environment, then runs body (sh)."""
    directory.mkdir(exist_ok=True)
    script = directory / "valgrind"
    script.write_text("#!/bin/sh\nenv > \"$FAKE_VALGRIND_LOG\"\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return directory


def run_wrapper(tmp_path, body):
    bin_dir = fake_valgrind(tmp_path / "bin", body)
    log = tmp_path / "environment"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               FAKE_VALGRIND_LOG=str(log), PYTHONDONTWRITEBYTECODE="1")
    env.pop("QTENSOR_MAX_SIMD_TARGET", None)
    result = subprocess.run([sys.executable, str(WRAPPER), str(TEST)], env=env,
                            capture_output=True, text=True, timeout=600)
    return result, log.read_text().splitlines()


@pytest.mark.parametrize("ending", ["kill -ILL $$", "exit 132"])
def test_unhandled_instruction_skips(tmp_path, ending):
    result, environment = run_wrapper(tmp_path, f"cat >&2 <<'EOF'\n{ZEN4_STDERR}EOF\n{ending}\n")
    assert result.returncode == 77, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("SKIPPED: valgrind (")
    assert "cannot run the Python interpreter with qtensor on this CPU" in lines[0]
    assert "even with QTENSOR_MAX_SIMD_TARGET=AVX2" in lines[0]
    assert "  vex amd64->IR: unhandled instruction bytes: 0xF 0x1 0xF9 0x48 0xC1 0xE2 0x20 0x48 " \
           "0x9 0xD0" in lines
    assert "  ==4242==  Illegal opcode at address 0x5A3E8D4" in lines
    assert "passed" not in result.stdout  # the real test did not run
    # The probe ran with the real test's environment.
    assert "QTENSOR_MAX_SIMD_TARGET=AVX2" in environment
    assert "PYTHONMALLOC=malloc" in environment


def test_sigill_without_a_message_skips(tmp_path):
    result, _ = run_wrapper(tmp_path, "kill -ILL $$\n")
    assert result.returncode == 77, result.stdout + result.stderr
    assert "(no message; the probe died of SIGILL)" in result.stdout


@pytest.mark.parametrize("body", [
    "echo \"valgrind: failed to start tool 'memcheck' for platform 'amd64-linux'\" >&2\nexit 1\n",
    "echo '==1== Invalid read of size 8' >&2\nexit 99\n",
    "exit 0\n",  # no "probe done": the probe did not run
])
def test_other_failures_fail(tmp_path, body):
    result, _ = run_wrapper(tmp_path, body)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("the probe under valgrind failed (exit status ")


def test_a_probe_that_runs_runs_the_test(tmp_path):
    # This valgrind runs the program without checking it: the probe passes,
    # then the real test runs and fails, as it finds no ERROR SUMMARY.
    body = """\
    while [ "${1#--}" != "$1" ]; do shift; done
    exec "$@"
    """
    result, _ = run_wrapper(tmp_path, body)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("probe done on ")
    assert "under valgrind; running " + str(TEST) in result.stdout
    assert "1 failed" in result.stdout
    assert "ERROR SUMMARY: 0 errors" in result.stdout
