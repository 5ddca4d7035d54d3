/*===- SeqcRuntime.h - The C runtime linked into every compiled model -----===*
 *
 * Generic argument checking and kernel invocation, driven by a per-model
 * descriptor that seqc emits. Its functions are linked into each model's
 * object as internal symbols, so any number of models coexist in one program.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SEQC_RUNTIME_SEQCRUNTIME_H
#define SEQC_RUNTIME_SEQCRUNTIME_H

#ifdef __cplusplus
extern "C" {
#endif

#include "seqc/Runtime/SeqcTypes.h"

/* --- Private: between seqc's generated code and the runtime ------------- */

/* Kernels take one pointer per memref argument, each pointing at an MLIR
 * memref descriptor {allocated, aligned, offset, sizes[rank], strides[rank]},
 * and return a seqc_status (SEQC_OK, or SEQC_ERROR_OUT_OF_MEMORY when an
 * allocation failed).
 */
typedef int32_t (*seqc_kernel_fn)(void **descriptors);

typedef struct seqc_model_desc {
  const seqc_model_info *info;
  seqc_kernel_fn run; /* inputs..., outputs... */
  /* inputs..., memref<N+3 x i64>: all output dims, then the number (from 1)
   * of a failed run-time check or 0, and the two sizes that check compared */
  seqc_kernel_fn shapes;
  int64_t num_output_dims;
  const char *const *check_messages; /* check k at [k-1], then NULL */
} seqc_model_desc;

typedef struct seqc_context seqc_context;

seqc_context *seqc_rt_context_create(const seqc_context_options *options);
void seqc_rt_context_destroy(seqc_context *ctx);
const char *seqc_rt_last_error(const seqc_context *ctx);
int seqc_rt_output_shapes(const seqc_model_desc *desc, seqc_context *ctx,
                          const void *inputs, void *outputs);
int seqc_rt_run(const seqc_model_desc *desc, seqc_context *ctx,
                const void *inputs, void *outputs);

/* ONNX Equal on strings, which compiled code holds as pointers (int64_t) to
 * their NUL-terminated UTF-8 bytes: 1 when equal, else 0. */
int32_t seqc_rt_string_equal(int64_t a, int64_t b);

#ifdef __cplusplus
}
#endif

#endif /* SEQC_RUNTIME_SEQCRUNTIME_H */
