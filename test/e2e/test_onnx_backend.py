"""ONNX's own backend node tests, run through seqc.

This is the usual ONNX-ecosystem way of testing a backend (onnxruntime's
onnx_backend_test_series.py does the same): a `onnx.backend.base.Backend`
subclass is handed to ONNX's runner `onnx.backend.test.BackendTest`, which
turns every ONNX test case into a unittest method; we keep the ones on the
include list below and pytest collects them:

    .venv/bin/python -m pytest test/e2e/test_onnx_backend.py -v

How the runner works (onnx 1.23):
  * The wheel ships no onnx/backend/test/data/node folder. Node cases are
    built in memory when the runner is constructed:
    `load_model_tests(kind="node")` -> `loader.load_node_model_tests()`
    imports every module of `onnx.backend.test.case.node`; each `expect()`
    call there appends a TestCase whose `model` is a one-node ModelProto and
    whose `data_sets` is `[(inputs, outputs)]`, the outputs being computed by
    the numpy reference code in that module (e.g. LSTMHelper in lstm.py).
  * For each node case and each device in ("CPU", "CUDA") it adds a method
    `<case name>_<device>`; `Backend.supports_device(device)` is evaluated
    when the runner is constructed (a `unittest.skipIf` on that method).
  * Running a method calls `Backend.prepare(model, device, **test_kwargs)`,
    then `rep.run(inputs)` with the list of input arrays in graph-input order
    (only the present optional inputs), and compares the result with the
    stored reference outputs: same number of outputs, same shape, same dtype,
    `np.testing.assert_allclose(rtol=1e-3, atol=1e-7)` unless overridden in
    TEST_KWARGS. `is_compatible`, `run_model` and `run_node` are not used for
    node cases. The ReferenceEvaluator is only used for the "light" models.

What is kept: the methods whose case name matches INCLUDE, on CPU. Every other
method the runner generates (other ops, the real/simple/pytorch model
categories, the CUDA variants) is removed so that the report shows only
seqc's cases. Widen INCLUDE as seqc supports more ops. A case that must not
run is listed in EXCLUDE with its reason and shows up as skipped with that
reason; nothing is dropped silently.

Without a seqc binary (seqc_harness.seqc_binary()), or without the harness,
each case is skipped with the reason (a plain unittest.SkipTest: raising
onnx's BackendIsNotSupposedToImplementIt instead would make the runner count
the case as passed). Each case compiles into its own temporary directory,
removed afterwards unless SEQC_KEEP_WORKDIR=1.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tempfile
import unittest
import warnings
import weakref
from typing import Any

import numpy as np
import onnx
import onnx.backend.base
import onnx.backend.test
from onnx.backend.test.loader import load_node_model_tests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import seqc_harness
except ImportError as _e:  # the harness is written alongside this file
    seqc_harness = None
    _HARNESS_IMPORT_ERROR = f"{type(_e).__name__}: {_e}"

# Regexes searched in the ONNX case name (without the _cpu/_cuda suffix).
# onnx 1.23.2 has 18 such cases, all single-node models at opset 22:
#   LSTM: test_lstm_{defaults,with_initial_bias,with_peepholes,batchwise,
#         reverse,bidirectional}
#   GRU:  test_gru_{defaults,with_initial_bias,seq_length,batchwise,reverse,
#         bidirectional}
#   RNN:  test_simple_rnn_{defaults,with_initial_bias,batchwise,reverse,
#         bidirectional}, test_rnn_seq_length
INCLUDE: list[str] = [
    r"^test_lstm_",
    r"^test_gru_",
    r"^test_rnn_",
    r"^test_simple_rnn_",
    # The elementwise family (lib/Conversion/OnnxToSeq/Elementwise.cpp).
    r"^test_(add|sub|mul|div|pow|min|max|sum|mean)(_|$)",
    r"^test_(abs|neg|sign|reciprocal|exp|log|sqrt|erf|sin|cos|floor|ceil|round)(_|$)",
    r"^test_(sigmoid|tanh|relu|softplus|softsign|leakyrelu|elu|selu|hardsigmoid"
    r"|hardswish|mish|gelu)(_|$)",
    r"^test_(equal|less|greater|less_equal|greater_equal)(_|$)",
    r"^test_(and|or|xor|not)(_|\d|$)",
    r"^test_(isnan|where)(_|$)",
    r"^test_(bitshift|bitcast)_",
    r"^test_cast(like)?_",
    r"^test_(constantofshape|range)_",
    r"^test_reduce_",
    r"^test_(softmax|logsoftmax)_",
    r"^test_flatten_",
    r"^test_(slice|squeeze|unsqueeze)(_|$)",
    r"^test_expand_",
    # Convolution, padding and control flow.
    r"^test_(basic_)?conv_with",
    r"^test_convtranspose",
    r"^test_(dft|stft|hannwindow|hammingwindow|blackmanwindow)(_|$)",
    r"^test_(resize|upsample)_",
    r"^test_basic_conv_",
    r"^test_(constant|edge|reflect|wrap)_pad",
    r"^test_size(_|$)",
    r"^test_if$",
    r"^test_scan",
    r"^test_loop11$",
    r"^test_(layer_normalization|batchnorm|instancenorm)_",
    r"^test_(maxpool|averagepool|globalaveragepool|globalmaxpool)_",
    r"^test_(argmax|argmin)_",
    r"^test_(clip|prelu|mod|dropout)(_|$)",
    r"^test_split_(?!to_sequence)",
    r"^test_(tile|gather_elements|gathernd|scatter_elements|scatternd|onehot|cumsum"
    r"|depthtospace|spacetodepth|einsum|top_k)(_|$)",
]

# Regex (searched in the case name) -> reason. Matching cases are reported as
# skipped with "excluded: <reason>". Keep this empty unless a case really
# cannot run; test_exclude_list_is_current checks every entry matches.
EXCLUDE: dict[str, str] = {
    r"^test_equal_string": "string tensors are not supported",
    r"^test_loop11$": "the scan output is a Slice bounded by the iteration number, "
    "so its shape is known only inside the loop (refused at compile time)",
}

# Case name (without device suffix) -> kwargs for that case, e.g.
# {"test_lstm_defaults": {"atol": 1e-6}}. The runner uses rtol/atol for the
# comparison and also forwards all of them to SeqcBackend.prepare().
TEST_KWARGS: dict[str, dict[str, Any]] = {
    # The expected values come from numpy's float32 FFT and are up to 1.5e-6
    # away from the exact transform (measured against numpy's float64 FFT of
    # the same input); seqc sums in float64, so bins that are exactly zero
    # come out 0 where the expected data holds rounding noise of ~2e-7.
    "test_dft_inverse": {"atol": 2e-6},
    "test_dft_inverse_opset19": {"atol": 2e-6},
}

_DEVICES = ("CPU",)  # seqc generates host code only


@functools.lru_cache(maxsize=1)
def _skip_reason() -> str | None:
    """Why the seqc cases cannot run here, or None when they can."""
    if seqc_harness is None:
        return f"seqc_harness not importable ({_HARNESS_IMPORT_ERROR})"
    try:
        path = seqc_harness.seqc_binary()
    except Exception as e:  # noqa: BLE001 - the harness reports a missing binary
        return f"seqc binary not available ({type(e).__name__}: {e})"
    if not path or not os.path.exists(os.fspath(path)):
        return f"seqc binary not found ({path!r})"
    return None


def _keep_workdirs() -> bool:
    return os.environ.get("SEQC_KEEP_WORKDIR", "") not in ("", "0")


class SeqcBackendRep(onnx.backend.base.BackendRep):
    """A compiled model; run() executes the library seqc generated."""

    def __init__(self, compiled: Any, model: onnx.ModelProto, workdir: str) -> None:
        self._compiled = compiled
        self.workdir = workdir
        inits = {t.name for t in model.graph.initializer}
        self._input_names = [i.name for i in model.graph.input if i.name not in inits]
        self._output_names = [o.name for o in model.graph.output]
        if not _keep_workdirs():
            weakref.finalize(self, shutil.rmtree, workdir, True)

    def run(self, inputs: Any, **kwargs: Any) -> tuple[Any, ...]:  # noqa: ARG002
        if isinstance(inputs, dict):
            inputs = [inputs[name] for name in self._input_names]
        elif isinstance(inputs, np.ndarray):
            inputs = [inputs]
        outputs = self._compiled.run_values(
            [x if isinstance(x, list) or x is None else np.asarray(x) for x in inputs])
        outputs = [y if isinstance(y, list) or y is None else np.asarray(y) for y in outputs]
        if len(outputs) == len(self._output_names):
            return onnx.backend.base.namedtupledict("Outputs", self._output_names)(
                *outputs
            )
        return tuple(outputs)  # let the runner report the count mismatch


class SeqcBackend(onnx.backend.base.Backend):
    """onnx.backend interface to seqc: prepare() compiles the model."""

    @classmethod
    def supports_device(cls, device: str) -> bool:
        return onnx.backend.base.Device(device).type == onnx.backend.base.DeviceType.CPU

    @classmethod
    def prepare(
        cls, model: onnx.ModelProto, device: str = "CPU", **kwargs: Any
    ) -> SeqcBackendRep:
        reason = _skip_reason()
        if reason is not None:
            raise unittest.SkipTest(reason)
        if not cls.supports_device(device):
            raise unittest.SkipTest(f"seqc does not support device {device}")
        super().prepare(model, device, **kwargs)  # onnx.checker.check_model
        workdir = tempfile.mkdtemp(prefix=f"seqc-backend-{model.graph.name}-")
        try:
            compiled = seqc_harness.compile_model(model, workdir)
        except BaseException:
            if not _keep_workdirs():
                shutil.rmtree(workdir, ignore_errors=True)
            raise
        return SeqcBackendRep(compiled, model, workdir)

    @classmethod
    def run_model(
        cls, model: onnx.ModelProto, inputs: Any, device: str = "CPU", **kwargs: Any
    ) -> tuple[Any, ...]:
        return cls.prepare(model, device, **kwargs).run(inputs)


def _case_name(method_name: str) -> str:
    return re.sub(r"_(cpu|cuda)$", "", method_name)


def _included(case_name: str) -> bool:
    return any(re.search(p, case_name) for p in INCLUDE)


class SeqcBackendTest(onnx.backend.test.BackendTest):
    """onnx's runner, comparing 0-d sequence elements too: its own
    comparison takes len() of each element of a sequence output, which a
    0-d array has not, so test_loop16_seq_none fails for every backend."""

    @classmethod
    def assert_similar_outputs(cls, ref_outputs, outputs, rtol, atol, model_dir=None):
        if isinstance(ref_outputs, np.ndarray) and ref_outputs.ndim == 0:
            np.testing.assert_equal(np.ndim(outputs), 0)
            np.testing.assert_equal(np.asarray(outputs).dtype, ref_outputs.dtype)
            np.testing.assert_allclose(outputs, ref_outputs, rtol=rtol, atol=atol)
            return
        super().assert_similar_outputs(ref_outputs, outputs, rtol, atol, model_dir)


def _build_test_classes() -> dict[str, type[unittest.TestCase]]:
    with warnings.catch_warnings():
        # Building all node cases runs onnx's numpy references, some of which
        # overflow on purpose (Cast, ReduceLogSum...).
        warnings.simplefilter("ignore", RuntimeWarning)
        backend_test = SeqcBackendTest(SeqcBackend, __name__, test_kwargs=TEST_KWARGS)
    for pattern in INCLUDE:
        backend_test.include(pattern)
    classes = {}
    for class_name, cls in backend_test.test_cases.items():
        if class_name != "OnnxBackendNodeModelTest":
            continue  # the real/simple/PyTorch model categories: not seqc's cases
        for attr in [a for a in vars(cls) if a.startswith("test_")]:
            device = attr.rsplit("_", 1)[-1].upper()
            case = _case_name(attr)
            if device not in _DEVICES or not _included(case):
                delattr(cls, attr)
                continue
            for pattern, reason in EXCLUDE.items():
                if re.search(pattern, case):
                    setattr(cls, attr, unittest.skip(f"excluded: {reason}")(getattr(cls, attr)))
                    break
        if any(a.startswith("test_") for a in vars(cls)):
            classes[class_name] = cls
    return classes


globals().update(_build_test_classes())


# Checks of the lists themselves; they need no seqc binary.


def _node_case_names() -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [c.name for c in load_node_model_tests()]


def test_include_list_matches_cases() -> None:
    names = _node_case_names()
    for pattern in INCLUDE:
        assert any(re.search(pattern, n) for n in names), (
            f"include pattern {pattern!r} matches no onnx node test case"
        )


def test_exclude_list_is_current() -> None:
    included = [n for n in _node_case_names() if _included(n)]
    for pattern in EXCLUDE:
        assert any(re.search(pattern, n) for n in included), (
            f"exclude pattern {pattern!r} matches no included case: drop it"
        )
