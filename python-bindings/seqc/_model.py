"""CompiledModel: a compiled seqc library, called with NumPy arrays.

The library's C API (docs/c-api.md) is driven from `<prefix>_info()` alone:
the inputs/outputs structs are built at the offsets and with the sizes it
reports. Plain tensors take one call of the extension's Invoker (C++, about
4 us); other values, and inputs that need converting, go through ctypes with
every check in Python. Both release the GIL around the model's code, so it
runs while other Python threads go on.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

import numpy as np

from ._errors import CompileError, ExecutionError

# ONNX TensorProto.DataType -> NumPy dtype. bfloat16 and the narrow formats
# are ml_dtypes' types, which hold one element per byte (the 4- and 2-bit
# ones in the low bits) exactly as the compiled code does.
_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16,
           6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16,
           11: np.float64, 12: np.uint32, 13: np.uint64, 8: object}
_ML_DTYPES = {16: "bfloat16", 17: "float8_e4m3fn", 18: "float8_e4m3fnuz",
              19: "float8_e5m2", 20: "float8_e5m2fnuz", 21: "uint4", 22: "int4",
              23: "float4_e2m1fn", 24: "float8_e8m0fnu", 25: "uint2", 26: "int2"}
_STATUS = {1: "null pointer", 2: "shape", 3: "out of memory"}
_TEXT_STAGES = ("onnx", "seq", "linalg", "llvm", "asm")

# The SEQC_ABI_VERSION (seqc/Runtime/SeqcTypes.h) of the structs below: a
# library of another version is refused, not misread.
ABI_VERSION = 2

# seqc_role, and SEQC_SEQUENCE_MAX_RANK (seqc/Runtime/SeqcTypes.h).
_ROLE_TENSOR, _ROLE_SEQUENCE_DATA, _ROLE_SEQUENCE_SHAPES, _ROLE_PRESENT = range(4)
_SEQUENCE_MAX_RANK = 8


class _TensorInfo(ctypes.Structure):
    """seqc_tensor_info."""
    _fields_ = [("name", ctypes.c_char_p), ("elem_type", ctypes.c_int32),
                ("rank", ctypes.c_int32), ("dims", ctypes.POINTER(ctypes.c_int64)),
                ("dim_names", ctypes.POINTER(ctypes.c_char_p)),
                ("data_offset", ctypes.c_int64), ("shape_offset", ctypes.c_int64),
                ("role", ctypes.c_int32), ("element_rank", ctypes.c_int32),
                ("element_dims", ctypes.POINTER(ctypes.c_int64))]


class _ModelInfo(ctypes.Structure):
    """seqc_model_info; abi_version comes first in every version."""
    _fields_ = [("abi_version", ctypes.c_int32), ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32), ("name", ctypes.c_char_p),
                ("inputs", ctypes.POINTER(_TensorInfo)),
                ("outputs", ctypes.POINTER(_TensorInfo)),
                ("inputs_size", ctypes.c_int64), ("outputs_size", ctypes.c_int64)]


@dataclass(frozen=True)
class TensorSpec:
    """An input or output: its ONNX name, NumPy dtype and shape, where a
    dynamic dimension is its symbolic name (a str) or None when unnamed.

    `kind` is "tensor", "sequence" (a list of arrays; `shape` is the
    elements' declared shape, None when their rank may differ), or either
    prefixed with "optional " (None when it holds no value)."""

    name: str
    dtype: np.dtype
    shape: Union[tuple[Union[int, str, None], ...], None]
    kind: str = "tensor"

    @property
    def rank(self) -> int:
        return -1 if self.shape is None else len(self.shape)

    @property
    def value(self) -> "TensorSpec":
        """What an optional holds (the spec itself otherwise)."""
        return TensorSpec(self.name, self.dtype, self.shape,
                          self.kind.removeprefix("optional "))

    def to_members(self, value: Any) -> list[np.ndarray]:
        """The arrays that carry `value` in the C structs (docs/c-api.md)."""
        if self.kind.startswith("optional "):
            present = value is not None
            return [np.array(present)] + self.value.to_members(
                value if present else self.value.empty())
        if self.kind == "sequence":
            elements = [np.asarray(e, dtype=self.dtype) for e in value]
            table = np.ones((len(elements), 1 + _SEQUENCE_MAX_RANK), np.int64)
            for row, e in zip(table, elements):
                if e.ndim > _SEQUENCE_MAX_RANK:
                    raise ExecutionError(f"input '{self.name}': elements of rank "
                                         f"{e.ndim} are above {_SEQUENCE_MAX_RANK}")
                row[0] = e.ndim
                row[1:1 + e.ndim] = e.shape
            data = (np.concatenate([e.ravel() for e in elements]) if elements
                    else np.empty(0, self.dtype))
            return [np.ascontiguousarray(data, dtype=self.dtype), table]
        return [np.ascontiguousarray(value, dtype=self.dtype)]

    def from_members(self, arrays: list[np.ndarray]) -> Any:
        """The value the arrays of to_members carry."""
        if self.kind.startswith("optional "):
            return self.value.from_members(arrays[1:]) if arrays[0] else None
        if self.kind == "sequence":
            data, table = arrays
            elements, start = [], 0
            for row in table:
                shape = tuple(int(d) for d in row[1:1 + int(row[0])])
                size = int(np.prod(shape, dtype=np.int64))
                elements.append(data[start:start + size].reshape(shape))
                start += size
            return elements
        return arrays[0]

    def empty(self) -> Any:
        """A value holding nothing: no elements, or zeros (dynamic dims 0)."""
        if self.kind == "sequence":
            return []
        return np.zeros([d if isinstance(d, int) else 0 for d in self.shape], self.dtype)


@dataclass(frozen=True)
class StructLayout:
    """Where `<prefix>_inputs` or `<prefix>_outputs` keeps each tensor's data
    pointer and shape (byte offsets, in model order), and its size."""

    data_offsets: tuple[int, ...]
    shape_offsets: tuple[int, ...]
    size: int

    def new(self) -> ctypes.Array:
        """A zeroed struct as int64 words: its members are pointers and int64
        shapes, each at a multiple of 8 bytes."""
        return (ctypes.c_int64 * max(1, -(-self.size // 8)))()

    def fill(self, struct: ctypes.Array, tensors) -> None:
        """Writes each (pointer, shape) of `tensors` into the struct."""
        for i, (pointer, shape) in enumerate(tensors):
            struct[self.data_offsets[i] // 8] = pointer
            start = self.shape_offsets[i] // 8
            struct[start:start + len(shape)] = shape

    def shape(self, struct: ctypes.Array, i: int, rank: int) -> tuple[int, ...]:
        start = self.shape_offsets[i] // 8
        return tuple(struct[start:start + rank])


def _layout(infos, count: int, size: int) -> StructLayout:
    return StructLayout(tuple(infos[i].data_offset for i in range(count)),
                        tuple(infos[i].shape_offset for i in range(count)), size)


def _read_info(address: int, library: str) -> _ModelInfo:
    """The model info at `address`, once its ABI version is known to match."""
    version = ctypes.c_int32.from_address(address).value
    if version != ABI_VERSION:
        raise ExecutionError(f"{library} uses seqc C ABI version {version}, this seqc "
                             f"package reads version {ABI_VERSION}: recompile the model "
                             "with this seqc")
    return _ModelInfo.from_address(address)


def _dtype(elem_type: int) -> np.dtype:
    if elem_type in _DTYPES:
        return np.dtype(_DTYPES[elem_type])
    import ml_dtypes
    return np.dtype(getattr(ml_dtypes, _ML_DTYPES[elem_type]))


def _string_pointers(array: np.ndarray, keep: list) -> np.ndarray:
    """A string tensor (str or bytes objects) as the C API takes it: a
    pointer per element to its NUL-terminated UTF-8 bytes, which `keep`
    holds alive."""
    encoded = [s.encode() if isinstance(s, str) else bytes(s) for s in array.ravel()]
    keep.extend(encoded)
    pointers = [ctypes.cast(ctypes.c_char_p(b), ctypes.c_void_p).value for b in encoded]
    return np.array(pointers, dtype=np.uintp).reshape(array.shape)


def _spec(info: _TensorInfo) -> TensorSpec:
    shape = []
    for d in range(info.rank):
        size = info.dims[d]
        symbol = info.dim_names[d].decode()
        shape.append(size if size >= 0 else (symbol or None))
    return TensorSpec(info.name.decode(), _dtype(info.elem_type), tuple(shape))


def _values(infos, count: int) -> list[tuple[TensorSpec, int]]:
    """The model's values, each with its number of struct members: a
    sequence is a data and a shapes member, an optional a present member
    before its value's."""
    values, i = [], 0
    while i < count:
        first, optional = i, infos[i].role == _ROLE_PRESENT
        i += optional
        info = infos[i]
        if info.role == _ROLE_SEQUENCE_DATA:
            table = infos[i + 1]
            shape = (None if table.element_rank < 0 else
                     tuple(d if d >= 0 else None
                           for d in table.element_dims[:table.element_rank]))
            spec = TensorSpec(info.name.decode(), _dtype(info.elem_type), shape, "sequence")
            i += 2
        else:
            spec = _spec(info)
            i += 1
        if optional:
            spec = TensorSpec(spec.name, spec.dtype, spec.shape, "optional " + spec.kind)
        values.append((spec, i - first))
    return values


class _ContextOptions(ctypes.Structure):
    """seqc_context_options (seqc/Runtime/SeqcTypes.h)."""
    _fields_ = [("num_threads", ctypes.c_int32), ("reserved0", ctypes.c_int32),
                ("gpu_stream", ctypes.c_void_p), ("reserved", ctypes.c_int64 * 6)]


class CompiledModel:
    """A compiled model: call it with NumPy arrays.

    `model(x, h0)` or `model(X=x, initial_h=h0)` returns the outputs (one
    array, or a tuple); `model.run(inputs, as_dict=True)` returns a dict by
    output name. Inputs are converted to C-contiguous arrays; their dtypes
    and shapes are checked against the model. `inputs`/`outputs` describe
    the tensors, `inputs_layout`/`outputs_layout` the C structs that carry
    them (as `<prefix>_info()` reports). `threads` (default 1) is the number
    of threads a call runs on, the caller's included: the model keeps one
    context, whose worker threads wait between calls (a call made while
    another runs gets a context of its own)."""

    def __init__(self, directory: Union[str, os.PathLike], prefix: str, *,
                 source: Path | None = None, flags: Sequence[str] = ()):
        self.directory = Path(directory)
        self.prefix = prefix
        self._source, self._flags = source, list(flags)
        self._lib = lib = ctypes.CDLL(str(self.directory / f"lib{prefix}.so"))
        functions = {}

        def fn(suffix):  # looked up once: a call's fixed cost matters
            if suffix not in functions:
                functions[suffix] = getattr(lib, f"{prefix}_{suffix}")
            return functions[suffix]
        fn("info").restype = ctypes.c_void_p
        fn("context_create").restype = ctypes.c_void_p
        fn("context_create").argtypes = [ctypes.POINTER(_ContextOptions)]
        fn("context_destroy").argtypes = [ctypes.c_void_p]
        fn("last_error").restype = ctypes.c_char_p
        fn("last_error").argtypes = [ctypes.c_void_p]
        for name in ("output_shapes", "run"):
            fn(name).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]  # ctx, structs
            fn(name).restype = ctypes.c_int
        self._fn = fn
        self._threads, self._context = 1, None
        self._context_lock = threading.Lock()
        info = _read_info(fn("info")(), f"lib{prefix}.so")
        self._input_values = _values(info.inputs, info.num_inputs)
        self._output_values = _values(info.outputs, info.num_outputs)
        self.inputs = [spec for spec, _ in self._input_values]
        self.outputs = [spec for spec, _ in self._output_values]
        self._output_members = [_spec(info.outputs[i]) for i in range(info.num_outputs)]
        self.inputs_layout = _layout(info.inputs, info.num_inputs, info.inputs_size)
        self.outputs_layout = _layout(info.outputs, info.num_outputs, info.outputs_size)
        self._invoker = self._make_invoker()

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
        results = self._run_fast(inputs) if self._invoker else None
        if results is None:
            results = self._run_checked(inputs)
        if as_dict:
            return {spec.name: r for spec, r in zip(self.outputs, results)}
        return results

    def _make_invoker(self):
        """run's fast path, seqc._seqc.Invoker: for models whose inputs and
        outputs are all plain tensors of dtypes with a buffer format."""
        specs = self.inputs + self.outputs
        if (any(s.kind != "tensor" or s.dtype == object for s in specs)
                or len(self._output_members) != len(self.outputs)):
            return None
        try:
            from . import _seqc
            formats = [memoryview(np.empty(0, s.dtype)).format for s in specs]
        except (ImportError, ValueError, TypeError):
            return None

        def slots(layout, specs):
            return _seqc.TensorSlots(list(layout.data_offsets), list(layout.shape_offsets),
                                     [s.rank for s in specs], layout.size)

        def address(name):
            return ctypes.cast(self._fn(name), ctypes.c_void_p).value
        return _seqc.Invoker(address("output_shapes"), address("run"),
                             slots(self.inputs_layout, self.inputs),
                             formats[:len(self.inputs)],
                             slots(self.outputs_layout, self.outputs),
                             [s.dtype for s in self.outputs], np.empty)

    def _run_fast(self, inputs):
        """The outputs, from one C++ call; None where the inputs need the
        checks and conversions of the slow path (or another call holds the
        context)."""
        if isinstance(inputs, Mapping):
            if len(inputs) != len(self.inputs):
                return None
            try:
                inputs = [inputs[s.name] for s in self.inputs]
            except KeyError:
                return None
        elif not isinstance(inputs, list):
            inputs = list(inputs)
        if not self._context_lock.acquire(blocking=False):
            return None
        try:
            if self._context is None:
                self._context = self._new_context()
            results = self._invoker(self._context, inputs)
            if isinstance(results, int):
                self._raise_status(self._context, results)
        finally:
            self._context_lock.release()
        return results

    def _run_checked(self, inputs) -> list:
        """run's general path: inputs checked and converted, sequences and
        optionals packed into their members."""
        arrays, strings = self._check_inputs(inputs), []
        arrays = [_string_pointers(a, strings) if a.dtype == object else a for a in arrays]
        struct_in = self.inputs_layout.new()
        self.inputs_layout.fill(struct_in, [(a.ctypes.data, a.shape) for a in arrays])
        if self._context_lock.acquire(blocking=False):
            try:
                if self._context is None:
                    self._context = self._new_context()
                members = self._run_in(self._context, struct_in)
            finally:
                self._context_lock.release()
        else:
            ctx = self._new_context()
            try:
                members = self._run_in(ctx, struct_in)
            finally:
                self._fn("context_destroy")(ctx)
        results = []
        for spec, count in self._output_values:
            results.append(spec.from_members(members[:count]))
            members = members[count:]
        return results

    @property
    def threads(self) -> int:
        return self._threads

    @threads.setter
    def threads(self, count: int) -> None:
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError(f"threads must be a positive int, not {count!r}")
        with self._context_lock:
            self._threads = count
            self._destroy_context()

    def _new_context(self):
        options = _ContextOptions(num_threads=self._threads)
        ctx = self._fn("context_create")(ctypes.byref(options))
        if not ctx:
            raise ExecutionError("out of memory", 3)
        return ctx

    def _destroy_context(self) -> None:
        if self._context is not None:
            self._fn("context_destroy")(self._context)
            self._context = None

    def __del__(self):
        # The library may already be unloaded at interpreter exit.
        try:
            self._destroy_context()
        except Exception:  # noqa: BLE001
            pass

    def _run_in(self, ctx, struct_in) -> list:
        """The output arrays of one call in context `ctx`."""
        struct_out = self.outputs_layout.new()
        self._call("output_shapes", ctx, struct_in, struct_out)
        members = [np.empty(self.outputs_layout.shape(struct_out, i, spec.rank),
                            dtype=spec.dtype)
                   for i, spec in enumerate(self._output_members)]
        self.outputs_layout.fill(struct_out, [(r.ctypes.data, r.shape) for r in members])
        self._call("run", ctx, struct_in, struct_out)
        return members

    def _call(self, name: str, ctx, struct_in, struct_out) -> None:
        status = self._fn(name)(ctx, ctypes.byref(struct_in), ctypes.byref(struct_out))
        if status != 0:
            self._raise_status(ctx, status)

    def _raise_status(self, ctx, status: int):
        message = self._fn("last_error")(ctx).decode()
        raise ExecutionError(f"{self.prefix}: {message or _STATUS.get(status, 'error')}",
                             status)

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
            if spec.kind != "tensor":
                if value is None and not spec.kind.startswith("optional "):
                    raise ExecutionError(f"input '{spec.name}' is None")
                if (spec.value.kind == "sequence" and value is not None
                        and not isinstance(value, (list, tuple))):
                    raise ExecutionError(f"input '{spec.name}' is a sequence: give a "
                                         f"list of arrays, not {type(value).__name__}")
                arrays += spec.to_members(value)
                continue
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
