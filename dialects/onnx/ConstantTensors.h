//===- ConstantTensors.h - Data movement on constant tensors ----*- C++ -*-===//
//
// Slices, transposes, concatenations and gathers of DenseElementsAttr values,
// computed at compile time. The onnx folders and the preparation of recurrent
// weights both use them. They copy elements without looking at their values,
// so they work for every integer, float and complex element type, and a splat
// stays a splat. Each returns null when its inputs do not fit together (or
// are not int/float elements); nothing asserts on user input.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_DIALECTS_ONNX_CONSTANTTENSORS_H
#define SEQC_DIALECTS_ONNX_CONSTANTTENSORS_H

#include "mlir/IR/BuiltinAttributes.h"

namespace seqc::onnx {

/// The elements `source[starts[0] + i0 * steps[0], ...]` for every index
/// (i0, ...) of `shape`; steps may be negative. Every index read must lie in
/// `source`.
mlir::DenseElementsAttr sliceElements(mlir::DenseElementsAttr source,
                                      llvm::ArrayRef<int64_t> starts,
                                      llvm::ArrayRef<int64_t> steps,
                                      llvm::ArrayRef<int64_t> shape);

/// `source` with its dimensions permuted: dimension i of the result is
/// dimension perm[i] of `source`.
mlir::DenseElementsAttr transposeElements(mlir::DenseElementsAttr source,
                                          llvm::ArrayRef<int64_t> perm);

/// `inputs` concatenated along `axis`, in [0, rank).
mlir::DenseElementsAttr
concatElements(llvm::ArrayRef<mlir::DenseElementsAttr> inputs, int64_t axis);

/// ONNX Gather: `source` indexed along `axis` by `indices`, a tensor of shape
/// `indicesShape` whose values lie in [0, size of `axis`).
mlir::DenseElementsAttr gatherElements(mlir::DenseElementsAttr source,
                                       int64_t axis,
                                       llvm::ArrayRef<int64_t> indices,
                                       llvm::ArrayRef<int64_t> indicesShape);

} // namespace seqc::onnx

#endif // SEQC_DIALECTS_ONNX_CONSTANTTENSORS_H
