"""seqc.compile: the compiler, in-process, with the command line's options."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
import tempfile
import weakref
from pathlib import Path
from typing import Any, Union

from . import _seqc
from ._errors import CompileError
from ._model import CompiledModel

ModelSource = Union[str, "os.PathLike[str]", bytes, Any]  # Any: onnx.ModelProto

# Flags that `compile` sets itself or that belong to other methods.
_RESERVED = {"o", "emit"}


def flags() -> dict[str, dict[str, str]]:
    """seqc's command-line flags, as `seqc --help` lists them: name ->
    {"kind", "default", "help"}. `compile` accepts each as a keyword."""
    return {name: {"kind": kind, "default": default, "help": help_}
            for name, kind, default, help_ in _seqc.flags()
            if name not in _RESERVED}


def kernel_backends() -> tuple[str, ...]:
    """The matmul kernel backends this build of seqc has: ("mlir",) or
    ("mlir", "halide"); `compile(..., kernels=...)` takes one, or "auto"."""
    return tuple(_seqc.kernel_backends())


def command_line(target: str = "host", **options: Any) -> list[str]:
    """The seqc flags for keyword options; unknown names raise TypeError."""
    known = flags()
    args = [] if target in ("host", "", None) else [f"--target={target}"]
    for key, value in options.items():
        # bind={"sr": 16000} and input_shapes={"input": [None, 576]} map to
        # repeated --bind / --input-shape flags.
        if key == "bind" and isinstance(value, Mapping):
            for input_name, v in value.items():
                values = v if isinstance(v, (list, tuple)) else [v]
                args.append(f"--bind={input_name}="
                            + ",".join(str(x) for x in values))
            continue
        if key == "input_shapes" and isinstance(value, Mapping):
            for input_name, dims in value.items():
                args.append(f"--input-shape={input_name}=" + "x".join(
                    "?" if d is None else str(int(d)) for d in dims))
            continue
        name = key.replace("_", "-")
        if key == "O":
            name = "O"
        if name not in known:
            raise TypeError(f"unknown seqc option {key!r}; options are: "
                            + ", ".join(sorted(known)))
        kind = known[name]["kind"]
        if value is None:
            continue
        if kind == "bool":
            if value:
                args.append(f"--{name}")
        elif name == "O":
            args.append(f"-O{int(value)}")
        else:
            args.append(f"--{name}={value}")
    return args


def _model_file(model: ModelSource, workdir: Path) -> Path:
    """A path to the model on disk (written into `workdir` unless it is one)."""
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if not path.is_file():
            raise CompileError(f"{path}: no such model file")
        return path
    if isinstance(model, (bytes, bytearray, memoryview)):
        data = bytes(model)
    elif hasattr(model, "SerializeToString"):
        data = model.SerializeToString()
    else:
        raise TypeError("model must be a path, bytes or an onnx.ModelProto, "
                        f"not {type(model).__name__}")
    path = workdir / "model.onnx"
    path.write_bytes(data)
    return path


def _prefix_for(path: Path, options: dict[str, Any]) -> str:
    name = options.get("name") or path.stem or "model"
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return name if not name[0].isdigit() else "_" + name


def compile(model: ModelSource, *, target: str = "host",
            emit_dir: str | os.PathLike[str] | None = None,
            **options: Any) -> CompiledModel:
    """Compiles `model` (a path, bytes, or an onnx.ModelProto) and loads it.

    `target` is the target triple ("host" for this machine); `emit_dir`
    keeps the artifacts (model.o, libmodel.a, libmodel.so, model.h) there,
    otherwise they live in a temporary folder as long as the model. Other
    keywords are the `seqc` command-line flags (see `seqc.flags()`).
    Raises CompileError with the compiler's one-line message."""
    args = command_line(target=target, **options)
    temporary = emit_dir is None
    workdir = Path(tempfile.mkdtemp(prefix="seqc-") if temporary else emit_dir)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        source = _model_file(model, workdir)
        prefix = _prefix_for(source, options)
        status, _, err = _seqc.run(["seqc", str(source), "-o",
                                    str(workdir / prefix), *args])
        if status != 0:
            raise CompileError(err.strip() or "seqc: compilation failed")
    except BaseException:
        # A failed compile leaves nothing behind (the model's copy included).
        if temporary:
            _remove_tree(str(workdir))
        raise
    # .ir() reruns the compiler: same flags, same symbol prefix.
    ir_flags = [*args, f"--name={prefix}"] if "name" not in options else args
    compiled = CompiledModel(workdir, prefix, source=source, flags=ir_flags)
    if temporary:
        weakref.finalize(compiled, _remove_tree, str(workdir))
    return compiled


def emit_stage(source: Path, flags: list[str], stage: str) -> str:
    """The text of one compiler stage (`seqc --emit=STAGE`)."""
    status, out, err = _seqc.run(["seqc", str(source), f"--emit={stage}", *flags])
    if status != 0:
        raise CompileError(err.strip() or "seqc: compilation failed")
    return out


def _remove_tree(path: str) -> None:
    import shutil
    shutil.rmtree(path, ignore_errors=True)
