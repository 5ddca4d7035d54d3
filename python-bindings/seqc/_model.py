"""CompiledModel: a compiled seqc library, called with NumPy arrays.

The library's C API (docs/c-api.md) is driven through ctypes from
`<prefix>_info()` alone. ctypes releases the GIL around each foreign call, so
compiled code runs while other Python threads go on.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

import numpy as np

from ._errors import CompileError, ExecutionError

# ONNX TensorProto.DataType -> NumPy dtype.
_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16,
           6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16,
           11: np.float64, 12: np.uint32, 13: np.uint64}
_STATUS = {1: "null pointer", 2: "shape", 3: "out of memory"}
_TEXT_STAGES = ("onnx", "seq", "linalg", "llvm", "asm")


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("elem_type", ctypes.c_int32),
                ("rank", ctypes.c_int32), ("dims", ctypes.POINTER(ctypes.c_int64)),
                ("dim_names", ctypes.POINTER(ctypes.c_char_p))]


class _ModelInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("inputs", ctypes.POINTER(_TensorInfo)),
                ("outputs", ctypes.POINTER(_TensorInfo))]


@dataclass(frozen=True)
class TensorSpec:
    """An input or output: its ONNX name, NumPy dtype and shape, where a
    dynamic dimension is its symbolic name (a str) or None when unnamed."""

    name: str
    dtype: np.dtype
    shape: tuple[Union[int, str, None], ...]

    @property
    def rank(self) -> int:
        return len(self.shape)


def _spec(info: _TensorInfo) -> TensorSpec:
    shape = []
    for d in range(info.rank):
        size = info.dims[d]
        symbol = info.dim_names[d].decode()
        shape.append(size if size >= 0 else (symbol or None))
    return TensorSpec(info.name.decode(), np.dtype(_DTYPES.get(info.elem_type, np.uint8)),
                      tuple(shape))


class CompiledModel:
    """A compiled model: call it with NumPy arrays.

    `model(x, h0)` or `model(X=x, initial_h=h0)` returns the outputs (one
    array, or a tuple); `model.run(inputs, as_dict=True)` returns a dict by
    output name. Inputs are converted to C-contiguous arrays; their dtypes
    and shapes are checked against the model."""

    def __init__(self, directory: Union[str, os.PathLike], prefix: str, *,
                 source: Path | None = None, flags: Sequence[str] = ()):
        self.directory = Path(directory)
        self.prefix = prefix
        self._source, self._flags = source, list(flags)
        self._lib = lib = ctypes.CDLL(str(self.directory / f"lib{prefix}.so"))
        fn = lambda suffix: getattr(lib, f"{prefix}_{suffix}")  # noqa: E731
        fn("info").restype = ctypes.POINTER(_ModelInfo)
        fn("context_create").restype = ctypes.c_void_p
        fn("context_destroy").argtypes = [ctypes.c_void_p]
        fn("last_error").restype = ctypes.c_char_p
        fn("last_error").argtypes = [ctypes.c_void_p]
        for name in ("output_shapes", "run"):
            fn(name).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
            fn(name).restype = ctypes.c_int
        self._fn = fn
        info = fn("info")().contents
        self.inputs = [_spec(info.inputs[i]) for i in range(info.num_inputs)]
        self.outputs = [_spec(info.outputs[i]) for i in range(info.num_outputs)]

    def __repr__(self) -> str:
        def fmt(specs):
            return ", ".join(f"{s.name}: {s.dtype}{list(s.shape)}" for s in specs)
        return f"<seqc.CompiledModel {self.prefix} ({fmt(self.inputs)}) -> ({fmt(self.outputs)})>"

    # --- running -----------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any):
        outputs = self.run(kwargs if kwargs else list(args))
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def run(self, inputs: Union[Sequence[Any], Mapping[str, Any]], *,
            as_dict: bool = False):
        """Runs the model; `inputs` in order or by ONNX name."""
        arrays = self._check_inputs(inputs)
        slots_in = self._slots([(a.ctypes.data, a.shape) for a in arrays])
        ctx = self._fn("context_create")()
        if not ctx:
            raise ExecutionError("out of memory", 3)
        try:
            shapes = [(None, (0,) * spec.rank) for spec in self.outputs]
            slots_out = self._slots(shapes)
            self._call("output_shapes", ctx, slots_in, slots_out)
            results, offset = [], 0
            for spec in self.outputs:
                shape = tuple(slots_out[offset + 1: offset + 1 + spec.rank])
                results.append(np.empty(shape, dtype=spec.dtype))
                offset += 1 + spec.rank
            slots_out = self._slots([(r.ctypes.data, r.shape) for r in results])
            self._call("run", ctx, slots_in, slots_out)
        finally:
            self._fn("context_destroy")(ctx)
        if as_dict:
            return {spec.name: r for spec, r in zip(self.outputs, results)}
        return results

    def _call(self, name: str, ctx, slots_in, slots_out) -> None:
        status = self._fn(name)(ctx, ctypes.byref(slots_in), ctypes.byref(slots_out))
        if status != 0:
            message = self._fn("last_error")(ctx).decode()
            raise ExecutionError(f"{self.prefix}: {message or _STATUS.get(status, 'error')}",
                                 status)

    @staticmethod
    def _slots(tensors) -> ctypes.Array:
        """The inputs/outputs struct: a pointer slot then the shape, per tensor."""
        words = []
        for pointer, shape in tensors:
            words.append(pointer or 0)
            words.extend(int(d) for d in shape)
        return (ctypes.c_int64 * max(len(words), 1))(*words)

    def _check_inputs(self, inputs) -> list[np.ndarray]:
        if isinstance(inputs, Mapping):
            unknown = set(inputs) - {s.name for s in self.inputs}
            if unknown:
                raise ExecutionError(f"unknown input(s) {sorted(unknown)}; the model "
                                     f"takes {[s.name for s in self.inputs]}")
            missing = [s.name for s in self.inputs if s.name not in inputs]
            if missing:
                raise ExecutionError(f"missing input(s) {missing}")
            values = [inputs[s.name] for s in self.inputs]
        else:
            values = list(inputs)
            if len(values) != len(self.inputs):
                raise ExecutionError(f"expected {len(self.inputs)} input(s) "
                                     f"{[s.name for s in self.inputs]}, got {len(values)}")
        arrays = []
        for spec, value in zip(self.inputs, values):
            if value is None:
                raise ExecutionError(f"input '{spec.name}' is None")
            if isinstance(value, np.ndarray):
                if value.dtype != spec.dtype:
                    raise ExecutionError(f"input '{spec.name}': expected {spec.dtype}, "
                                         f"got {value.dtype}")
            else:
                try:
                    value = np.asarray(value, dtype=spec.dtype)
                except (TypeError, ValueError) as e:
                    raise ExecutionError(f"input '{spec.name}': {e}") from None
            if value.ndim != spec.rank:
                raise ExecutionError(f"input '{spec.name}': expected rank {spec.rank} "
                                     f"{list(spec.shape)}, got shape {list(value.shape)}")
            arrays.append(np.asarray(value, order="C"))
        return arrays

    # --- artifacts ---------------------------------------------------------

    def artifacts(self) -> list[Path]:
        """The files the CLI writes: <p>.o, lib<p>.a, lib<p>.so, <p>.h."""
        p = self.prefix
        return [self.directory / n for n in (f"{p}.o", f"lib{p}.a", f"lib{p}.so", f"{p}.h")]

    def save(self, directory: Union[str, os.PathLike]) -> Path:
        """Copies the artifacts into `directory` (created if needed)."""
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        for path in self.artifacts():
            shutil.copy2(path, target / path.name)
        return target

    def ir(self, stage: str) -> str:
        """The IR of one compiler stage: onnx, seq, linalg, llvm or asm."""
        if stage not in _TEXT_STAGES:
            raise ValueError(f"stage must be one of {_TEXT_STAGES}, not {stage!r}")
        if self._source is None or not self._source.exists():
            raise CompileError("this model was loaded from artifacts: its IR needs "
                               "the ONNX model (use seqc.compile)")
        from ._compile import emit_stage
        return emit_stage(self._source, self._flags, stage)


def load(directory: Union[str, os.PathLike], name: str | None = None) -> CompiledModel:
    """Loads artifacts written by `CompiledModel.save` or `seqc -o DIR/NAME`
    (no compiler needed). `name` picks the model when DIR holds several."""
    folder = Path(directory)
    libraries = sorted(folder.glob("lib*.so"))
    if name is None:
        if len(libraries) != 1:
            raise ExecutionError(f"{folder}: expected one lib<name>.so, found "
                                 f"{[p.name for p in libraries]}; pass name=")
        name = libraries[0].name[3:-3]
    if not (folder / f"lib{name}.so").is_file():
        raise ExecutionError(f"{folder}: no lib{name}.so")
    return CompiledModel(folder, name)
