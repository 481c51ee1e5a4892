"""The Python wheel, built and used as a user would: `pip wheel .` (reusing
the build tree), its file list, RECORD and RUNPATHs; then installed into a
fresh venv and used from outside the source and build trees with no
PYTHONPATH or LD_LIBRARY_PATH: values, where qtensor and libqtensor load
from, docs/python.md's blocks and mypy on the installed stubs. Last, the
CMake install of the components runtime and python, moved elsewhere after
installing, loads the library from its own prefix.

Usage: check_python_wheel.py SOURCE_DIR BUILD_DIR VERSION LIBRARY_SONAME
(the scratch directory is a new one under the system's temporary directory,
removed at the end).
"""

import base64
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SOURCE, BUILD = (pathlib.Path(arg).resolve() for arg in sys.argv[1:3])
VERSION, SONAME = sys.argv[3:5]
SCRATCH = pathlib.Path(tempfile.mkdtemp(prefix="qtensor-wheel-check-")).resolve()
# Run from a directory of its own: quantizes, checks values, and that
# libqtensor was loaded from argv[2] ("package": the package's directory).
USE_PROGRAM = r"""
import pathlib, sys
import numpy as np
import qtensor
package = pathlib.Path(qtensor.__file__).resolve().parent
q = qtensor.quantize_per_tensor(np.array([0.5, -1.0, 2.0], dtype=np.float32), 0.1, 3, qtensor.qint8)
assert q.int_repr().tolist() == [8, -7, 23], q.int_repr()
assert q.dequantize().tolist() == [0.5, -1.0, 2.0]
assert (q.q_scale(), q.q_zero_point()) == (0.1, 3)
library_dir = package if sys.argv[2] == "package" else pathlib.Path(sys.argv[2])
loaded = [line.split()[-1] for line in open("/proc/self/maps") if "libqtensor" in line]
assert loaded and {pathlib.Path(p).parent for p in loaded} == {library_dir}, loaded
assert qtensor.__version__ == sys.argv[1], qtensor.__version__
print("used", qtensor.__version__, "from", package)
"""


def run(command, **kwargs):
    print("+", " ".join(str(part).strip().split("\n")[0] for part in command), flush=True)
    try:
        return subprocess.run(list(map(str, command)), check=True, **kwargs)
    except subprocess.CalledProcessError as error:
        print(error.stdout or "", error.stderr or "", sep="\n")  # what a captured run said
        raise


def clean_environment():
    """The environment without anything that points at the trees."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("PYTHONPATH", "LD_LIBRARY_PATH", "MYPYPATH",
                                   "QTENSOR_CMAKE_BUILD_DIR")}
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return environment


def build_wheel():
    environment = dict(clean_environment(), QTENSOR_CMAKE_BUILD_DIR=str(BUILD))
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
         "-w", SCRATCH / "dist", SOURCE], env=environment, cwd=SCRATCH)
    wheels = list((SCRATCH / "dist").glob("*.whl"))
    assert len(wheels) == 1, wheels
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert wheels[0].name == f"qtensor-{VERSION}-{tag}-{tag}-linux_x86_64.whl", wheels[0].name
    return wheels[0]


def expected_package_files():
    source = SOURCE / "bindings" / "python" / "qtensor"
    files = {f"qtensor/{path.relative_to(source).as_posix()}" for path in source.rglob("*")
             if path.suffix in (".py", ".pyi") or path.name == "py.typed"}
    return files | {"qtensor/native.py", "qtensor/_native.so", f"qtensor/{SONAME}"}


def check_record(wheel):
    """RECORD lists every file of the wheel with its true hash and size, and
    the package's files are exactly the expected ones."""
    dist_info = f"qtensor-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        record = archive.read(f"{dist_info}/RECORD").decode().splitlines()
        for line in record:
            name, digest, size = line.rsplit(",", 2)
            if name == f"{dist_info}/RECORD":
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data)), name
        wheel_file = archive.read(f"{dist_info}/WHEEL").decode()
    listed = {line.rsplit(",", 2)[0] for line in record}
    assert listed == names, listed ^ names
    package_files = {name for name in listed if name.startswith("qtensor/")}
    assert package_files == expected_package_files(), package_files ^ expected_package_files()
    assert "Root-Is-Purelib: false" in wheel_file, wheel_file
    print(f"RECORD: {len(listed)} files, hashes and sizes correct")


def check_runpaths(wheel):
    """Both ELF files find their libraries relative to themselves: no RUNPATH
    entry outside $ORIGIN, none naming the trees."""
    unpacked = SCRATCH / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    for name in ("_native.so", SONAME):
        dynamic = run(["readelf", "-d", unpacked / "qtensor" / name], capture_output=True,
                      text=True).stdout
        paths = re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]", dynamic)
        entries = [entry for path in paths for entry in path.split(":")]
        assert all(entry.startswith("$ORIGIN") for entry in entries), (name, entries)
        assert str(BUILD) not in dynamic and str(SOURCE) not in dynamic, (name, dynamic)
        if name == "_native.so":
            assert entries and entries[0] == "$ORIGIN", entries
            assert f"[{SONAME}]" in dynamic, dynamic
        print(f"{name}: RUNPATH {entries}")


def install_and_use(wheel):
    venv = SCRATCH / "venv"
    run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv])
    python = venv / "bin" / "python"
    environment = clean_environment()
    elsewhere = SCRATCH / "elsewhere"
    elsewhere.mkdir()
    run([python, "-m", "pip", "install", "--no-index", "--no-deps", wheel], env=environment,
        cwd=elsewhere)
    used = run([python, "-c", USE_PROGRAM, VERSION, "package"], env=environment, cwd=elsewhere,
               capture_output=True, text=True)
    print(used.stdout, end="")
    assert used.stdout.startswith(f"used {VERSION} from {venv.resolve()}/"), used.stdout
    # docs/python.md's blocks against the installed package.
    run([python, "-c", "import pathlib, sys, pytest, qtensor\n"
         f"assert pathlib.Path(qtensor.__file__).is_relative_to({str(venv)!r})\n"
         "sys.exit(pytest.main(sys.argv[1:]))",
         "-q", "-p", "no:cacheprovider", SOURCE / "tests" / "python" / "test_binding_docs.py"],
        env=dict(environment, PYTHONDONTWRITEBYTECODE="1"), cwd=elsewhere)
    # mypy finds the installed stubs (py.typed) by itself.
    checked = subprocess.run(
        [python, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir",
         elsewhere / "mypy-cache", SOURCE / "tests" / "python" / "typing" / "uses_api.py"],
        env=environment, cwd=elsewhere, capture_output=True, text=True, check=False)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout + checked.stderr
    print("mypy --strict on the installed stubs: no errors")


def install_with_cmake_and_move():
    """cmake --install of runtime + python, then the prefix renamed: the
    module still loads the library of its (new) prefix."""
    for component in ("runtime", "python"):
        run(["cmake", "--install", BUILD, "--component", component, "--prefix",
             SCRATCH / "prefix"], stdout=subprocess.DEVNULL)
    moved = SCRATCH / "moved"
    (SCRATCH / "prefix").rename(moved)
    [package] = [path.parent for path in moved.rglob("qtensor/__init__.py")]
    [library] = moved.rglob(SONAME)
    assert not (package / SONAME).exists(), "the library is the runtime component's"
    used = run(["/usr/bin/python3", "-c", USE_PROGRAM, VERSION, library.parent],
               env=dict(clean_environment(), PYTHONPATH=str(package.parent)),
               cwd=SCRATCH / "elsewhere", capture_output=True, text=True)
    assert used.stdout.startswith(f"used {VERSION} from {package}"), used.stdout
    print(f"installed by CMake and moved: {package} loads {library}")


def main():
    for tree in (SOURCE, BUILD):
        assert not SCRATCH.is_relative_to(tree), f"{SCRATCH} is inside {tree}: set TMPDIR"
    try:
        wheel = build_wheel()
        check_record(wheel)
        check_runpaths(wheel)
        install_and_use(wheel)
        install_with_cmake_and_move()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    print("python wheel: OK")


if __name__ == "__main__":
    main()
