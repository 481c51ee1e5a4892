"""Every public name of the qtensor package has a docstring, so help() tells
what it does and returns: the modules' public attributes (qtensor,
qtensor.ops with its ops.quantized namespace, qtensor.ao,
qtensor.ao.quantization, qtensor.nn, qtensor.nn.quantized,
qtensor.nn.quantized.functional) and every public method, property and attribute
of the classes among them. Fails listing each name without one."""

import inspect
import types

import qtensor
import qtensor.ao.quantization
import qtensor.nn.quantized.functional


def _is_ours(obj):
    return (getattr(obj, "__module__", None) or "").startswith("qtensor") or \
        (inspect.ismodule(obj) and obj.__name__.startswith("qtensor"))


def _own_doc(obj):
    """The docstring obj itself has: a class's not inherited from a base,
    a slot's from its class's __slots__ dict (inspect.getdoc reads those)."""
    if inspect.isclass(obj):
        return obj.__dict__.get("__doc__")
    if inspect.ismemberdescriptor(obj):
        return inspect.getdoc(obj)
    return obj.__doc__


def _class_members(cls, qualified):
    """(name, documented) for every public attribute a qtensor class of
    cls's defines (inherited ones from Python, Exception.args or
    Mapping.get, are Python's to document)."""
    for name in dir(cls):
        owner = next((base for base in cls.__mro__ if name in vars(base)), None)
        if name.startswith("_") or owner is None or not _is_ours(owner):
            continue
        doc = _own_doc(vars(owner)[name])
        yield f"{qualified}.{name}", bool(doc and doc.strip())


def public_surface():
    """(qualified name, documented) for the whole public surface."""
    modules = {"qtensor": qtensor, "qtensor.ops": qtensor.ops, "qtensor.ao": qtensor.ao,
               "qtensor.ao.quantization": qtensor.ao.quantization, "qtensor.nn": qtensor.nn,
               "qtensor.nn.quantized": qtensor.nn.quantized,
               "qtensor.nn.quantized.functional": qtensor.nn.quantized.functional}
    found, seen_classes = [], set()
    for module_name, module in modules.items():
        names = set(getattr(module, "__all__", [])) | {n for n in vars(module)
                                                       if not n.startswith("_")}
        found.append((module_name, bool(_own_doc(module))))
        for name in sorted(names):
            obj = getattr(module, name)
            qualified = f"{module_name}.{name}"
            if inspect.isclass(obj):
                found.append((qualified, bool(_own_doc(obj))))
                if _is_ours(obj) and obj not in seen_classes:
                    seen_classes.add(obj)
                    found += _class_members(obj, qualified)
            elif inspect.isroutine(obj) or inspect.ismodule(obj):
                found.append((qualified, bool(_own_doc(obj))))
            elif isinstance(obj, types.SimpleNamespace):  # ops.quantized
                found += [(f"{qualified}.{n}", bool(_own_doc(f))) for n, f in vars(obj).items()]
    return found


def test_the_walk_reaches_the_whole_api():
    names = {name for name, _ in public_surface()}
    for expected in ["qtensor.Tensor.item", "qtensor.Tensor.shape", "qtensor.Quantizer.scale",
                     "qtensor.Bundle.metadata", "qtensor.Bundle.load", "qtensor.DType.itemsize",
                     "qtensor.DType.int_dtype", "qtensor.ops.add", "qtensor.ops.quantized.mul",
                     "qtensor.quantize_per_tensor", "qtensor.native", "qtensor.Size.numel",
                     "qtensor.ao.quantization.HistogramObserver.calculate_qparams",
                     "qtensor.ao.quantization.PerChannelMinMaxObserver.ch_axis",
                     "qtensor.ao.quantization.MinMaxObserver.min_val",
                     "qtensor.nn.quantized.functional.avg_pool2d"]:
        assert expected in names
    assert len(names) > 200


def test_every_public_name_has_a_docstring():
    missing = sorted({name for name, documented in public_surface() if not documented})
    assert not missing, "public names without a docstring:\n  " + "\n  ".join(missing)


def test_help_says_what_item_returns():
    assert "Python float" in qtensor.Tensor.item.__doc__
    assert "Python float" in _help_text(qtensor.Tensor.item)


def _help_text(obj):
    import pydoc
    return pydoc.render_doc(obj, renderer=pydoc.plaintext)
