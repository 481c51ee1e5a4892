"""docs/bindings.md against the Python binding: every function of the C
header has a row, and every Python member a row names exists with its
parameters named in the order written (or the row says why it is absent)."""

import inspect
import os
import re

import pytest

import qtensor

HEADER = os.environ["QTENSOR_HEADER"]
TABLE = os.environ["QTENSOR_API_TABLE"]
PYTHON_COLUMN = 4  # cells of "| C | Java | C# | Python |" after splitting on "|"


def header_functions():
    with open(HEADER, encoding="utf-8") as file:
        text = file.read()
    return set(re.findall(r"QTENSOR_API\b[^;{]*?\b(qt_\w+)\s*\(", text))


def table_rows():
    """{C function: Python cell} from the table's rows."""
    rows = {}
    with open(TABLE, encoding="utf-8") as file:
        for line in file:
            if not line.startswith("| `qt_"):
                continue
            cells = [cell.strip() for cell in line.strip().split("|")]
            function = cells[1].strip("`")
            assert function not in rows, f"{function} has two rows"
            rows[function] = cells[PYTHON_COLUMN]
    return rows


ROWS = table_rows()
CLASSES = {name: value for name, value in vars(qtensor).items() if isinstance(value, type)}


def test_every_header_function_has_one_row_and_every_row_a_function():
    functions = header_functions()
    assert len(functions) > 80
    assert sorted(functions - ROWS.keys()) == [], "C functions without a row"
    assert sorted(ROWS.keys() - functions) == [], "rows naming no C function"


def parameter_names(member):
    parameters = list(inspect.signature(member).parameters.values())
    if parameters and parameters[0].name == "self":
        parameters = parameters[1:]
    return [parameter.name for parameter in parameters]


def resolve(entry):
    """The member an entry names and the parameter names it writes (None
    for an attribute or property, written without parentheses)."""
    match = re.fullmatch(r"(?:([\w.]+)\.)?(\w+)(?:\(([^)]*)\))?", entry)
    assert match, f"cannot read the entry {entry!r}"
    owner_name, member_name, parameters = match.groups()
    if owner_name is not None and "." in owner_name:
        # A class of a subpackage: ao.quantization.MinMaxObserver.
        owner = qtensor
        for part in owner_name.split("."):
            owner = getattr(owner, part, None)
        owner = owner if isinstance(owner, type) else None
    else:
        owner = qtensor if owner_name is None else CLASSES.get(owner_name)
    assert owner is not None, f"qtensor has no class {owner_name}"
    assert hasattr(owner, member_name), f"{owner_name or 'qtensor'} has no {member_name}"
    expected = None if parameters is None else [p.strip() for p in parameters.split(",") if p.strip()]
    return getattr(owner, member_name), expected


@pytest.mark.parametrize("function", sorted(ROWS))
def test_python_counterpart(function):
    cell = ROWS[function]
    if cell.startswith("absent:"):
        assert len(cell[len("absent:"):].strip()) > 10, f"{function}: give the reason"
        return
    entries = re.findall(r"`([^`]+)`", cell)
    assert entries and cell.replace("·", "").replace(" ", "") == "".join(
        f"`{e}`" for e in entries).replace(" ", ""), f"{function}: cannot read the cell {cell!r}"
    for entry in entries:
        member, expected = resolve(entry)
        if expected is not None:
            assert callable(member), f"{entry} is not callable"
            assert parameter_names(member) == expected, f"{entry}: parameters differ"


def test_a_wrong_entry_is_caught():
    """The checks above can fail: a missing member and swapped parameters."""
    with pytest.raises(AssertionError, match="has no"):
        resolve("Tensor.no_such_method()")
    member, expected = resolve("Quantizer.per_tensor_affine(zero_point, scale, dtype)")
    assert parameter_names(member) != expected
