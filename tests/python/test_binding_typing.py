"""The package's type stubs (.pyi, py.typed) under mypy --strict: the stubs
themselves check, a typed program over the API (typing/uses_api.py) checks
and runs, the deliberate misuses of typing/misuse.py are each reported, and
the stubs name exactly the runtime's public names, so a new function cannot
go without its types."""

import ast
import inspect
import os
import pathlib
import re
import subprocess
import sys

import pytest

import qtensor
import qtensor.ao.quantization
import qtensor.nn.quantized.functional

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE = pathlib.Path(qtensor.__file__).resolve().parent
STUBS = {"qtensor": PACKAGE / "__init__.pyi", "qtensor.ops": PACKAGE / "_ops.pyi",
         "qtensor.ao": PACKAGE / "ao" / "__init__.pyi",
         "qtensor.ao.quantization": PACKAGE / "ao" / "quantization" / "__init__.pyi",
         "qtensor.nn": PACKAGE / "nn" / "__init__.pyi",
         "qtensor.nn.quantized": PACKAGE / "nn" / "quantized" / "__init__.pyi",
         "qtensor.nn.quantized.functional": PACKAGE / "nn" / "quantized" / "functional.pyi"}
MODULES = {"qtensor": qtensor, "qtensor.ops": qtensor.ops, "qtensor.ao": qtensor.ao,
           "qtensor.ao.quantization": qtensor.ao.quantization, "qtensor.nn": qtensor.nn,
           "qtensor.nn.quantized": qtensor.nn.quantized,
           "qtensor.nn.quantized.functional": qtensor.nn.quantized.functional}


def mypy(tmp_path, *files):
    """mypy --strict over files (the package found where the test imports it
    from); returns (exit status, report)."""
    environment = dict(os.environ, MYPYPATH=str(PACKAGE.parent))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(tmp_path / "mypy-cache"), *map(str, files)],
        cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def test_the_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()
    for stub in STUBS.values():
        assert stub.is_file()


def test_the_stubs_pass_mypy_strict(tmp_path):
    status, report = mypy(tmp_path, *STUBS.values())
    assert (status, report) == (0, "")


def test_a_typed_program_passes_mypy_strict_and_runs(tmp_path):
    program = HERE / "typing" / "uses_api.py"
    status, report = mypy(tmp_path, program)
    assert (status, report) == (0, "")
    run = subprocess.run([sys.executable, str(program)], capture_output=True, text=True,
                         cwd=tmp_path, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, "OK\n", "")


def test_mypy_reports_every_deliberate_misuse(tmp_path):
    program = HERE / "typing" / "misuse.py"
    expected = {number: marker.strip() for number, line in
                enumerate(program.read_text().splitlines(), 1)
                for marker in re.findall(r"# error: (.*)$", line)}
    assert len(expected) >= 5
    status, report = mypy(tmp_path, program)
    errors = {}
    for line in report.splitlines():
        match = re.match(r".*misuse\.py:(\d+): error: (.*)$", line)
        if match:
            errors.setdefault(int(match.group(1)), []).append(match.group(2))
    assert status == 1, report
    assert set(errors) == set(expected), report  # each misuse, and nothing else
    for number, marker in expected.items():
        assert any(marker in error for error in errors[number]), (number, marker, report)


def _stub_names(tree):
    """The public names a stub module or class body defines."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname for alias in node.names if alias.asname)  # re-exports
    return {name for name in names if not name.startswith("_")}


def _runtime_class_names(cls):
    return {name for name in dir(cls) if not name.startswith("_")
            and any(name in vars(base) for base in cls.__mro__
                    if base.__module__.startswith("qtensor"))}


@pytest.mark.parametrize("module_name", sorted(STUBS))
def test_the_stubs_name_every_public_runtime_name(module_name):
    tree = ast.parse(STUBS[module_name].read_text())
    module = MODULES[module_name]
    runtime = {name for name in vars(module) if not name.startswith("_")
               and not (inspect.ismodule(getattr(module, name))
                        and not getattr(module, name).__name__.startswith("qtensor"))}
    if module_name == "qtensor.ops":  # the modules and helpers it imports are not its API
        runtime = {name for name in runtime if not inspect.ismodule(getattr(module, name))
                   and getattr(getattr(module, name), "__module__", module.__name__)
                   == module.__name__}
    assert _stub_names(tree) == runtime
    stub_classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for name, node in stub_classes.items():
        cls = getattr(module, name, None)
        if name.startswith("_") or not inspect.isclass(cls):
            continue
        members = _stub_names(node) | {n for base in node.bases if isinstance(base, ast.Name)
                                       and base.id in stub_classes
                                       for n in _stub_names(stub_classes[base.id])}
        assert members == _runtime_class_names(cls), name
