//===- Passes.h - seqc passes that are not conversions ----------*- C++ -*-===//

#ifndef SEQC_TRANSFORMS_PASSES_H
#define SEQC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace seqc {

#define GEN_PASS_DECL
#include "seqc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "seqc/Transforms/Passes.h.inc"

/// Suffix of the shape function seqc-create-kernel-abi adds.
inline constexpr llvm::StringLiteral kShapesSuffix = "_shapes";

} // namespace seqc

#endif // SEQC_TRANSFORMS_PASSES_H
