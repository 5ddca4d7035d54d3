//===- RuntimeChecks.h - Size agreements checked when the model runs -*- C++
//-*-===//
//
// Where a lowering relies on two sizes being equal and at least one is only
// known at run time, it emits `cf.assert` with a message naming the ONNX node.
// seqc-create-kernel-abi moves these asserts into the shape function, which
// the runtime calls before every run: a failing check becomes a
// SEQC_ERROR_SHAPE return, never an out-of-bounds access.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_CONVERSION_ONNXTOSEQ_RUNTIMECHECKS_H
#define SEQC_LIB_CONVERSION_ONNXTOSEQ_RUNTIMECHECKS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace seqc {

/// Checks `actual == expected` at run time unless both are static.
void checkSizesEqual(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::OpFoldResult actual, mlir::OpFoldResult expected,
                     const llvm::Twine &what);

/// Checks that every operand's dynamic dimension is 1 or the size it gets in
/// the broadcast result `sizes` (numpy-style, trailing alignment).
void checkBroadcast(mlir::OpBuilder &b, mlir::Location loc,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes,
                    mlir::ValueRange operands);

/// Checks at run time that `condition` (an i1) holds; `what` is the message,
/// after the node's name.
void checkCondition(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::Value condition, const llvm::Twine &what);

/// Checks at run time that every element of the i1 tensor `holds` is true.
void checkAll(mlir::OpBuilder &b, mlir::Location loc, mlir::Value holds,
              const llvm::Twine &what);

/// Checks at run time that every element of the integer tensor `values` lies
/// in [low, high]. It reads data, so the shape function computes `values`:
/// cheap for model inputs and shape arithmetic, the common cases.
void checkValuesInRange(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value values, mlir::OpFoldResult low,
                        mlir::OpFoldResult high, const llvm::Twine &what);

/// Checks at run time that every value of the integer tensor `indices` is
/// an ONNX index into `size` elements: in [-size, size).
void checkIndicesInRange(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value indices, mlir::OpFoldResult size,
                         const llvm::Twine &what);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_ONNXTOSEQ_RUNTIMECHECKS_H
