//===- Passes.h - seqc passes that are not conversions ----------*- C++ -*-===//

#ifndef SEQC_TRANSFORMS_PASSES_H
#define SEQC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
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
/// The shape function stores, after the output dims: the number (from 1) of
/// the first-found failing run-time check or 0, and the two sizes it compared.
inline constexpr int64_t kNumStatusSlots = 3;
/// Module attribute: the run-time checks' messages, in status order.
inline constexpr llvm::StringLiteral kRuntimeChecksAttr = "seqc.runtime_checks";

} // namespace seqc

#endif // SEQC_TRANSFORMS_PASSES_H
