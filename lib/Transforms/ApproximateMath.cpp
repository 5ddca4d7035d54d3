//===- ApproximateMath.cpp - f32 tanh and exp as polynomials --------------===//
//
// A recurrent cell's gate math is a handful of sigmoids and tanhs per
// element per step; as libm calls they are scalar and cost more than the
// step's mat-vec. MLIR's polynomial approximations are plain arith ops,
// which LLVM vectorises with the loops that hold them.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCAPPROXIMATEMATH
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// The polynomials' math.fma as a contractable multiply and add: one FMA
/// where the target has it, not a call to libm's fmaf where it has not.
struct ContractableFma : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    auto contract = arith::FastMathFlagsAttr::get(
        getContext(), arith::FastMathFlags::contract);
    Value product = arith::MulFOp::create(rewriter, op.getLoc(), op.getA(),
                                          op.getB(), contract);
    rewriter.replaceOpWithNewOp<arith::AddFOp>(op, product, op.getC(),
                                               contract);
    return success();
  }
};

struct SeqcApproximateMath
    : seqc::impl::SeqcApproximateMathBase<SeqcApproximateMath> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef op) {
      return op == "math.tanh" || op == "math.exp";
    });
    patterns.add<ContractableFma>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
