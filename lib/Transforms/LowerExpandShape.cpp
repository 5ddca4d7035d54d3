//===- LowerExpandShape.cpp - expand_shape of a contiguous buffer ---------===//
//
// MLIR 22's expand-strided-metadata crashes on an expand_shape that splits
// one dimension into two dynamic ones; for the contiguous buffers seqc
// expands, the result is the same memory with row-major strides, which
// reinterpret_cast states directly.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "llvm/Support/MathExtras.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCLOWEREXPANDSHAPE
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

struct ContiguousExpandShape : OpRewritePattern<memref::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::ExpandShapeOp op,
                                PatternRewriter &rewriter) const override {
    MemRefType source = op.getSrcType(), result = op.getResultType();
    if (!source.getLayout().isIdentity() || !result.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "not contiguous");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
    // Row-major strides: the product of the sizes after each dimension.
    SmallVector<OpFoldResult> strides(sizes.size());
    OpFoldResult stride = rewriter.getIndexAttr(1);
    for (int64_t d = sizes.size() - 1; d >= 0; --d) {
      strides[d] = stride;
      if (d == 0)
        break;
      // Static sizes whose product overflows (a buffer that can never be
      // allocated; found by seqc-GraphFuzzer under UBSan) multiply at run
      // time, where the kernel's size checks refuse them first.
      std::optional<int64_t> known = getConstantIntValue(stride),
                             size = getConstantIntValue(sizes[d]);
      int64_t product;
      if (known && size && !llvm::MulOverflow(*known, *size, product))
        stride = rewriter.getIndexAttr(product);
      else
        stride = arith::MulIOp::create(
                     rewriter, loc,
                     getValueOrCreateConstantIndexOp(rewriter, loc, stride),
                     getValueOrCreateConstantIndexOp(rewriter, loc, sizes[d]))
                     .getResult();
    }
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, result, op.getSrc(), rewriter.getIndexAttr(0), sizes, strides);
    return success();
  }
};

struct SeqcLowerExpandShape
    : seqc::impl::SeqcLowerExpandShapeBase<SeqcLowerExpandShape> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ContiguousExpandShape>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
