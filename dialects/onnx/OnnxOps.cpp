//===- OnnxOps.cpp - Verifiers of the ONNX operators
//-----------------------===//
//
// Each check names the ONNX constraint it enforces (`lstm_c3`); the negative
// lit tests in test/Dialect/onnx/errors.mlir are named after them. Checks on
// dimensions only fire when both sides are static: dynamic dimensions are
// checked by the generated code at run time.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/RecurrentCells.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace seqc::onnx;

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.cpp.inc"

namespace {
/// Shape facts about one operand, read without caring whether it is ranked.
struct OperandShape {
  RankedTensorType type;
  explicit OperandShape(Value v)
      : type(v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr) {}
  bool known() const { return static_cast<bool>(type); }
  /// The static size of dim `i`, or -1 when dynamic or unknown.
  int64_t dim(unsigned i) const {
    if (!type || i >= type.getRank() || type.isDynamicDim(i))
      return -1;
    return type.getDimSize(i);
  }
};
} // namespace

/// Fails with `message` at `op` when both sizes are static and differ.
static LogicalResult expectDim(Operation *op, int64_t found, int64_t expected,
                               const Twine &message) {
  if (found >= 0 && expected >= 0 && found != expected)
    return op->emitOpError(message)
           << ": expected " << expected << ", found " << found;
  return success();
}

static LogicalResult expectRank(Operation *op, Value v, int64_t rank,
                                const Twine &message) {
  OperandShape s(v);
  if (s.known() && s.type.getRank() != rank)
    return op->emitOpError(message)
           << ": expected rank " << rank << ", found rank " << s.type.getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// LSTM, GRU, RNN
//===----------------------------------------------------------------------===//

/// The verifier shared by the three recurrent ops: everything they have in
/// common is checked here, driven by the cell descriptor.
static LogicalResult verifyRecurrentOp(Operation *op) {
  const CellDescriptor &cell = *getCellDescriptor(op);
  RecurrentAttributes attrs = getRecurrentAttributes(op);
  unsigned numDirections = attrs.numDirections;
  if (numDirections == 0)
    return op->emitOpError("rnn_c8: direction must be forward, reverse or "
                           "bidirectional, found '")
           << attrs.direction << "'";
  for (auto [flag, value] :
       {std::pair<StringRef, int64_t>{"layout", attrs.layout},
        {"input_forget", attrs.inputForget},
        {"linear_before_reset", attrs.linearBeforeReset}})
    if (value != 0 && value != 1)
      return op->emitOpError("rnn_c10: ")
             << flag << " must be 0 or 1, found " << value;
  if (attrs.clip && !(*attrs.clip > 0.0))
    return op->emitOpError("rnn_c12: clip must be positive, found ")
           << *attrs.clip;
  if (failed(resolveActivations(op, numDirections)))
    return failure();

  RecurrentOperands operands = getRecurrentOperands(op);
  Value x = operands.X;
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  if (!xType || xType.getRank() != 3 || !isa<FloatType>(xType.getElementType()))
    return op->emitOpError("rnn_c1: X must be a rank-3 float tensor, found ")
           << x.getType();
  bool batchMajor = attrs.batchMajor;
  int64_t batch = OperandShape(x).dim(batchMajor ? 0 : 1);
  int64_t inputSize = OperandShape(x).dim(2);
  for (Value v : {operands.W, operands.R, operands.B, operands.initialH,
                  operands.initialC, operands.P})
    if (v && getElementTypeOrSelf(v) != xType.getElementType())
      return op->emitOpError("rnn_c1: every float input must have X's "
                             "element type ")
             << xType.getElementType() << ", found " << v.getType();

  // hidden_size, when present, must agree with R.
  OperandShape w(operands.W), r(operands.R);
  int64_t hidden = r.dim(2);
  if (attrs.hiddenSize) {
    if (*attrs.hiddenSize <= 0)
      return op->emitOpError("rnn_c11: hidden_size must be positive, found ")
             << *attrs.hiddenSize;
    if (failed(expectDim(op, hidden, *attrs.hiddenSize,
                         "rnn_c11: R's last dimension is hidden_size")))
      return failure();
    hidden = *attrs.hiddenSize;
  }
  // B holds 2 * gates * hidden_size values: that must fit in int64.
  if (hidden > std::numeric_limits<int64_t>::max() / (2 * cell.numGates))
    return op->emitOpError("rnn_c11: hidden_size ")
           << hidden << " is too large (2 * gates * hidden_size overflows "
           << "int64)";
  int64_t gates = hidden < 0 ? -1 : cell.numGates * hidden;

  if (failed(expectRank(op, operands.W, 3, "rnn_c2: W")) ||
      failed(expectDim(op, w.dim(0), numDirections,
                       "rnn_c2: W's dimension 0 is num_directions")) ||
      failed(expectDim(op, w.dim(1), gates,
                       "rnn_c2: W's dimension 1 is gates*hidden_size")) ||
      failed(expectDim(op, w.dim(2), inputSize,
                       "rnn_c2: W's dimension 2 is X's input size")) ||
      failed(expectRank(op, operands.R, 3, "rnn_c3: R")) ||
      failed(expectDim(op, r.dim(0), numDirections,
                       "rnn_c3: R's dimension 0 is num_directions")) ||
      failed(expectDim(op, r.dim(1), gates,
                       "rnn_c3: R's dimension 1 is gates*hidden_size")))
    return failure();

  Value b = operands.B, lens = operands.sequenceLens;
  Value initialH = operands.initialH, initialC = operands.initialC;
  Value peepholes = operands.P;
  if (b) {
    OperandShape s(b);
    if (failed(expectRank(op, b, 2, "rnn_c4: B")) ||
        failed(expectDim(op, s.dim(0), numDirections,
                         "rnn_c4: B's dimension 0 is num_directions")) ||
        failed(expectDim(op, s.dim(1), gates < 0 ? -1 : 2 * gates,
                         "rnn_c4: B's dimension 1 is 2*gates*hidden_size")))
      return failure();
  }
  if (lens) {
    auto type = dyn_cast<RankedTensorType>(lens.getType());
    if (!type || type.getRank() != 1 ||
        !type.getElementType().isSignlessInteger(32))
      return op->emitOpError("rnn_c5: sequence_lens must be a 1-D int32 "
                             "tensor, found ")
             << lens.getType();
    if (failed(expectDim(op, type.isDynamicDim(0) ? -1 : type.getDimSize(0),
                         batch, "rnn_c5: sequence_lens' size is the batch")))
      return failure();
  }
  for (Value state : {initialH, initialC}) {
    if (!state)
      continue;
    OperandShape s(state);
    if (failed(expectRank(op, state, 3, "rnn_c6: initial state")) ||
        failed(expectDim(op, s.dim(batchMajor ? 1 : 0), numDirections,
                         "rnn_c6: initial state's direction dimension")) ||
        failed(expectDim(op, s.dim(batchMajor ? 0 : 1), batch,
                         "rnn_c6: initial state's batch dimension")) ||
        failed(expectDim(op, s.dim(2), hidden,
                         "rnn_c6: initial state's last dimension is "
                         "hidden_size")))
      return failure();
  }
  if (peepholes) {
    OperandShape s(peepholes);
    if (failed(expectRank(op, peepholes, 2, "rnn_c7: P")) ||
        failed(expectDim(op, s.dim(0), numDirections,
                         "rnn_c7: P's dimension 0 is num_directions")) ||
        failed(expectDim(op, s.dim(1), hidden < 0 ? -1 : 3 * hidden,
                         "rnn_c7: P's dimension 1 is 3*hidden_size")))
      return failure();
  }
  return success();
}

LogicalResult LSTMOp::verify() { return verifyRecurrentOp(*this); }
LogicalResult GRUOp::verify() { return verifyRecurrentOp(*this); }
LogicalResult RNNOp::verify() { return verifyRecurrentOp(*this); }

//===----------------------------------------------------------------------===//
// Other ops
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  int numSet = !!getValueAttr() + !!getValueFloatAttr() +
               !!getValueFloatsAttr() + !!getValueIntAttr() +
               !!getValueIntsAttr();
  if (numSet != 1)
    return emitOpError("constant_c1: exactly one of value, value_float, "
                       "value_floats, value_int, value_ints must be set, "
                       "found ")
           << numSet;
  return success();
}

ElementsAttr seqc::onnx::getConstantValue(ConstantOp::Adaptor op,
                                          MLIRContext *context) {
  Builder b(context);
  if (auto value = op.getValueAttr())
    return value;
  if (auto f = op.getValueFloatAttr())
    return DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                  f.getValue());
  if (auto i = op.getValueIntAttr())
    return DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                  i.getValue());
  if (auto fs = op.getValueFloatsAttr()) {
    SmallVector<APFloat> values;
    for (Attribute a : fs)
      values.push_back(cast<FloatAttr>(a).getValue());
    return DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)values.size()}, b.getF32Type()),
        values);
  }
  SmallVector<APInt> values;
  for (Attribute a : op.getValueIntsAttr())
    values.push_back(cast<IntegerAttr>(a).getValue());
  return DenseElementsAttr::get(
      RankedTensorType::get({(int64_t)values.size()}, b.getI64Type()), values);
}

/// Checks that `v`, when present, is a 1-D tensor of int64 (the axes,
/// shapes and indices ONNX passes as inputs).
static LogicalResult expectInt64Vector(Operation *op, Value v,
                                       const Twine &what) {
  if (!v)
    return success();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != 1 ||
      !type.getElementType().isSignlessInteger(64))
    return op->emitOpError(what)
           << " must be a 1-D int64 tensor, found " << v.getType();
  return success();
}

// The parts are the node's outputs: a split or num_outputs that says
// otherwise is refused before shape inference makes a type per part.
LogicalResult SplitOp::verify() {
  std::optional<int64_t> parts = getNumSplitOutputs(*this);
  if (parts && *parts != getNumResults())
    return emitOpError("split_c1: ")
           << *parts << " parts for " << getNumResults() << " outputs";
  return success();
}

LogicalResult SqueezeOp::verify() {
  return expectInt64Vector(*this, getAxes(), "squeeze_c1: axes");
}
LogicalResult UnsqueezeOp::verify() {
  return expectInt64Vector(*this, getAxes(), "unsqueeze_c1: axes");
}
LogicalResult ReshapeOp::verify() {
  return expectInt64Vector(*this, getShape(), "reshape_c1: shape");
}

LogicalResult SliceOp::verify() {
  for (auto [value, name] :
       {std::pair<Value, StringRef>{getStarts(), "slice_c1: starts"},
        {getEnds(), "slice_c1: ends"},
        {getAxes(), "slice_c1: axes"},
        {getSteps(), "slice_c1: steps"}}) {
    if (!value)
      continue;
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || type.getRank() != 1 ||
        !type.getElementType().isSignlessInteger() ||
        (type.getElementTypeBitWidth() != 32 &&
         type.getElementTypeBitWidth() != 64))
      return emitOpError(name) << " must be a 1-D int32 or int64 tensor, found "
                               << value.getType();
  }
  return success();
}

LogicalResult TransposeOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getData().getType());
  auto perm = getPermAttr();
  if (!type || !perm)
    return success();
  SmallVector<bool> seen(type.getRank(), false);
  if ((int64_t)perm.size() != type.getRank())
    return emitOpError("transpose_c1: perm has ")
           << perm.size() << " entries for a rank-" << type.getRank()
           << " input";
  for (Attribute a : perm) {
    int64_t p = cast<IntegerAttr>(a).getInt();
    if (p < 0 || p >= type.getRank() || seen[p])
      return emitOpError("transpose_c1: perm is not a permutation of [0, ")
             << type.getRank() << ")";
    seen[p] = true;
  }
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("concat_c1: needs at least one input");
  auto first = dyn_cast<RankedTensorType>(getInputs()[0].getType());
  if (!first)
    return success();
  int64_t rank = first.getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitOpError("concat_c2: axis ")
           << axis << " is out of range for rank " << rank;
  for (Value v : getInputs()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type)
      continue;
    if (type.getRank() != rank ||
        type.getElementType() != first.getElementType())
      return emitOpError("concat_c3: every input must have rank ")
             << rank << " and element type " << first.getElementType()
             << ", found " << type;
  }
  return success();
}

LogicalResult GatherOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getData().getType());
  auto indices = dyn_cast<RankedTensorType>(getIndices().getType());
  if (indices && !indices.getElementType().isSignlessInteger())
    return emitOpError("gather_c1: indices must be int32 or int64, found ")
           << indices;
  if (type && (getAxis() < -type.getRank() || getAxis() >= type.getRank()))
    return emitOpError("gather_c2: axis ")
           << getAxis() << " is out of range for rank " << type.getRank();
  return success();
}

LogicalResult MatMulOp::verify() {
  for (Value v : {getA(), getB()})
    if (auto type = dyn_cast<RankedTensorType>(v.getType()))
      if (type.getRank() == 0)
        return emitOpError("matmul_c1: operands must have rank >= 1");
  return success();
}

LogicalResult GemmOp::verify() {
  if (failed(expectRank(*this, getA(), 2, "gemm_c1: A")) ||
      failed(expectRank(*this, getB(), 2, "gemm_c1: B")))
    return failure();
  return success();
}

LogicalResult ConstantOfShapeOp::verify() {
  if (ElementsAttr value = getValueAttr(); value && value.getNumElements() != 1)
    return emitOpError("constantofshape_c1: value must have one element, "
                       "found ")
           << value.getNumElements();
  return success();
}

static LogicalResult verifyRoundMode(Operation *op, StringRef mode) {
  if (mode != "up" && mode != "down" && mode != "nearest")
    return op->emitOpError("cast_c2: round_mode must be up, down or nearest, "
                           "found '")
           << mode << "'";
  return success();
}
LogicalResult CastOp::verify() {
  return verifyRoundMode(*this, getRoundMode());
}
LogicalResult CastLikeOp::verify() {
  return verifyRoundMode(*this, getRoundMode());
}

LogicalResult RangeOp::verify() {
  Type type = getElementTypeOrSelf(getStart());
  if (getElementTypeOrSelf(getLimit()) != type ||
      getElementTypeOrSelf(getDelta()) != type)
    return emitOpError("range_c1: start, limit and delta must have one "
                       "element type");
  return success();
}

namespace {
/// TensorProto.DataType's numbers, and the MLIR type each is imported as.
struct ElementTypeCode {
  int32_t code;
  Type (*get)(MLIRContext *);
};
template <unsigned width, IntegerType::SignednessSemantics signedness>
Type integer(MLIRContext *c) {
  return IntegerType::get(c, width, signedness);
}
constexpr auto kSignless = IntegerType::Signless;
constexpr auto kUnsigned = IntegerType::Unsigned;
const ElementTypeCode kElementTypes[] = {
    {1, [](MLIRContext *c) -> Type { return Float32Type::get(c); }},
    {2, integer<8, kUnsigned>},
    {3, integer<8, kSignless>},
    {4, integer<16, kUnsigned>},
    {5, integer<16, kSignless>},
    {6, integer<32, kSignless>},
    {7, integer<64, kSignless>},
    {9, integer<1, kSignless>},
    {10, [](MLIRContext *c) -> Type { return Float16Type::get(c); }},
    {11, [](MLIRContext *c) -> Type { return Float64Type::get(c); }},
    {12, integer<32, kUnsigned>},
    {13, integer<64, kUnsigned>},
    {16, [](MLIRContext *c) -> Type { return BFloat16Type::get(c); }},
    {17, [](MLIRContext *c) -> Type { return Float8E4M3FNType::get(c); }},
    {18, [](MLIRContext *c) -> Type { return Float8E4M3FNUZType::get(c); }},
    {19, [](MLIRContext *c) -> Type { return Float8E5M2Type::get(c); }},
    {20, [](MLIRContext *c) -> Type { return Float8E5M2FNUZType::get(c); }},
    {21, integer<4, kUnsigned>},
    {22, integer<4, kSignless>},
    {23, [](MLIRContext *c) -> Type { return Float4E2M1FNType::get(c); }},
    {24, [](MLIRContext *c) -> Type { return Float8E8M0FNUType::get(c); }},
    {25, integer<2, kUnsigned>},
    {26, integer<2, kSignless>},
    {8, [](MLIRContext *c) -> Type { return StringType::get(c); }},
};
} // namespace

Type seqc::onnx::getElementType(MLIRContext *context, int64_t onnxType) {
  for (const ElementTypeCode &t : kElementTypes)
    if (t.code == onnxType)
      return t.get(context);
  return Type();
}

int32_t seqc::onnx::getDataType(Type type) {
  for (const ElementTypeCode &t : kElementTypes)
    if (t.get(type.getContext()) == type)
      return t.code;
  return 0;
}

Type seqc::onnx::getStorageElementType(Type type) {
  MLIRContext *context = type.getContext();
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    return IntegerType::get(context, width == 1 ? 1 : std::max(width, 8u));
  }
  if (isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
          Float8E5M2FNUZType, Float4E2M1FNType, Float8E8M0FNUType>(type))
    return IntegerType::get(context, 8);
  // A pointer to the string's bytes.
  if (isa<StringType>(type))
    return IntegerType::get(context, 64);
  return type;
}

Type seqc::onnx::getStorageType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(getStorageElementType(shaped.getElementType()));
  return getStorageElementType(type);
}

LogicalResult seqc::onnx::verifyWhere(Operation *op) {
  if (!getElementTypeOrSelf(op->getOperand(0)).isInteger(1))
    return op->emitOpError("where_c1: the condition must be bool, found ")
           << op->getOperand(0).getType();
  if (getElementTypeOrSelf(op->getOperand(1)) !=
      getElementTypeOrSelf(op->getOperand(2)))
    return op->emitOpError("where_c2: X and Y must have the same element "
                           "type, found ")
           << op->getOperand(1).getType() << " and "
           << op->getOperand(2).getType();
  return success();
}

LogicalResult seqc::onnx::verifySameElementTypes(Operation *op) {
  if (op->getNumOperands() == 0)
    return op->emitOpError("needs at least one input");
  Type first = getElementTypeOrSelf(op->getOperand(0));
  for (Value operand : op->getOperands().drop_front())
    if (getElementTypeOrSelf(operand) != first)
      return op->emitOpError("binary_c1: operands must have the same element "
                             "type, found ")
             << op->getOperand(0).getType() << " and " << operand.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and padding
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  OperandShape x(getX()), w(getW()), b(getB());
  if (!x.known() || x.type.getRank() < 3 || x.type.getRank() > 5)
    return emitOpError("conv_c1: X must be ranked [N, C, D1...] with 1 to 3 "
                       "spatial dimensions, found ")
           << getX().getType();
  int64_t rank = x.type.getRank();
  if (!w.known() || w.type.getRank() != rank)
    return emitOpError("conv_c1: W must have X's rank ")
           << rank << ", found " << getW().getType();
  for (int64_t i = 2; i < rank; ++i)
    if (w.dim(i) < 0)
      return emitOpError("conv_c1: the kernel shape (W's dimension ")
             << i << ") must be static";
  if (getX().getType() != getW().getType() &&
      x.type.getElementType() != w.type.getElementType())
    return emitOpError("conv_c1: X and W must have one element type");
  int64_t group = getGroup();
  if (group < 1)
    return emitOpError("conv_c2: group must be positive, found ") << group;
  if (w.dim(0) >= 0 && w.dim(0) % group != 0)
    return emitOpError("conv_c2: the ")
           << w.dim(0) << " output channels do not divide into " << group
           << " groups";
  if (x.dim(1) >= 0 && w.dim(1) >= 0 && x.dim(1) != w.dim(1) * group)
    return emitOpError("conv_c2: X has ")
           << x.dim(1) << " channels, W expects " << w.dim(1) << " x "
           << group << " groups";
  if (auto kernel = getKernelShape()) {
    if ((int64_t)kernel->size() != rank - 2)
      return emitOpError("conv_c2: kernel_shape has ")
             << kernel->size() << " values, expected " << rank - 2;
    for (auto [i, k] : llvm::enumerate(*kernel))
      if (cast<IntegerAttr>(k).getInt() != w.dim(i + 2))
        return emitOpError("conv_c2: kernel_shape disagrees with W's shape");
  }
  if (b.known() && (b.type.getRank() != 1 ||
                    (b.dim(0) >= 0 && w.dim(0) >= 0 && b.dim(0) != w.dim(0))))
    return emitOpError("conv_c1: B must be 1-D with W's ")
           << w.dim(0) << " output channels, found " << getB().getType();
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  OperandShape x(getX()), w(getW()), b(getB());
  if (!x.known() || x.type.getRank() < 3 || x.type.getRank() > 5)
    return emitOpError("convtranspose_c1: X must be ranked [N, C, D1...] with "
                       "1 to 3 spatial dimensions, found ")
           << getX().getType();
  int64_t rank = x.type.getRank();
  if (!w.known() || w.type.getRank() != rank)
    return emitOpError("convtranspose_c1: W must have X's rank ")
           << rank << ", found " << getW().getType();
  for (int64_t i = 1; i < rank; ++i)
    if (w.dim(i) < 0)
      return emitOpError("convtranspose_c1: W's dimension ")
             << i << " (output channels per group, kernel shape) must be "
                     "static";
  if (x.type.getElementType() != w.type.getElementType())
    return emitOpError("convtranspose_c1: X and W must have one element type");
  int64_t group = getGroup();
  if (group < 1)
    return emitOpError("convtranspose_c2: group must be positive, found ")
           << group;
  if (w.dim(0) >= 0 && w.dim(0) % group != 0)
    return emitOpError("convtranspose_c2: W's ")
           << w.dim(0) << " input channels do not divide into " << group
           << " groups";
  if (x.dim(1) >= 0 && w.dim(0) >= 0 && x.dim(1) != w.dim(0))
    return emitOpError("convtranspose_c2: X has ")
           << x.dim(1) << " channels, W expects " << w.dim(0);
  if (auto kernel = getKernelShape()) {
    if ((int64_t)kernel->size() != rank - 2)
      return emitOpError("convtranspose_c2: kernel_shape has ")
             << kernel->size() << " values, expected " << rank - 2;
    for (auto [i, k] : llvm::enumerate(*kernel))
      if (cast<IntegerAttr>(k).getInt() != w.dim(i + 2))
        return emitOpError(
            "convtranspose_c2: kernel_shape disagrees with W's shape");
  }
  int64_t outChannels = w.dim(1) * group;
  if (b.known() && (b.type.getRank() != 1 ||
                    (b.dim(0) >= 0 && b.dim(0) != outChannels)))
    return emitOpError("convtranspose_c1: B must be 1-D with the ")
           << outChannels << " output channels, found " << getB().getType();
  return success();
}

LogicalResult PadOp::verify() {
  OperandShape data(getData()), pads(getPads());
  if (!data.known())
    return emitOpError("pad_c1: data must have a known rank");
  if (!pads.known() || pads.type.getRank() != 1 ||
      !pads.type.getElementType().isSignlessInteger(64))
    return emitOpError("pad_c1: pads must be a 1-D int64 tensor, found ")
           << getPads().getType();
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return emitOpError("pad_c2: unknown mode '") << mode << "'";
  if (Value value = getConstantValue()) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || type.getElementType() != data.type.getElementType() ||
        type.getNumElements() != 1)
      return emitOpError("pad_c1: constant_value must be one element of the "
                         "data's type, found ")
             << value.getType();
  }
  int64_t numAxes = data.type.getRank();
  if (OperandShape axes(getAxes()); axes.known())
    numAxes = axes.dim(0);
  if (numAxes >= 0 && pads.dim(0) >= 0 && pads.dim(0) != 2 * numAxes)
    return emitOpError("pad_c3: pads has ")
           << pads.dim(0) << " values, expected 2 x " << numAxes;
  return success();
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

/// Normalises a Scan axis into [0, rank); fails when out of range.
static std::optional<int64_t> normalizeScanAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult ScanOp::verify() {
  unsigned numStates = getNumStates(), numInputs = getScanInputs().size();
  Block &body = getBody().front();
  if (numInputs == 0)
    return emitOpError("scan_c1: needs at least one scan input");
  if (body.getNumArguments() != numStates + numInputs)
    return emitOpError("scan_c1: the body takes ")
           << body.getNumArguments() << " values, expected " << numStates
           << " states and " << numInputs << " scan inputs";
  auto checkList = [&](std::optional<ArrayAttr> list, unsigned size,
                       StringRef name) -> LogicalResult {
    if (list && list->size() != size)
      return emitOpError("scan_c2: ")
             << name << " has " << list->size() << " values, expected "
             << size;
    return success();
  };
  auto yield = cast<YieldOp>(body.getTerminator());
  unsigned numOutputs = yield.getOutputs().size() - numStates;
  if (yield.getOutputs().size() < numStates ||
      getNumResults() != numStates + numOutputs)
    return emitOpError("scan_c1: the body yields ")
           << yield.getOutputs().size() << " values for " << getNumResults()
           << " outputs and " << numStates << " states";
  if (failed(checkList(getScanInputAxes(), numInputs, "scan_input_axes")) ||
      failed(checkList(getScanInputDirections(), numInputs,
                       "scan_input_directions")) ||
      failed(checkList(getScanOutputAxes(), numOutputs, "scan_output_axes")) ||
      failed(checkList(getScanOutputDirections(), numOutputs,
                       "scan_output_directions")))
    return failure();
  for (unsigned i = 0; i < numStates; ++i) {
    Type init = getInits()[i].getType();
    if (body.getArgument(i).getType() != init || getResult(i).getType() != init ||
        failed(verifyCompatibleShape(yield.getOutputs()[i].getType(), init)) ||
        getElementTypeOrSelf(yield.getOutputs()[i]) != getElementTypeOrSelf(init))
      return emitOpError("scan_c3: state ")
             << i << " must keep its initial type " << init << ", the body "
             << "yields " << yield.getOutputs()[i].getType();
  }
  for (auto [i, input] : llvm::enumerate(getScanInputs())) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    std::optional<int64_t> axis =
        type ? normalizeScanAxis(getEntry(getScanInputAxes(), i, 0),
                                 type.getRank())
             : std::nullopt;
    if (!axis)
      return emitOpError("scan_c2: scan input ")
             << i << " has no axis " << getEntry(getScanInputAxes(), i, 0)
             << ": " << input.getType();
    SmallVector<int64_t> step(type.getShape());
    step.erase(step.begin() + *axis);
    if (body.getArgument(numStates + i).getType() !=
        RankedTensorType::get(step, type.getElementType()))
      return emitOpError("scan_c3: the body's scan input ")
             << i << " is " << body.getArgument(numStates + i).getType()
             << ", one step of " << type;
  }
  return success();
}

LogicalResult RefineShapeOp::verify() {
  auto from = cast<RankedTensorType>(getInput().getType());
  auto to = cast<RankedTensorType>(getOutput().getType());
  if (from.getElementType() != to.getElementType() ||
      failed(verifyCompatibleShape(from, to)))
    return emitOpError("refine_shape_c1: ")
           << to << " does not refine " << from;
  return success();
}

LogicalResult IfOp::verify() {
  auto condType = dyn_cast<RankedTensorType>(getCond().getType());
  if (!condType || !condType.getElementType().isInteger(1) ||
      (condType.hasStaticShape() && condType.getNumElements() != 1))
    return emitOpError("if_c1: the condition must be one bool, found ")
           << getCond().getType();
  for (Region *branch : {&getThenBranch(), &getElseBranch()}) {
    auto yield = cast<YieldOp>(branch->front().getTerminator());
    if (yield.getOutputs().size() != getNumResults())
      return emitOpError("if_c2: a branch yields ")
             << yield.getOutputs().size() << " values for "
             << getNumResults() << " outputs";
    for (auto [value, result] :
         llvm::zip(yield.getOutputs(), getOutputs())) {
      if (!isa<TensorType>(value.getType()) ||
          !isa<TensorType>(result.getType())) {
        if (joinValueTypes(value.getType(), result.getType()) !=
            result.getType())
          return emitOpError("if_c2: a branch yields ")
                 << value.getType() << " for an output of type "
                 << result.getType();
        continue;
      }
      auto from = cast<RankedTensorType>(value.getType());
      auto to = dyn_cast<RankedTensorType>(result.getType());
      if (!to || from.getElementType() != to.getElementType() ||
          from.getRank() != to.getRank())
        return emitOpError("if_c2: a branch yields ")
               << from << " for an output of type " << result.getType();
      for (int64_t i = 0; i < to.getRank(); ++i)
        if (!to.isDynamicDim(i) && to.getDimSize(i) != from.getDimSize(i))
          return emitOpError("if_c2: a branch yields ")
                 << from << " for an output of type " << to;
    }
  }
  return success();
}

