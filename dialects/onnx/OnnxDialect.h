//===- OnnxDialect.h - The onnx dialect -------------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_ONNX_ONNXDIALECT_H
#define SEQC_DIALECTS_ONNX_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/onnx/OnnxDialect.h.inc"

#endif // SEQC_DIALECTS_ONNX_ONNXDIALECT_H
