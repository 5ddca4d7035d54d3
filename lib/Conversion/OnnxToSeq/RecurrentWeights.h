//===- RecurrentWeights.h - W, R, B in the cell's layout --------*- C++ -*-===//

#ifndef SEQC_LIB_CONVERSION_ONNXTOSEQ_RECURRENTWEIGHTS_H
#define SEQC_LIB_CONVERSION_ONNXTOSEQ_RECURRENTWEIGHTS_H

#include "dialects/onnx/RecurrentCells.h"
#include "mlir/IR/Builders.h"

namespace seqc {

/// Everything the cell body needs for one direction; tensors are in the
/// layout the body consumes.
struct DirectionWeights {
  mlir::Value wT;        // [input, gates*hidden]
  mlir::Value rT;        // [hidden, gates*hidden]
  mlir::Value bias;      // [gates*hidden], added to x_t W^T (Wb + Rb)
  mlir::Value rbHidden;  // GRU, linear_before_reset: the h gate's Rb, [hidden]
  mlir::Value peepholes; // LSTM: [3*hidden] (i, o, f), or null
  llvm::ArrayRef<onnx::Activation> activations;
};

/// The weight operands of a recurrent op after conversion; B and P may be
/// null.
struct RecurrentWeightInputs {
  mlir::Value W, R, B, P;
};

/// The weights of direction `d` (activations left empty) of a cell with
/// `numGates` gates of `hidden` units. Constant inputs are sliced, transposed
/// and summed here, into arith.constant tensors; the others by tensor ops
/// that run on every call of the model.
DirectionWeights prepareDirectionWeights(mlir::OpBuilder &b, mlir::Location loc,
                                         const RecurrentWeightInputs &inputs,
                                         unsigned d, int64_t numGates,
                                         int64_t hidden,
                                         bool linearBeforeReset);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_ONNXTOSEQ_RECURRENTWEIGHTS_H
