//===- SeqOps.cpp - seq dialect operations --------------------------------===//
//
// The op definitions, their verifiers, and the control-flow and loop
// interfaces that let upstream passes (LICM, CSE, canonicalize, dataflow
// analyses) see `seq.recurrence` as the loop it is. Canonicalizations are in
// SeqFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/seq/SeqOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace seqc::seq;

#define GET_OP_CLASSES
#include "dialects/seq/SeqOps.cpp.inc"

//===----------------------------------------------------------------------===//
// RecurrenceOp
//===----------------------------------------------------------------------===//

void RecurrenceOp::build(OpBuilder &b, OperationState &state,
                         Direction direction, ValueRange inits,
                         ValueRange inputs, ValueRange outs, Value lengths,
                         bool withTimeIndex, BodyBuilderFn bodyBuilder) {
  state.addAttribute(getDirectionAttrName(state.name),
                     DirectionAttr::get(b.getContext(), direction));
  if (withTimeIndex)
    state.addAttribute(getTimeIndexAttrName(state.name), b.getUnitAttr());
  state.addOperands(inits);
  state.addOperands(inputs);
  state.addOperands(outs);
  if (lengths)
    state.addOperands(lengths);
  state.addAttribute(getOperandSegmentSizesAttrName(state.name),
                     b.getDenseI32ArrayAttr(
                         {static_cast<int32_t>(inits.size()),
                          static_cast<int32_t>(inputs.size()),
                          static_cast<int32_t>(outs.size()), lengths ? 1 : 0}));
  for (Value v : llvm::concat<const Value>(inits, outs))
    state.addTypes(v.getType());

  Region *body = state.addRegion();
  OpBuilder::InsertionGuard guard(b);
  Block *block = b.createBlock(body);
  Location loc = state.location;
  Value time = withTimeIndex ? block->addArgument(b.getIndexType(), loc)
                             : Value();
  for (Value init : inits)
    block->addArgument(init.getType(), loc);
  for (Value input : inputs)
    block->addArgument(getStepType(input.getType()), loc);
  if (!bodyBuilder)
    return;
  ValueRange args = block->getArguments().drop_front(withTimeIndex ? 1 : 0);
  SmallVector<Value> yielded = bodyBuilder(
      b, loc, time, args.take_front(inits.size()),
      args.drop_front(inits.size()));
  YieldOp::create(b, loc, yielded);
}

YieldOp RecurrenceOp::getYield() {
  return cast<YieldOp>(getBodyBlock().getTerminator());
}

RankedTensorType RecurrenceOp::getStepType(Type stacked) {
  auto type = cast<RankedTensorType>(stacked);
  return RankedTensorType::get(type.getShape().drop_front(),
                               type.getElementType());
}

LogicalResult RecurrenceOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>,
                                             RecurrenceOp::Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  for (Value v : adaptor.getInitStates())
    types.push_back(v.getType());
  for (Value v : adaptor.getOuts())
    types.push_back(v.getType());
  return success();
}

LogicalResult
RecurrenceOp::reifyResultShapes(OpBuilder &b,
                                ReifiedRankedShapedTypeDims &shapes) {
  // Every result is shaped like the operand it corresponds to.
  for (Value v : llvm::concat<Value>(getInits(), getOuts()))
    shapes.push_back(tensor::getMixedSizes(b, getLoc(), v));
  return success();
}

// --- LoopLikeOpInterface: the states are the loop-carried values ---------

SmallVector<Region *> RecurrenceOp::getLoopRegions() { return {&getBody()}; }

MutableArrayRef<OpOperand> RecurrenceOp::getInitsMutable() {
  return getInitStatesMutable();
}

Block::BlockArgListType RecurrenceOp::getRegionIterArgs() {
  return getStateArgs();
}

std::optional<MutableArrayRef<OpOperand>>
RecurrenceOp::getYieldedValuesMutable() {
  return getYield()->getOpOperands().take_front(getNumStates());
}

std::optional<ResultRange> RecurrenceOp::getLoopResults() {
  return getFinalStates();
}

std::optional<SmallVector<Value>> RecurrenceOp::getLoopInductionVars() {
  if (Value time = getTimeArg())
    return SmallVector<Value>{time};
  return SmallVector<Value>{};
}

// --- RegionBranchOpInterface: parent -> body -> body ... -> parent -------

OperandRange RecurrenceOp::getEntrySuccessorOperands(RegionSuccessor) {
  return getInits();
}

void RecurrenceOp::getSuccessorRegions(
    RegionBranchPoint, SmallVectorImpl<RegionSuccessor> &regions) {
  // From the parent and from the body alike: another step, or done (a
  // sequence may be empty). Only the states flow; step inputs come from
  // slicing and step outputs are stacked, neither is forwarded.
  regions.push_back(RegionSuccessor(&getBody(), getStateArgs()));
  regions.push_back(RegionSuccessor(getOperation(), getFinalStates()));
}

MutableOperandRange
YieldOp::getMutableSuccessorOperands(RegionSuccessor) {
  auto parent = cast<RecurrenceOp>(getOperation()->getParentOp());
  return MutableOperandRange(getOperation(), 0, parent.getNumStates());
}

OperandRange YieldOp::getNextStates() {
  auto parent = cast<RecurrenceOp>(getOperation()->getParentOp());
  return getValues().take_front(parent.getNumStates());
}

OperandRange YieldOp::getStepOutputs() {
  auto parent = cast<RecurrenceOp>(getOperation()->getParentOp());
  return getValues().drop_front(parent.getNumStates());
}

// --- Verification ----------------------------------------------------------

/// The static size shared by dimension `dim` of every type in `types`, or
/// kDynamic; fails when two static sizes differ.
static FailureOr<int64_t> commonSize(ArrayRef<RankedTensorType> types,
                                     int64_t dim) {
  int64_t size = ShapedType::kDynamic;
  for (RankedTensorType type : types) {
    if (type.isDynamicDim(dim))
      continue;
    if (!ShapedType::isDynamic(size) && size != type.getDimSize(dim))
      return failure();
    size = type.getDimSize(dim);
  }
  return size;
}

LogicalResult RecurrenceOp::verify() {
  if (getInputs().empty() && getOuts().empty())
    return emitOpError("needs an input or an out to give the sequence length");
  SmallVector<RankedTensorType> stacked;
  for (Value v : llvm::concat<Value>(getInputs(), getOuts()))
    stacked.push_back(cast<RankedTensorType>(v.getType()));
  auto expectRank = [&](ArrayRef<RankedTensorType> types, int64_t rank,
                        StringRef what) -> LogicalResult {
    for (RankedTensorType type : types)
      if (type.getRank() < rank)
        return emitOpError(what) << ", found " << type;
    return success();
  };
  if (failed(expectRank(stacked, 1,
                        "inputs and outs must have a leading time dimension")))
    return failure();
  if (failed(commonSize(stacked, 0)))
    return emitOpError("inputs and outs disagree on the sequence length");
  if (Value lengths = getLengths()) {
    // The batch: dim 0 of lengths and of every state, dim 1 of every
    // stacked value; all static sizes among them must agree.
    SmallVector<RankedTensorType> batchMajor = {
        cast<RankedTensorType>(lengths.getType())};
    for (Value v : getInits())
      batchMajor.push_back(cast<RankedTensorType>(v.getType()));
    StringRef needBatch =
        "with lengths, every state and step value needs a leading batch "
        "dimension";
    if (failed(expectRank(stacked, 2, needBatch)) ||
        failed(expectRank(batchMajor, 1, needBatch)))
      return failure();
    FailureOr<int64_t> batch = commonSize(batchMajor, 0);
    FailureOr<int64_t> stackedBatch = commonSize(stacked, 1);
    if (failed(batch) || failed(stackedBatch) ||
        (!ShapedType::isDynamic(*batch) &&
         !ShapedType::isDynamic(*stackedBatch) && *batch != *stackedBatch))
      return emitOpError("the batch dimensions of lengths, states, inputs "
                         "and outs disagree");
  }
  return success();
}

// State types (init = argument = yielded value) are checked by the
// LoopLikeOpInterface verifier.
LogicalResult RecurrenceOp::verifyRegions() {
  Block &body = getBodyBlock();
  unsigned numStates = getNumStates();
  unsigned numTime = getTimeIndex() ? 1 : 0;
  if (body.getNumArguments() != numTime + numStates + getInputs().size())
    return emitOpError("body must take ")
           << (numTime ? "the time index, " : "") << numStates
           << " state(s) and " << getInputs().size()
           << " step input(s), found " << body.getNumArguments()
           << " argument(s)";
  if (numTime && !body.getArgument(0).getType().isIndex())
    return emitOpError("the time index argument must be index, found ")
           << body.getArgument(0).getType();
  for (auto [arg, input] : llvm::zip(getStepInputArgs(), getInputs()))
    if (arg.getType() != getStepType(input.getType()))
      return emitOpError("step input argument must be ")
             << getStepType(input.getType()) << ", found " << arg.getType();

  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end in seq.yield");
  if (yield.getValues().size() != numStates + getOuts().size())
    return yield.emitOpError("must yield ")
           << numStates << " state(s) and " << getOuts().size()
           << " step output(s), found " << yield.getValues().size();
  for (auto [value, out] :
       llvm::zip(yield.getValues().drop_front(numStates), getOuts()))
    if (value.getType() != getStepType(out.getType()))
      return yield.emitOpError("step output must be ")
             << getStepType(out.getType()) << ", found " << value.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// LinearScanOp
//===----------------------------------------------------------------------===//

RankedTensorType LinearScanOp::getStateType() {
  return RecurrenceOp::getStepType(getB().getType());
}

LogicalResult LinearScanOp::verify() {
  auto bType = cast<RankedTensorType>(getB().getType());
  if (bType.getRank() < 1)
    return emitOpError("b must have a leading time dimension, found ") << bType;
  auto compatible = [](Type x, Type y) {
    return succeeded(verifyCompatibleShape(x, y)) &&
           getElementTypeOrSelf(x) == getElementTypeOrSelf(y);
  };
  if (Value a = getA(); a && !compatible(a.getType(), bType))
    return emitOpError("a must have b's type ") << bType << ", found "
                                                 << a.getType();
  RankedTensorType state = getStateType();
  if (Value init = getInit(); init && !compatible(init.getType(), state))
    return emitOpError("init must have the state type ")
           << state << ", found " << init.getType();
  if (!compatible(getFinalState().getType(), state))
    return emitOpError("the final state must have the state type ")
           << state << ", found " << getFinalState().getType();
  if (static_cast<bool>(getOuts()) != static_cast<bool>(getStates()))
    return emitOpError("has all states as a result exactly when it has outs");
  if (Value outs = getOuts()) {
    if (!compatible(outs.getType(), bType))
      return emitOpError("outs must have b's type ")
             << bType << ", found " << outs.getType();
    if (getStates().getType() != outs.getType())
      return emitOpError("the states must have the type of outs ")
             << outs.getType() << ", found " << getStates().getType();
  }
  return success();
}
