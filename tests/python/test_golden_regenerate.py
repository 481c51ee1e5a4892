"""The checked-in golden files are exactly what their generators write.

Every tests/data/make_*.py script is rerun (with this interpreter, which must
have PyTorch 1.13) into a temporary directory, and its output must be
byte-identical to the checked-in file. A golden file edited by hand, or a
generator changed without regenerating its output, fails here.

Without torch the tests are skipped, visibly (ctest reports them as skipped,
see CMakeLists.txt); the CI machine has torch.
"""

import difflib
import pathlib
import subprocess
import sys

import pytest

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"

# Generator script -> the file it writes (checked in beside it). Every
# make_*.py must be listed: a new generator without an entry fails
# test_every_generator_has_an_output instead of being skipped silently.
OUTPUTS = {
    "make_golden.py": "golden.txt",
    "make_print_cases.py": "print_cases.txt",
    "make_observer_golden.py": "observer_golden.txt",
    "make_operator_golden.py": "operator_golden.txt",
    "make_pool_golden.py": "pool_golden.txt",
    "make_float_qparams_golden.py": "float_qparams_golden.txt",
    "make_index_golden.py": "index_golden.txt",
    # Several files: the generator takes the directory to write them to.
    "make_linear_conv_golden.py": ("linear_golden.txt", "conv2d_golden.txt",
                                   "linear_dynamic_golden.txt"),
}

torch = pytest.importorskip(
    "torch", reason="PyTorch is not importable by %s: cannot regenerate the golden files"
    % sys.executable)

GENERATORS = sorted(p.name for p in DATA_DIR.glob("make_*.py"))


def test_generators_found():
    assert GENERATORS, "no make_*.py in %s" % DATA_DIR


def test_every_generator_has_an_output():
    missing = [name for name in GENERATORS if name not in OUTPUTS]
    assert not missing, ("generators without an entry in OUTPUTS of %s: %s"
                         % (pathlib.Path(__file__).name, ", ".join(missing)))


@pytest.mark.parametrize("script", GENERATORS)
def test_regenerated_output_is_identical(script, tmp_path):
    assert script in OUTPUTS, "%s has no entry in OUTPUTS" % script
    names = OUTPUTS[script]
    several = isinstance(names, tuple)
    names = names if several else (names,)
    for name in names:
        assert (DATA_DIR / name).is_file(), "%s is missing (run %s)" % (DATA_DIR / name, script)
    target = tmp_path if several else tmp_path / names[0]
    result = subprocess.run([sys.executable, str(DATA_DIR / script), str(target)],
                            cwd=str(tmp_path), capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, "%s failed (exit %d):\n%s%s" % (
        script, result.returncode, result.stdout, result.stderr)
    for name in names:
        checked_in, fresh = DATA_DIR / name, tmp_path / name
        assert fresh.is_file(), "%s wrote no %s" % (script, name)
        want, got = checked_in.read_bytes(), fresh.read_bytes()
        if got != want:
            diff = difflib.unified_diff(
                want.decode("ascii", "replace").splitlines(),
                got.decode("ascii", "replace").splitlines(),
                "checked-in " + name, "regenerated", lineterm="", n=1)
            shown = [line[:200] for _, line in zip(range(40), diff)]
            pytest.fail("%s differs from what %s writes now (%d vs %d bytes); regenerate it "
                        "with `/usr/bin/python3 %s`:\n%s" % (
                            name, script, len(want), len(got), script, "\n".join(shown)))
