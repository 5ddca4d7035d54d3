//===- RecurrentCells.h - What distinguishes LSTM, GRU and RNN --*- C++ -*-===//
//
// One descriptor per ONNX recurrent op and one table of the activation
// functions those ops accept. The verifiers and the lowering both read these
// tables, so the three ops share every piece of code that is not about their
// cell equations.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_DIALECTS_ONNX_RECURRENTCELLS_H
#define SEQC_DIALECTS_ONNX_RECURRENTCELLS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace seqc::onnx {

enum class CellKind { LSTM, GRU, RNN };

/// The shape of one recurrent op family.
struct CellDescriptor {
  CellKind kind;
  llvm::StringRef name;
  /// Gates stacked along W/R/B's gate axis (LSTM iofc, GRU zrh, RNN one).
  unsigned numGates;
  /// Carried state tensors (LSTM h and c, the others h).
  unsigned numStates;
  /// Activations per direction and their defaults (LSTM f,g,h; GRU f,g; RNN f).
  llvm::ArrayRef<llvm::StringLiteral> defaultActivations;
};

const CellDescriptor &getCellDescriptor(CellKind kind);
/// The descriptor of an onnx.LSTM/GRU/RNN op, or null for any other op.
const CellDescriptor *getCellDescriptor(mlir::Operation *op);

/// The operands of an LSTM/GRU/RNN op by name; absent ones are null.
struct RecurrentOperands {
  mlir::Value X, W, R, B, sequenceLens, initialH, initialC, P;
};
RecurrentOperands getRecurrentOperands(mlir::Operation *op);

/// The attributes the three ops share, with ONNX's defaults applied.
struct RecurrentAttributes {
  llvm::StringRef direction;
  unsigned numDirections; // 0 when `direction` is invalid
  bool batchMajor;        // layout == 1
  std::optional<int64_t> hiddenSize;
  std::optional<double> clip;
  int64_t layout, inputForget, linearBeforeReset;
};
RecurrentAttributes getRecurrentAttributes(mlir::Operation *op);

enum class ActivationKind {
  Relu,
  Tanh,
  Sigmoid,
  Affine,
  LeakyRelu,
  ThresholdedRelu,
  ScaledTanh,
  HardSigmoid,
  Elu,
  Softsign,
  Softplus
};

/// An activation as ONNX's recurrent ops name it, with its parameters.
struct Activation {
  ActivationKind kind;
  float alpha;
  float beta;
};

/// Looks an activation up by its ONNX name (case-insensitive, as ONNX Runtime
/// accepts it); std::nullopt when the name is unknown.
std::optional<ActivationKind> parseActivation(llvm::StringRef name);

/// How many of alpha and beta the activation takes (0, 1 or 2).
unsigned getNumActivationParams(ActivationKind kind);

/// Resolves the activations of a recurrent op for every direction, in
/// direction-major order, applying ONNX defaults: the `activations`,
/// `activation_alpha` and `activation_beta` attributes as ONNX Runtime reads
/// them. Emits an error at the op and fails on an unknown name or a wrong
/// count.
llvm::FailureOr<llvm::SmallVector<Activation>>
resolveActivations(mlir::Operation *op, unsigned numDirections);

/// 1 for "forward"/"reverse", 2 for "bidirectional", 0 when invalid.
unsigned getNumDirections(llvm::StringRef direction);

} // namespace seqc::onnx

#endif // SEQC_DIALECTS_ONNX_RECURRENTCELLS_H
