"""The Python binding and the generated header agree on the C structs.

A C program compiled against the header of a model with scalar, vector and
rank-3 tensors of four element types prints sizeof/offsetof of every member
of <p>_inputs / <p>_outputs, and of the shared seqc_tensor_info /
seqc_model_info; the binding's offsets (read from <p>_info()) and its ctypes
mirror of the shared structs must equal them, and both must follow
docs/c-api.md's rule. Skipped without a C compiler."""
import ctypes
import shutil
import subprocess

import numpy as np
import pytest

import interface_models

seqc = pytest.importorskip("seqc")
from seqc import _model  # noqa: E402

CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
pytestmark = pytest.mark.skipif(CC is None, reason="no C compiler")

NAMES = [name for name, _, _ in interface_models.MIXED_INPUTS]
RANKS = [len(shape) for _, _, shape in interface_models.MIXED_INPUTS]
TENSOR_INFO_FIELDS = [f for f, _ in _model._TensorInfo._fields_]
MODEL_INFO_FIELDS = [f for f, _ in _model._ModelInfo._fields_]


def documented_layout(ranks):
    """docs/c-api.md: per tensor an 8-byte pointer, then max(rank, 1) int64."""
    data, shape, offset = [], [], 0
    for rank in ranks:
        data.append(offset)
        shape.append(offset + 8)
        offset += 8 * (1 + max(rank, 1))
    return data, shape, offset


def dump_program(prefix):
    lines = [f'#include "{prefix}.h"', "#include <stdio.h>", "int main(void) {",
             '  printf("abi %d\\n", SEQC_ABI_VERSION);']

    def member(struct, member_name):
        lines.append(f'  printf("{struct} {member_name} %zu\\n", offsetof({struct}, {member_name}));')

    for kind, suffix in (("inputs", ""), ("outputs", "_out")):
        struct = f"{prefix}_{kind}"
        lines.append(f'  printf("{struct} sizeof %zu\\n", sizeof({struct}));')
        for name in NAMES:
            member(struct, name + suffix)
            member(struct, name + suffix + "_shape")
    for struct, fields in (("seqc_tensor_info", TENSOR_INFO_FIELDS),
                           ("seqc_model_info", MODEL_INFO_FIELDS)):
        lines.append(f'  printf("{struct} sizeof %zu\\n", sizeof({struct}));')
        for field in fields:
            member(struct, field)
    return "\n".join(lines + ["  return 0;", "}"]) + "\n"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    work = tmp_path_factory.mktemp("layout")
    compiled = seqc.compile(interface_models.mixed_model(), emit_dir=work / "model", name="mixed")
    (work / "dump.c").write_text(dump_program("mixed"))
    subprocess.run([CC, "-std=c11", "-Wall", "-Werror", f"-I{work / 'model'}",
                    str(work / "dump.c"), "-o", str(work / "dump")], check=True)
    out = subprocess.run([str(work / "dump")], check=True, capture_output=True, text=True)
    c = {}
    for line in out.stdout.splitlines():
        *key, value = line.split()
        c[tuple(key)] = int(value)
    return compiled, c


@pytest.mark.parametrize("kind,suffix", [("inputs", ""), ("outputs", "_out")])
def test_binding_uses_the_headers_layout(mixed, kind, suffix):
    compiled, c = mixed
    layout = getattr(compiled, f"{kind}_layout")
    struct = f"mixed_{kind}"
    header_data = [c[(struct, n + suffix)] for n in NAMES]
    header_shape = [c[(struct, n + suffix + "_shape")] for n in NAMES]
    assert list(layout.data_offsets) == header_data
    assert list(layout.shape_offsets) == header_shape
    assert layout.size == c[(struct, "sizeof")]
    assert (header_data, header_shape, c[(struct, "sizeof")]) == documented_layout(RANKS)


def test_binding_mirrors_the_shared_structs(mixed):
    _, c = mixed
    assert c[("abi",)] == _model.ABI_VERSION
    for struct, mirror in (("seqc_tensor_info", _model._TensorInfo),
                           ("seqc_model_info", _model._ModelInfo)):
        assert ctypes.sizeof(mirror) == c[(struct, "sizeof")], struct
        for field, _ in mirror._fields_:
            assert getattr(mirror, field).offset == c[(struct, field)], (struct, field)


def test_mixed_model_runs_through_the_layout(mixed):
    compiled, _ = mixed
    rng = np.random.default_rng(3)
    feeds = {"flag": np.asarray(-7, np.int32),
             "v": rng.integers(-2**40, 2**40, size=5).astype(np.int64),
             "x": rng.standard_normal((2, 4, 3)).astype(np.float32),
             "d": np.asarray(1.25, np.float64)}
    got = compiled.run(feeds, as_dict=True)
    assert got["flag_out"].dtype == np.int32 and got["flag_out"].shape == ()
    assert got["flag_out"] == -7
    np.testing.assert_array_equal(got["v_out"], feeds["v"])
    np.testing.assert_array_equal(got["x_out"], feeds["x"] * 2)
    assert got["d_out"].dtype == np.float64 and got["d_out"] == 2.5
