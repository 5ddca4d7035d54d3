//===- LiftStatelessRecurrence.cpp - A map over time, over all steps ------===//
//
// A recurrence without states carries nothing from one step to the next:
// its steps are independent, and running them one after the other only
// costs a loop iteration (and small ops) per step. Its body's ops run over
// all steps at once instead: a linalg op gains the time as an outer
// parallel loop (named ones as generics), a matmul by weights from outside
// becomes one [T*B, K] x [K, N] product, a reshape keeps the time as its
// own group, and ops that read nothing of the step are computed once,
// before.
//
//===----------------------------------------------------------------------===//

#include "TensorMath.h"

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace seqc::seq;

namespace {

/// A plain 2-d matmul of a step value by a matrix and accumulator that do
/// not change over time.
bool isMatmulByConstants(linalg::MatmulOp matmul,
                         const llvm::DenseSet<Value> &varying) {
  return !matmul.hasUserDefinedMaps() && matmul.hasPureTensorSemantics() &&
         matmul.getInputs().size() == 2 &&
         varying.contains(matmul.getInputs()[0]) &&
         !varying.contains(matmul.getInputs()[1]) &&
         !varying.contains(matmul.getOutputs()[0]) &&
         cast<RankedTensorType>(matmul.getInputs()[0].getType()).getRank() == 2;
}

/// `map` over one more loop, the time, as d0; `withTime` also indexes by it.
AffineMap overTime(AffineMap map, bool withTime) {
  AffineMap shifted = map.shiftDims(1);
  SmallVector<AffineExpr> results;
  if (withTime)
    results.push_back(getAffineDimExpr(0, map.getContext()));
  llvm::append_range(results, shifted.getResults());
  return AffineMap::get(map.getNumDims() + 1, 0, results, map.getContext());
}

/// A reshape's groups with the time, its own group, first.
SmallVector<ReassociationIndices>
overTime(ArrayRef<ReassociationIndices> groups) {
  SmallVector<ReassociationIndices> shifted = {{0}};
  for (const ReassociationIndices &group : groups) {
    ReassociationIndices moved;
    for (int64_t d : group)
      moved.push_back(d + 1);
    shifted.push_back(moved);
  }
  return shifted;
}

struct LiftStatelessRecurrence : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumStates() != 0 || op.getLengths())
      return rewriter.notifyMatchFailure(op, "carries states");
    if (Value time = op.getTimeArg(); time && !time.use_empty())
      return rewriter.notifyMatchFailure(op, "reads the time index");
    Block &body = op.getBodyBlock();
    // What changes from step to step.
    llvm::DenseSet<Value> varying(op.getStepInputArgs().begin(),
                                  op.getStepInputArgs().end());
    for (Operation &nested : body.without_terminator()) {
      bool reads = llvm::any_of(readValues(&nested),
                                [&](Value v) { return varying.contains(v); });
      if (!reads) {
        if (!isMemoryEffectFree(&nested))
          return rewriter.notifyMatchFailure(&nested, "has side effects");
        continue;
      }
      // A payload that reads a step value other than through its operands
      // would see one step's.
      SetVector<Value> captured;
      getUsedValuesDefinedAbove(nested.getRegions(), captured);
      if (llvm::any_of(captured, [&](Value v) { return varying.contains(v); }))
        return rewriter.notifyMatchFailure(&nested, "captures a step value");
      auto linalgOp = dyn_cast<linalg::LinalgOp>(nested);
      bool liftable =
          isa<tensor::CastOp, tensor::CollapseShapeOp>(nested) ||
          (isa<tensor::ExpandShapeOp>(nested) &&
           llvm::none_of(cast<tensor::ExpandShapeOp>(nested).getOutputShape(),
                         [&](Value v) { return varying.contains(v); })) ||
          (linalgOp && linalgOp.hasPureTensorSemantics());
      if (!liftable)
        return rewriter.notifyMatchFailure(&nested, "cannot run over time");
      for (Value result : nested.getResults())
        varying.insert(result);
    }
    // Named linalg ops (transposes, broadcasts, products of two step
    // values) run over time as generics; a matmul by constants stays one,
    // for its kernels.
    SmallVector<linalg::LinalgOp> named;
    for (Operation &nested : body.without_terminator())
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(nested))
        if (!isa<linalg::GenericOp>(nested) &&
            varying.contains(nested.getResult(0)) &&
            !(isa<linalg::MatmulOp>(nested) &&
              isMatmulByConstants(cast<linalg::MatmulOp>(nested), varying)))
          named.push_back(linalgOp);
    for (linalg::LinalgOp linalgOp : named) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(linalgOp);
      FailureOr<linalg::GenericOp> generic =
          linalg::generalizeNamedOp(rewriter, linalgOp);
      if (failed(generic))
        return rewriter.notifyMatchFailure(linalgOp, "cannot generalize");
      for (Value result : generic->getResults())
        varying.insert(result);
    }

    Location loc = op.getLoc();
    OpFoldResult steps =
        tensor::getMixedSize(rewriter, loc, op.getTimeSource(), 0);
    // Invariant values are cloned before the op; step values map to their
    // [T, ...] stacks.
    IRMapping invariant;
    llvm::DenseMap<Value, Value> stacked;
    for (auto [arg, input] : llvm::zip(op.getStepInputArgs(), op.getInputs()))
      stacked[arg] = input;
    auto overSteps = [&](Value v) -> Value {
      // An invariant value repeated at every step.
      Value once = invariant.lookupOrDefault(v);
      auto type = cast<RankedTensorType>(once.getType());
      SmallVector<OpFoldResult> sizes = {steps};
      llvm::append_range(sizes, tensor::getMixedSizes(rewriter, loc, once));
      Value empty =
          tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
      return linalg::BroadcastOp::create(rewriter, loc, once, empty,
                                         ArrayRef<int64_t>{0})
          .getResult()[0];
    };
    for (Operation &nested : body.without_terminator()) {
      if (nested.getNumResults() == 0 ||
          !varying.contains(nested.getResult(0))) {
        rewriter.clone(nested, invariant);
        continue;
      }
      if (auto castOp = dyn_cast<tensor::CastOp>(nested)) {
        Value source = stacked.lookup(castOp.getSource());
        SmallVector<int64_t> shape = {
            cast<RankedTensorType>(source.getType()).getDimSize(0)};
        llvm::append_range(shape, castOp.getType().getShape());
        stacked[castOp.getResult()] = tensor::CastOp::create(
            rewriter, loc,
            RankedTensorType::get(shape, castOp.getType().getElementType()),
            source);
        continue;
      }
      if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(nested)) {
        stacked[collapse.getResult()] = tensor::CollapseShapeOp::create(
            rewriter, loc, stacked.lookup(collapse.getSrc()),
            overTime(collapse.getReassociationIndices()));
        continue;
      }
      if (auto expand = dyn_cast<tensor::ExpandShapeOp>(nested)) {
        SmallVector<OpFoldResult> sizes = {steps};
        for (OpFoldResult size : expand.getMixedOutputShape())
          sizes.push_back(isa<Value>(size)
                              ? invariant.lookupOrDefault(cast<Value>(size))
                              : size);
        Value source = stacked.lookup(expand.getSrc());
        SmallVector<int64_t> shape = {
            cast<RankedTensorType>(source.getType()).getDimSize(0)};
        llvm::append_range(shape, expand.getResultType().getShape());
        stacked[expand.getResult()] = tensor::ExpandShapeOp::create(
            rewriter, loc,
            RankedTensorType::get(shape,
                                  expand.getResultType().getElementType()),
            source, overTime(expand.getReassociationIndices()), sizes);
        continue;
      }
      if (auto matmul = dyn_cast<linalg::MatmulOp>(nested)) {
        stacked[matmul.getResult(0)] = buildMatmulOverSteps(
            rewriter, matmul.getLoc(), stacked.lookup(matmul.getInputs()[0]),
            invariant.lookupOrDefault(matmul.getInputs()[1]),
            invariant.lookupOrDefault(matmul.getOutputs()[0]));
        continue;
      }
      auto generic = cast<linalg::GenericOp>(nested);
      SmallVector<Value> inputs, inits;
      SmallVector<AffineMap> maps;
      for (OpOperand *operand : generic.getDpsInputOperands()) {
        bool isStep = varying.contains(operand->get());
        inputs.push_back(isStep ? stacked.lookup(operand->get())
                                : invariant.lookupOrDefault(operand->get()));
        maps.push_back(
            overTime(generic.getMatchingIndexingMap(operand), isStep));
      }
      for (OpOperand &init : generic.getDpsInitsMutable()) {
        Value value;
        if (varying.contains(init.get())) {
          value = stacked.lookup(init.get());
        } else if (!generic.getMatchingBlockArgument(&init).use_empty()) {
          value = overSteps(init.get());
        } else {
          Value once = invariant.lookupOrDefault(init.get());
          SmallVector<OpFoldResult> sizes = {steps};
          llvm::append_range(sizes,
                             tensor::getMixedSizes(rewriter, loc, once));
          value = tensor::EmptyOp::create(rewriter, loc, sizes,
                                          getElementTypeOrSelf(once));
        }
        inits.push_back(value);
        maps.push_back(overTime(generic.getMatchingIndexingMap(&init), true));
      }
      SmallVector<utils::IteratorType> iterators = {
          utils::IteratorType::parallel};
      llvm::append_range(iterators, generic.getIteratorTypesArray());
      auto lifted = linalg::GenericOp::create(
          rewriter, generic.getLoc(), ValueRange(inits).getTypes(), inputs,
          inits, maps, iterators);
      rewriter.cloneRegionBefore(generic.getRegion(), lifted.getRegion(),
                                 lifted.getRegion().end(), invariant);
      // The loops moved one place in.
      lifted.getRegion().walk([&](linalg::IndexOp index) {
        rewriter.modifyOpInPlace(index,
                                 [&] { index.setDim(index.getDim() + 1); });
      });
      for (auto [old, result] :
           llvm::zip(generic.getResults(), lifted.getResults()))
        stacked[old] = result;
    }

    SmallVector<Value> results;
    for (auto [output, out] :
         llvm::zip(op.getYield().getStepOutputs(), op.getOuts())) {
      Value all = varying.contains(output) ? stacked.lookup(output)
                                           : overSteps(output);
      if (all.getType() != out.getType())
        all = tensor::CastOp::create(rewriter, loc, out.getType(), all);
      results.push_back(all);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::seq::populateLiftStatelessRecurrencePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LiftStatelessRecurrence>(patterns.getContext());
}
