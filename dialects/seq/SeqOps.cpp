//===- SeqOps.cpp - seq dialect operations ---------------------------------===//

#include "dialects/seq/SeqOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace seqc::seq;

#define GET_OP_CLASSES
#include "dialects/seq/SeqOps.cpp.inc"

RankedTensorType RecurrenceOp::getStepType(Type stacked) {
  auto type = cast<RankedTensorType>(stacked);
  return RankedTensorType::get(type.getShape().drop_front(),
                               type.getElementType());
}

LogicalResult RecurrenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, RecurrenceOp::Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  for (Value v : adaptor.getInits())
    types.push_back(v.getType());
  for (Value v : adaptor.getOuts())
    types.push_back(v.getType());
  return success();
}

LogicalResult RecurrenceOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &shapes) {
  // Every result is shaped like the operand it corresponds to.
  for (Value v : llvm::concat<Value>(getInits(), getOuts()))
    shapes.push_back(tensor::getMixedSizes(b, getLoc(), v));
  return success();
}

/// Sizes of dimension `dim` of `type` agree when either is dynamic.
static bool compatibleDim(RankedTensorType a, int64_t da, RankedTensorType b,
                          int64_t db) {
  return a.isDynamicDim(da) || b.isDynamicDim(db) ||
         a.getDimSize(da) == b.getDimSize(db);
}

LogicalResult RecurrenceOp::verify() {
  if (getInputs().empty() && getOuts().empty())
    return emitOpError("needs an input or an out to give the sequence length");
  SmallVector<RankedTensorType> stacked;
  for (Value v : llvm::concat<Value>(getInputs(), getOuts()))
    stacked.push_back(cast<RankedTensorType>(v.getType()));
  for (RankedTensorType type : stacked) {
    if (type.getRank() < 1)
      return emitOpError("inputs and outs must have a leading time dimension, "
                         "found ")
             << type;
    if (!compatibleDim(type, 0, stacked.front(), 0))
      return emitOpError("inputs and outs disagree on the sequence length: ")
             << type << " vs " << stacked.front();
  }
  if (Value lengths = getLengths()) {
    auto lengthsType = cast<RankedTensorType>(lengths.getType());
    auto checkBatch = [&](RankedTensorType type,
                          int64_t dim) -> LogicalResult {
      if (type.getRank() <= dim)
        return emitOpError("with lengths, every state and step value needs a "
                           "leading batch dimension, found ")
               << type;
      if (!compatibleDim(type, dim, lengthsType, 0))
        return emitOpError("batch dimension of ")
               << type << " does not match lengths " << lengthsType;
      return success();
    };
    for (Value v : getInits())
      if (failed(checkBatch(cast<RankedTensorType>(v.getType()), 0)))
        return failure();
    for (RankedTensorType type : stacked)
      if (failed(checkBatch(type, 1)))
        return failure();
  }
  return success();
}

LogicalResult RecurrenceOp::verifyRegions() {
  Block &body = getBodyBlock();
  unsigned numStates = getNumStates();
  if (body.getNumArguments() != numStates + getInputs().size())
    return emitOpError("body must take ")
           << numStates << " state(s) and " << getInputs().size()
           << " step input(s), found " << body.getNumArguments()
           << " argument(s)";
  for (auto [arg, init] : llvm::zip(getStateArgs(), getInits()))
    if (arg.getType() != init.getType())
      return emitOpError("state argument type ")
             << arg.getType() << " differs from its init " << init.getType();
  for (auto [arg, input] : llvm::zip(getStepInputArgs(), getInputs()))
    if (arg.getType() != getStepType(input.getType()))
      return emitOpError("step input argument must be ")
             << getStepType(input.getType()) << ", found " << arg.getType();

  auto yield = cast<YieldOp>(body.getTerminator());
  if (yield.getValues().size() != numStates + getOuts().size())
    return yield.emitOpError("must yield ")
           << numStates << " state(s) and " << getOuts().size()
           << " step output(s), found " << yield.getValues().size();
  for (auto [value, init] : llvm::zip(yield.getValues(), getInits()))
    if (value.getType() != init.getType())
      return yield.emitOpError("yielded state ")
             << value.getType() << " differs from its init " << init.getType();
  for (auto [value, out] :
       llvm::zip(yield.getValues().drop_front(numStates), getOuts()))
    if (value.getType() != getStepType(out.getType()))
      return yield.emitOpError("step output must be ")
             << getStepType(out.getType()) << ", found " << value.getType();
  return success();
}
