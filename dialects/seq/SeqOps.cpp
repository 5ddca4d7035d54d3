//===- SeqOps.cpp - seq dialect operations
//---------------------------------===//

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

LogicalResult RecurrenceOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>,
                                             RecurrenceOp::Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  for (Value v : adaptor.getInits())
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

  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end in seq.yield");
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
