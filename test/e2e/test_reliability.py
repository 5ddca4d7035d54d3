"""Regression tests for the defects a fuzzing campaign found (issue 9): each
holds its minimal input. Bad models are refused with one line naming the
node or value; bad values at run time are a status, never a signal; files
outside the model's folder are never read."""
import os
import subprocess
import time

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

F, I32, I64, U32 = TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64, TensorProto.UINT32
SEQC_ERROR_SHAPE, SEQC_ERROR_OUT_OF_MEMORY = 2, 3


def model(nodes, inputs, outputs, inits=(), opset=18, ir_version=8):
    graph = helper.make_graph(nodes, "fuzz", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             ir_version=ir_version)


def vi(name, shape, elem=F):
    return helper.make_tensor_value_info(name, elem, shape)


def seqc(path, *flags):
    """Runs the seqc binary; returns (exit code, stderr)."""
    proc = subprocess.run([str(sh.seqc_binary()), str(path), *flags],
                          capture_output=True, text=True)
    return proc.returncode, proc.stderr


def expect_refused(m, tmp_path, *needles, flags=()):
    """The model is refused: exit 1, one line naming what is wrong, no files."""
    path = tmp_path / "m.onnx"
    if isinstance(m, onnx.ModelProto):
        path.write_bytes(m.SerializeToString())
    else:
        path.write_bytes(m)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    code, err = seqc(path, "-o", str(out / "m"), *flags)
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("seqc: error: "), err
    for needle in needles:
        assert needle in err, err
    assert not list(out.iterdir())
    return err


# 1. Integer division by 0, or of the most negative value by -1.

@pytest.mark.parametrize("op", ["Div", "Mod"])
@pytest.mark.parametrize("elem,dtype", [(I32, np.int32), (I64, np.int64), (U32, np.uint32)])
def test_integer_division_by_zero_is_a_status(tmp_path, op, elem, dtype):
    m = model([helper.make_node(op, ["x", "y"], ["z"], name="divide")],
              [vi("x", [None], elem), vi("y", [None], elem)], [vi("z", [None], elem)])
    cm = sh.compile_model(m, tmp_path)
    x = np.array([7, 9, 12], dtype)
    y = np.array([2, 4, 5], dtype)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    np.testing.assert_array_equal(cm.run([x, y])[0], session.run(None, {"x": x, "y": y})[0])
    bad = [(x, np.array([2, 0, 5], dtype))]
    if dtype != np.uint32:
        lowest = np.iinfo(dtype).min
        bad.append((np.array([1, lowest, 3], dtype), np.array([1, -1, 1], dtype)))
    for a, b in bad:
        with pytest.raises(sh.SeqcRunError) as err:
            cm.run([a, b])
        assert err.value.status == SEQC_ERROR_SHAPE
        assert "node 'divide'" in err.value.message and "division by zero" in err.value.message


def test_integer_division_broadcasts_its_check(tmp_path):
    """A divisor row broadcast over the dividend; -1 divides other values."""
    m = model([helper.make_node("Div", ["x", "y"], ["z"])],
              [vi("x", [None, 3], I64), vi("y", [3], I64)], [vi("z", [None, 3], I64)])
    cm = sh.compile_model(m, tmp_path)
    x = np.array([[7, -9, 12], [1, 2, 3]], np.int64)
    np.testing.assert_array_equal(cm.run([x, np.array([-1, 2, -5])])[0],
                                  np.trunc(x / np.array([-1, 2, -5])).astype(np.int64))
    with pytest.raises(sh.SeqcRunError):
        cm.run([x, np.array([1, 0, 1])])


def test_integer_division_by_constant_zero_is_refused(tmp_path):
    zero = numpy_helper.from_array(np.array([0], np.int32), "zero")
    m = model([helper.make_node("Div", ["x", "zero"], ["z"], name="by_zero")],
              [vi("x", [3], I32)], [vi("z", [3], I32)], [zero])
    expect_refused(m, tmp_path, "node 'by_zero'", "divides by a constant 0")


# 2. Bad --mcpu values, from the command line and from Python.

@pytest.mark.parametrize("cpu", ["bogus", "i386"])
def test_bad_mcpu_is_one_error_line(tmp_path, cpu):
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2])], [vi("y", [2])])
    err = expect_refused(m, tmp_path, f"CPU '{cpu}'", flags=[f"--mcpu={cpu}"])
    assert "LLVM ERROR" not in err


# 3. and 4. External data: links out of the folder, non-regular files,
# offsets and lengths.

def external_model(location, offset=None, length=None, dims=(2, 3)):
    w = TensorProto(name="w", data_type=F, dims=list(dims),
                    data_location=TensorProto.EXTERNAL)
    for key, value in (("location", location), ("offset", offset), ("length", length)):
        if value is not None:
            entry = w.external_data.add()
            entry.key, entry.value = key, str(value)
    return model([helper.make_node("Add", ["x", "w"], ["y"])],
                 [vi("x", list(dims))], [vi("y", list(dims))], [w])


def test_external_data_link_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "weights.bin").symlink_to("/etc/passwd")
    expect_refused(external_model("weights.bin"), tmp_path, "inside the model's folder")


def test_external_data_must_be_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "weights.bin")
    expect_refused(external_model("weights.bin"), tmp_path, "not a regular file")
    os.symlink("/dev/zero", tmp_path / "zero.bin")
    expect_refused(external_model("zero.bin"), tmp_path, "external data")


def test_external_data_is_read_by_offset_and_length(tmp_path):
    """A tensor of 24 bytes at an offset of a 2 GiB sparse file: only those
    bytes are read (the file is never loaded whole)."""
    values = np.arange(6, dtype=np.float32)
    offset = 1 << 30
    with open(tmp_path / "big.bin", "wb") as f:
        f.truncate(2 << 30)
        f.seek(offset)
        f.write(values.tobytes())
    m = external_model("big.bin", offset=offset, length=24)
    (tmp_path / "ok.onnx").write_bytes(m.SerializeToString())
    start = time.monotonic()
    cm = sh.compile_model(tmp_path / "ok.onnx", tmp_path / "ok")
    assert time.monotonic() - start < 60
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(cm.run([x])[0], x + values.reshape(2, 3))
    expect_refused(external_model("big.bin", offset=offset, length=20), tmp_path,
                   "length 20", "needs 24")
    expect_refused(external_model("big.bin", offset=(2 << 30) - 8), tmp_path,
                   "range lies outside")


# 6. and 10. Slice: duplicate axes; steps of INT64_MAX and INT64_MIN.

def test_slice_with_duplicate_axes_is_refused(tmp_path):
    inits = [numpy_helper.from_array(np.array([0, 0], np.int64), "axes")]
    m = model([helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["y"], name="twice")],
              [vi("x", [4, 4]), vi("starts", [2], I64), vi("ends", [2], I64)],
              [vi("y", [None, 4])], inits)
    expect_refused(m, tmp_path, "node 'twice'", "axis 0 repeats")


@pytest.mark.parametrize("steps_as_input", [False, True])
def test_slice_steps_at_the_int64_limits(tmp_path, steps_as_input):
    limits = np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min], np.int64)
    starts = numpy_helper.from_array(np.array([1, -1], np.int64), "starts")
    ends = numpy_helper.from_array(np.array([5, -10], np.int64), "ends")
    inputs, inits = [vi("x", [None, 4])], [starts, ends]
    if steps_as_input:
        inputs.append(vi("steps", [2], I64))
    else:
        inits.append(numpy_helper.from_array(limits, "steps"))
    axes = numpy_helper.from_array(np.array([0, 1], np.int64), "axes")
    m = model([helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
              inputs, [vi("y", [None, None])], inits + [axes])
    cm = sh.compile_model(m, tmp_path)
    x = np.arange(24, dtype=np.float32).reshape(6, 4)
    feeds = {"x": x, "steps": limits} if steps_as_input else {"x": x}
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    expected = session.run(None, feeds)[0]
    np.testing.assert_array_equal(expected, x[1:5:2**63 - 1, -1:-10:-2**63])
    got = cm.run([feeds[t.name] for t in cm.inputs])[0]
    assert got.shape == (1, 1)
    np.testing.assert_array_equal(got, expected)


# 7. Control bytes in names.

def test_control_bytes_in_a_node_name_stay_on_one_line(tmp_path):
    m = model([helper.make_node("LSTM", ["x", "w", "r"], ["y"], name="evil\nname\x1b[31m",
                                hidden_size=2, direction="sideways")],
              [vi("x", [1, 1, 2]), vi("w", [1, 8, 2]), vi("r", [1, 8, 2])], [vi("y", [1, 1, 1, 2])])
    err = expect_refused(m, tmp_path, "node 'evil\\0Aname\\1B[31m'")
    assert "\x1b" not in err


# 8. Names in the generated header.

def test_names_cannot_break_the_header(tmp_path):
    """An output named with "*/" and C code; inputs X and X_shape."""
    evil = 'y */ _Static_assert(0, "injected"); /*'
    m = model([helper.make_node("Add", ["X", "X_shape"], [evil])],
              [vi("X", [2]), vi("X_shape", [2])], [vi(evil, [2])])
    cm = sh.compile_model(m, tmp_path)
    (tmp_path / "use.c").write_text(
        '#include "model.h"\nint main(void) { model_inputs in; model_outputs out;\n'
        '  (void)in.X; (void)in.X_shape; (void)in.X_shape_1; (void)out; return 0; }\n')
    proc = subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", "-fsyntax-only",
                           "-I", str(tmp_path), str(tmp_path / "use.c")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    x, xs = np.array([1, 2], np.float32), np.array([3, 4], np.float32)
    np.testing.assert_array_equal(cm.run([x, xs])[0], x + xs)


# 9. Required inputs given as "".

@pytest.mark.parametrize("op,gates", [("LSTM", 4), ("GRU", 3), ("RNN", 1)])
def test_recurrent_op_without_x_is_refused(tmp_path, op, gates):
    m = model([helper.make_node(op, ["", "w", "r"], ["y"], name="no_x", hidden_size=2)],
              [vi("w", [1, 2 * gates, 2]), vi("r", [1, 2 * gates, 2])], [vi("y", [1, 1, 1, 2])])
    expect_refused(m, tmp_path, "node 'no_x'", "input 0 is required but missing")


# 11. Every value has one definition.

def test_two_producers_of_one_value_are_refused(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y"], name="first"),
               helper.make_node("Neg", ["x"], ["y"], name="second")],
              [vi("x", [2])], [vi("y", [2])])
    expect_refused(m, tmp_path, "node 'second'", "output 'y' is already defined")


def test_a_node_writing_over_an_initializer_is_refused(tmp_path):
    w = numpy_helper.from_array(np.ones(2, np.float32), "w")
    m = model([helper.make_node("Relu", ["x"], ["w"], name="overwrite"),
               helper.make_node("Add", ["x", "w"], ["y"])],
              [vi("x", [2])], [vi("y", [2])], [w])
    expect_refused(m, tmp_path, "node 'overwrite'", "output 'w' is already defined")


def test_duplicate_graph_inputs_and_outputs_are_refused(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2]), vi("x", [2])],
              [vi("y", [2])])
    expect_refused(m, tmp_path, "graph input 'x' is listed twice")
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2])],
              [vi("y", [2]), vi("y", [2])])
    expect_refused(m, tmp_path, "graph output 'y' is listed twice")


def test_an_initializer_contradicting_its_input_is_refused(tmp_path):
    w = numpy_helper.from_array(np.ones(3, np.float32), "w")
    m = model([helper.make_node("Add", ["x", "w"], ["y"])], [vi("x", [2]), vi("w", [2])],
              [vi("y", [2])], [w], ir_version=3, opset=9)
    expect_refused(m, tmp_path, "initializer 'w' contradicts")


def test_model_versions_and_declared_types_are_checked(tmp_path):
    relu = [helper.make_node("Relu", ["x"], ["y"])]
    expect_refused(model(relu, [vi("x", [2])], [vi("y", [2])], ir_version=0), tmp_path,
                   "ir_version 0")
    bad_opset = model(relu, [vi("x", [2])], [vi("y", [2])])
    bad_opset.opset_import[0].version = -1
    expect_refused(bad_opset, tmp_path, "opset version -1")
    expect_refused(model(relu, [vi("x", [2])], [vi("y", [2], I64)]), tmp_path,
                   "graph output 'y' is declared 'i64' but computes 'f32'")


# 12. Sizes from data that do not fit in 64 bits.

def test_outputs_too_large_to_allocate_are_a_status(tmp_path):
    m = model([helper.make_node("ConstantOfShape", ["shape"], ["y"])],
              [vi("shape", [2], I64)], [vi("y", [None, None])])
    cm = sh.compile_model(m, tmp_path)
    status, message, _ = cm.run_status([np.array([1 << 40, 1 << 40], np.int64)])
    assert status == SEQC_ERROR_SHAPE and "too large" in message, message
    np.testing.assert_array_equal(cm.run([np.array([2, 0], np.int64)])[0], np.zeros((2, 0)))


def test_intermediates_too_large_to_allocate_are_a_status(tmp_path):
    """Buffers the generated code allocates itself (Concat's), of 2^67
    bytes: out of memory, not a wrapped size and a write past it."""
    m = model([helper.make_node("ConstantOfShape", ["shape"], ["c"]),
               helper.make_node("Concat", ["c", "c"], ["d"], axis=0),
               helper.make_node("ReduceSum", ["d"], ["y"], keepdims=0)],
              [vi("shape", [2], I64)], [vi("y", [], F)])
    cm = sh.compile_model(m, tmp_path)
    status, message, _ = cm.run_status([np.array([1 << 32, 1 << 32], np.int64)])
    assert status == SEQC_ERROR_OUT_OF_MEMORY, message
    np.testing.assert_array_equal(cm.run([np.array([3, 2], np.int64)])[0], np.float32(0))


# 14. --dump-dir that cannot be created.

def test_dump_dir_that_cannot_be_created_is_an_error(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2])], [vi("y", [2])])
    (tmp_path / "file").write_text("")
    expect_refused(m, tmp_path, "cannot create the dump directory",
                   flags=[f"--dump-dir={tmp_path / 'file' / 'dumps'}"])


# 5. Tensors of very high rank: rank 1,000 took 100 s in LLVM. Ranks up to
#    64 (numpy's limit too) compile and compute; beyond, one line names the
#    value or node.

def test_rank_64_compiles_and_runs(tmp_path):
    shape = [1] * 62 + [2, 3]
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", shape)], [vi("y", shape)])
    x = np.random.default_rng(5).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(sh.compile_model(m, tmp_path).run([x])[0], np.maximum(x, 0))


@pytest.mark.parametrize("rank", [17, 40, 64])
def test_strided_copies_of_high_rank(tmp_path, rank):
    # The runtime's strided copy stopped at rank 16 and copied nothing
    # beyond (a Slice of a rank-20 tensor returned uninitialised memory).
    shape = [1] * rank
    shape[5], shape[12], shape[-1] = 3, 4, 5
    out_shape = list(shape)
    out_shape[12] = 2
    graph = helper.make_graph(
        [helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        [numpy_helper.from_array(np.array([v], np.int64), n)
         for n, v in [("starts", 1), ("ends", 3), ("axes", 12)]])
    cm = sh.compile_model(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)]),
                          tmp_path)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(cm.run({"x": x})[0], x[(slice(None),) * 12 + (slice(1, 3),)])


def test_ranks_above_64_are_refused(tmp_path):
    m = model([helper.make_node("Relu", ["x"], ["y"])], [vi("x", [1] * 65)], [vi("y", [1] * 65)])
    expect_refused(m, tmp_path, "graph value 'x' has rank 65; seqc supports ranks up to 64")
    shape = numpy_helper.from_array(np.ones(65, np.int64), "shape")
    m = model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="deep")],
              [vi("x", [1])], [vi("y", None)], [shape])
    expect_refused(m, tmp_path, "node 'deep'", "result of rank 65 (above 64)")
    big = helper.make_tensor("w", F, [1] * 65, [1.0])  # numpy stops at rank 64
    m = model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y", None)], [big])
    expect_refused(m, tmp_path, "tensor 'w' has rank 65")


# Found by seqc-ImportFuzzer: Reshape's requested sizes multiplied past int64
# in shape inference (undefined behaviour).

def test_reshape_to_more_than_int64_elements_is_refused(tmp_path):
    shape = numpy_helper.from_array(np.array([(1 << 33) + 1, (1 << 32) - 2, -1], np.int64),
                                    "shape")
    m = model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="huge")],
              [vi("x", [4])], [vi("y", None)], [shape])
    expect_refused(m, tmp_path, "node 'huge'", "more than 2^63 elements")


# Found by seqc-ImportFuzzer: a Scan of opset 8 (batched) without outputs
# read its first output's name from an empty list.

def test_opset8_scan_without_outputs_is_refused(tmp_path):
    body = helper.make_graph([helper.make_node("Identity", ["s"], ["s_out"])], "body",
                             [vi("s", [2])], [vi("s_out", [2])])
    m = model([helper.make_node("Scan", ["", "init"], [], name="scan", num_scan_inputs=0,
                                body=body)],
              [vi("init", [1, 2])], [vi("y", [1, 2])], opset=8)
    expect_refused(m, tmp_path, "node 'scan'", "Scan has no outputs")


# Found by seqc-ImportFuzzer: Tile multiplied a size by its repeat past int64
# (and Pad, Concat and Split add sizes the same way).

@pytest.mark.parametrize("op", ["Tile", "Pad", "Split"])
def test_sizes_past_int64_are_refused(tmp_path, op):
    big = np.int64((1 << 62) + 1)
    if op == "Tile":
        const = numpy_helper.from_array(np.array([big], np.int64), "c")
        outputs = ["y"]
    elif op == "Pad":
        const = numpy_helper.from_array(np.array([big, big], np.int64), "c")
        outputs = ["y"]
    else:
        const = numpy_helper.from_array(np.array([big, big, big, 2], np.int64), "c")
        outputs = ["y", "z", "w", "v"]
    m = model([helper.make_node(op, ["x", "c"], outputs, name="sizes")],
              [vi("x", [4])], [vi(o, None) for o in outputs], [const])
    expect_refused(m, tmp_path, "node 'sizes'", "int64")


# Found by seqc-GraphFuzzer: Unsqueeze with axes read at run time, declared
# of size INT64_MAX, added that to the rank.

def test_unsqueeze_with_too_many_runtime_axes_is_refused(tmp_path):
    m = model([helper.make_node("Unsqueeze", ["x", "axes"], ["y"], name="deep")],
              [vi("x", [4]), vi("axes", [(1 << 63) - 1], I64)], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'deep'", "rank above 64")


# Found by seqc-GraphFuzzer: window attributes near the int64 limits (here a
# ConvTranspose output_shape of INT64_MIN) overflowed the geometry.

def test_window_attributes_out_of_range_are_refused(tmp_path):
    w = numpy_helper.from_array(np.ones((1, 1, 3), np.float32), "w")
    m = model([helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up",
                                output_shape=[-(1 << 63)])],
              [vi("x", [1, 1, 4])], [vi("y", None)], [w])
    expect_refused(m, tmp_path, "node 'up'", "output_shape value", "out of range")


# Found by seqc-GraphFuzzer: a Conv over a spatial size declared as INT64_MAX
# overflowed size + pads; a kernel of 2^40 dilated by 2^32 overflowed its span.

@pytest.mark.parametrize("x_shape,w_shape,dilations,message", [
    ([1, 1, (1 << 63) - 1, 5], [1, 1, 3, 3], [1, 1], "too large"),
    ([1, 1, 9, 5], [1, 1, 1 << 40, 3], [1 << 32, 1], "dilated kernel"),
])
def test_window_sizes_near_int64_are_refused(tmp_path, x_shape, w_shape, dilations, message):
    m = model([helper.make_node("Conv", ["x", "W"], ["y"], name="conv", pads=[1, 1, 1, 1],
                                strides=[2, 2], dilations=dilations)],
              [vi("x", x_shape), vi("W", w_shape)], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'conv'", message)


# Found by seqc-GraphFuzzer (at 165,778 executions): older opsets' attributes
# that move to inputs or change meaning were read as their schema's type
# without a check (ReduceMean-1 with a FLOAT `axes` read a float as a list).

@pytest.mark.parametrize("op,opset,attr,value,kind", [
    ("ReduceMean", 1, "axes", 0.5, " list of integers"),
    ("Squeeze", 11, "axes", "x", " list of integers"),
    ("TopK", 1, "k", [1.5], " list of integers"),
    ("Softmax", 11, "axis", [1, 2], "n integer"),
    ("Clip", 6, "min", "low", " float"),
    ("Pad", 2, "pads", [0.5, 1.5], " list of integers"),
    ("Upsample", 7, "scales", [1, 2], " list of floats"),
])
def test_old_opset_attributes_of_the_wrong_type_are_refused(tmp_path, op, opset, attr, value,
                                                            kind):
    node = helper.make_node(op, ["x"], ["y"], name="old")
    node.attribute.append(helper.make_attribute(attr, value))
    m = model([node], [vi("x", [2, 3])], [vi("y", None)], opset=opset, ir_version=3)
    expect_refused(m, tmp_path, "node 'old'", f"attribute '{attr}' must be a{kind}")


# Found by seqc-GraphFuzzer (at 47,966 executions of the next run): a shape
# input declared of size INT64_MAX made Reshape's result rank that large.

@pytest.mark.parametrize("op", ["Reshape", "Expand", "ConstantOfShape"])
def test_shape_inputs_past_rank_64_are_refused(tmp_path, op):
    inputs = ["shape"] if op == "ConstantOfShape" else ["x", "shape"]
    m = model([helper.make_node(op, inputs, ["y"], name="big")],
              [vi("x", [2, 3]), vi("shape", [(1 << 63) - 1], I64)][2 - len(inputs):],
              [vi("y", None)])
    expect_refused(m, tmp_path, "node 'big'", "above 64")


# Found by seqc-GraphFuzzer (2 jobs, ~115,000 executions): a reduction with
# axes read at run time, declared of length 2^31 - 1, passed shape inference
# with keepdims and ran the compiler out of memory.

def test_more_runtime_reduce_axes_than_dimensions_are_refused(tmp_path):
    m = model([helper.make_node("ReduceSum", ["x", "axes"], ["y"], name="sum")],
              [vi("x", [3, 4, 5]), vi("axes", [(1 << 31) - 1], I64)], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'sum'", "axes for a rank-3 input")


# Found by seqc-GraphFuzzer (same run): a Scan state used only inside nested
# regions of the body (the broadcast of a dynamic-size state: an scf.if and a
# linalg.generic) looked dead to the recurrence's canonicalization, which
# dropped it while it was still read.

def test_scan_state_read_inside_nested_regions(tmp_path):
    body = helper.make_graph(
        [helper.make_node("Add", ["sum_in", "next"], ["sum_out"]),
         helper.make_node("Identity", ["sum_out"], ["scan_out"])], "body",
        [vi("sum_in", [2]), vi("next", [2])], [vi("sum_out", [2]), vi("scan_out", [2])])
    m = model([helper.make_node("Scan", ["initial", "x"], ["y", "z"], num_scan_inputs=1,
                                body=body)],
              [vi("initial", ["n"]), vi("x", [3, 2])], [vi("z", [3, 2])], opset=9, ir_version=4)
    initial = np.array([1.0, -2.0], np.float32)
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    got = sh.compile_model(m, tmp_path).run([initial, x])[0]
    np.testing.assert_allclose(got, initial + np.cumsum(x, axis=0))


# Found by seqc-GraphFuzzer (2 jobs, ~126,000 executions): GatherND read the
# last dimension of rank-0 indices before checking the rank; Slice bounds
# read at run time, declared of size 2^31 - 1, were indexed past the rank.

def test_gathernd_with_scalar_indices_is_refused(tmp_path):
    m = model([helper.make_node("GatherND", ["data", "indices"], ["y"], name="gather")],
              [vi("data", [8]), vi("indices", [], I64)], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'gather'", "gathernd_c1")


def test_slice_bounds_longer_than_the_rank_are_refused(tmp_path):
    m = model([helper.make_node("Slice", ["x", "starts", "ends"], ["y"], name="cut")],
              [vi("x", [20, 10, 5]), vi("starts", [(1 << 31) - 1], I64), vi("ends", [1], I64)],
              [vi("y", None)])
    expect_refused(m, tmp_path, "node 'cut'", "starts must be 1-D with at most 3 values")


# Found by seqc-GraphFuzzer (2 jobs, ~38,000 executions): a LayerNormalization
# Scale of higher rank than X's normalized dimensions made invalid linalg
# indexing maps (a crash in MLIR's verifier).

def test_layer_norm_scale_that_does_not_broadcast_is_refused(tmp_path):
    m = model([helper.make_node("LayerNormalization", ["x", "scale"], ["y"], name="norm")],
              [vi("x", [2]), vi("scale", [3, 4])], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'norm'", "does not broadcast")


# Found by seqc-GraphFuzzer (2 jobs, ~84,000 executions): Flatten multiplied
# declared sizes past int64; a ConvTranspose kernel of INT64_MAX overflowed
# the output size.

def test_flatten_past_int64_is_refused(tmp_path):
    m = model([helper.make_node("Flatten", ["x"], ["y"], name="flat")],
              [vi("x", ["n", 2, 2, (1 << 63) - 1])], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'flat'", "do not fit in int64")


def test_conv_transpose_output_past_int64_is_refused(tmp_path):
    m = model([helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up")],
              [vi("x", [1, 2, 4, 3]), vi("w", [2, 1, 3, (1 << 63) - 1])], [vi("y", None)])
    expect_refused(m, tmp_path, "node 'up'", "would be too large")


# Found by seqc-GraphFuzzer: Transpose of a rank-0 tensor crashed in MLIR's
# linalg.transpose; an identity permutation is now no transpose at all.

def test_transpose_of_a_scalar(tmp_path):
    m = model([helper.make_node("Transpose", ["x"], ["y"])], [vi("x", [], TensorProto.DOUBLE)],
              [vi("y", [], TensorProto.DOUBLE)],
              opset=7, ir_version=3)
    x = np.array(2.5)
    np.testing.assert_array_equal(sh.compile_model(m, tmp_path).run([x])[0], x)


# Found by seqc-GraphFuzzer: an If with no used result whose taken branch is
# invalid (a Constant with a misspelt attribute: a run-time error) left an
# scf.if without an else branch; moving its check out gave that scf.if
# results without an else, and the shape function's rewrite crashed.

def test_unused_if_with_an_invalid_branch(tmp_path):
    def branch(name, attribute, value):
        node = helper.make_node("Constant", [], [name], **{attribute: helper.make_tensor(
            "v", F, [5], [value] * 5)})
        return helper.make_graph([node], name, [], [vi(name, [5])])
    m = model([helper.make_node("If", ["cond"], ["unused"], then_branch=branch("a", "valwe", 1.0),
                                else_branch=branch("b", "value", 2.0))],
              [vi("cond", [], TensorProto.BOOL)], [vi("cond", [], TensorProto.BOOL)], opset=23)
    compiled = sh.compile_model(m, tmp_path)
    np.testing.assert_array_equal(compiled.run([np.array(False)])[0], False)
    with pytest.raises(sh.SeqcRunError, match="no attribute 'valwe'"):
        compiled.run([np.array(True)])


# Found by seqc-GraphFuzzer (2 jobs, ~25,000 executions): an LSTM with
# hidden_size INT64_MAX overflowed 4 * hidden_size in the verifier.

@pytest.mark.parametrize("declared", ["attribute", "R"])
def test_rnn_hidden_size_past_int64_is_refused(declared, tmp_path):
    big = (1 << 63) - 1
    hidden = big if declared == "R" else "h"
    attrs = {"hidden_size": big} if declared == "attribute" else {}
    m = model([helper.make_node("LSTM", ["x", "w", "r"], ["y"], name="lstm", **attrs)],
              [vi("x", [2, 1, 3]), vi("w", [1, 4 * 4, 3]), vi("r", [1, 16, hidden])],
              [vi("y", None)])
    expect_refused(m, tmp_path, "node 'lstm'", "too large")


# Found by seqc-GraphFuzzer (2 jobs, ~170,000 executions): Split in equal
# parts of a dimension of INT64_MAX overflowed (size + parts - 1); a
# num_outputs that is not the node's output count is refused before a type
# is made per part.

def test_split_of_int64_max_in_equal_parts(tmp_path):
    m = model([helper.make_node("Split", ["x"], ["a", "b"], num_outputs=2)],
              [vi("x", [(1 << 63) - 1])], [vi("a", None), vi("b", None)])
    path = tmp_path / "m.onnx"
    path.write_bytes(m.SerializeToString())
    code, err = seqc(path, "--emit=onnx", "-o", str(tmp_path / "m.mlir"))
    assert code == 0, err
    assert "(tensor<4611686018427387904xf32>, tensor<4611686018427387903xf32>)" in \
        (tmp_path / "m.mlir").read_text()


def test_split_num_outputs_other_than_the_outputs_is_refused(tmp_path):
    m = model([helper.make_node("Split", ["x"], ["a", "b"], name="cut",
                                num_outputs=(1 << 63) - 1)],
              [vi("x", [6])], [vi("a", None), vi("b", None)])
    expect_refused(m, tmp_path, "node 'cut'", "parts for 2 outputs")


# Found by seqc-GraphFuzzer (2 jobs, ~700,000 executions): a Slice-1 node
# with starts and ends as inputs (three each, read at run time) and one axis
# as an attribute passed shape inference; the lowering read axes past their
# end. Starts, ends, axes and steps must have the same length.

def test_slice_with_fewer_axes_than_starts_is_refused(tmp_path):
    m = model([helper.make_node("Slice", ["x", "starts", "ends"], ["y"], name="cut", axes=-1)],
              [vi("x", [20, 10, 5, 8]), vi("starts", [3], I64), vi("ends", [3], I64)],
              [vi("y", None)], opset=1, ir_version=3)
    expect_refused(m, tmp_path, "node 'cut'", "must have the same length, found 3 and 1")


# Found by seqc-GraphFuzzer (2 jobs, ~410,000 executions): a sequence of two
# tensors of INT64_MAX values each; the flat tensor that carries a
# sequence's elements would overflow int64, and building its Concat aborted.

def test_sequence_of_too_large_elements_is_refused(tmp_path):
    m = model([helper.make_node("SequenceConstruct", ["axes", "axes"], ["y"], name="seq")],
              [vi("axes", [(1 << 63) - 1], I64)],
              [helper.make_tensor_sequence_value_info("y", I64, None)])
    expect_refused(m, tmp_path, "node 'seq'", "more than 2^40 values")
