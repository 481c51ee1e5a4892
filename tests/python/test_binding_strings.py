"""Every string parameter of the Python binding: a NUL or an unpaired
surrogate is refused with ValueError before the library sees it (a C string
would be cut at the NUL; UTF-8 has no surrogates), nothing is stored, and a
mapping's `in` answers False. Paths are the file system's bytes, so a file
name that is not UTF-8 still names its file."""

import os

import numpy as np
import pytest

import qtensor

BAD_STRINGS = ["a\0b", "\0", "\ud800", "x\udc00y", "\udbff"]


def tensor():
    return qtensor.quantize_per_tensor(np.array([1.0, 2.0], np.float32), 0.5, 0, qtensor.qint8)


@pytest.mark.parametrize("bad", BAD_STRINGS)
def test_bundle_names_and_metadata_refuse_bad_strings(bad):
    bundle = qtensor.Bundle({"kept": tensor()}, metadata={"k": "v"})
    with pytest.raises(ValueError, match="bundle name"):
        bundle[bad] = tensor()
    with pytest.raises(ValueError, match="bundle name"):
        bundle[bad]
    with pytest.raises(ValueError, match="bundle name"):
        del bundle[bad]
    with pytest.raises(ValueError, match="metadata key"):
        bundle.metadata[bad] = "v"
    with pytest.raises(ValueError, match="metadata value"):
        bundle.metadata["k"] = bad
    with pytest.raises(ValueError, match="metadata key"):
        bundle.metadata[bad]
    assert bad not in bundle and bad not in bundle.metadata
    assert list(bundle) == ["kept"] and dict(bundle.metadata) == {"k": "v"}


def test_strings_with_every_other_character_are_kept_exactly():
    names = ["é", "日本", "\U0001F600", "a b", "\x7f", "\ud7ff\ue000"]
    bundle = qtensor.Bundle({name: tensor() for name in names},
                            metadata={name: name * 2 for name in names})
    back = qtensor.deserialize(bundle.serialize())
    assert list(back) == names
    assert dict(back.metadata) == {name: name * 2 for name in names}


@pytest.mark.parametrize("bad", BAD_STRINGS)
def test_paths_refuse_nul_and_unpaired_surrogates(bad, tmp_path):
    # (None of BAD_STRINGS is a surrogate escape, \udc80-\udcff, which os.fsencode
    # turns back into the byte it stands for.)
    path = str(tmp_path / f"t{bad}.qt")
    for call in (lambda: tensor().save(path), lambda: qtensor.save(tensor(), path),
                 lambda: qtensor.load(path), lambda: qtensor.Bundle().save(path),
                 lambda: qtensor.Bundle.load(path)):
        with pytest.raises(ValueError, match="path"):
            call()
    assert os.listdir(tmp_path) == []


def test_a_file_name_that_is_not_utf8_names_its_file(tmp_path):
    raw = os.fsencode(tmp_path) + b"/w\xff\xfe.qt"
    tensor().save(raw)
    (escaped,) = os.listdir(tmp_path)  # what os.listdir gives for that name
    assert escaped == "w\udcff\udcfe.qt"
    for name in (raw, str(tmp_path / escaped), tmp_path / escaped):
        assert qtensor.load(name).int_repr().tolist() == [2, 4]
    qtensor.Bundle({"t": tensor()}).save(tmp_path / "b\udcff.qtb")
    assert list(qtensor.Bundle.load(os.fsencode(tmp_path) + b"/b\xff.qtb")) == ["t"]


def test_an_error_quoting_a_name_that_is_not_utf8_is_still_readable(tmp_path):
    with pytest.raises(qtensor.FileError) as raised:
        qtensor.load(os.fsencode(tmp_path) + b"/missing\xfe.qt")
    assert "missing\\xfe.qt" in str(raised.value)


@pytest.mark.parametrize("bad", BAD_STRINGS)
def test_simd_target_refuses_bad_strings(bad):
    before = qtensor.simd_target()
    with pytest.raises(ValueError):
        qtensor.set_max_simd_target(bad)
    assert qtensor.simd_target() == before


def test_paths_of_the_wrong_type_are_type_errors():
    for wrong in (3, 2.5, None, ["a"]):
        with pytest.raises(TypeError):
            qtensor.load(wrong)
