"""PEP 517 build backend of the qtensor wheel (pyproject.toml says why it is
in the tree). CMake does the work: it configures with
-DQTENSOR_BINDINGS=python, builds the module, and installs the components
python (package, module, stubs) and python_bundled_library (libqtensor under
its SONAME) into a staging directory, whose qtensor/ this zips into a wheel.

QTENSOR_CMAKE_BUILD_DIR names a configured build tree to reuse (built and
installed from, never reconfigured); without it the build happens from
scratch in a temporary directory. CMAKE_BUILD_PARALLEL_LEVEL sets the jobs.
"""

import base64
import hashlib
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib  # Python 3.11 on: the Python that builds the wheel
import zipfile

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
# What the wheel's interpreter and platform tag is made of, asked of the
# Python the build tree's module was compiled for.
TAG_PROGRAM = ("import sys, sysconfig; v = sys.version_info; "
               "print(f'cp{v.major}{v.minor}', f'cp{v.major}{v.minor}{sys.abiflags}', "
               "sysconfig.get_platform().replace('-', '_').replace('.', '_'))")


class BuildError(Exception):
    """A step of the wheel's build failed; the message says which."""


def _run(command, **kwargs):
    print("qtensor wheel:", " ".join(str(part) for part in command), file=sys.stderr, flush=True)
    try:
        subprocess.run([str(part) for part in command], check=True, stdout=sys.stderr, **kwargs)
    except FileNotFoundError as error:
        raise BuildError(f"{command[0]} is not installed: {error}") from None
    except subprocess.CalledProcessError as error:
        raise BuildError(f"{' '.join(map(str, command))} failed (exit {error.returncode})") \
            from None


def _cache(build_dir):
    """The build tree's CMakeCache.txt as a dict of name to value."""
    path = build_dir / "CMakeCache.txt"
    if not path.is_file():
        raise BuildError(f"{build_dir} is not a configured CMake build tree (no CMakeCache.txt)")
    entry = re.compile(r"^([A-Za-z0-9_.+-]+):[A-Z]+=(.*)$")
    return dict(m.groups() for m in map(entry.match, path.read_text().splitlines()) if m)


def _configure(build_dir):
    _run(["cmake", "-S", SOURCE_DIR, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
          "-DQTENSOR_BINDINGS=python", "-DQTENSOR_BUILD_TESTS=OFF",
          "-DQTENSOR_SANITIZER_SUITE=OFF", f"-DQTENSOR_PYTHON_EXECUTABLE={sys.executable}"])


def _build_and_stage(build_dir, stage_dir):
    """Builds the module in build_dir and installs the package into stage_dir;
    returns (the staged qtensor directory, the build tree's cache)."""
    cache = _cache(build_dir)
    if not cache.get("QTENSOR_PYTHON_PACKAGE_PARENT"):
        raise BuildError(f"{build_dir} builds no Python module: configure it with "
                         "-DQTENSOR_BINDINGS=python (or a list holding python)")
    _run(["cmake", "--build", build_dir, "--target", "qtensor_python"])
    for component in ("python", "python_bundled_library"):
        _run(["cmake", "--install", build_dir, "--component", component, "--prefix", stage_dir])
    packages = sorted(stage_dir.rglob("qtensor/__init__.py"))
    if len(packages) != 1:
        raise BuildError(f"installing the python component put {len(packages)} qtensor "
                         f"packages under {stage_dir} (is QTENSOR_PYTHON_INSTALL_DIR absolute, "
                         "or the tree configured without -DQTENSOR_BINDINGS=python?)")
    return packages[0].parent, cache


def _project():
    with open(SOURCE_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def _metadata(version):
    project = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {version}",
             f"Summary: {project['description']}",
             f"Requires-Python: {project['requires-python']}"]
    lines += [f"Requires-Dist: {requirement}" for requirement in project["dependencies"]]
    return "\n".join(lines) + "\n"


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory, package_dir, version, tag):
    name = f"qtensor-{version}"
    dist_info = f"{name}.dist-info"
    wheel_path = pathlib.Path(wheel_directory) / f"{name}-{tag}.whl"
    files = [(f"qtensor/{path.relative_to(package_dir).as_posix()}", path.read_bytes(),
              path.stat().st_mode)
             for path in sorted(package_dir.rglob("*")) if path.is_file()
             and "__pycache__" not in path.parts]
    files.append((f"{dist_info}/METADATA", _metadata(version).encode(), 0o644))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: qtensor_wheel_backend\nRoot-Is-Purelib: false\n"
        f"Tag: {tag}\n").encode(), 0o644))
    record = [_record_line(n, data) for n, data, _ in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode(), 0o644))
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name_in_wheel, data, mode in files:
            info = zipfile.ZipInfo(name_in_wheel, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_path.name


def get_requires_for_build_wheel(config_settings=None):
    """Nothing to install first: CMake, SWIG and a compiler come from the system."""
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Builds the wheel in wheel_directory and returns its file name."""
    with tempfile.TemporaryDirectory(prefix="qtensor-wheel-") as scratch:
        scratch = pathlib.Path(scratch)
        reused = os.environ.get("QTENSOR_CMAKE_BUILD_DIR")
        if reused:
            build_dir = pathlib.Path(reused).resolve()
        else:
            build_dir = scratch / "build"
            _configure(build_dir)
        package_dir, cache = _build_and_stage(build_dir, scratch / "stage")
        python = cache.get("QTENSOR_PYTHON_EXECUTABLE", sys.executable)
        tag_parts = subprocess.run([python, "-c", TAG_PROGRAM], check=True, text=True,
                                   capture_output=True).stdout.split()
        return _write_wheel(wheel_directory, package_dir, cache["CMAKE_PROJECT_VERSION"],
                            "-".join(tag_parts))
