/*===- SeqcHalide.c - Calls of the kernels Halide generated ---------------===*
 *
 * seqc-vectorize-matmul (kernels=halide) calls a Halide kernel through
 * seqc_rt_halide_matmul with MLIR memref descriptors (the C interface of
 * llvm.emit_c_interface); a Halide kernel takes halide_buffer_t. This turns
 * the one into the other (Halide's dimension 0 is the innermost, a
 * memref's the outermost; columns go in panels of one vector).
 *
 *===----------------------------------------------------------------------===*/

#include "HalideRuntime.h"

#include <stdint.h>

typedef struct {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
} seqc_memref_2d;

typedef struct {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[3];
  int64_t strides[3];
} seqc_memref_3d;

typedef int (*seqc_halide_matmul_kernel)(halide_buffer_t *a,
                                          halide_buffer_t *b,
                                          halide_buffer_t *init, float scalar,
                                          halide_buffer_t *out);

/* seqc's calls hold fewer than 2^31 rows and columns, with strides below
 * 2^31 elements (a kernel's part of a tensor). */
static halide_dimension_t dimension(int64_t extent, int64_t stride) {
  return (halide_dimension_t){0, (int32_t)extent, (int32_t)stride, 0};
}

static void describe(float *host, int dimensions, halide_dimension_t *dims,
                     halide_buffer_t *buffer) {
  *buffer = (halide_buffer_t){0};
  buffer->host = (uint8_t *)host;
  buffer->type = (struct halide_type_t){halide_type_float, 32, 1};
  buffer->dimensions = dimensions;
  buffer->dim = dims;
}

/* A matrix [rows, cols] as the kernels see it: (lane, panel, row), each row
 * cols / lanes panels of one vector. */
static void describe_panels(const seqc_memref_2d *m, int64_t lanes,
                            halide_dimension_t dims[3],
                            halide_buffer_t *buffer) {
  dims[0] = dimension(lanes, m->strides[1]);
  dims[1] = dimension(m->sizes[1] / lanes, lanes * m->strides[1]);
  dims[2] = dimension(m->sizes[0], m->strides[0]);
  describe(m->aligned + m->offset, 3, dims, buffer);
}

/* out = init + a b (or scalar + a b: the kernel reads one or the other).
 * `a` is [rows, K], `b` [K, panels, lanes] (a packed panel-major constant,
 * or a matrix's columns in vectors), `init` and `out` [rows, panels * lanes]. */
void _mlir_ciface_seqc_rt_halide_matmul(seqc_halide_matmul_kernel kernel,
                                        seqc_memref_2d *a, seqc_memref_3d *b,
                                        seqc_memref_2d *init, float scalar,
                                        seqc_memref_2d *out) {
  int64_t lanes = b->sizes[2];
  halide_dimension_t dims[4][3];
  halide_buffer_t buffers[4];
  dims[0][0] = dimension(a->sizes[1], a->strides[1]);
  dims[0][1] = dimension(a->sizes[0], a->strides[0]);
  describe(a->aligned + a->offset, 2, dims[0], &buffers[0]);
  dims[1][0] = dimension(lanes, b->strides[2]);
  dims[1][1] = dimension(b->sizes[0], b->strides[0]);
  dims[1][2] = dimension(b->sizes[1], b->strides[1]);
  describe(b->aligned + b->offset, 3, dims[1], &buffers[1]);
  describe_panels(init, lanes, dims[2], &buffers[2]);
  describe_panels(out, lanes, dims[3], &buffers[3]);
  /* Generated without asserts, a kernel has no error to return. */
  (void)kernel(&buffers[0], &buffers[1], &buffers[2], scalar, &buffers[3]);
}
