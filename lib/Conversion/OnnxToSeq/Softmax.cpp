//===- Softmax.cpp - ONNX Softmax and LogSoftmax to linalg ----------------===//
//
// Along one axis, stabilised by the maximum: with m = max(x) and
// s = sum(exp(x - m)), Softmax is exp(x - m) / s and LogSoftmax is
// (x - m) - log(s). Four linalg.generics: max, exp, sum, normalise.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace {

template <typename SoftmaxOp>
struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern<SoftmaxOp>::OpConversionPattern;
  static constexpr bool kLog =
      std::is_same_v<SoftmaxOp, seqc::onnx::LogSoftmaxOp>;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, typename SoftmaxOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    Type elementType = type.getElementType();
    if (!isa<FloatType>(elementType))
      return op->emitOpError("is not defined for element type ")
             << elementType;
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < -rank || axis >= rank || rank == 0)
      return op->emitOpError("axis ")
             << axis << " is out of range for rank " << rank;
    if (axis < 0)
      axis += rank;

    // Maps: the full index space, and the same without `axis`.
    SmallVector<AffineExpr> reducedExprs;
    SmallVector<utils::IteratorType> reduceIterators, parallel;
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
    SmallVector<OpFoldResult> reducedSizes;
    for (int64_t i = 0; i < rank; ++i) {
      parallel.push_back(utils::IteratorType::parallel);
      reduceIterators.push_back(i == axis ? utils::IteratorType::reduction
                                          : utils::IteratorType::parallel);
      if (i != axis) {
        reducedExprs.push_back(b.getAffineDimExpr(i));
        reducedSizes.push_back(sizes[i]);
      }
    }
    AffineMap full = b.getMultiDimIdentityMap(rank);
    AffineMap reduced = AffineMap::get(rank, 0, reducedExprs, b.getContext());

    auto reduce = [&](Value input, TypedAttr start, auto combine) -> Value {
      Value empty = tensor::EmptyOp::create(b, loc, reducedSizes, elementType);
      Value startValue = arith::ConstantOp::create(b, loc, start);
      Value init = linalg::FillOp::create(b, loc, startValue, empty).getResult(0);
      return linalg::GenericOp::create(
                 b, loc, init.getType(), input, init, {full, reduced},
                 reduceIterators,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(nb, nl,
                                           combine(nb, nl, args[1], args[0]));
                 })
          .getResult(0);
    };
    auto map = [&](ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                   auto body) -> Value {
      Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
      SmallVector<AffineMap> maps(inputMaps);
      maps.push_back(full);
      return linalg::GenericOp::create(
                 b, loc, empty.getType(), inputs, empty, maps, parallel,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(nb, nl, body(nb, nl, args));
                 })
          .getResult(0);
    };

    const llvm::fltSemantics &sem =
        cast<FloatType>(elementType).getFloatSemantics();
    Value max = reduce(
        x, b.getFloatAttr(elementType, APFloat::getInf(sem, /*Negative=*/true)),
        [](OpBuilder &nb, Location nl, Value acc, Value v) -> Value {
          return arith::MaximumFOp::create(nb, nl, acc, v);
        });
    Value shifted = map({x, max}, {full, reduced},
                        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                          return arith::SubFOp::create(nb, nl, a[0], a[1]);
                        });
    Value exps = map({shifted}, {full},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return math::ExpOp::create(nb, nl, a[0]);
                     });
    Value sum = reduce(exps, b.getFloatAttr(elementType, 0.0),
                       [](OpBuilder &nb, Location nl, Value acc,
                          Value v) -> Value {
                         return arith::AddFOp::create(nb, nl, acc, v);
                       });
    Value result;
    if constexpr (kLog)
      result = map({shifted, sum}, {full, reduced},
                   [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                     return arith::SubFOp::create(
                         nb, nl, a[0], math::LogOp::create(nb, nl, a[1]));
                   });
    else
      result = map({exps, sum}, {full, reduced},
                   [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                     return arith::DivFOp::create(nb, nl, a[0], a[1]);
                   });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void seqc::populateSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<onnx::SoftmaxOp>,
               SoftmaxLowering<onnx::LogSoftmaxOp>>(patterns.getContext());
}
