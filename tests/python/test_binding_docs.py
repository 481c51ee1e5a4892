"""docs/python.md runs: its Python blocks execute in order as one program,
and each block prints exactly the output block that follows it."""

import contextlib
import io
import pathlib
import re


DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"
BLOCK = re.compile(r"```python\n(.*?)```\n(?:\s*Output:\s*```text\n(.*?)```\n)?", re.S)


def blocks():
    return [(code, output or "") for code, output in BLOCK.findall(DOC.read_text())]


def test_doc_has_the_notebook_sections():
    text = DOC.read_text()
    for name in ["quantize_per_tensor", "quantize_per_channel", "empty_quantized",
                 "make_per_tensor_quantized_tensor", "from_int_repr", "dequantize", "copy_",
                 "transpose", "permute", "contiguous", "save", "load", "int_repr", "q_scale",
                 "q_zero_point", "is_quantized", "item"]:
        assert name in text
    assert len(blocks()) >= 14


def test_every_block_prints_its_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__doc__"}
    for number, (code, expected) in enumerate(blocks(), 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"{DOC.name} block {number}", "exec"), namespace)
        assert printed.getvalue() == expected, f"block {number}:\n{code}"
