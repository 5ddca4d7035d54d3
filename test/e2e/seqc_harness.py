"""Compile an ONNX model with seqc and run the generated library through ctypes.

The calling convention is docs/c-api.md: model_inputs / model_outputs are
sequences of 8-byte slots (per tensor: a data pointer, then max(rank, 1) int64
dims), described at run time by model_info(). This layer is deliberately
written from the document, not shared with the Python package: it computes
the layout itself and checks model_info()'s offsets against it.
"""

from __future__ import annotations

import ctypes
import os
import re
import shlex
import subprocess
from pathlib import Path

import numpy as np
import onnx

REPO_ROOT = Path(__file__).resolve().parents[2]
SEQC_OK, SEQC_ERROR_NULL_POINTER, SEQC_ERROR_SHAPE, SEQC_ERROR_OUT_OF_MEMORY = 0, 1, 2, 3
SEQC_ABI_VERSION = 2
# seqc_role and SEQC_SEQUENCE_MAX_RANK.
ROLE_TENSOR, ROLE_SEQUENCE_DATA, ROLE_SEQUENCE_SHAPES, ROLE_PRESENT = range(4)
SEQUENCE_MAX_RANK = 8
# bfloat16 and the narrow formats are ml_dtypes' types (onnx brings the
# package): one element per byte, the 4- and 2-bit ones in the low bits, as
# the compiled code holds them.
import ml_dtypes  # noqa: E402

DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32,
          7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32,
          13: np.uint64, 16: ml_dtypes.bfloat16, 17: ml_dtypes.float8_e4m3fn,
          18: ml_dtypes.float8_e4m3fnuz, 19: ml_dtypes.float8_e5m2,
          20: ml_dtypes.float8_e5m2fnuz, 21: ml_dtypes.uint4, 22: ml_dtypes.int4,
          23: ml_dtypes.float4_e2m1fn, 24: ml_dtypes.float8_e8m0fnu, 25: ml_dtypes.uint2,
          26: ml_dtypes.int2, 8: object}


class SeqcCompileError(RuntimeError):
    """seqc exited non-zero; returncode is negative when a signal killed it."""

    def __init__(self, message, returncode=None):
        super().__init__(message)
        self.returncode = returncode


class SeqcRunError(RuntimeError):
    def __init__(self, status, message):
        super().__init__(f"seqc status {status}: {message}")
        self.status, self.message = status, message


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("elem_type", ctypes.c_int32), ("rank", ctypes.c_int32),
                ("dims", ctypes.POINTER(ctypes.c_int64)), ("dim_names", ctypes.POINTER(ctypes.c_char_p)),
                ("data_offset", ctypes.c_int64), ("shape_offset", ctypes.c_int64),
                ("role", ctypes.c_int32), ("element_rank", ctypes.c_int32),
                ("element_dims", ctypes.POINTER(ctypes.c_int64))]


class _ModelInfo(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_int32), ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32), ("name", ctypes.c_char_p),
                ("inputs", ctypes.POINTER(_TensorInfo)), ("outputs", ctypes.POINTER(_TensorInfo)),
                ("inputs_size", ctypes.c_int64), ("outputs_size", ctypes.c_int64)]


def struct_layout(ranks):
    """docs/c-api.md's layout of model_inputs / model_outputs for tensors of these
    ranks: [(data_offset, shape_offset)] and the struct's size in bytes. Each tensor
    is an 8-byte pointer then max(rank, 1) int64 (C has no zero-length arrays); a
    struct without tensors holds one unused int64."""
    offsets, offset = [], 0
    for rank in ranks:
        offsets.append((offset, offset + 8))
        offset += 8 * (1 + max(rank, 1))
    return offsets, max(offset, 8)


def seqc_binary() -> Path:
    return Path(os.environ.get("SEQC") or REPO_ROOT / "build" / "bin" / "seqc")


def c_flags() -> list[str]:
    """Extra flags for the C programs the tests build around generated code:
    the sanitizer run (scripts/test-sanitized.sh) links them with ASan, as
    the instrumented model libraries need."""
    return shlex.split(os.environ.get("SEQC_TEST_CFLAGS", ""))


def under_asan() -> bool:
    return "-fsanitize=address" in " ".join(c_flags())


def bf16_rounding_exact() -> bool:
    """False in the sanitizer run, whose models are compiled with
    --sanitize=address -O0 (SEQC_ARTIFACT_FLAGS): there LLVM's SelectionDAG
    turns seqc's integer bf16 rounding back into a float rounding, which is
    VCVTNEPS2BF16 (flushing subnormals to zero) on AVX512-BF16 hosts and an
    unlinked __truncsfbf2 call elsewhere. -O3 (every other run) keeps it."""
    flags = os.environ.get("SEQC_ARTIFACT_FLAGS", "").split()
    return not ("--sanitize=address" in flags and "-O0" in flags)


class Tensor:
    """One entry of model_info(): name, dtype, rank, dims (-1 = dynamic), dim_names."""

    def __init__(self, ti):
        self.name = ti.name.decode()
        self.elem_type, self.rank = ti.elem_type, ti.rank
        self.dtype = np.dtype(DTYPES[ti.elem_type])
        self.dims = tuple(ti.dims[i] for i in range(self.rank))
        names = ti.dim_names
        self.dim_names = tuple(((names[i] if names else None) or b"").decode() for i in range(self.rank))
        self.role = ti.role


def _poisoned(shape, dtype):
    """An output buffer pre-filled with NaN (or 123 / True) so that elements the
    library fails to write (e.g. Y past a sequence's length) cannot pass for zeros."""
    return np.full(shape, np.nan if dtype.kind in "fc" else (True if dtype.kind == "b" else 123), dtype)


class _ContextOptions(ctypes.Structure):
    """seqc_context_options (seqc/Runtime/SeqcTypes.h)."""
    _fields_ = [("num_threads", ctypes.c_int32), ("reserved0", ctypes.c_int32),
                ("gpu_stream", ctypes.c_void_p), ("reserved", ctypes.c_int64 * 6)]


def default_threads() -> int:
    """Threads of the contexts the tests run models in: SEQC_TEST_THREADS
    (the sanitized run uses 2, so that every model runs its parallel loops
    on the worker pool under ASan/UBSan), else 1."""
    return int(os.environ.get("SEQC_TEST_THREADS", "1"))


class CompiledModel:
    def __init__(self, lib_path, prefix="model"):
        self.lib = lib = ctypes.CDLL(str(lib_path))
        self.fn = {n: getattr(lib, f"{prefix}_{n}") for n in
                   ("context_create", "context_destroy", "output_shapes", "run", "last_error", "info")}
        self.fn["context_create"].restype = ctypes.c_void_p
        self.fn["context_create"].argtypes = [ctypes.POINTER(_ContextOptions)]
        self.fn["context_destroy"].argtypes = [ctypes.c_void_p]
        self.threads = default_threads()
        for n in ("output_shapes", "run"):
            self.fn[n].argtypes = [ctypes.c_void_p] * 3
            self.fn[n].restype = ctypes.c_int
        self.fn["last_error"].argtypes = [ctypes.c_void_p]
        self.fn["last_error"].restype = ctypes.c_char_p
        self.fn["info"].restype = ctypes.POINTER(_ModelInfo)
        info = self.fn["info"]().contents
        if info.abi_version != SEQC_ABI_VERSION:
            raise RuntimeError(f"{lib_path}: ABI version {info.abi_version}, "
                               f"expected {SEQC_ABI_VERSION}")
        self.name = info.name.decode()
        self.inputs = [Tensor(info.inputs[i]) for i in range(info.num_inputs)]
        self.outputs = [Tensor(info.outputs[i]) for i in range(info.num_outputs)]
        self.input_names = [t.name for t in self.inputs]
        self.output_names = [t.name for t in self.outputs]
        self.inputs_layout = self._check_layout("inputs", self.inputs, info.inputs, info.inputs_size)
        self.outputs_layout = self._check_layout("outputs", self.outputs, info.outputs,
                                                 info.outputs_size)

    @staticmethod
    def _check_layout(kind, tensors, infos, size):
        """The documented layout, once model_info() is seen to report the same."""
        offsets, want_size = struct_layout([t.rank for t in tensors])
        reported = [(infos[i].data_offset, infos[i].shape_offset) for i in range(len(tensors))]
        if reported != offsets or size != want_size:
            raise RuntimeError(f"model_info() lays out model_{kind} as {reported}, "
                               f"size {size}; docs/c-api.md says {offsets}, size {want_size}")
        return offsets, want_size

    @staticmethod
    def _struct(tensors, layout, arrays, null):
        offsets, size = layout
        words = (ctypes.c_int64 * (size // 8))()
        for t, a, (data, shape) in zip(tensors, arrays, offsets):
            if a.ndim != t.rank:
                raise ValueError(f"{t.name}: rank {a.ndim}, model expects {t.rank}")
            words[data // 8] = 0 if t.name in null else a.ctypes.data
            words[shape // 8:shape // 8 + t.rank] = a.shape
        return words

    def run_status(self, inputs, *, out_shapes=None, null=()):
        """Low-level call. Returns (status, last_error or None, outputs).
        out_shapes: dict name -> shape overriding what model_output_shapes says
        (buffers get that size). null: tensor names whose data pointer is NULL,
        plus "ctx", "inputs", "outputs" for NULL arguments to model_run."""
        if isinstance(inputs, dict):
            inputs = [inputs[t.name] for t in self.inputs]
        # np.asarray keeps 0-d inputs 0-d (ascontiguousarray would make them 1-d).
        arrays = [np.asarray(x, dtype=t.dtype, order="C") for t, x in zip(self.inputs, inputs)]
        # A string tensor travels as pointers to NUL-terminated UTF-8 bytes.
        strings = [s.encode() if isinstance(s, str) else s
                   for a in arrays if a.dtype == object for s in a.ravel()]
        pointers = iter(ctypes.cast(ctypes.c_char_p(s), ctypes.c_void_p).value for s in strings)
        arrays = [np.array([next(pointers) for _ in range(a.size)], np.uintp).reshape(a.shape)
                  if a.dtype == object else a for a in arrays]
        in_slots = self._struct(self.inputs, self.inputs_layout, arrays, null)
        options = _ContextOptions(num_threads=self.threads)
        ctx = self.fn["context_create"](ctypes.byref(options))
        assert ctx, "model_context_create returned NULL"
        try:
            out_slots = (ctypes.c_int64 * (self.outputs_layout[1] // 8))()
            status = self.fn["output_shapes"](ctx, in_slots, out_slots)
            if status != SEQC_OK:
                return status, self._error(ctx), None
            shapes = [out_slots[shape // 8:shape // 8 + t.rank]
                      for t, (_, shape) in zip(self.outputs, self.outputs_layout[0])]
            shapes = [(out_shapes or {}).get(t.name, tuple(s))
                      for t, s in zip(self.outputs, shapes)]
            outs = [_poisoned(s, t.dtype) for t, s in zip(self.outputs, shapes)]
            out_slots = self._struct(self.outputs, self.outputs_layout, outs, null)
            args = [None if "ctx" in null else ctx, None if "inputs" in null else in_slots,
                    None if "outputs" in null else out_slots]
            status = self.fn["run"](*args)
            msg = self._error(ctx) if status != SEQC_OK and "ctx" not in null else None
            return status, msg, outs
        finally:
            self.fn["context_destroy"](ctx)

    def _error(self, ctx):
        return (self.fn["last_error"](ctx) or b"").decode(errors="replace")

    def run(self, inputs):
        """inputs: list (model input order) or dict name -> array. Returns the
        outputs in model output order; raises SeqcRunError on a non-zero status."""
        status, msg, outs = self.run_status(inputs)
        if status != SEQC_OK:
            raise SeqcRunError(status, msg)
        return outs

    def run_values(self, values):
        """Like run(), with one ONNX value per graph input and output: an
        array, a list of arrays for a sequence, None for an empty optional
        (docs/c-api.md: how they travel as tensors)."""
        members = []
        for tensors, value in zip(_group(self.inputs), values):
            members += _to_members(tensors, value)
        outs = self.run(members)
        results = []
        for tensors in _group(self.outputs):
            results.append(_from_members(tensors, outs[:len(tensors)]))
            outs = outs[len(tensors):]
        return results


def _group(tensors):
    """The tensors of each ONNX value: an optional's present flag with its
    value's, a sequence's data with its shapes table."""
    groups, i = [], 0
    while i < len(tensors):
        n = 1 + (tensors[i].role == ROLE_PRESENT)
        n += tensors[i + n - 1].role == ROLE_SEQUENCE_DATA
        groups.append(tensors[i:i + n])
        i += n
    return groups


def _to_members(tensors, value):
    if tensors[0].role == ROLE_PRESENT:
        if value is None:  # nothing: an empty sequence, or zeros
            rest = tensors[1:]
            value = ([] if rest[0].role == ROLE_SEQUENCE_DATA else
                     np.zeros([max(d, 0) for d in rest[0].dims], rest[0].dtype))
            return [np.array(False)] + _to_members(rest, value)
        return [np.array(True)] + _to_members(tensors[1:], value)
    if tensors[0].role != ROLE_SEQUENCE_DATA:
        return [value]
    table = np.ones((len(value), 1 + SEQUENCE_MAX_RANK), np.int64)
    for row, element in zip(table, value):
        row[0] = np.ndim(element)
        row[1:1 + row[0]] = np.shape(element)
    data = [np.asarray(e, tensors[0].dtype).ravel() for e in value]
    return [np.concatenate(data) if data else np.empty(0, tensors[0].dtype), table]


def _from_members(tensors, arrays):
    if tensors[0].role == ROLE_PRESENT:
        return _from_members(tensors[1:], arrays[1:]) if arrays[0] else None
    if tensors[0].role != ROLE_SEQUENCE_DATA:
        return arrays[0]
    data, table = arrays
    elements, start = [], 0
    for row in table:
        shape = tuple(row[1:1 + row[0]])
        size = int(np.prod(shape, dtype=np.int64))
        elements.append(data[start:start + size].reshape(shape))
        start += size
    return elements


def compile_model(model, workdir, prefix="model", flags=()) -> CompiledModel:
    """Compiles `model` (ModelProto or path) into workdir/lib<prefix>.so and loads it.
    Use one workdir per model: the library's symbols all start with `prefix`.
    `flags`: more seqc options (a target CPU, say)."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "model.onnx"
    if isinstance(model, onnx.ModelProto):
        onnx.save(model, str(path))
    else:
        path = Path(model)
    proc = subprocess.run([str(seqc_binary()), str(path), "-o", str(workdir / prefix), *flags],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SeqcCompileError(proc.stderr or proc.stdout or f"seqc exited with {proc.returncode}",
                               proc.returncode)
    return CompiledModel(workdir / f"lib{prefix}.so", prefix)


def host_cpu_flags() -> set[str]:
    """The host CPU's feature flags (/proc/cpuinfo; empty where there is none)."""
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    match = re.search(r"^flags\s*:(.*)$", text, re.M)
    return set(match.group(1).split()) if match else set()
