//===- Sequences.cpp - ONNX sequences and optionals: types and rules ------===//
//
// !onnx.seq and !onnx.opt, and the type rules of the ops that make and read
// them. A sequence's element type is what every element is known to be: the
// rules join the types of the tensors that go in.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace seqc::onnx;

#define GET_TYPEDEF_CLASSES
#include "dialects/onnx/OnnxTypes.cpp.inc"

void OnnxDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/onnx/OnnxTypes.cpp.inc"
      >();
}

LogicalResult OptionalType::verify(function_ref<InFlightDiagnostic()> emitError,
                                   Type valueType) {
  if (!isa<TensorType, SequenceType>(valueType))
    return emitError() << "an optional holds a tensor or a sequence, not "
                       << valueType;
  return success();
}

/// Tensor types joined: sizes they disagree on dynamic; ranks they disagree
/// on unranked when `allowRankChange`, else no join.
static TensorType joinTensorTypes(TensorType a, TensorType b,
                                  bool allowRankChange) {
  if (a.getElementType() != b.getElementType())
    return nullptr;
  if (!a.hasRank() || !b.hasRank() || a.getRank() != b.getRank()) {
    if (!allowRankChange)
      return nullptr;
    return UnrankedTensorType::get(a.getElementType());
  }
  SmallVector<int64_t> shape;
  for (auto [da, db] : llvm::zip(a.getShape(), b.getShape()))
    shape.push_back(da == db ? da : ShapedType::kDynamic);
  return RankedTensorType::get(shape, a.getElementType());
}

Type seqc::onnx::joinValueTypes(Type a, Type b) {
  if (a == b)
    return a;
  auto ta = dyn_cast<TensorType>(a), tb = dyn_cast<TensorType>(b);
  if (ta && tb)
    return joinTensorTypes(ta, tb, /*allowRankChange=*/false);
  auto sa = dyn_cast<SequenceType>(a), sb = dyn_cast<SequenceType>(b);
  if (sa && sb) {
    TensorType element = joinTensorTypes(
        sa.getElementType(), sb.getElementType(), /*allowRankChange=*/true);
    return element ? SequenceType::get(element) : nullptr;
  }
  // An optional joins an optional or a value, which then is one that is
  // present (ONNX Loop carries an optional the body replaces by a value).
  auto oa = dyn_cast<OptionalType>(a), ob = dyn_cast<OptionalType>(b);
  if (!oa && !ob)
    return nullptr;
  Type value =
      joinValueTypes(oa ? oa.getValueType() : a, ob ? ob.getValueType() : b);
  return value ? OptionalType::get(value) : nullptr;
}

/// The sequence element type that fits `element` and everything before.
static SequenceType withElement(SequenceType sequence, Type element) {
  auto tensor = cast<TensorType>(element);
  if (!sequence)
    return SequenceType::get(tensor);
  return cast_if_present<SequenceType>(
      joinValueTypes(sequence, SequenceType::get(tensor)));
}

/// A position operand: an int32 or int64 scalar (or one-element tensor).
static LogicalResult checkPosition(const OpError &error, Value position) {
  if (!position)
    return success();
  auto type = dyn_cast<RankedTensorType>(position.getType());
  if (!type || !isa<IntegerType>(type.getElementType()) ||
      type.getElementType().isUnsignedInteger() ||
      !(type.getElementTypeBitWidth() == 32 ||
        type.getElementTypeBitWidth() == 64) ||
      type.getRank() > 1 || (type.getRank() == 1 && type.getDimSize(0) != 1))
    return error("position must be an int32 or int64 scalar, found ")
           << position.getType();
  return success();
}

LogicalResult SequenceEmptyOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  int64_t dtype = adaptor.getDtype().value_or(1);
  Type element = getElementType(context, dtype);
  if (!element)
    return error("dtype ") << dtype << " is not a supported element type";
  types.push_back(SequenceType::get(UnrankedTensorType::get(element)));
  return success();
}

LogicalResult SequenceConstructOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  if (adaptor.getInputs().empty())
    return error("needs at least one input");
  SequenceType sequence;
  for (Value input : adaptor.getInputs())
    if (!(sequence = withElement(sequence, input.getType())))
      return error("the inputs' element types differ: ")
             << adaptor.getInputs().front().getType() << " and "
             << input.getType();
  types.push_back(sequence);
  return success();
}

LogicalResult SequenceInsertOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto sequence = cast<SequenceType>(adaptor.getInputSequence().getType());
  if (failed(checkPosition(error, adaptor.getPosition())))
    return failure();
  SequenceType joined = withElement(sequence, adaptor.getTensor().getType());
  if (!joined)
    return error("cannot insert ")
           << adaptor.getTensor().getType() << " into " << sequence;
  types.push_back(joined);
  return success();
}

LogicalResult SequenceAtOp::inferReturnTypes(MLIRContext *context,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto sequence = cast<SequenceType>(adaptor.getInputSequence().getType());
  if (failed(checkPosition(error, adaptor.getPosition())))
    return failure();
  if (!sequence.getElementType().hasRank())
    return error("the rank of the elements of ")
           << sequence << " is not known at compile time";
  types.push_back(sequence.getElementType());
  return success();
}

LogicalResult SequenceLengthOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
  return success();
}

LogicalResult SequenceEraseOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  if (failed(checkPosition(error, adaptor.getPosition())))
    return failure();
  types.push_back(adaptor.getInputSequence().getType());
  return success();
}

LogicalResult OptionalOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  Value input = adaptor.getInput();
  std::optional<Type> declared = adaptor.getType();
  if (input && isa<OptionalType>(input.getType()))
    return error("the input is already an optional: ") << input.getType();
  if (!input && !declared)
    return error("needs an input or the attribute 'type'");
  if (input && declared && !joinValueTypes(*declared, input.getType()))
    return error("the input is ")
           << input.getType() << ", the attribute 'type' says " << *declared;
  Type value = input ? input.getType() : *declared;
  if (!isa<TensorType, SequenceType>(value))
    return error("cannot hold ") << value;
  types.push_back(OptionalType::get(value));
  return success();
}

LogicalResult OptionalHasElementOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, IntegerType::get(context, 1)));
  return success();
}

LogicalResult OptionalGetElementOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Type type = adaptor.getInput().getType();
  auto optional = dyn_cast<OptionalType>(type);
  types.push_back(optional ? optional.getValueType() : type);
  return success();
}
