//===- OnnxOps.h - ONNX operators -------------------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_ONNX_ONNXOPS_H
#define SEQC_DIALECTS_ONNX_ONNXOPS_H

#include "dialects/onnx/OnnxDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/onnx/OnnxInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.h.inc"

namespace seqc::onnx {
/// The values of `v` when it is a constant integer tensor (an onnx.Constant or
/// anything else that folds to one), widened to int64.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value v);

/// The value of an onnx.Constant as one elements attribute, whichever of its
/// value attributes is set.
mlir::ElementsAttr getConstantValue(ConstantOp op);
} // namespace seqc::onnx

#endif // SEQC_DIALECTS_ONNX_ONNXOPS_H
