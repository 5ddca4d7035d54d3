//===- TensorBuilders.h - IR building blocks of the onnx lowering -*- C++
//-*-===//
//
// The few shapes of IR every onnx lowering is made of: elementwise maps with
// numpy broadcasting, reshapes to a computed shape, slices along one axis.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_CONVERSION_ONNXTOSEQ_TENSORBUILDERS_H
#define SEQC_LIB_CONVERSION_ONNXTOSEQ_TENSORBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include <optional>
#include "llvm/ADT/STLFunctionalExtras.h"

namespace seqc {

using ScalarBodyFn = llvm::function_ref<llvm::SmallVector<mlir::Value>(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// A linalg.generic computing `resultTypes` (one shape, possibly several
/// element types) elementwise from `operands`, which are broadcast to the
/// result shape numpy-style (aligned on trailing dimensions; a static 1
/// broadcasts). `body` maps the operands' scalars to the results' scalars.
llvm::SmallVector<mlir::Value> buildElementwise(mlir::OpBuilder &b,
                                                mlir::Location loc,
                                                mlir::TypeRange resultTypes,
                                                mlir::ValueRange operands,
                                                ScalarBodyFn body);

/// `operand` ready for a broadcast to `type` with `sizes`, where a dynamic
/// dimension that is 1 at run time must broadcast: when one is, an scf.if
/// copies the operand out to the result's sizes in those dimensions
/// (sizes the caller checked with checkBroadcast); otherwise it is the
/// operand itself.
mlir::Value expandRuntimeBroadcast(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::Value operand,
                                   mlir::RankedTensorType type,
                                   llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// `source` broadcast numpy-style to `type`, whose sizes are `sizes` (the
/// caller checks that dynamic ones agree).
mlir::Value broadcastTo(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value source, mlir::RankedTensorType type,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// tensor.reshape of `source` to `type` with the given sizes.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value source, mlir::RankedTensorType type,
                      llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// `source[..., index, ...]` along `axis`, with that axis dropped.
mlir::Value extractAlong(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value source, int64_t axis, int64_t index);

/// `dest` with `source` inserted at `index` along `axis` (the inverse of
/// extractAlong: `source` lacks that axis).
mlir::Value insertAlong(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value source, mlir::Value dest, int64_t axis,
                        int64_t index);

/// `source[..., offset:offset+size, ...]` along `axis`.
mlir::Value sliceAlong(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value source, int64_t axis, int64_t offset,
                       int64_t size);

/// A tensor of `type` (dynamic sizes taken from `sizes`) filled with `value`.
mlir::Value buildFilled(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes, double value);

/// The one element of a tensor of any rank whose sizes are all 1 (a
/// condition, an axis, a count).
mlir::Value extractScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value tensor);

/// A float or integer scalar constant of type `type`.
mlir::Value buildScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        double value);

/// The size of dimensions `dims` collapsed into one: their product, dynamic
/// when one is; nullopt when the product overflows int64 (a hostile declared
/// shape: the caller keeps the dimensions apart).
std::optional<int64_t> collapsedSize(llvm::ArrayRef<int64_t> dims);

/// The f32 constant `data`, read as a [rows, cols] matrix in row-major
/// order, transposed to [cols, rows] (done at compile time: weights).
mlir::DenseElementsAttr transposeConstantMatrix(mlir::DenseElementsAttr data,
                                                int64_t rows, int64_t cols);

/// linalg.transpose of `source` by `perm`.
mlir::Value buildTranspose(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value source, llvm::ArrayRef<int64_t> perm);

/// An integer (or float, truncated) index read from data, as an index.
mlir::Value toIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// ONNX's negative index: i < 0 ? i + size : i.
mlir::Value wrapNegative(mlir::OpBuilder &b, mlir::Location loc, mlir::Value i,
                         mlir::Value size);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_ONNXTOSEQ_TENSORBUILDERS_H
