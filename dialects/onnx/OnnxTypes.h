//===- OnnxTypes.h - ONNX sequence and optional types -----------*- C++ -*-===//

#ifndef SEQC_DIALECTS_ONNX_ONNXTYPES_H
#define SEQC_DIALECTS_ONNX_ONNXTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "dialects/onnx/OnnxTypes.h.inc"

namespace seqc::onnx {

/// The type both `a` and `b` fit: a size they disagree on is dynamic, and a
/// sequence whose elements' ranks differ has unranked elements. Null when
/// they are not the same kind of value or element type, or are tensors of
/// different ranks.
mlir::Type joinValueTypes(mlir::Type a, mlir::Type b);

} // namespace seqc::onnx

#endif // SEQC_DIALECTS_ONNX_ONNXTYPES_H
