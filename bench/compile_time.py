"""Compile time against graph size: a chain of N elementwise nodes and one
Concat of N graph inputs, each compiled to a library with the seqc binary.

    .venv/bin/python bench/compile_time.py [--sizes 1000,10000] [--seqc build/bin/seqc]

Prints a Markdown table (seconds per compile, wall clock). The target of
docs/reliability.md: either model at 10,000 / 1,000 nodes in under 10 s."""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from onnx import TensorProto, helper

ROOT = Path(__file__).resolve().parents[1]


def tanh_chain(n):
    nodes = [helper.make_node("Tanh", [f"v{i}"], [f"v{i + 1}"]) for i in range(n)]
    graph = helper.make_graph(
        nodes, "chain", [helper.make_tensor_value_info("v0", TensorProto.FLOAT, ["n", 16])],
        [helper.make_tensor_value_info(f"v{n}", TensorProto.FLOAT, ["n", 16])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=8)


def wide_concat(n):
    inputs = [helper.make_tensor_value_info(f"x{i}", TensorProto.FLOAT, ["b", 4])
              for i in range(n)]
    graph = helper.make_graph(
        [helper.make_node("Concat", [f"x{i}" for i in range(n)], ["y"], axis=1)], "concat",
        inputs, [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", 4 * n])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=8)


def time_compile(seqc, model, workdir):
    path = workdir / "model.onnx"
    path.write_bytes(model.SerializeToString())
    start = time.monotonic()
    proc = subprocess.run([str(seqc), str(path), "-o", str(workdir / "model")],
                          capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"seqc failed: {proc.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seqc", default=str(ROOT / "build/bin/seqc"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| model | nodes or inputs | compile (s) |")
    print("|---|---:|---:|")
    for name, make in (("Tanh chain", tanh_chain), ("Concat of graph inputs", wide_concat)):
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                seconds = time_compile(args.seqc, make(n), Path(tmp))
            print(f"| {name} | {n} | {seconds:.2f} |", flush=True)


if __name__ == "__main__":
    main()
