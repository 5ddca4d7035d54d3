//===- TensorMath.h - Elementwise tensor builders of the scan passes -*- C++ -*-===//
//
// The few tensor computations seq-detect-linear-recurrence and
// seq-parallelize-scan build: constant-filled tensors and elementwise maps,
// with the arithmetic of the element type (float or integer); and what an op
// of a body reads, for the passes that analyse bodies.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_DIALECTS_SEQ_TRANSFORMS_TENSORMATH_H
#define SEQC_DIALECTS_SEQ_TRANSFORMS_TENSORMATH_H

#include "mlir/IR/Builders.h"

namespace seqc::seq {

/// A tensor of `sizes` and element type `elementType` filled with `value`
/// (0 or 1: the identities of the scan).
mlir::Value buildFilledTensor(mlir::OpBuilder &b, mlir::Location loc,
                              llvm::ArrayRef<mlir::OpFoldResult> sizes,
                              mlir::Type elementType, int64_t value);

/// `fn` of the elements of `operands`, which all have `like`'s shape, as a
/// new tensor shaped like `like`.
mlir::Value buildElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value like,
    mlir::ValueRange operands,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange)>
        fn);

/// Scalars: `a * h + x` (`h + x` when `a` is null), in the arithmetic of
/// their type.
mlir::Value buildMulAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                        mlir::Value h, mlir::Value x);
/// Scalars: `a * h`.
mlir::Value buildMul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                     mlir::Value h);

/// The values `op` reads: its operands and what its regions capture.
llvm::SmallVector<mlir::Value> readValues(mlir::Operation *op);

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_TRANSFORMS_TENSORMATH_H
