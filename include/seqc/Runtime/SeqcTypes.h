/*===- SeqcTypes.h - Types every seqc model header shares ----------------===*
 *
 * seqc copies this file into each generated model header; the include guard
 * lets several model headers be included together.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SEQC_TYPES_H
#define SEQC_TYPES_H

#include <stdint.h>

/* Status codes returned by every model function. */
typedef enum seqc_status {
  SEQC_OK = 0,
  SEQC_ERROR_NULL_POINTER = 1,
  SEQC_ERROR_SHAPE = 2,
  SEQC_ERROR_OUT_OF_MEMORY = 3
} seqc_status;

typedef struct seqc_tensor_info {
  const char *name;  /* the ONNX name, unsanitised */
  int32_t elem_type; /* ONNX TensorProto.DataType */
  int32_t rank;
  const int64_t *dims;          /* -1 where the dimension is dynamic */
  const char *const *dim_names; /* symbolic name per dim, "" when none */
} seqc_tensor_info;

typedef struct seqc_model_info {
  const char *name;
  int32_t num_inputs, num_outputs;
  const seqc_tensor_info *inputs, *outputs;
} seqc_model_info;

#endif /* SEQC_TYPES_H */
