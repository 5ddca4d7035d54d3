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

/* The context's worker threads (SeqcThreadPool.c). parallel_for calls
 * body(begin, end, env) over [0, n) split statically into one contiguous
 * slice per thread, the caller's thread taking the first, and returns when
 * all are done; a parallel_for inside a body runs serially. A NULL pool (one
 * thread) runs body(0, n, env) on the caller's thread. */
typedef void (*seqc_parallel_body)(int64_t begin, int64_t end, void *env);
typedef struct seqc_pool seqc_pool;
/* NULL for fewer than 2 threads, or when out of memory. */
seqc_pool *seqc_rt_pool_create(int32_t num_threads);
void seqc_rt_pool_destroy(seqc_pool *pool);
int32_t seqc_rt_pool_size(const seqc_pool *pool);
/* The threads a parallel_for on `pool` would use here: 1 inside a body. */
int32_t seqc_rt_pool_width(const seqc_pool *pool);
/* Called at the start of each call on the thread that makes it: keeps the
 * workers off that thread's CPU and wakes the sleeping ones to spin (for
 * 0.5 ms), so that the call's first parallel_for finds them awake. */
void seqc_rt_pool_begin_call(seqc_pool *pool);
void seqc_rt_pool_parallel_for(seqc_pool *pool, int64_t n,
                               seqc_parallel_body body, void *env);

/* The threads a context runs a call on (1 without a pool; 0 for NULL). */
int32_t seqc_rt_context_threads(const seqc_context *ctx);
/* For the kernels: parallel_for on the pool of the context whose
 * seqc_rt_run this thread is in (serially outside one). */
void seqc_rt_parallel_for(int64_t n, seqc_parallel_body body, void *env);
/* For the kernels: the threads seqc_rt_parallel_for would use here (1
 * outside a call, inside a parallel body, or without a pool). */
int64_t seqc_rt_parallel_width(void);

/* The context's cache of its calls' large buffers (SeqcBuffers.c): the
 * kernels allocate through MLIR's generic allocation functions
 * (_mlir_memref_to_llvm_alloc/_aligned_alloc/_free, defined there); a
 * buffer of 64 KiB or more freed during a call stays in one of the
 * cache's slots for the next call, whose same-sized buffers then need no
 * new pages. Freed with the cache. */
#define SEQC_BUFFER_SLOTS 16
typedef struct seqc_buffers seqc_buffers;
seqc_buffers *seqc_rt_buffers_create(void);
void seqc_rt_buffers_destroy(seqc_buffers *buffers);
/* Makes `buffers` serve this thread's allocations (NULL: plain malloc) and
 * frees its slots (no buffer outlives a call); returns the cache to restore
 * with seqc_rt_buffers_leave. */
seqc_buffers *seqc_rt_buffers_enter(seqc_buffers *buffers);
void seqc_rt_buffers_leave(seqc_buffers *outer);
/* Bytes the cache holds. */
size_t seqc_rt_buffers_cached_bytes(const seqc_buffers *buffers);
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *buffer);

/* ONNX Equal on strings, which compiled code holds as pointers (int64_t) to
 * their NUL-terminated UTF-8 bytes: 1 when equal, else 0. */
int32_t seqc_rt_string_equal(int64_t a, int64_t b);

#ifdef __cplusplus
}
#endif

#endif /* SEQC_RUNTIME_SEQCRUNTIME_H */
