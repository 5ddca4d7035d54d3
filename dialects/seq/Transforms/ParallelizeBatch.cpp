//===- ParallelizeBatch.cpp - A recurrence's batch rows on the threads ----===//
//
// The rows of a recurrent layer's batch never meet: row b of step t's states
// is computed from row b of the states and step inputs alone. Parallelised
// inside each step (the step's matmul and gate loops), a batched recurrence
// pays two barriers per step and runs its elementwise work on one thread
// while it is small. Split by rows, each thread runs the whole time loop on
// its share of the batch and meets the others once, at the end.
//
// Each share reads all the body's weights at every step; where they are
// larger than a core's L2 (max-weight-bytes), the step's own parallel loops,
// which split the weights by columns between the threads, read less and the
// recurrence is left as it is.
//
// The body is checked row by row: every value it computes is either "rows"
// (its dim 0 is the batch, row b computed from rows b of the rows values it
// reads) or batch-free (independent of the batch: weights, scalars, the time
// index). Values from outside the body that are the batch size, or empty
// tensors of batch rows, are remade for each share.
//
//===----------------------------------------------------------------------===//

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQPARALLELIZEBATCH
#include "dialects/seq/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

using Variable = ValueBoundsConstraintSet::Variable;

/// Whether the body of a recurrence computes each batch row on its own, and
/// what from outside it must be remade for a share of the rows.
class RowCheck {
public:
  explicit RowCheck(RecurrenceOp op)
      : op(op), batch(op.getInitStates()[0], 0) {}

  LogicalResult run() {
    if (failed(checkOperands()))
      return failure();
    Block &body = op.getBodyBlock();
    for (BlockArgument arg : op.getStateArgs())
      rows.insert(arg);
    for (BlockArgument arg : op.getStepInputArgs())
      rows.insert(arg);
    for (Operation &nested : body.without_terminator())
      if (failed(check(&nested)))
        return failure();
    return success(llvm::all_of(body.getTerminator()->getOperands(),
                                [&](Value v) { return rows.contains(v); }));
  }

  /// Index values from outside the body that are the batch size.
  SetVector<Value> outsideSizes;
  /// Empty tensors from outside the body whose dim 0 is the batch.
  SetVector<Value> outsideEmpties;

private:
  bool equalsBatch(const Variable &v) const {
    FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(v, batch);
    return succeeded(equal) && *equal;
  }

  bool isOutside(Value v) const { return op.isDefinedOutsideOfLoop(v); }

  /// The batch is dynamic in every operand (a share changes only that
  /// size) and the same in all of them: proved from the sizes, or by the
  /// op's contract where it has `lengths` (all lead with the batch).
  LogicalResult checkOperands() const {
    bool byContract = static_cast<bool>(op.getLengths());
    auto dynamicBatch = [&](Value v, int64_t dim) {
      auto type = cast<RankedTensorType>(v.getType());
      return type.getRank() > dim && type.isDynamicDim(dim) &&
             (byContract || equalsBatch(Variable(v, dim)));
    };
    for (Value init : op.getInitStates())
      if (!dynamicBatch(init, 0))
        return failure();
    for (Value stacked : llvm::concat<Value>(op.getInputs(), op.getOuts()))
      if (!dynamicBatch(stacked, 1))
        return failure();
    if (Value lengths = op.getLengths())
      if (!dynamicBatch(lengths, 0))
        return failure();
    return success();
  }

  /// The batch size: a tensor.dim of rows in the body, or from outside.
  bool isBatchSize(Value v) {
    if (batchSizes.contains(v))
      return true;
    if (!isOutside(v) || !v.getType().isIndex() || !equalsBatch(Variable(v)))
      return false;
    outsideSizes.insert(v);
    return true;
  }

  /// Rows, or an empty tensor of batch rows from outside.
  bool isRows(Value v) {
    if (rows.contains(v))
      return true;
    auto empty = v.getDefiningOp<tensor::EmptyOp>();
    if (!empty || !isOutside(v) || !empty.getType().isDynamicDim(0) ||
        !equalsBatch(Variable(v, 0)))
      return false;
    outsideEmpties.insert(v);
    return true;
  }

  /// Independent of the batch: computed in the body from such values, or
  /// from outside with nothing that can hold it (static tensors, floats,
  /// constants).
  bool isBatchFree(Value v) const {
    if (!isOutside(v))
      return free.contains(v) || (v && v == op.getTimeArg());
    Type type = v.getType();
    if (auto tensor = dyn_cast<RankedTensorType>(type))
      return tensor.hasStaticShape();
    return isa<FloatType>(type) || matchPattern(v, m_Constant());
  }

  /// Every value the regions of `nested` use from outside it is batch-free.
  bool capturesOnlyBatchFree(Operation *nested) const {
    SetVector<Value> captured;
    for (Region &region : nested->getRegions())
      getUsedValuesDefinedAbove(region, captured);
    return llvm::all_of(captured, [&](Value v) { return isBatchFree(v); });
  }

  LogicalResult check(Operation *nested) {
    if (auto dim = dyn_cast<tensor::DimOp>(nested)) {
      std::optional<int64_t> index = dim.getConstantIndex();
      if (index == 0 && rows.contains(dim.getSource())) {
        batchSizes.insert(dim.getResult());
        return success();
      }
    }
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(nested))
      return checkSlice(slice);
    if (auto empty = dyn_cast<tensor::EmptyOp>(nested))
      return checkEmpty(empty);
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(nested))
      if (succeeded(checkLinalg(linalgOp)))
        return success();
    // Anything else must neither read rows nor the batch size.
    if (!isPure(nested) || !capturesOnlyBatchFree(nested) ||
        !llvm::all_of(nested->getOperands(),
                      [&](Value v) { return isBatchFree(v); }))
      return failure();
    for (Value result : nested->getResults())
      free.insert(result);
    return success();
  }

  /// Rows [0, batch) of rows, any columns.
  LogicalResult checkSlice(tensor::ExtractSliceOp slice) {
    if (!rows.contains(slice.getSource()))
      return failure();
    if (slice.getDroppedDims().test(0) ||
        !isConstantIntValue(slice.getMixedOffsets()[0], 0) ||
        !isConstantIntValue(slice.getMixedStrides()[0], 1))
      return failure();
    auto size = dyn_cast<Value>(slice.getMixedSizes()[0]);
    if (!size || !isBatchSize(size))
      return failure();
    for (Value v : llvm::concat<Value>(slice.getOffsets(), slice.getSizes(),
                                       slice.getStrides()))
      if (v != size && !isBatchFree(v))
        return failure();
    rows.insert(slice.getResult());
    return success();
  }

  LogicalResult checkEmpty(tensor::EmptyOp empty) {
    if (!empty.getType().isDynamicDim(0) ||
        !isBatchSize(empty.getDynamicSizes()[0]) ||
        !llvm::all_of(empty.getDynamicSizes().drop_front(),
                      [&](Value v) { return isBatchFree(v); }))
      return failure();
    rows.insert(empty.getResult());
    return success();
  }

  /// A linalg op with one parallel loop `p` that runs over the rows: dim 0
  /// of every rows operand and of every output, and of nothing else.
  LogicalResult checkLinalg(linalg::LinalgOp linalgOp) {
    if (!linalgOp.hasPureTensorSemantics() || !capturesOnlyBatchFree(linalgOp))
      return failure();
    std::optional<unsigned> rowLoop;
    for (OpOperand &operand : linalgOp->getOpOperands()) {
      AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
      bool isOutput = linalgOp.isDpsInit(&operand);
      if (!isOutput && isBatchFree(operand.get()))
        continue;
      if (!isRows(operand.get()) || map.getNumResults() == 0)
        return failure();
      auto first = dyn_cast<AffineDimExpr>(map.getResult(0));
      if (!first || (rowLoop && *rowLoop != first.getPosition()))
        return failure();
      rowLoop = first.getPosition();
    }
    if (!rowLoop || linalgOp.getIteratorTypesArray()[*rowLoop] !=
                        utils::IteratorType::parallel)
      return failure();
    // Each rows operand is indexed by the row loop in dim 0 only, the
    // batch-free ones not at all; a payload that reads its row index would
    // see a share's.
    for (OpOperand &operand : linalgOp->getOpOperands()) {
      AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
      bool isRowsOperand =
          linalgOp.isDpsInit(&operand) || !isBatchFree(operand.get());
      for (auto [i, expr] : llvm::enumerate(map.getResults()))
        if (expr.isFunctionOfDim(*rowLoop) != (isRowsOperand && i == 0))
          return failure();
    }
    bool readsRowIndex = linalgOp
                             ->walk([&](linalg::IndexOp index) {
                               return index.getDim() == *rowLoop
                                          ? WalkResult::interrupt()
                                          : WalkResult::advance();
                             })
                             .wasInterrupted();
    if (readsRowIndex)
      return failure();
    for (Value result : linalgOp->getResults())
      rows.insert(result);
    return success();
  }

  mutable RecurrenceOp op;
  Variable batch;
  DenseSet<Value> rows, free, batchSizes;
};

/// A value's sizes, with `rowsDim` replaced by `share`.
SmallVector<OpFoldResult> sizesWithShare(OpBuilder &b, Location loc, Value v,
                                         int64_t rowsDim, Value share) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, v);
  sizes[rowsDim] = share;
  return sizes;
}

/// Rows [start, start + share) of `v` along `rowsDim`.
tensor::ExtractSliceOp sliceRows(OpBuilder &b, Location loc, Value v,
                                 int64_t rowsDim, Value start, Value share) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[rowsDim] = start;
  return tensor::ExtractSliceOp::create(
      b, loc, type, v, offsets, sizesWithShare(b, loc, v, rowsDim, share),
      strides);
}

/// The bytes of the static tensors the body reads from outside it: its
/// weights, which every share reads at every step.
int64_t weightBytes(RecurrenceOp op) {
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(op.getBody(), captured);
  int64_t bytes = 0;
  for (Value v : captured)
    if (auto type = dyn_cast<RankedTensorType>(v.getType()))
      if (type.hasStaticShape()) {
        // index (and any element without a bit width): 8 bytes.
        Type element = type.getElementType();
        int64_t width =
            element.isIntOrFloat()
                ? llvm::divideCeil(element.getIntOrFloatBitWidth(), 8)
                : 8;
        bytes += type.getNumElements() * width;
      }
  return bytes;
}

/// Rewrites `op` as: if the threads and the batch allow two shares or more,
/// an scf.forall over shares of the rows, each running the recurrence on its
/// rows; else the recurrence as it was.
LogicalResult splitBatch(RewriterBase &rewriter, RecurrenceOp op,
                         int64_t minRows, int64_t maxWeightBytes) {
  if (op.getInitStates().empty() || op->getParentOfType<scf::ForallOp>() ||
      weightBytes(op) > maxWeightBytes)
    return failure();
  RowCheck rowCheck(op);
  if (failed(rowCheck.run()))
    return failure();

  // shares = min(threads, ceil(B / minRows)); rows per share
  // ceil(B / shares); the last share takes what is left.
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value batch = tensor::DimOp::create(rewriter, loc, op.getInitStates()[0], 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value threads = ParallelWidthOp::create(rewriter, loc);
  Value wanted = arith::MinSIOp::create(
      rewriter, loc, threads,
      arith::CeilDivSIOp::create(
          rewriter, loc, batch,
          arith::ConstantIndexOp::create(rewriter, loc, minRows)));
  Value split = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                      wanted, one);
  auto ifOp = scf::IfOp::create(rewriter, loc, op.getResultTypes(), split,
                                /*withElseRegion=*/true);

  // Else: the recurrence as it was.
  rewriter.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(rewriter, loc, rewriter.clone(*op)->getResults());

  // Then: one share of the rows per forall iteration.
  rewriter.setInsertionPointToStart(ifOp.thenBlock());
  Value perShare = arith::CeilDivSIOp::create(rewriter, loc, batch, wanted);
  Value shares = arith::CeilDivSIOp::create(rewriter, loc, batch, perShare);
  SmallVector<Value> dests;
  unsigned numStates = op.getInitStates().size();
  for (Value init : op.getInitStates())
    dests.push_back(tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, init),
        cast<RankedTensorType>(init.getType()).getElementType()));
  llvm::append_range(dests, op.getOuts());
  auto forall = scf::ForallOp::create(
      rewriter, loc, ArrayRef<OpFoldResult>{OpFoldResult(shares)}, dests,
      std::nullopt);
  scf::YieldOp::create(rewriter, loc, forall.getResults());

  rewriter.setInsertionPointToStart(forall.getBody());
  Value start =
      arith::MulIOp::create(rewriter, loc, forall.getInductionVar(0), perShare);
  Value share = arith::MinSIOp::create(
      rewriter, loc, perShare,
      arith::SubIOp::create(rewriter, loc, batch, start));
  IRMapping map;
  for (Value size : rowCheck.outsideSizes)
    map.map(size, share);
  for (Value empty : rowCheck.outsideEmpties)
    map.map(empty,
            tensor::EmptyOp::create(
                rewriter, loc, sizesWithShare(rewriter, loc, empty, 0, share),
                cast<RankedTensorType>(empty.getType()).getElementType()));
  // The share's rows of each result: its final states go where its rows of
  // the inits were, its outputs where its rows of the outs are.
  SmallVector<tensor::ExtractSliceOp> resultRows;
  for (Value init : op.getInitStates()) {
    resultRows.push_back(sliceRows(rewriter, loc, init, 0, start, share));
    map.map(init, resultRows.back().getResult());
  }
  for (Value input : op.getInputs())
    map.map(input, sliceRows(rewriter, loc, input, 1, start, share));
  ValueRange outArgs = forall.getRegionIterArgs().drop_front(numStates);
  for (auto [out, arg] : llvm::zip(op.getOuts(), outArgs)) {
    resultRows.push_back(sliceRows(rewriter, loc, arg, 1, start, share));
    map.map(out, resultRows.back().getResult());
  }
  if (Value lengths = op.getLengths())
    map.map(lengths, sliceRows(rewriter, loc, lengths, 0, start, share));
  Operation *part = rewriter.clone(*op, map);

  rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
  for (auto [result, arg, rows] :
       llvm::zip(part->getResults(), forall.getRegionIterArgs(), resultRows))
    tensor::ParallelInsertSliceOp::create(
        rewriter, loc, result, arg, rows.getMixedOffsets(),
        rows.getMixedSizes(), rows.getMixedStrides());
  rewriter.replaceOp(op, ifOp.getResults());
  return success();
}

struct SeqParallelizeBatch
    : seqc::seq::impl::SeqParallelizeBatchBase<SeqParallelizeBatch> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<RecurrenceOp> recurrences;
    getOperation()->walk([&](RecurrenceOp op) { recurrences.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (RecurrenceOp op : recurrences)
      (void)splitBatch(rewriter, op, minRows, maxWeightBytes);
  }
};

} // namespace
