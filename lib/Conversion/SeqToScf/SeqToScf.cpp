//===- SeqToScf.cpp - seq.recurrence to an scf.for over time
//---------------===//

#include "seqc/Conversion/SeqToScf.h"
#include "seqc/Conversion/Passes.h"

#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_CONVERTSEQTOSCF
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::seq;

namespace {

/// `active[b] ? next[b, ...] : fallback[b, ...]`, where `fallback` is null for
/// zero. Used to freeze finished sequences' states and zero their outputs.
Value selectByBatch(OpBuilder &b, Location loc, Value active, Value next,
                    Value fallback) {
  auto type = cast<RankedTensorType>(next.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> inputs = {active, next};
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, getAffineDimExpr(0, ctx), ctx),
      b.getMultiDimIdentityMap(rank)};
  if (fallback) {
    inputs.push_back(fallback);
    maps.push_back(b.getMultiDimIdentityMap(rank));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, next), type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Type elt = type.getElementType();
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, maps, iterators,
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

struct RecurrenceToFor : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value timeSource =
        op.getInputs().empty() ? op.getOuts()[0] : op.getInputs()[0];
    Value seqLen = tensor::DimOp::create(rewriter, loc, timeSource, 0);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> iterInits(op.getInits());
    llvm::append_range(iterInits, op.getOuts());
    unsigned numStates = op.getNumStates();
    bool reverse = op.getDirection() == Direction::reverse;

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, seqLen, one, iterInits,
        [&](OpBuilder &b, Location l, Value iv, ValueRange iterArgs) {
          Value t =
              reverse ? arith::SubIOp::create(
                            b, l, arith::SubIOp::create(b, l, seqLen, one), iv)
                            .getResult()
                      : iv;
          IRMapping mapping;
          for (auto [arg, state] :
               llvm::zip(op.getStateArgs(), iterArgs.take_front(numStates)))
            mapping.map(arg, state);
          for (auto [arg, input] :
               llvm::zip(op.getStepInputArgs(), op.getInputs())) {
            auto type = cast<RankedTensorType>(input.getType());
            SmallVector<OpFoldResult> offsets(type.getRank(),
                                              b.getIndexAttr(0));
            SmallVector<OpFoldResult> sizes =
                tensor::getMixedSizes(b, l, input);
            SmallVector<OpFoldResult> strides(type.getRank(),
                                              b.getIndexAttr(1));
            offsets[0] = t;
            sizes[0] = b.getIndexAttr(1);
            mapping.map(arg, tensor::ExtractSliceOp::create(
                                 b, l, cast<RankedTensorType>(arg.getType()),
                                 input, offsets, sizes, strides));
          }
          for (Operation &inner : op.getBodyBlock().without_terminator())
            b.clone(inner, mapping);
          auto yield = cast<YieldOp>(op.getBodyBlock().getTerminator());
          SmallVector<Value> yielded;
          for (Value v : yield.getValues())
            yielded.push_back(mapping.lookupOrDefault(v));

          if (Value lengths = op.getLengths()) {
            // active[b] = t < lengths[b]
            auto lengthsType = cast<RankedTensorType>(lengths.getType());
            auto activeType =
                RankedTensorType::get(lengthsType.getShape(), b.getI1Type());
            Value init = tensor::EmptyOp::create(
                b, l, tensor::getMixedSizes(b, l, lengths), b.getI1Type());
            Value tInt = arith::IndexCastOp::create(
                b, l, lengthsType.getElementType(), t);
            Value active =
                linalg::GenericOp::create(
                    b, l, activeType, lengths, init,
                    SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(1)),
                    utils::IteratorType::parallel,
                    [&](OpBuilder &nb, Location nl, ValueRange args) {
                      linalg::YieldOp::create(
                          nb, nl,
                          arith::CmpIOp::create(
                              nb, nl, arith::CmpIPredicate::slt, tInt, args[0])
                              .getResult());
                    })
                    .getResult(0);
            for (unsigned s = 0; s < numStates; ++s)
              yielded[s] = selectByBatch(b, l, active, yielded[s], iterArgs[s]);
            for (unsigned s = numStates; s < yielded.size(); ++s)
              yielded[s] = selectByBatch(b, l, active, yielded[s], Value());
          }

          SmallVector<Value> next(yielded.begin(), yielded.begin() + numStates);
          for (auto [step, stacked] :
               llvm::zip(ArrayRef(yielded).drop_front(numStates),
                         iterArgs.drop_front(numStates))) {
            auto type = cast<RankedTensorType>(stacked.getType());
            SmallVector<OpFoldResult> offsets(type.getRank(),
                                              b.getIndexAttr(0));
            SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1)};
            llvm::append_range(sizes, tensor::getMixedSizes(b, l, step));
            SmallVector<OpFoldResult> strides(type.getRank(),
                                              b.getIndexAttr(1));
            offsets[0] = t;
            next.push_back(tensor::InsertSliceOp::create(
                b, l, step, stacked, offsets, sizes, strides));
          }
          scf::YieldOp::create(b, l, next);
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct ConvertSeqToScf : seqc::impl::ConvertSeqToScfBase<ConvertSeqToScf> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    seqc::populateSeqToScfPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void seqc::populateSeqToScfPatterns(RewritePatternSet &patterns) {
  patterns.add<RecurrenceToFor>(patterns.getContext());
}
