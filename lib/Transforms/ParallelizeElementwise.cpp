//===- ParallelizeElementwise.cpp - Elementwise ops split for threads -----===//
//
// A recurrent step's gate math (sigmoid/tanh over B x H, a B x 4H add) and
// the bias broadcast over all steps are linalg ops on buffers that run on
// the calling thread while the others wait for the next step's matmul: at
// batch 64 the gate math alone took an eighth of an LSTM's time at one
// thread, a fifth at two. Here such an op runs as an scf.parallel over its
// outermost dimension, one slice of the op per iteration, which
// seqc-outline-parallel-loops hands to the context's threads.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "llvm/Support/MathExtras.h"
#include <limits>

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCPARALLELIZEELEMENTWISE
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Whether `op` is elementwise work on buffers worth splitting by its
/// outermost loop: all loops parallel, at least two of them (the innermost
/// stays whole for the vectoriser), not already inside a parallel loop.
bool isCandidate(linalg::LinalgOp op) {
  return op.hasPureBufferSemantics() && op.getNumLoops() >= 2 &&
         op.getNumLoops() == op.getNumParallelLoops() &&
         !op->getParentOfType<scf::ParallelOp>();
}

/// The op's number of iterations: a constant when every loop's size is
/// static, else computed before `op`.
OpFoldResult iterationCount(OpBuilder &b, linalg::LinalgOp op) {
  Location loc = op.getLoc();
  std::optional<int64_t> staticCount = 1;
  Value count;
  for (Range range : op.createLoopRanges(b, loc)) {
    std::optional<int64_t> size = getConstantIntValue(range.size);
    if (staticCount && size) {
      // Declared sizes may be anything: a product past int64 saturates
      // (only compared with the threshold; such a buffer is never made).
      if (llvm::MulOverflow(*staticCount, *size, *staticCount))
        staticCount = std::numeric_limits<int64_t>::max();
      continue;
    }
    if (!count)
      count = arith::ConstantIndexOp::create(b, loc, staticCount.value_or(1));
    staticCount.reset();
    count = arith::MulIOp::create(
        b, loc, count, getValueOrCreateConstantIndexOp(b, loc, range.size));
  }
  if (staticCount)
    return b.getIndexAttr(*staticCount);
  return count;
}

/// `op` as an scf.parallel over its outermost loop, one slice per iteration.
LogicalResult splitOutermostLoop(RewriterBase &rewriter, linalg::LinalgOp op) {
  SmallVector<int64_t> tileSizes(op.getNumLoops(), 0);
  tileSizes[0] = 1;
  linalg::LinalgTilingOptions options;
  options.setTileSizes(tileSizes).setLoopType(
      linalg::LinalgTilingLoopType::ParallelLoops);
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::TiledLinalgOp> tiled =
      linalg::tileLinalgOp(rewriter, op, options);
  if (failed(tiled))
    return failure();
  rewriter.eraseOp(op);
  return success();
}

struct ParallelizeElementwise
    : seqc::impl::SeqcParallelizeElementwiseBase<ParallelizeElementwise> {
  using Base::Base;

  void runOnOperation() override {
    if (minWork < 0)
      return;
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isCandidate(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      OpFoldResult count = iterationCount(rewriter, op);
      if (std::optional<int64_t> n = getConstantIntValue(count)) {
        if (*n >= minWork && failed(splitOutermostLoop(rewriter, op)))
          return signalPassFailure();
        continue;
      }
      // Dynamic sizes: the split version runs from `min-parallel-work`
      // iterations, the op as it was below.
      Location loc = op.getLoc();
      Value large = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::uge, cast<Value>(count),
          arith::ConstantIndexOp::create(rewriter, loc, minWork));
      auto branch = scf::IfOp::create(rewriter, loc, large,
                                      /*withElseRegion=*/true);
      rewriter.setInsertionPoint(branch.elseBlock()->getTerminator());
      rewriter.clone(*op);
      rewriter.moveOpBefore(op, branch.thenBlock()->getTerminator());
      if (failed(splitOutermostLoop(rewriter, op)))
        return signalPassFailure();
    }
  }
};

} // namespace
