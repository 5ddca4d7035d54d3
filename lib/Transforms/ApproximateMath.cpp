//===- ApproximateMath.cpp - f32 tanh and exp as polynomials --------------===//
//
// A recurrent cell's gate math is a handful of sigmoids and tanhs per
// element per step; as libm calls they are scalar and cost more than the
// step's mat-vec. MLIR's polynomial approximations are plain arith ops,
// which LLVM vectorises with the loops that hold them.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

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

/// tanh(x) as ±1 where |x| >= 13 ln 2: there 1 - tanh(x) < 2^-25, half an
/// ulp below 1, so float32 tanh is exactly ±1. The polynomial saturates at
/// its clamp to 1 - 3 ulp where the target has no FMA, and users rely on
/// tanh(±inf) = ±1 exactly.
void saturateTanh(Operation *root) {
  root->walk([](math::TanhOp tanh) {
    if (!getElementTypeOrSelf(tanh.getType()).isF32())
      return;
    OpBuilder b(tanh->getContext());
    b.setInsertionPointAfter(tanh);
    Location loc = tanh.getLoc();
    Type type = tanh.getType();
    auto splat = [&](float value) {
      return createScalarOrSplatConstant(b, loc, type, APFloat(value));
    };
    Value x = tanh.getOperand();
    Value abs = math::AbsFOp::create(b, loc, x);
    Value saturated = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OGE, abs, splat(13 * std::log(2.0f)));
    Value one = math::CopySignOp::create(b, loc, splat(1.0), x);
    Value result =
        arith::SelectOp::create(b, loc, saturated, one, tanh.getResult());
    tanh.getResult().replaceAllUsesExcept(result, result.getDefiningOp());
  });
}

struct SeqcApproximateMath
    : seqc::impl::SeqcApproximateMathBase<SeqcApproximateMath> {
  void runOnOperation() override {
    saturateTanh(getOperation());
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
