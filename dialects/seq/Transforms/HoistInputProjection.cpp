//===- HoistInputProjection.cpp - x_t W^T for all steps, before the loop --===//
//
// The input projection of a recurrent cell reads only the step's input and
// constants: computed inside the loop it is T small products (a GEMV each at
// batch 1), each re-reading W. Before the loop it is one [T*B, K] x [K, N]
// product, which the contraction kernels run at the machine's FMA rate.
//
//===----------------------------------------------------------------------===//

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQHOISTINPUTPROJECTION
#include "dialects/seq/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

/// The step input `value` is, or null.
std::optional<unsigned> stepInputIndex(RecurrenceOp op, Value value) {
  for (auto [i, arg] : llvm::enumerate(op.getStepInputArgs()))
    if (arg == value)
      return i;
  return std::nullopt;
}

/// A plain 2-d matmul of a step input by values from outside the loop.
bool isHoistableProjection(RecurrenceOp op, linalg::MatmulOp matmul) {
  if (matmul.hasUserDefinedMaps() || !matmul.hasPureTensorSemantics() ||
      matmul.getInputs().size() != 2 || matmul.getOutputs().size() != 1)
    return false;
  return stepInputIndex(op, matmul.getInputs()[0]) &&
         op.isDefinedOutsideOfLoop(matmul.getInputs()[1]) &&
         op.isDefinedOutsideOfLoop(matmul.getOutputs()[0]);
}

struct HoistInputProjection : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    linalg::MatmulOp matmul;
    for (Operation &nested : op.getBodyBlock())
      if (auto candidate = dyn_cast<linalg::MatmulOp>(nested))
        if (isHoistableProjection(op, candidate)) {
          matmul = candidate;
          break;
        }
    if (!matmul)
      return rewriter.notifyMatchFailure(op, "no hoistable projection");

    Location loc = matmul.getLoc();
    rewriter.setInsertionPoint(op);
    Value stacked = op.getInputs()[*stepInputIndex(op, matmul.getInputs()[0])];
    Value weights = matmul.getInputs()[1];
    Value acc = matmul.getOutputs()[0];
    auto accType = cast<RankedTensorType>(acc.getType());
    if (accType.getRank() != 2 ||
        cast<RankedTensorType>(stacked.getType()).getRank() != 3)
      return rewriter.notifyMatchFailure(op, "not [T, B, K] x [K, N]");

    Value projected =
        buildMatmulOverSteps(rewriter, loc, stacked, weights, acc);

    // The same recurrence with the projection as one more step input.
    SmallVector<Value> inputs(op.getInputs());
    inputs.push_back(projected);
    auto hoisted = RecurrenceOp::create(
        rewriter, op.getLoc(), op.getDirection(), op.getInits(), inputs,
        op.getOuts(), op.getLengths(), op.getTimeIndex(), nullptr);
    rewriter.eraseBlock(&hoisted.getBodyBlock());
    rewriter.inlineRegionBefore(op.getBody(), hoisted.getBody(),
                                hoisted.getBody().end());
    Value step = hoisted.getBodyBlock().addArgument(accType, loc);
    rewriter.replaceOp(matmul, step);
    rewriter.replaceOp(op, hoisted.getResults());
    return success();
  }
};

struct SeqHoistInputProjection
    : seqc::seq::impl::SeqHoistInputProjectionBase<SeqHoistInputProjection> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HoistInputProjection>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

Value seqc::seq::buildMatmulOverSteps(OpBuilder &b, Location loc,
                                     Value stacked, Value weights, Value acc) {
  auto accType = cast<RankedTensorType>(acc.getType());
  // [T, B, K] -> [T*B, K]; the accumulator [B, N] repeated over T.
  SmallVector<ReassociationIndices> timeAndBatch = {{0, 1}, {2}};
  Value rows = tensor::CollapseShapeOp::create(b, loc, stacked, timeAndBatch);
  OpFoldResult steps = tensor::getMixedSize(b, loc, stacked, 0);
  SmallVector<OpFoldResult> stackedSizes = {
      steps, tensor::getMixedSize(b, loc, acc, 0),
      tensor::getMixedSize(b, loc, acc, 1)};
  Value empty = tensor::EmptyOp::create(b, loc, stackedSizes,
                                        accType.getElementType());
  Value accOverTime =
      linalg::BroadcastOp::create(b, loc, acc, empty, ArrayRef<int64_t>{0})
          .getResult()[0];
  Value accRows =
      tensor::CollapseShapeOp::create(b, loc, accOverTime, timeAndBatch);
  Value product =
      linalg::MatmulOp::create(b, loc, ValueRange{rows, weights}, accRows)
          .getResult(0);
  return tensor::ExpandShapeOp::create(b, loc, accOverTime.getType(), product,
                                       timeAndBatch, stackedSizes);
}
