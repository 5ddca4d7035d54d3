//===- SeqToScf.cpp - seq.recurrence to an scf.for over time --------------===//

#include "seqc/Conversion/SeqToScf.h"
#include "seqc/Conversion/Passes.h"

#include "dialects/seq/Passes.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_CONVERTSEQTOSCF
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::seq;

namespace {

/// Offsets/sizes/strides of the step-`t` slice of a `[T, ...]` tensor.
struct StepSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  StepSlice(OpBuilder &b, Location loc, Value stacked, Value t) {
    int64_t rank = cast<RankedTensorType>(stacked.getType()).getRank();
    offsets.assign(rank, b.getIndexAttr(0));
    offsets[0] = t;
    sizes = tensor::getMixedSizes(b, loc, stacked);
    sizes[0] = b.getIndexAttr(1);
    strides.assign(rank, b.getIndexAttr(1));
  }
};

/// If `next` is computed by a destination-style op into a `tensor.empty`
/// (whose contents are undefined, so any buffer will do), makes that op write
/// into `spare` instead and returns true.
bool writeInto(Value next, Value spare) {
  auto result = dyn_cast<OpResult>(next);
  if (!result || next.getType() != spare.getType())
    return false;
  auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
  if (!dps)
    return false;
  OpOperand *init = dps.getTiedOpOperand(result);
  if (!init || !init->get().getDefiningOp<tensor::EmptyOp>())
    return false;
  init->set(spare);
  return true;
}

/// One time step of `op` at time `t`, cloned at `b`'s insertion point: the
/// body reads `states`, writes every next state it computes into a
/// tensor.empty into `destinations` instead, and inserts its step outputs
/// into `stacked`. Returns the next states, then the updated stacked outputs.
SmallVector<Value> emitStep(OpBuilder &b, Location loc, RecurrenceOp op,
                            Value t, ValueRange states, ValueRange destinations,
                            ValueRange stacked) {
  IRMapping mapping;
  if (Value time = op.getTimeArg())
    mapping.map(time, t);
  mapping.map(op.getStateArgs(), states);
  for (auto [arg, input] : llvm::zip(op.getStepInputArgs(), op.getInputs())) {
    StepSlice slice(b, loc, input, t);
    mapping.map(arg, tensor::ExtractSliceOp::create(
                         b, loc, cast<RankedTensorType>(arg.getType()), input,
                         slice.offsets, slice.sizes, slice.strides));
  }
  for (Operation &inner : op.getBodyBlock().without_terminator())
    b.clone(inner, mapping);
  YieldOp yield = op.getYield();
  SmallVector<Value> results;
  for (auto [value, destination] :
       llvm::zip(yield.getNextStates(), destinations)) {
    Value next = mapping.lookupOrDefault(value);
    writeInto(next, destination);
    results.push_back(next);
  }
  for (auto [value, out] : llvm::zip(yield.getStepOutputs(), stacked)) {
    StepSlice slice(b, loc, out, t);
    results.push_back(tensor::InsertSliceOp::create(
        b, loc, mapping.lookupOrDefault(value), out, slice.offsets, slice.sizes,
        slice.strides));
  }
  return results;
}

/// The loop runs two time steps per iteration so that the states ping-pong
/// between two buffers without a copy: step 2i reads buffer A and writes B,
/// step 2i+1 reads B and writes A, and each iteration yields A and B where
/// it found them (one-shot bufferization copies a loop's yields when they
/// swap buffers). An odd last step runs after the loop.
struct RecurrenceToFor : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getLengths())
      return rewriter.notifyMatchFailure(op, "lengths are expanded first");
    Location loc = op.getLoc();
    Value seqLen = tensor::DimOp::create(rewriter, loc, op.getTimeSource(), 0);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value two = arith::ConstantIndexOp::create(rewriter, loc, 2);
    unsigned numStates = op.getNumStates();
    bool reverse = op.getDirection() == Direction::reverse;
    // Step s runs at time s forward, T - 1 - s in reverse.
    auto timeOf = [&](OpBuilder &b, Location l, Value step) -> Value {
      if (!reverse)
        return step;
      Value last = arith::SubIOp::create(b, l, seqLen, one);
      return arith::SubIOp::create(b, l, last, step);
    };

    // iter_args: states (buffer A), their spares (buffer B), stacked outputs.
    // Each spare is an allocation of its own: tensor.empty ops of one shape
    // would be merged by CSE, and bufferization would then give two states
    // one buffer.
    SmallVector<Value> iterInits(op.getInits());
    for (Value init : op.getInits()) {
      SmallVector<Value> dynamicSizes;
      auto type = cast<RankedTensorType>(init.getType());
      for (int64_t i = 0; i < type.getRank(); ++i)
        if (type.isDynamicDim(i))
          dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, init, i));
      iterInits.push_back(bufferization::AllocTensorOp::create(
          rewriter, loc, type, dynamicSizes));
    }
    llvm::append_range(iterInits, op.getOuts());
    Value pairs = arith::DivUIOp::create(rewriter, loc, seqLen, two);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, pairs, one, iterInits,
        [&](OpBuilder &b, Location l, Value iv, ValueRange iterArgs) {
          ValueRange a = iterArgs.take_front(numStates);
          ValueRange spares = iterArgs.slice(numStates, numStates);
          ValueRange stacked = iterArgs.drop_front(2 * numStates);
          Value even = arith::MulIOp::create(b, l, iv, two);
          Value odd = arith::AddIOp::create(b, l, even, one);
          SmallVector<Value> first =
              emitStep(b, l, op, timeOf(b, l, even), a, spares, stacked);
          ValueRange inB = ArrayRef(first).take_front(numStates);
          SmallVector<Value> second =
              emitStep(b, l, op, timeOf(b, l, odd), inB, a,
                       ArrayRef(first).drop_front(numStates));
          SmallVector<Value> yielded(ArrayRef(second).take_front(numStates));
          llvm::append_range(yielded, inB);
          llvm::append_range(yielded, ArrayRef(second).drop_front(numStates));
          scf::YieldOp::create(b, l, yielded);
        });

    // The odd last step, as a loop of T mod 2 iterations that keeps both
    // buffers where they are: it reads A, writes B, and yields A unchanged.
    // (An scf.if would hide the in-place stacked outputs from
    // bufferization.) The final states are then B if T is odd, else A.
    Value lastStep = arith::SubIOp::create(rewriter, loc, seqLen, one);
    Value remainder = arith::RemUIOp::create(rewriter, loc, seqLen, two);
    auto tail = scf::ForOp::create(
        rewriter, loc, zero, remainder, one, loop.getResults(),
        [&](OpBuilder &b, Location l, Value, ValueRange iterArgs) {
          ValueRange a = iterArgs.take_front(numStates);
          SmallVector<Value> step =
              emitStep(b, l, op, timeOf(b, l, lastStep), a,
                       iterArgs.slice(numStates, numStates),
                       iterArgs.drop_front(2 * numStates));
          SmallVector<Value> yielded(a);
          llvm::append_range(yielded, step);
          scf::YieldOp::create(b, l, yielded);
        });
    Value isOdd = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne,
                                        remainder, zero);
    SmallVector<Value> results;
    for (unsigned i = 0; i < numStates; ++i)
      results.push_back(arith::SelectOp::create(rewriter, loc, isOdd,
                                                tail.getResult(numStates + i),
                                                tail.getResult(i)));
    llvm::append_range(results, tail.getResults().drop_front(2 * numStates));
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// seq.parallel_width: `int64_t seqc_rt_parallel_width(void)` of the runtime.
struct ParallelWidthToCall : OpRewritePattern<ParallelWidthOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ParallelWidthOp op,
                                PatternRewriter &rewriter) const override {
    constexpr llvm::StringLiteral name = "seqc_rt_parallel_width";
    auto module = op->getParentOfType<ModuleOp>();
    if (!module)
      return rewriter.notifyMatchFailure(op, "not in a module");
    Type i64 = rewriter.getI64Type();
    auto callee = module.lookupSymbol<func::FuncOp>(name);
    if (!callee) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(module.getBody());
      callee = func::FuncOp::create(rewriter, op.getLoc(), name,
                                    rewriter.getFunctionType({}, {i64}));
      callee.setPrivate();
    }
    Value width =
        func::CallOp::create(rewriter, op.getLoc(), callee, ValueRange{})
            .getResult(0);
    rewriter.replaceOpWithNewOp<arith::IndexCastOp>(op, rewriter.getIndexType(),
                                                    width);
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
  seqc::seq::populateExpandLengthsPatterns(patterns);
  patterns.add<RecurrenceToFor, ParallelWidthToCall>(patterns.getContext());
}
