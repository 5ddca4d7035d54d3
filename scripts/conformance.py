"""Conformance of seqc against ONNX's own node test cases.

Runs the node test cases of onnx's backend test suite
(`onnx.backend.test.loader.load_node_model_tests()`: 1884 cases in onnx 1.23)
through seqc's `onnx.backend.base.Backend` (SeqcBackend in
test/e2e/test_onnx_backend.py), and writes a Markdown report:

    .venv/bin/python scripts/conformance.py [--out docs/conformance.md] \
        [--ops Add,Mul,...] [--jobs 1] [--timeout 60]

The compiler is $SEQC, or build/bin/seqc. A full run takes 10-20 minutes.

Each case runs the method onnx's own runner (`onnx.backend.test.BackendTest`)
generates for it, so inputs, tolerances (the case's rtol/atol, rtol=1e-3 and
atol=1e-7 for every node case of onnx 1.23, unless TEST_KWARGS of
test_onnx_backend.py overrides them) and the shape/dtype/value comparison are
the runner's. Every case runs in its own forked child process, in its own
process group, with a timeout and a memory limit, so that a crash or a hang of
seqc or of the compiled library costs one case, not the run. A case is

  * passed: compiled, and every output matched;
  * unsupported: seqc refused it cleanly (exit status 1 and a "seqc: error:"
    line); the reason is that line;
  * failed: anything else: wrong output/shape/dtype, an error running the
    compiled library, seqc killed by a signal or exiting otherwise, the child
    killed by a signal, or the timeout.

The report has: per op type (the node's op_type; an "_expanded" case counts
under the op it expands) the passed / failed / unsupported counts; the same
for the sequence-model ops (SEQUENCE_MODEL_OPS); every failed and unsupported
case with a one-line reason; and as its last line
`N passed, M failed, K unsupported (of T cases)`.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import multiprocessing
import multiprocessing.connection
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "test" / "e2e"))

import onnx  # noqa: E402
import onnx.backend.test  # noqa: E402
from onnx.backend.test.loader import load_node_model_tests  # noqa: E402

import seqc_harness  # noqa: E402
import test_onnx_backend  # noqa: E402  (SeqcBackend, TEST_KWARGS)

# The ops a sequence model (speech, audio, time series) is likely to need,
# then the ops seqc already had when this list was written.
SEQUENCE_MODEL_OPS = [
    "Conv", "ConvTranspose", "Pad", "MaxPool", "AveragePool", "GlobalAveragePool",
    "GlobalMaxPool", "BatchNormalization", "LayerNormalization",
    "InstanceNormalization", "Softmax", "LogSoftmax", "ReduceSum", "ReduceMean",
    "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceSumSquare",
    "ReduceLogSumExp", "ArgMax", "ArgMin", "Pow", "Sqrt", "Reciprocal", "Exp", "Log",
    "Abs", "Neg", "Sign", "Floor", "Ceil", "Round", "Erf", "Sin", "Cos", "Gelu",
    "LeakyRelu", "PRelu", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus",
    "Softsign", "Mish", "Clip", "Min", "Max", "Mean", "Sum", "Mod", "Where", "Equal",
    "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor",
    "IsNaN", "Cast", "CastLike", "Size", "ConstantOfShape", "Range", "Expand", "Tile",
    "Split", "Flatten", "Slice", "Squeeze", "Unsqueeze", "GatherElements",
    "ScatterElements", "ScatterND", "GatherND", "OneHot", "TopK", "Resize",
    "DepthToSpace", "SpaceToDepth", "Einsum", "CumSum", "Dropout", "DFT", "STFT",
    "Scan", "Loop", "If",
    # already in seqc
    "LSTM", "GRU", "RNN", "Constant", "Identity", "Transpose", "Reshape", "Concat",
    "Gather", "Shape", "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Sigmoid", "Tanh",
    "Relu",
]

PASSED, FAILED, UNSUPPORTED = "passed", "failed", "unsupported"
MEMORY_LIMIT = 8 << 30  # address space of one case: a runaway allocation fails there
REASON_CHARS = 300

# The runner's test class, built once in the parent; forked children inherit it.
NODE_TESTS: type | None = None


def op_type(case_name: str, cases_by_name: dict) -> str:
    """The op a case tests: its node's op_type; an "_expanded[_verN]" case
    (the op's function body, many nodes) counts under its base case's op."""
    base = re.sub(r"_expanded(_ver\d+)?$", "", case_name)
    return cases_by_name[base].model.graph.node[0].op_type


def first_lines(text: str, count: int = 1) -> str:
    """The first `count` non-empty lines of text, joined into one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = "; ".join(lines[:count]) or "(no message)"
    return line if len(line) <= REASON_CHARS else line[: REASON_CHARS - 3] + "..."


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def classify(error: BaseException) -> tuple[str, str]:
    """(status, one-line reason) of a case that raised `error`."""
    if isinstance(error, seqc_harness.SeqcCompileError):
        code = error.returncode
        if code == 1:  # seqc's own "seqc: error: ..." refusal
            return UNSUPPORTED, first_lines(str(error))
        if code is not None and code < 0:
            return FAILED, f"seqc killed by {signal_name(-code)}: {first_lines(str(error))}"
        return FAILED, f"seqc exited with {code}: {first_lines(str(error))}"
    if isinstance(error, AssertionError):
        # numpy's assertion messages start with a blank line, and their first
        # line ("Arrays are not equal") says little without the next two.
        return FAILED, f"AssertionError: {first_lines(str(error), 3)}"
    # Where it was raised: "KeyError: 16" alone does not say what was looked up.
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    return FAILED, f"{type(error).__name__}: {first_lines(str(error))}{where}"


def run_case_in_child(method: str, workdir: str, conn) -> None:
    """Body of the child process: run one runner method, send (status, reason)."""
    os.setpgrp()  # a timeout kills this group: seqc and the linker with it
    # ASan reserves terabytes of address space for its shadow memory: in the
    # sanitizer run (its runtime preloaded) no address-space limit can hold.
    if "libclang_rt.asan" not in os.environ.get("LD_PRELOAD", ""):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the report carries the reasons; keep the console
    os.dup2(devnull, 2)  # for the progress lines
    tempfile.tempdir = workdir  # SeqcBackend's workdirs; the parent removes it
    warnings.simplefilter("ignore")
    try:
        getattr(NODE_TESTS(method), method)()
        result = (PASSED, "")
    except BaseException as error:  # noqa: BLE001 - every error is a result
        result = classify(error)
    conn.send(result)


def kill_group(child) -> None:
    """Kills a case's process and what it started (seqc, the linker)."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:  # not yet its own group, or gone
        child.kill()


def run_cases(names: list[str], jobs: int, timeout: float) -> dict[str, tuple[str, str]]:
    """Runs the cases `jobs` at a time; returns name -> (status, reason)."""
    context = multiprocessing.get_context("fork")
    root = tempfile.mkdtemp(prefix="seqc-conformance-")
    pending, running, results = list(names), {}, {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                name = pending.pop(0)
                workdir = os.path.join(root, name)
                os.mkdir(workdir)
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=run_case_in_child,
                                        args=(f"{name}_cpu", workdir, sender))
                child.start()
                sender.close()
                running[child.sentinel] = (child, receiver, name, workdir, time.monotonic())
            ready = multiprocessing.connection.wait(list(running), timeout=1.0)
            for sentinel, (child, receiver, name, workdir, start) in list(running.items()):
                if sentinel in ready:
                    child.join()
                    try:
                        result = receiver.recv()
                    except EOFError:  # it died before sending its result
                        if child.exitcode < 0:
                            result = (FAILED,
                                      f"case process killed by {signal_name(-child.exitcode)}")
                        else:
                            result = (FAILED,
                                      f"case process exited with {child.exitcode}, no result")
                elif time.monotonic() - start > timeout:
                    kill_group(child)
                    child.join()
                    result = (FAILED, f"timeout after {timeout:g} s")
                else:
                    continue
                del running[sentinel]
                receiver.close()
                shutil.rmtree(workdir, ignore_errors=True)
                results[name] = result
                print(f"[{len(results)}/{len(names)}] {name}: {result[0]}"
                      + (f": {result[1]}" if result[1] else ""), flush=True)
    finally:
        for child, *_ in running.values():  # interrupted: leave no orphans
            kill_group(child)
        shutil.rmtree(root, ignore_errors=True)
    return results


def code_span(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def report(results: dict, ops_of: dict, seconds: float, seqc: str) -> str:
    """The Markdown report; its last line is the totals line."""
    counts = collections.defaultdict(collections.Counter)  # op -> status -> n
    for name, (status, _) in results.items():
        counts[ops_of[name]][status] += 1
    total = collections.Counter()
    for per_op in counts.values():
        total.update(per_op)

    out = [
        "# ONNX node test conformance",
        "",
        f"seqc (`{seqc}`) on the node test cases of onnx {onnx.__version__} "
        f"(`onnx.backend.test.loader.load_node_model_tests()`), through SeqcBackend "
        f"(test/e2e/test_onnx_backend.py) and onnx's own runner comparison "
        f"(same shapes and dtypes, rtol=1e-3, atol=1e-7). Generated by "
        f"`scripts/conformance.py` on {datetime.date.today()} in {seconds:.0f} s; "
        f"rerun it to update this file.",
        "",
        "*passed*: compiled and every output matched. *unsupported*: seqc refused "
        "the model with an error. *failed*: compiled but a wrong output, shape or "
        "dtype, an error at run time, a crash (seqc or the compiled library killed "
        "by a signal) or a timeout. An `_expanded` case (the op's function body) "
        "counts under the op it expands.",
        "",
        "## Sequence-model ops",
        "",
        "| op | passed / total | failed | unsupported |",
        "|---|---|---|---|",
    ]
    seq_total, missing = collections.Counter(), []
    for op in SEQUENCE_MODEL_OPS:
        if op not in counts:
            missing.append(op)
            continue
        c = counts[op]
        seq_total.update(c)
        out.append(f"| {op} | {c[PASSED]} / {c.total()} | {c[FAILED]} | {c[UNSUPPORTED]} |")
    out += [
        "",
        f"Sequence-model ops: {seq_total[PASSED]} / {seq_total.total()} cases passed "
        f"({seq_total[FAILED]} failed, {seq_total[UNSUPPORTED]} unsupported).",
    ]
    if missing:
        out += ["", "Without a case in this run: " + ", ".join(missing) + "."]

    out += ["", "## All op types", "",
            "| op type | cases | passed | failed | unsupported |", "|---|---|---|---|---|"]
    for op in sorted(counts):
        c = counts[op]
        out.append(f"| {op} | {c.total()} | {c[PASSED]} | {c[FAILED]} | {c[UNSUPPORTED]} |")

    for status, title in ((FAILED, "Failed cases"), (UNSUPPORTED, "Unsupported cases")):
        out += ["", f"## {title}"]
        for op in sorted(counts):
            names = sorted(n for n, (s, _) in results.items()
                           if s == status and ops_of[n] == op)
            if names:
                out += ["", f"### {op}", ""]
                out += [f"- `{n}`: {code_span(results[n][1])}" for n in names]
        if not any(s == status for s, _ in results.values()):
            out += ["", "None."]
    out.append("")
    out.append(f"{total[PASSED]} passed, {total[FAILED]} failed, "
               f"{total[UNSUPPORTED]} unsupported (of {total.total()} cases)")
    return "\n".join(out) + "\n"


def main() -> int:
    global NODE_TESTS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO_ROOT / "docs" / "conformance.md"))
    parser.add_argument("--ops", help="comma-separated op types to run (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="cases run at once")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per case")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless every case test/e2e/test_onnx_backend.py "
                        "claims (INCLUDE less EXCLUDE) passed: that test's verdict, "
                        "from this run's results")
    args = parser.parse_args()

    reason = test_onnx_backend._skip_reason()
    if reason is not None:
        parser.error(reason)
    with warnings.catch_warnings():
        # onnx's numpy references overflow on purpose in places (Cast...).
        warnings.simplefilter("ignore")
        cases = {c.name: c for c in load_node_model_tests()}
        runner = test_onnx_backend.SeqcBackendTest(
            test_onnx_backend.SeqcBackend, __name__,
            test_kwargs=test_onnx_backend.TEST_KWARGS)
    NODE_TESTS = runner.test_cases["OnnxBackendNodeModelTest"]
    ops_of = {name: op_type(name, cases) for name in cases}

    names = sorted(cases)
    if args.ops:
        wanted = set(args.ops.split(","))
        unknown = wanted - set(ops_of.values())
        if unknown:
            parser.error(f"no node test case for op type(s) {', '.join(sorted(unknown))}")
        names = [n for n in names if ops_of[n] in wanted]

    start = time.monotonic()
    results = run_cases(names, args.jobs, args.timeout)
    seconds = time.monotonic() - start
    seqc = str(seqc_harness.seqc_binary())
    text = report(results, ops_of, seconds, seqc)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(f"wrote {args.out} in {seconds:.0f} s: {text.splitlines()[-1]}")
    if args.check:
        claimed = [n for n in names if test_onnx_backend._included(n)
                   and not any(re.search(p, n) for p in test_onnx_backend.EXCLUDE)]
        broken = [n for n in claimed if results[n][0] != PASSED]
        for name in broken:
            print(f"claimed case {name}: {results[name][0]}: {results[name][1]}")
        print(f"{len(claimed) - len(broken)} of {len(claimed)} claimed cases passed")
        return 1 if broken else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
