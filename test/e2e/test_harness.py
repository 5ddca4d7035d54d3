"""Self-test of seqc_harness against a hand-written C library that follows
docs/c-api.md (a stand-in for seqc's output), so the ctypes layer is proven
before the compiler exists. Needs a C compiler; skipped otherwise."""

import shutil
import stat
import subprocess

import numpy as np
import pytest

import seqc_harness as sh

CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
pytestmark = pytest.mark.skipif(CC is None, reason="no C compiler")

# "model": Y[t, b, k] = X[t, b, k] * sequence_lens[b]; X is [seq_len, batch, 2].
STUB_C = r"""
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
typedef struct { const char *name; int32_t elem_type, rank; const int64_t *dims;
                 const char *const *dim_names; int64_t data_offset, shape_offset;
                 int32_t role, element_rank; const int64_t *element_dims; } seqc_tensor_info;
typedef struct { int32_t abi_version, num_inputs, num_outputs; const char *name;
                 const seqc_tensor_info *inputs, *outputs;
                 int64_t inputs_size, outputs_size; } seqc_model_info;
typedef struct { const float *X; int64_t X_shape[3];
                 const int32_t *sequence_lens; int64_t sequence_lens_shape[1]; } model_inputs;
typedef struct { float *Y; int64_t Y_shape[3]; } model_outputs;
typedef struct { char msg[128]; } model_context;
static const int64_t x_dims[3] = {-1, -1, 2}, l_dims[1] = {-1};
static const char *const x_names[3] = {"seq_len", "batch", ""}, *const l_names[1] = {"batch"};
#ifndef LENS_OFFSET
#define LENS_OFFSET 32
#endif
static const seqc_tensor_info ins[2] = {{"X", 1, 3, x_dims, x_names, 0, 8, 0, -1, 0},
                                        {"sequence_lens", 6, 1, l_dims, l_names,
                                         LENS_OFFSET, LENS_OFFSET + 8, 0, -1, 0}};
static const seqc_tensor_info outs[1] = {{"Y", 1, 3, x_dims, x_names, 0, 8, 0, -1, 0}};
static const seqc_model_info info = {2, 2, 1, "stub", ins, outs, sizeof(model_inputs),
                                     sizeof(model_outputs)};
const seqc_model_info *model_info(void) { return &info; }
model_context *model_context_create(const void *options) {
  (void)options;
  return calloc(1, sizeof(model_context));
}
void model_context_destroy(model_context *c) { free(c); }
const char *model_last_error(const model_context *c) { return c ? c->msg : "null context"; }
static int fail(model_context *c, int s, const char *m) { strcpy(c->msg, m); return s; }
int model_output_shapes(model_context *c, const model_inputs *in, model_outputs *out) {
  if (!c) return 1;
  if (!in || !out) return fail(c, 1, "null struct");
  if (in->X_shape[2] != 2 || in->sequence_lens_shape[0] != in->X_shape[1])
    return fail(c, 2, "bad input shape");
  memcpy(out->Y_shape, in->X_shape, sizeof out->Y_shape);
  return 0;
}
int model_run(model_context *c, const model_inputs *in, model_outputs *out) {
  model_outputs want;
  int s = model_output_shapes(c, in, out ? &want : NULL);
  if (s) return s;
  if (!in->X || !in->sequence_lens || !out->Y) return fail(c, 1, "null data pointer");
  if (memcmp(want.Y_shape, out->Y_shape, sizeof want.Y_shape)) return fail(c, 2, "bad output shape");
  int64_t T = in->X_shape[0], B = in->X_shape[1];
  for (int64_t i = 0; i < T * B * 2; ++i) out->Y[i] = in->X[i] * in->sequence_lens[(i / 2) % B];
  return 0;
}
"""


@pytest.fixture(scope="module")
def fake_seqc(tmp_path_factory):
    d = tmp_path_factory.mktemp("fake_seqc")
    (d / "stub.c").write_text(STUB_C)
    script = d / "seqc"
    # seqc MODEL -o OUT/PREFIX  ->  OUT/libPREFIX.so
    script.write_text(f"""#!/bin/sh
[ "$2" = "-o" ] || {{ echo "usage: seqc model.onnx -o out/name" >&2; exit 2; }}
[ -e "$1" ] || {{ echo "no such model: $1" >&2; exit 1; }}
exec {CC} -shared -fPIC -O1 -o "$(dirname "$3")/lib$(basename "$3").so" {d / 'stub.c'}
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_harness_roundtrip(fake_seqc, tmp_path, monkeypatch):
    from rnn_models import make_rnn_model
    monkeypatch.setenv("SEQC", str(fake_seqc))
    assert sh.seqc_binary() == fake_seqc
    model, _ = make_rnn_model("RNN")  # any model: the stub ignores it
    cm = sh.compile_model(model, tmp_path / "m")
    assert (tmp_path / "m" / "model.onnx").exists()
    assert cm.name == "stub" and cm.input_names == ["X", "sequence_lens"] and cm.output_names == ["Y"]
    x_info = cm.inputs[0]
    assert x_info.dtype == np.float32 and x_info.dims == (-1, -1, 2)
    assert x_info.dim_names == ("seq_len", "batch", "")
    assert cm.inputs[1].dtype == np.int32
    x = np.arange(3 * 4 * 2, dtype=np.float64).reshape(3, 4, 2)[:, ::1]  # float64: harness casts
    lens = np.array([1, 2, 3, 4])
    (y,) = cm.run({"X": x, "sequence_lens": lens})
    np.testing.assert_array_equal(y, x * lens[None, :, None])
    (y2,) = cm.run([np.asfortranarray(x), lens])  # non-contiguous input is copied
    np.testing.assert_array_equal(y2, y)


def test_harness_errors(fake_seqc, tmp_path, monkeypatch):
    monkeypatch.setenv("SEQC", str(fake_seqc))
    with pytest.raises(sh.SeqcCompileError, match="no such model"):
        sh.compile_model(str(tmp_path / "missing.onnx"), tmp_path / "bad")
    subprocess.run([str(fake_seqc), "/dev/null", "-o", str(tmp_path / "model")], check=True)
    cm = sh.CompiledModel(tmp_path / "libmodel.so")
    x, lens = np.zeros((2, 3, 2), np.float32), np.ones(3, np.int32)
    assert cm.run_status([x, lens])[0] == sh.SEQC_OK
    status, msg, _ = cm.run_status([np.zeros((2, 3, 5), np.float32), lens])
    assert status == sh.SEQC_ERROR_SHAPE and msg == "bad input shape"
    assert cm.run_status([x, lens], out_shapes={"Y": (2, 3, 3)})[0] == sh.SEQC_ERROR_SHAPE
    for null in ("X", "Y", "inputs", "outputs", "ctx"):
        assert cm.run_status([x, lens], null=(null,))[0] == sh.SEQC_ERROR_NULL_POINTER, null
    with pytest.raises(sh.SeqcRunError) as e:
        cm.run([x, np.ones(2, np.int32)])
    assert e.value.status == sh.SEQC_ERROR_SHAPE
    with pytest.raises(ValueError, match="rank"):
        cm.run([x[0], lens])


def test_struct_layout_follows_the_document():
    # Pointer, then max(rank, 1) int64: a scalar keeps one shape slot.
    assert sh.struct_layout([0, 3, 1]) == ([(0, 8), (16, 24), (48, 56)], 64)
    assert sh.struct_layout([2]) == ([(0, 8)], 24)
    assert sh.struct_layout([]) == ([], 8)


def test_harness_refuses_tables_that_disagree_with_the_document(tmp_path):
    (tmp_path / "stub.c").write_text(STUB_C)
    subprocess.run([CC, "-shared", "-fPIC", "-DLENS_OFFSET=24", "-o", str(tmp_path / "libmodel.so"),
                    str(tmp_path / "stub.c")], check=True)
    with pytest.raises(RuntimeError, match="docs/c-api.md says"):
        sh.CompiledModel(tmp_path / "libmodel.so")
