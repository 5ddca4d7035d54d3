/*===- SeqcHalide.c - Calls of the kernels Halide generated ---------------===*
 *
 * seqc-vectorize-matmul (kernels=halide) calls a Halide kernel through
 * seqc_rt_halide_matmul with MLIR memref descriptors (the C interface of
 * llvm.emit_c_interface); a Halide kernel takes halide_buffer_t. This turns
 * the one into the other: the sizes and strides as they are (Halide's
 * dimension 0 is the innermost, a memref's the outermost).
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

typedef int (*seqc_halide_matmul_kernel)(halide_buffer_t *a,
                                          halide_buffer_t *b,
                                          halide_buffer_t *init, float scalar,
                                          halide_buffer_t *out);

static void describe(const seqc_memref_2d *m, halide_dimension_t dims[2],
                     halide_buffer_t *buffer) {
  /* seqc's calls hold fewer than 2^31 rows and columns, with strides below
   * 2^31 elements (a kernel's part of a tensor). */
  dims[0] = (halide_dimension_t){0, (int32_t)m->sizes[1],
                                 (int32_t)m->strides[1], 0};
  dims[1] = (halide_dimension_t){0, (int32_t)m->sizes[0],
                                 (int32_t)m->strides[0], 0};
  *buffer = (halide_buffer_t){0};
  buffer->host = (uint8_t *)(m->aligned + m->offset);
  buffer->type = (struct halide_type_t){halide_type_float, 32, 1};
  buffer->dimensions = 2;
  buffer->dim = dims;
}

/* out = init + a b (or scalar + a b: the kernel reads one or the other). */
void _mlir_ciface_seqc_rt_halide_matmul(seqc_halide_matmul_kernel kernel,
                                        seqc_memref_2d *a, seqc_memref_2d *b,
                                        seqc_memref_2d *init, float scalar,
                                        seqc_memref_2d *out) {
  halide_dimension_t dims[4][2];
  halide_buffer_t buffers[4];
  describe(a, dims[0], &buffers[0]);
  describe(b, dims[1], &buffers[1]);
  describe(init, dims[2], &buffers[2]);
  describe(out, dims[3], &buffers[3]);
  /* Generated without asserts, a kernel has no error to return. */
  (void)kernel(&buffers[0], &buffers[1], &buffers[2], scalar, &buffers[3]);
}
