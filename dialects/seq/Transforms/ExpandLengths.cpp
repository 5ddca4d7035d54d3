//===- ExpandLengths.cpp - The lengths rule of seq.recurrence, written out ===//
//
// The only place that knows what `lengths` means: every lowering of
// seq.recurrence (to scf, and those to come) first rewrites a recurrence with
// lengths into a plain one with a time index, whose body masks by batch row.
//
//===----------------------------------------------------------------------===//

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQEXPANDLENGTHS
#include "dialects/seq/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

/// `rows[b] = lengths[b] > t`, an i1 per batch row.
Value buildRowsLongerThan(OpBuilder &b, Location loc, Value lengths, Value t) {
  auto lengthsType = cast<RankedTensorType>(lengths.getType());
  Type intType = lengthsType.getElementType();
  Value tInt = arith::IndexCastOp::create(b, loc, intType, t);
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, lengths), b.getI1Type());
  return linalg::GenericOp::create(
             b, loc,
             RankedTensorType::get(lengthsType.getShape(), b.getI1Type()),
             lengths, init,
             SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(1)),
             utils::IteratorType::parallel,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl,
                   arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sgt,
                                         args[0], tInt)
                       .getResult());
             })
      .getResult(0);
}

/// `rows[b] ? value[b, ...] : fallback[b, ...]`, zero where `fallback` is
/// null.
Value selectRows(OpBuilder &b, Location loc, Value rows, Value value,
                 Value fallback) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> inputs = {rows, value};
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, getAffineDimExpr(0, ctx), ctx),
      b.getMultiDimIdentityMap(rank)};
  if (fallback) {
    inputs.push_back(fallback);
    maps.push_back(b.getMultiDimIdentityMap(rank));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Type elt = type.getElementType();
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, value), elt);
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value other = fallback ? args[2]
                                      : arith::ConstantOp::create(
                                            nb, nl, elt, nb.getZeroAttr(elt))
                                            .getResult();
               linalg::YieldOp::create(
                   nb, nl,
                   arith::SelectOp::create(nb, nl, args[0], args[1], other)
                       .getResult());
             })
      .getResult(0);
}

struct ExpandLengthsPattern : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    return expandLengths(rewriter, op);
  }
};

struct SeqExpandLengths
    : seqc::seq::impl::SeqExpandLengthsBase<SeqExpandLengths> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandLengthsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

FailureOr<RecurrenceOp> seqc::seq::expandLengths(RewriterBase &rewriter,
                                                 RecurrenceOp op) {
  Value lengths = op.getLengths();
  if (!lengths)
    return failure();
  Location loc = op.getLoc();
  auto plain = RecurrenceOp::create(
      rewriter, loc, op.getDirection(), op.getInits(), op.getInputs(),
      op.getOuts(), Value(), /*withTimeIndex=*/true, nullptr);
  rewriter.eraseBlock(&plain.getBodyBlock());
  rewriter.inlineRegionBefore(op.getBody(), plain.getBody(),
                              plain.getBody().end());
  Block &body = plain.getBodyBlock();
  if (!op.getTimeIndex())
    body.insertArgument(0u, rewriter.getIndexType(), loc);

  // Inactive rows keep their state and yield zero.
  YieldOp yield = plain.getYield();
  rewriter.setInsertionPoint(yield);
  Value active = buildRowsLongerThan(rewriter, loc, lengths, plain.getTimeArg());
  SmallVector<Value> masked;
  for (auto [next, prev] :
       llvm::zip(yield.getNextStates(), plain.getStateArgs()))
    masked.push_back(selectRows(rewriter, loc, active, next, prev));
  for (Value step : yield.getStepOutputs())
    masked.push_back(selectRows(rewriter, loc, active, step, Value()));
  rewriter.modifyOpInPlace(yield,
                           [&] { yield.getValuesMutable().assign(masked); });

  // Empty sequences end with zero states (ONNX Runtime's choice; ONNX leaves
  // them unspecified).
  rewriter.setInsertionPointAfter(plain);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value nonEmpty = buildRowsLongerThan(rewriter, loc, lengths, zero);
  SmallVector<Value> results;
  for (Value state : plain.getFinalStates())
    results.push_back(selectRows(rewriter, loc, nonEmpty, state, Value()));
  llvm::append_range(results, plain.getStackedOutputs());
  rewriter.replaceOp(op, results);
  return plain;
}

void seqc::seq::populateExpandLengthsPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandLengthsPattern>(patterns.getContext());
}
