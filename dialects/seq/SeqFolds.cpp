//===- SeqFolds.cpp - Canonicalizations of seq.recurrence -----------------===//
//
// What a recurrence does not need goes away (unused step outputs, dead or
// pass-through states, unused step inputs, what an unread time source was
// given), a single step is inlined, and
// the sizes of body arguments are read from the operands they slice, so
// that shape computations in the body are loop-invariant and LICM hoists
// them.
//
//===----------------------------------------------------------------------===//

#include "dialects/seq/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace seqc::seq;

namespace {

/// Rebuilds `op` with only the states, step inputs and outs whose bits are
/// set. The body moves over; the dropped block arguments must be unused and
/// the dropped results must have been replaced.
RecurrenceOp rebuildKeeping(RewriterBase &rewriter, RecurrenceOp op,
                            const llvm::BitVector &states,
                            const llvm::BitVector &inputs,
                            const llvm::BitVector &outs) {
  auto pick = [](ValueRange values, const llvm::BitVector &keep) {
    SmallVector<Value> kept;
    for (auto [i, v] : llvm::enumerate(values))
      if (keep[i])
        kept.push_back(v);
    return kept;
  };
  auto newOp = RecurrenceOp::create(
      rewriter, op.getLoc(), op.getDirection(), pick(op.getInits(), states),
      pick(op.getInputs(), inputs), pick(op.getOuts(), outs), op.getLengths(),
      op.getTimeIndex(), nullptr);
  rewriter.eraseBlock(&newOp.getBodyBlock());
  rewriter.inlineRegionBefore(op.getBody(), newOp.getBody(),
                              newOp.getBody().end());

  YieldOp yield = newOp.getYield();
  llvm::BitVector dropYielded(yield.getNumOperands());
  for (unsigned i = 0; i < states.size(); ++i)
    dropYielded[i] = !states[i];
  for (unsigned i = 0; i < outs.size(); ++i)
    dropYielded[states.size() + i] = !outs[i];
  rewriter.modifyOpInPlace(yield, [&] { yield->eraseOperands(dropYielded); });

  // What computed only the dropped values is dead now, and may still read
  // the arguments about to go.
  SmallVector<Operation *> bodyOps;
  for (Operation &inner : newOp.getBodyBlock().without_terminator())
    bodyOps.push_back(&inner);
  for (Operation *inner : llvm::reverse(bodyOps))
    if (isOpTriviallyDead(inner))
      rewriter.eraseOp(inner);

  Block &body = newOp.getBodyBlock();
  unsigned numTime = op.getTimeIndex() ? 1 : 0;
  llvm::BitVector dropArgs(body.getNumArguments());
  for (unsigned i = 0; i < states.size(); ++i)
    dropArgs[numTime + i] = !states[i];
  for (unsigned i = 0; i < inputs.size(); ++i)
    dropArgs[numTime + states.size() + i] = !inputs[i];
  body.eraseArguments(dropArgs);

  SmallVector<Value> replacements;
  unsigned next = 0;
  for (unsigned i = 0; i < states.size() + outs.size(); ++i) {
    bool kept = i < states.size() ? states[i] : outs[i - states.size()];
    replacements.push_back(kept ? newOp->getResult(next++) : Value());
  }
  for (auto [oldResult, newResult] :
       llvm::zip(op->getResults(), replacements))
    if (newResult)
      rewriter.replaceAllUsesWith(oldResult, newResult);
  rewriter.eraseOp(op);
  return newOp;
}

/// Whether everything computed from `state` in the body ends up only in its
/// own next value (yield operand `index`): then the state computes nothing
/// anyone can see. Side-effecting users keep it alive.
bool onlyFeedsItself(BlockArgument state, YieldOp yield, unsigned index) {
  SmallVector<Value> worklist = {state};
  llvm::SmallPtrSet<Operation *, 8> visited;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user == yield) {
        if (use.getOperandNumber() != index)
          return false;
        continue;
      }
      // A use inside a nested region (a linalg.generic's body, a branch of
      // an scf.if) flows out through the results of its ancestor in the
      // body. Found by seqc-GraphFuzzer: following the nested terminator
      // instead lost the value, and a live state was dropped.
      Operation *ancestor = yield->getBlock()->findAncestorOpInBlock(*user);
      if (!ancestor || !isPure(ancestor))
        return false;
      if (visited.insert(ancestor).second)
        llvm::append_range(worklist, ancestor->getResults());
    }
  }
  return true;
}

/// Drops step outputs nobody reads, states whose value is never used (not by
/// the body beyond their own update, not after the loop), and step inputs
/// the body ignores. One
/// input or out always stays: it gives the sequence length.
struct DropUnused : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    YieldOp yield = op.getYield();
    unsigned numStates = op.getNumStates();
    llvm::BitVector states(numStates, true), inputs(op.getInputs().size(), true),
        outs(op.getOuts().size(), true);
    for (unsigned i = 0; i < numStates; ++i)
      states[i] = !op.getFinalStates()[i].use_empty() ||
                  !onlyFeedsItself(op.getStateArgs()[i], yield, i);
    for (unsigned i = 0; i < outs.size(); ++i)
      outs[i] = !op.getStackedOutputs()[i].use_empty();
    for (unsigned i = 0; i < inputs.size(); ++i)
      inputs[i] = !op.getStepInputArgs()[i].use_empty();
    // Keep the time source.
    if (inputs.none() && outs.none()) {
      if (!inputs.empty())
        inputs[0] = true;
      else
        outs[0] = true;
    }
    if (states.all() && inputs.all() && outs.all())
      return failure();
    rebuildKeeping(rewriter, op, states, inputs, outs);
    return success();
  }
};

/// Without step inputs, DropUnused keeps one out to give the sequence
/// length. When nobody reads it, what the body stacks there does not matter:
/// the body yields an empty tensor instead, and what computed the old value
/// may die (a counted Loop in the shape function keeps only the checks, not
/// the states they do not read).
struct ForgetUnreadTimeSource : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInputs().empty() || op.getOuts().size() != 1 ||
        !op.getStackedOutputs()[0].use_empty())
      return failure();
    YieldOp yield = op.getYield();
    OpOperand &stacked = yield->getOpOperand(op.getNumStates());
    if (stacked.get().getDefiningOp<tensor::EmptyOp>())
      return failure();
    auto type = cast<RankedTensorType>(stacked.get().getType());
    rewriter.setInsertionPoint(yield);
    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamicSizes.push_back(
            tensor::DimOp::create(rewriter, op.getLoc(), op.getOuts()[0], d + 1));
    Value empty =
        tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                type.getElementType(), dynamicSizes);
    rewriter.modifyOpInPlace(yield, [&] { stacked.set(empty); });
    return success();
  }
};

/// A state the body yields unchanged is its init, inside the body and after
/// the loop (without lengths: an empty sequence's state would be zero).
struct ForwardPassThroughStates : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getLengths())
      return failure();
    bool changed = false;
    YieldOp yield = op.getYield();
    for (unsigned i = 0; i < op.getNumStates(); ++i) {
      BlockArgument arg = op.getStateArgs()[i];
      if (yield.getValues()[i] != arg)
        continue;
      Value init = op.getInits()[i];
      Value result = op.getFinalStates()[i];
      bool usedInBody = llvm::any_of(arg.getUses(), [&](OpOperand &use) {
        return use.getOwner() != yield;
      });
      if (!usedInBody && result.use_empty())
        continue;
      rewriter.replaceUsesWithIf(arg, init, [&](OpOperand &use) {
        return use.getOwner() != yield;
      });
      rewriter.replaceAllUsesWith(result, init);
      changed = true;
    }
    return success(changed);
  }
};

/// `tensor.dim` of a state is that of its init (states keep their shape);
/// `tensor.dim` of a step input is the next dim of the stacked input.
struct DimOfBodyArgument : OpRewritePattern<tensor::DimOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::DimOp dim,
                                PatternRewriter &rewriter) const override {
    auto arg = dyn_cast<BlockArgument>(dim.getSource());
    std::optional<int64_t> index = getConstantIntValue(dim.getIndex());
    if (!arg || !index)
      return failure();
    auto op = dyn_cast<RecurrenceOp>(arg.getOwner()->getParentOp());
    if (!op)
      return failure();
    unsigned position = arg.getArgNumber() - (op.getTimeIndex() ? 1 : 0);
    unsigned numStates = op.getNumStates();
    if (position < numStates) {
      rewriter.replaceOpWithNewOp<tensor::DimOp>(dim, op.getInits()[position],
                                                 *index);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::DimOp>(
        dim, op.getInputs()[position - numStates], *index + 1);
    return success();
  }
};

/// Offsets/sizes/strides of the slice at time 0 of a `[1, ...]` tensor.
struct StepZero {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  StepZero(OpBuilder &b, Location loc, Value stacked) {
    int64_t rank = cast<RankedTensorType>(stacked.getType()).getRank();
    offsets.assign(rank, b.getIndexAttr(0));
    sizes = tensor::getMixedSizes(b, loc, stacked);
    strides.assign(rank, b.getIndexAttr(1));
  }
};

/// A recurrence of one time step (T = 1 at compile time) is its body: the
/// step inputs are the inputs' only slices, the states the inits, the step
/// outputs go into the outs at t = 0. (With lengths a row may also take no
/// step; those are expanded first.)
struct InlineSingleStep : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getLengths() ||
        cast<RankedTensorType>(op.getTimeSource().getType()).getDimSize(0) != 1)
      return failure();
    Location loc = op.getLoc();
    IRMapping mapping;
    if (Value t = op.getTimeArg())
      mapping.map(t, arith::ConstantIndexOp::create(rewriter, loc, 0));
    mapping.map(op.getStateArgs(), op.getInits());
    for (auto [arg, input] : llvm::zip(op.getStepInputArgs(), op.getInputs())) {
      StepZero slice(rewriter, loc, input);
      Value step = tensor::ExtractSliceOp::create(
          rewriter, loc, cast<RankedTensorType>(arg.getType()), input,
          slice.offsets, slice.sizes, slice.strides);
      mapping.map(arg, step);
    }
    for (Operation &inner : op.getBodyBlock().without_terminator())
      rewriter.clone(inner, mapping);
    unsigned numStates = op.getNumStates();
    SmallVector<Value> results;
    for (auto [i, value] : llvm::enumerate(op.getYield().getValues())) {
      Value next = mapping.lookupOrDefault(value);
      if (i < numStates) {
        results.push_back(next);
        continue;
      }
      Value out = op.getOuts()[i - numStates];
      StepZero slice(rewriter, loc, out);
      results.push_back(tensor::InsertSliceOp::create(
          rewriter, loc, next, out, slice.offsets, slice.sizes, slice.strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void RecurrenceOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                               MLIRContext *context) {
  patterns.add<DropUnused, ForgetUnreadTimeSource, ForwardPassThroughStates,
               DimOfBodyArgument, InlineSingleStep>(context);
}
