/*===- SeqcRuntime.c - Argument checks and kernel calls for compiled models ===*
 *
 * Everything here works from the model descriptor, so one runtime serves
 * every model: the model's inputs/outputs structs are read at the offsets
 * its seqc_tensor_info tables give (the compiler lays them out once, in
 * ModelInterface). It allocates only the small arrays of memref descriptors
 * a call needs, and never writes into the caller's tensors itself.
 *
 *===----------------------------------------------------------------------===*/

#include "seqc/Runtime/SeqcRuntime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seqc_context {
  char message[512];
  /* The worker threads of num_threads >= 2; NULL for one thread (the
   * default: 0 means 1). */
  seqc_pool *pool;
  /* The large buffers of the last call, kept for the next (SeqcBuffers.c). */
  seqc_buffers *buffers;
};

/* The pool of the context whose call this thread is running, for the
 * kernels' seqc_rt_parallel_for. */
static _Thread_local seqc_pool *current_pool;

static const char kNullContext[] = "null context";

/* Slots the shape kernel writes after the output dims (kNumStatusSlots in
 * seqc/Transforms/Passes.h). */
enum { kStatusSlots = 3 };

seqc_context *seqc_rt_context_create(const seqc_context_options *options) {
  /* gpu_stream and the reserved fields mean nothing on a CPU. */
  if (options && options->num_threads < 0)
    return NULL;
  seqc_context *ctx = (seqc_context *)calloc(1, sizeof(seqc_context));
  if (!ctx)
    return NULL;
  ctx->buffers = seqc_rt_buffers_create();
  if (options && options->num_threads >= 2)
    ctx->pool = seqc_rt_pool_create(options->num_threads);
  if (!ctx->buffers ||
      (options && options->num_threads >= 2 && !ctx->pool)) {
    seqc_rt_context_destroy(ctx);
    return NULL;
  }
  return ctx;
}

void seqc_rt_context_destroy(seqc_context *ctx) {
  if (ctx) {
    seqc_rt_pool_destroy(ctx->pool);
    seqc_rt_buffers_destroy(ctx->buffers);
  }
  free(ctx);
}

int32_t seqc_rt_context_threads(const seqc_context *ctx) {
  return ctx ? seqc_rt_pool_size(ctx->pool) : 0;
}

void seqc_rt_parallel_for(int64_t n, seqc_parallel_body body, void *env) {
  seqc_rt_pool_parallel_for(current_pool, n, body, env);
}

int64_t seqc_rt_parallel_width(void) {
  return seqc_rt_pool_width(current_pool);
}

/* Runs a kernel of `ctx`'s model: its parallel loops on the context's pool,
 * its buffers from the context's cache. A model may run inside another's
 * call (from its own context): the outer call's are restored. */
static int32_t call_kernel(seqc_context *ctx, seqc_kernel_fn kernel,
                           void **pointers) {
  seqc_pool *outer_pool = current_pool;
  current_pool = ctx->pool;
  seqc_buffers *outer_buffers = seqc_rt_buffers_enter(ctx->buffers);
  int32_t status = kernel(pointers);
  seqc_rt_buffers_leave(outer_buffers);
  current_pool = outer_pool;
  return status;
}

const char *seqc_rt_last_error(const seqc_context *ctx) {
  return ctx ? ctx->message : kNullContext;
}

/* Records a message in ctx and yields `status`. A macro rather than a
 * variadic function: the runtime is bitcode retargeted to the model's target,
 * and va_list handling is target-specific while calling snprintf is not. */
#define fail(ctx, status, ...)                                                 \
  (snprintf((ctx)->message, sizeof((ctx)->message), __VA_ARGS__), (status))

/* One tensor's members in an inputs/outputs struct. */
typedef struct tensor_slots {
  void *data;
  const int64_t *shape;
} tensor_slots;

static tensor_slots get_slots(const void *base, const seqc_tensor_info *t) {
  const char *p = (const char *)base;
  tensor_slots slots;
  memcpy(&slots.data, p + t->data_offset, sizeof(void *));
  slots.shape = (const int64_t *)(p + t->shape_offset);
  return slots;
}

/* The shape array of an output, which seqc_rt_output_shapes fills. */
static int64_t *output_shape(void *outputs, const seqc_tensor_info *t) {
  return (int64_t *)((char *)outputs + t->shape_offset);
}

/* A kernel's non-zero status, reported as itself. */
static int kernel_failed(seqc_context *ctx, int32_t status) {
  if (status == SEQC_ERROR_OUT_OF_MEMORY)
    return fail(ctx, status, "out of memory");
  return fail(ctx, status, "the model's kernel failed with status %d",
              (int)status);
}

/* The size of the first input dimension named `symbol`; sets `*owner`. */
static int64_t first_size_of(const seqc_model_info *info, const void *inputs,
                             const char *symbol, const char **owner) {
  for (int32_t j = 0; j < info->num_inputs; ++j) {
    const seqc_tensor_info *u = &info->inputs[j];
    for (int32_t e = 0; e < u->rank; ++e)
      if (strcmp(u->dim_names[e], symbol) == 0) {
        *owner = u->name;
        return get_slots(inputs, u).shape[e];
      }
  }
  return -1;
}

/* Checks sizes against static dimensions, and that dimensions sharing a
 * symbolic name agree across all inputs. */
/* A sequence's shapes table against its declaration and its data: each row
 * is a rank within SEQC_SEQUENCE_MAX_RANK (the declared one, if any), then
 * dims that are not negative (the declared ones where static), padded with
 * 1; the rows' sizes add up to the data's length. The compiled code relies
 * on all of it to find the elements. */
static int check_sequence(seqc_context *ctx, const seqc_tensor_info *t,
                          tensor_slots table, int64_t length) {
  const int64_t width = 1 + SEQC_SEQUENCE_MAX_RANK;
  const int64_t *rows = (const int64_t *)table.data;
  int64_t total = 0;
  for (int64_t i = 0; i < table.shape[0]; ++i) {
    const int64_t *row = rows + i * width;
    int64_t rank = row[0], size = 1;
    if (rank < 0 || rank > SEQC_SEQUENCE_MAX_RANK ||
        (t->element_rank >= 0 && rank != t->element_rank))
      return fail(
          ctx, SEQC_ERROR_SHAPE,
          "input '%s': element %lld has rank %lld, expected %s%d", t->name,
          (long long)i, (long long)rank, t->element_rank >= 0 ? "" : "at most ",
          t->element_rank >= 0 ? (int)t->element_rank : SEQC_SEQUENCE_MAX_RANK);
    for (int64_t d = 0; d < SEQC_SEQUENCE_MAX_RANK; ++d) {
      int64_t dim = row[1 + d];
      int64_t declared =
          t->element_rank >= 0 && d < rank ? t->element_dims[d] : -1;
      if (d >= rank ? dim != 1 : dim < 0 || (declared >= 0 && dim != declared))
        return fail(ctx, SEQC_ERROR_SHAPE,
                    "input '%s': element %lld has dimension %lld = %lld, "
                    "expected %s%lld",
                    t->name, (long long)i, (long long)d, (long long)dim,
                    d >= rank       ? "padding "
                    : declared >= 0 ? ""
                                    : ">= ",
                    (long long)(d >= rank       ? 1
                                : declared >= 0 ? declared
                                                : 0));
      size *= dim;
    }
    total += size;
  }
  if (total != length)
    return fail(ctx, SEQC_ERROR_SHAPE,
                "input '%s': the elements hold %lld values, the data %lld",
                t->name, (long long)total, (long long)length);
  return SEQC_OK;
}

static int check_inputs(const seqc_model_desc *desc, seqc_context *ctx,
                        const void *inputs) {
  const seqc_model_info *info = desc->info;
  for (int32_t i = 0; i < info->num_inputs; ++i) {
    const seqc_tensor_info *t = &info->inputs[i];
    tensor_slots s = get_slots(inputs, t);
    if (!s.data)
      return fail(ctx, SEQC_ERROR_NULL_POINTER, "input '%s': null data pointer",
                  t->name);
    for (int32_t d = 0; d < t->rank; ++d) {
      int64_t size = s.shape[d];
      if (size < 0)
        return fail(ctx, SEQC_ERROR_SHAPE,
                    "input '%s': dimension %d is negative (%lld)", t->name, d,
                    (long long)size);
      if (t->dims[d] >= 0 && size != t->dims[d])
        return fail(ctx, SEQC_ERROR_SHAPE,
                    "input '%s': dimension %d must be %lld, got %lld", t->name,
                    d, (long long)t->dims[d], (long long)size);
      if (!t->dim_names[d][0])
        continue;
      const char *owner = "";
      int64_t first = first_size_of(info, inputs, t->dim_names[d], &owner);
      if (first != size)
        return fail(ctx, SEQC_ERROR_SHAPE,
                    "input '%s': dimension %d ('%s') is %lld, but input '%s' "
                    "has '%s' = %lld",
                    t->name, d, t->dim_names[d], (long long)size, owner,
                    t->dim_names[d], (long long)first);
    }
    /* A string tensor is an array of pointers the model reads through. */
    if (t->elem_type == 8 /* STRING */) {
      int64_t count = 1;
      for (int32_t d = 0; d < t->rank; ++d)
        count *= s.shape[d];
      for (int64_t k = 0; k < count; ++k)
        if (!((const char *const *)s.data)[k])
          return fail(ctx, SEQC_ERROR_NULL_POINTER,
                      "input '%s': string %lld is a null pointer", t->name,
                      (long long)k);
    }
    /* The data tensor of a sequence comes right before its table. */
    if (t->role == SEQC_ROLE_SEQUENCE_SHAPES) {
      int status = check_sequence(ctx, t, s, get_slots(inputs, t - 1).shape[0]);
      if (status != SEQC_OK)
        return status;
    }
  }
  return SEQC_OK;
}

/* A memref descriptor for a dense row-major tensor, written at `slot`. */
static int64_t *write_descriptor(int64_t *slot, void *data,
                                 const int64_t *shape, int32_t rank) {
  memcpy(&slot[0], &data, sizeof(void *));
  memcpy(&slot[1], &data, sizeof(void *));
  slot[2] = 0;
  int64_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    slot[3 + d] = shape[d];
    slot[3 + rank + d] = stride;
    stride *= shape[d];
  }
  return slot + 3 + 2 * rank;
}

/* Builds descriptors for all inputs plus `extra` more of the given ranks;
 * returns the pointer array (inputs first) or NULL when out of memory. */
static void **build_descriptors(const seqc_model_desc *desc, const void *inputs,
                                int32_t numExtra, const int32_t *extraRanks,
                                int64_t **extraSlots) {
  const seqc_model_info *info = desc->info;
  int32_t count = info->num_inputs + numExtra;
  size_t words = 0;
  for (int32_t i = 0; i < info->num_inputs; ++i)
    words += 3 + 2 * info->inputs[i].rank;
  for (int32_t i = 0; i < numExtra; ++i)
    words += 3 + 2 * extraRanks[i];
  void **pointers =
      (void **)malloc(count * sizeof(void *) + words * sizeof(int64_t) + 8);
  if (!pointers)
    return NULL;
  int64_t *slot = (int64_t *)(pointers + count);
  for (int32_t i = 0; i < info->num_inputs; ++i) {
    tensor_slots s = get_slots(inputs, &info->inputs[i]);
    pointers[i] = slot;
    slot = write_descriptor(slot, s.data, s.shape, info->inputs[i].rank);
  }
  for (int32_t i = 0; i < numExtra; ++i) {
    pointers[info->num_inputs + i] = slot;
    extraSlots[i] = slot;
    slot += 3 + 2 * extraRanks[i];
  }
  return pointers;
}

/* Sizes computed from the inputs' data (ConstantOfShape, Expand, Range,
 * ...) can be arbitrarily large: an output's bytes must fit in an int64_t,
 * or no caller could allocate it. */
static int check_output_sizes(const seqc_model_info *info, seqc_context *ctx,
                              const int64_t *dims) {
  const int64_t *dim = dims;
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    const seqc_tensor_info *t = &info->outputs[i];
    int64_t bytes = 8; /* the widest element */
    int overflows = 0, negative = 0, empty = 0;
    for (int32_t d = 0; d < t->rank; ++d) {
      negative |= dim[d] < 0;
      empty |= dim[d] == 0;
      overflows |= __builtin_mul_overflow(bytes, dim[d], &bytes);
    }
    if (negative || (overflows && !empty))
      return fail(ctx, SEQC_ERROR_SHAPE,
                  "output '%s': the inputs make it too large to allocate",
                  t->name);
    dim += t->rank;
  }
  return SEQC_OK;
}

/* Runs the shape kernel: fills `dims` (desc->num_output_dims entries, plus
 * the status slots) and reports a failed run-time size check. */
static int compute_output_shapes(const seqc_model_desc *desc, seqc_context *ctx,
                                 const void *inputs, int64_t *dims) {
  int32_t rank = 1;
  int64_t *slot;
  void **pointers = build_descriptors(desc, inputs, 1, &rank, &slot);
  if (!pointers)
    return fail(ctx, SEQC_ERROR_OUT_OF_MEMORY, "out of memory");
  int64_t n = desc->num_output_dims + kStatusSlots;
  write_descriptor(slot, dims, &n, 1);
  int32_t status = call_kernel(ctx, desc->shapes, pointers);
  free(pointers);
  if (status != SEQC_OK)
    return kernel_failed(ctx, status);
  int64_t failed = dims[desc->num_output_dims];
  if (failed == 0)
    return check_output_sizes(desc->info, ctx, dims);
  /* The messages end with a null pointer: a check number outside them is a
   * compiler bug, reported rather than read past the array. */
  const char *message = NULL;
  for (int64_t k = 0; failed > 0 && desc->check_messages[k]; ++k)
    if (k == failed - 1) {
      message = desc->check_messages[k];
      break;
    }
  if (!message)
    return fail(ctx, SEQC_ERROR_SHAPE,
                "run-time check %lld failed (no such check: compiler bug)",
                (long long)failed);
  return fail(ctx, SEQC_ERROR_SHAPE, "%s (%lld vs %lld)", message,
              (long long)dims[desc->num_output_dims + 1],
              (long long)dims[desc->num_output_dims + 2]);
}

static int prepare(const seqc_model_desc *desc, seqc_context *ctx,
                   const void *inputs, void *outputs, int64_t **dims) {
  if (!inputs)
    return fail(ctx, SEQC_ERROR_NULL_POINTER, "null inputs struct");
  if (!outputs)
    return fail(ctx, SEQC_ERROR_NULL_POINTER, "null outputs struct");
  int status = check_inputs(desc, ctx, inputs);
  if (status != SEQC_OK)
    return status;
  *dims = (int64_t *)malloc((desc->num_output_dims + kStatusSlots) *
                            sizeof(int64_t));
  if (!*dims)
    return fail(ctx, SEQC_ERROR_OUT_OF_MEMORY, "out of memory");
  status = compute_output_shapes(desc, ctx, inputs, *dims);
  if (status != SEQC_OK) {
    free(*dims);
    *dims = NULL;
  }
  return status;
}

int seqc_rt_output_shapes(const seqc_model_desc *desc, seqc_context *ctx,
                          const void *inputs, void *outputs) {
  if (!ctx)
    return SEQC_ERROR_NULL_POINTER;
  /* The run that follows finds the workers awake: waking a sleeping thread
   * takes longer than a small model's whole call. */
  seqc_rt_pool_begin_call(ctx->pool);
  int64_t *dims;
  int status = prepare(desc, ctx, inputs, outputs, &dims);
  if (status != SEQC_OK)
    return status;
  const seqc_model_info *info = desc->info;
  int64_t next = 0;
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    int64_t *shape = output_shape(outputs, &info->outputs[i]);
    for (int32_t d = 0; d < info->outputs[i].rank; ++d)
      shape[d] = dims[next++];
  }
  free(dims);
  ctx->message[0] = 0;
  return SEQC_OK;
}

int seqc_rt_run(const seqc_model_desc *desc, seqc_context *ctx,
                const void *inputs, void *outputs) {
  if (!ctx)
    return SEQC_ERROR_NULL_POINTER;
  seqc_rt_pool_begin_call(ctx->pool);
  int64_t *dims;
  int status = prepare(desc, ctx, inputs, outputs, &dims);
  if (status != SEQC_OK)
    return status;
  /* The caller's buffers must be exactly the computed output shapes. */
  const seqc_model_info *info = desc->info;
  int64_t next = 0;
  for (int32_t i = 0; i < info->num_outputs && status == SEQC_OK; ++i) {
    const seqc_tensor_info *t = &info->outputs[i];
    tensor_slots s = get_slots(outputs, t);
    if (!s.data)
      status = fail(ctx, SEQC_ERROR_NULL_POINTER,
                    "output '%s': null data pointer", t->name);
    for (int32_t d = 0; d < t->rank && status == SEQC_OK; ++d, ++next)
      if (s.shape[d] != dims[next])
        status = fail(ctx, SEQC_ERROR_SHAPE,
                      "output '%s': dimension %d is %lld, but the inputs "
                      "make it %lld",
                      t->name, d, (long long)s.shape[d], (long long)dims[next]);
  }
  free(dims);
  if (status != SEQC_OK)
    return status;

  int32_t *ranks = (int32_t *)malloc(info->num_outputs * sizeof(int32_t) + 8);
  int64_t **slots =
      (int64_t **)malloc(info->num_outputs * sizeof(int64_t *) + 8);
  void **pointers = NULL;
  if (ranks && slots) {
    for (int32_t i = 0; i < info->num_outputs; ++i)
      ranks[i] = info->outputs[i].rank;
    pointers = build_descriptors(desc, inputs, info->num_outputs, ranks, slots);
  }
  if (!pointers) {
    free(ranks);
    free(slots);
    return fail(ctx, SEQC_ERROR_OUT_OF_MEMORY, "out of memory");
  }
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    tensor_slots s = get_slots(outputs, &info->outputs[i]);
    write_descriptor(slots[i], s.data, s.shape, ranks[i]);
  }
  status = call_kernel(ctx, desc->run, pointers);
  free(pointers);
  free(ranks);
  free(slots);
  if (status != SEQC_OK)
    return kernel_failed(ctx, status);
  ctx->message[0] = 0;
  return SEQC_OK;
}

/* memref.copy between non-contiguous memrefs lowers to a call of this
 * function (MLIR's C-runner contract); seqc provides it so that compiled
 * models need no MLIR library at run time. Each argument is an unranked
 * memref {rank, descriptor}; the descriptor is {allocated, aligned, offset,
 * sizes[rank], strides[rank]}. */
int32_t seqc_rt_string_equal(int64_t a, int64_t b) {
  return strcmp((const char *)(intptr_t)a, (const char *)(intptr_t)b) == 0;
}

typedef struct unranked_memref {
  int64_t rank;
  void *descriptor;
} unranked_memref;

void memrefCopy(int64_t elemSize, unranked_memref *src, unranked_memref *dst) {
  int64_t rank = src->rank;
  const int64_t *s = (const int64_t *)src->descriptor;
  const int64_t *d = (const int64_t *)dst->descriptor;
  char *srcBase, *dstBase;
  memcpy(&srcBase, &s[1], sizeof(char *));
  memcpy(&dstBase, &d[1], sizeof(char *));
  const int64_t *sizes = s + 3, *srcStrides = s + 3 + rank,
                *dstStrides = d + 3 + rank;
  int64_t srcOffset = s[2], dstOffset = d[2];
  if (rank == 0) {
    memcpy(dstBase + dstOffset * elemSize, srcBase + srcOffset * elemSize,
           elemSize);
    return;
  }
  for (int64_t i = 0; i < rank; ++i)
    if (sizes[i] == 0)
      return;
  /* The innermost dimension is copied as one run when it is contiguous on
     both sides (a row of a strided view), element by element otherwise. */
  int64_t inner = sizes[rank - 1];
  int contiguous = srcStrides[rank - 1] == 1 && dstStrides[rank - 1] == 1;
  /* The importer limits ranks to 64 (seqc::onnx::kMaxRank). */
  int64_t index[64] = {0};
  if (rank > 64)
    abort();
  for (;;) {
    if (contiguous) {
      memcpy(dstBase + dstOffset * elemSize, srcBase + srcOffset * elemSize,
             (size_t)(inner * elemSize));
    } else {
      for (int64_t k = 0; k < inner; ++k)
        memcpy(dstBase + (dstOffset + k * dstStrides[rank - 1]) * elemSize,
               srcBase + (srcOffset + k * srcStrides[rank - 1]) * elemSize,
               elemSize);
    }
    /* Advance the outer multi-index like an odometer, both offsets with it. */
    int64_t i = rank - 2;
    for (; i >= 0; --i) {
      ++index[i];
      srcOffset += srcStrides[i];
      dstOffset += dstStrides[i];
      if (index[i] < sizes[i])
        break;
      srcOffset -= srcStrides[i] * sizes[i];
      dstOffset -= dstStrides[i] * sizes[i];
      index[i] = 0;
    }
    if (i < 0)
      return;
  }
}

/* float -> bfloat16, rounding to nearest even, NaNs kept quiet: compiler-rt's
   __truncsfbf2, which LLVM's code generator calls where it widens bfloat
   vector operations through float on a CPU without bf16 instructions (x86
   without AVX512-BF16). A model library links no compiler-rt, so it carries
   its own: weak and hidden, so that two models in one program share one and
   none is exported. Integer code only: nothing here becomes bfloat
   arithmetic that could call back into it. */
__attribute__((used, weak, visibility("hidden"))) __bf16
__truncsfbf2(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  uint16_t rounded;
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    rounded = (uint16_t)((bits >> 16) | 0x40u);
  else
    rounded = (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
  __bf16 result;
  memcpy(&result, &rounded, sizeof result);
  return result;
}
