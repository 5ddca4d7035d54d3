/*===- SeqcTypes.h - Types every seqc model header shares ----------------===*
 *
 * The one C definition of the structs a compiled model shares with its
 * callers. seqc copies this file into each generated model header; the
 * include guard lets several model headers be included together. The LLVM
 * types the compiler fills (lib/Target/RuntimeTypes.cpp) are checked against
 * these structs by test/unit/RuntimeTypesTest.cpp.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SEQC_TYPES_H
#define SEQC_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* The version of this binary interface: of the structs below and of the
 * layout rule of the generated <prefix>_inputs / <prefix>_outputs structs.
 * A model records it in seqc_model_info.abi_version, and bindings refuse a
 * model of another version. Any change that moves, resizes or reinterprets
 * a field bumps it; fields added by the seqc_context_options rule do not. */
#define SEQC_ABI_VERSION 2

/* The generated headers prove their layout with it: _Static_assert in C,
 * static_assert in C++. */
#ifdef __cplusplus
#define SEQC_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define SEQC_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* A sequence of tensors travels as two tensors: its elements' data back to
 * back, and a table with one row per element: the element's rank, then its
 * dims, padded with 1 to SEQC_SEQUENCE_MAX_RANK dims. */
#define SEQC_SEQUENCE_MAX_RANK 8

/* Status codes returned by every model function. */
typedef enum seqc_status {
  SEQC_OK = 0,
  SEQC_ERROR_NULL_POINTER = 1,
  SEQC_ERROR_SHAPE = 2,
  SEQC_ERROR_OUT_OF_MEMORY = 3
} seqc_status;

/* What a tensor of the interface carries. An ONNX sequence is two tensors:
 * SEQC_ROLE_SEQUENCE_DATA, its elements' data back to back (1-D), then
 * SEQC_ROLE_SEQUENCE_SHAPES, a [count, 1 + SEQC_SEQUENCE_MAX_RANK] int64
 * table. An ONNX optional is a SEQC_ROLE_PRESENT bool scalar, then its
 * value's tensors, which describe an empty value when it holds none. All
 * tensors of one value have its ONNX name. */
typedef enum seqc_role {
  SEQC_ROLE_TENSOR = 0,
  SEQC_ROLE_SEQUENCE_DATA = 1,
  SEQC_ROLE_SEQUENCE_SHAPES = 2,
  SEQC_ROLE_PRESENT = 3
} seqc_role;

typedef struct seqc_tensor_info {
  const char *name;  /* the ONNX name, unsanitised */
  int32_t elem_type; /* ONNX TensorProto.DataType */
  int32_t rank;
  const int64_t *dims;          /* -1 where the dimension is dynamic */
  const char *const *dim_names; /* symbolic name per dim, "" when none */
  /* Byte offsets, in the model's <prefix>_inputs or <prefix>_outputs struct,
   * of this tensor's data pointer and of its int64_t shape array. */
  int64_t data_offset;
  int64_t shape_offset;
  int32_t role; /* seqc_role */
  /* SEQC_ROLE_SEQUENCE_SHAPES: the elements' declared rank and dims (-1
   * where dynamic); element_rank is -1 when the ranks may differ. */
  int32_t element_rank;
  const int64_t *element_dims;
} seqc_tensor_info;

typedef struct seqc_model_info {
  /* SEQC_ABI_VERSION of the model. First in every version, so that a reader
   * checks it before it trusts any other field. */
  int32_t abi_version;
  int32_t num_inputs, num_outputs;
  const char *name;
  const seqc_tensor_info *inputs, *outputs;
  int64_t inputs_size;  /* sizeof(<prefix>_inputs) */
  int64_t outputs_size; /* sizeof(<prefix>_outputs) */
} seqc_model_info;

/* Options of <prefix>_context_create. NULL, or a zero-initialised struct
 * ({0} or memset), means the defaults.
 *
 * The size never changes within an ABI version: a new field takes its space
 * from `reserved`, and its zero value means what seqc did before the field
 * existed. So zero-initialised options keep meaning "the defaults", and a
 * program built against an older header keeps working. */
typedef struct seqc_context_options {
  int32_t num_threads; /* threads a call may use, the caller's included:
                        * 0 (the default) or 1: one; negative: refused.
                        * The context starts num_threads - 1 workers,
                        * which share the kernels' large matmuls. */
  int32_t reserved0;   /* zero */
  void *gpu_stream;    /* reserved for GPU targets; ignored on CPU */
  int64_t reserved[6]; /* zero */
} seqc_context_options;

#endif /* SEQC_TYPES_H */
