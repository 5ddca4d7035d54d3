//===- RecurrentCells.cpp - Descriptor and activation tables
//---------------===//

#include "dialects/onnx/RecurrentCells.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace seqc::onnx {

static constexpr llvm::StringLiteral kLstmActivations[] = {"Sigmoid", "Tanh",
                                                           "Tanh"};
static constexpr llvm::StringLiteral kGruActivations[] = {"Sigmoid", "Tanh"};
static constexpr llvm::StringLiteral kRnnActivations[] = {"Tanh"};

static const CellDescriptor kCells[] = {
    {CellKind::LSTM, "LSTM", 4, 2, kLstmActivations},
    {CellKind::GRU, "GRU", 3, 1, kGruActivations},
    {CellKind::RNN, "RNN", 1, 1, kRnnActivations},
};

const CellDescriptor &getCellDescriptor(CellKind kind) {
  return kCells[static_cast<unsigned>(kind)];
}

const CellDescriptor *getCellDescriptor(Operation *op) {
  if (isa<LSTMOp>(op))
    return &getCellDescriptor(CellKind::LSTM);
  if (isa<GRUOp>(op))
    return &getCellDescriptor(CellKind::GRU);
  if (isa<RNNOp>(op))
    return &getCellDescriptor(CellKind::RNN);
  return nullptr;
}

RecurrentOperands getRecurrentOperands(Operation *op) {
  if (auto lstm = dyn_cast<LSTMOp>(op))
    return {lstm.getX(),
            lstm.getW(),
            lstm.getR(),
            lstm.getB(),
            lstm.getSequenceLens(),
            lstm.getInitialH(),
            lstm.getInitialC(),
            lstm.getP()};
  if (auto gru = dyn_cast<GRUOp>(op))
    return {gru.getX(),
            gru.getW(),
            gru.getR(),
            gru.getB(),
            gru.getSequenceLens(),
            gru.getInitialH(),
            Value(),
            Value()};
  auto rnn = cast<RNNOp>(op);
  return {rnn.getX(),
          rnn.getW(),
          rnn.getR(),
          rnn.getB(),
          rnn.getSequenceLens(),
          rnn.getInitialH(),
          Value(),
          Value()};
}

RecurrentAttributes getRecurrentAttributes(Operation *op) {
  RecurrentAttributes a;
  auto intAttr = [&](StringRef name) -> int64_t {
    auto attr = op->getAttrOfType<IntegerAttr>(name);
    return attr ? attr.getInt() : 0;
  };
  auto direction = op->getAttrOfType<StringAttr>("direction");
  a.direction = direction ? direction.getValue() : "forward";
  a.numDirections = getNumDirections(a.direction);
  a.layout = intAttr("layout");
  a.batchMajor = a.layout == 1;
  a.inputForget = intAttr("input_forget");
  a.linearBeforeReset = intAttr("linear_before_reset");
  if (auto hidden = op->getAttrOfType<IntegerAttr>("hidden_size"))
    a.hiddenSize = hidden.getInt();
  if (auto clip = op->getAttrOfType<FloatAttr>("clip"))
    a.clip = clip.getValueAsDouble();
  return a;
}

std::optional<ActivationKind> parseActivation(StringRef name) {
  return llvm::StringSwitch<std::optional<ActivationKind>>(name.lower())
      .Case("relu", ActivationKind::Relu)
      .Case("tanh", ActivationKind::Tanh)
      .Case("sigmoid", ActivationKind::Sigmoid)
      .Case("affine", ActivationKind::Affine)
      .Case("leakyrelu", ActivationKind::LeakyRelu)
      .Case("thresholdedrelu", ActivationKind::ThresholdedRelu)
      .Case("scaledtanh", ActivationKind::ScaledTanh)
      .Case("hardsigmoid", ActivationKind::HardSigmoid)
      .Case("elu", ActivationKind::Elu)
      .Case("softsign", ActivationKind::Softsign)
      .Case("softplus", ActivationKind::Softplus)
      .Default(std::nullopt);
}

unsigned getNumActivationParams(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Affine:
  case ActivationKind::ScaledTanh:
  case ActivationKind::HardSigmoid:
    return 2;
  case ActivationKind::LeakyRelu:
  case ActivationKind::ThresholdedRelu:
  case ActivationKind::Elu:
    return 1;
  default:
    return 0;
  }
}

/// ONNX's defaults, those of the standalone ONNX operators of the same name.
static Activation getDefaultActivation(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Affine:
    return {kind, 1.0f, 0.0f};
  case ActivationKind::LeakyRelu:
    return {kind, 0.01f, 0.0f};
  case ActivationKind::ThresholdedRelu:
  case ActivationKind::Elu:
    return {kind, 1.0f, 0.0f};
  case ActivationKind::ScaledTanh:
    return {kind, 1.0f, 1.0f};
  case ActivationKind::HardSigmoid:
    return {kind, 0.2f, 0.5f};
  default:
    return {kind, 0.0f, 0.0f};
  }
}

unsigned getNumDirections(StringRef direction) {
  return llvm::StringSwitch<unsigned>(direction)
      .Case("forward", 1)
      .Case("reverse", 1)
      .Case("bidirectional", 2)
      .Default(0);
}

static SmallVector<float> getFloats(Operation *op, StringRef name) {
  SmallVector<float> values;
  if (auto array = op->getAttrOfType<ArrayAttr>(name))
    for (Attribute a : array)
      values.push_back(cast<FloatAttr>(a).getValueAsDouble());
  return values;
}

FailureOr<SmallVector<Activation>> resolveActivations(Operation *op,
                                                      unsigned numDirections) {
  const CellDescriptor *cell = getCellDescriptor(op);
  unsigned perDirection = cell->defaultActivations.size();
  SmallVector<StringRef> names;
  if (auto attr = op->getAttrOfType<ArrayAttr>("activations")) {
    for (Attribute a : attr)
      names.push_back(cast<StringAttr>(a).getValue());
    if (names.size() != perDirection * numDirections)
      return op->emitOpError("rnn_c9: activations lists ")
             << names.size() << " functions; expected " << perDirection
             << " per direction for " << numDirections << " direction(s)";
  } else {
    for (unsigned d = 0; d < numDirections; ++d)
      names.append(cell->defaultActivations.begin(),
                   cell->defaultActivations.end());
  }

  // activation_alpha/beta are consumed in order by the activations that take
  // a parameter; those left without a value keep ONNX's default.
  SmallVector<float> alphas = getFloats(op, "activation_alpha");
  SmallVector<float> betas = getFloats(op, "activation_beta");
  unsigned nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (StringRef name : names) {
    std::optional<ActivationKind> kind = parseActivation(name);
    if (!kind)
      return op->emitOpError("rnn_c9: unknown activation '") << name << "'";
    Activation act = getDefaultActivation(*kind);
    unsigned numParams = getNumActivationParams(*kind);
    if (numParams >= 1 && nextAlpha < alphas.size())
      act.alpha = alphas[nextAlpha++];
    if (numParams >= 2 && nextBeta < betas.size())
      act.beta = betas[nextBeta++];
    result.push_back(act);
  }
  return result;
}

} // namespace seqc::onnx
