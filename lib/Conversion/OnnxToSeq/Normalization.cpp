//===- Normalization.cpp - ONNX normalisation ops to linalg ---------------===//
//
// LayerNormalization and InstanceNormalization share one core: the mean and
// the inverse standard deviation of X over its dimensions from `axis` on
// (two reductions, in the statistics' type), kept at X's rank with 1s there,
// and (X - mean) * inv broadcast back. Each then applies its own scale and
// bias: LayerNormalization's broadcast numpy-style against the normalised
// dimensions, InstanceNormalization's per channel. BatchNormalization uses
// the statistics it is given.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// `value` converted to the float type `to`.
Value convertFloat(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = getElementTypeOrSelf(value);
  if (from == to)
    return value;
  auto type = cast<RankedTensorType>(value.getType()).clone(to);
  return buildElementwise(
      b, loc, type, value, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth()
                      ? Value(arith::ExtFOp::create(nb, nl, to, args[0]))
                      : Value(arith::TruncFOp::create(nb, nl, to, args[0]));
        return SmallVector<Value>{v};
      })[0];
}

/// sum over the dimensions from `axis` on of f(x, kept...), where `kept`
/// are tensors of the statistics' shape (the leading dimensions): the result
/// has the leading dimensions only.
Value sumTrailing(OpBuilder &b, Location loc, Value x, ValueRange kept,
                  int64_t axis,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> f) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> outSizes(sizes.begin(), sizes.begin() + axis);
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    iterators.push_back(d < axis ? utils::IteratorType::parallel
                                 : utils::IteratorType::reduction);
    if (d < axis)
      outExprs.push_back(b.getAffineDimExpr(d));
  }
  auto outType = RankedTensorType::get(type.getShape().take_front(axis),
                                       type.getElementType());
  Value init = buildFilled(b, loc, outType, outSizes, 0.0);
  auto outMap = AffineMap::get(rank, 0, outExprs, b.getContext());
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  maps.append(kept.size(), outMap);
  maps.push_back(outMap);
  SmallVector<Value> inputs = {x};
  llvm::append_range(inputs, kept);
  return linalg::GenericOp::create(
             b, loc, outType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value term = f(nb, nl, args.drop_back());
               linalg::YieldOp::create(
                   nb, nl, arith::AddFOp::create(nb, nl, args.back(), term)
                               .getResult());
             })
      .getResult(0);
}

/// The mean and the (population) variance of `x` over its dimensions from
/// `axis` on: tensors of its leading dimensions, in x's element type.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x,
                                        int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType();
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d = axis; d < type.getRank(); ++d)
    count = arith::MulIOp::create(
        b, loc, count,
        getValueOrCreateConstantIndexOp(b, loc,
                                        tensor::getMixedSize(b, loc, x, d)));
  Value n = arith::SIToFPOp::create(
      b, loc, elt, arith::IndexCastOp::create(b, loc, b.getI64Type(), count));
  auto divideByCount = [&](Value sum) {
    return buildElementwise(
        b, loc, sum.getType(), sum,
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          return SmallVector<Value>{arith::DivFOp::create(nb, nl, a[0], n)};
        })[0];
  };
  Value mean = divideByCount(sumTrailing(
      b, loc, x, {}, axis,
      [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
  Value variance = divideByCount(sumTrailing(
      b, loc, x, mean, axis, [](OpBuilder &nb, Location nl, ValueRange a) {
        Value d = arith::SubFOp::create(nb, nl, a[0], a[1]);
        return Value(arith::MulFOp::create(nb, nl, d, d));
      }));
  return {mean, variance};
}

struct Normalized {
  Value y;          // (x - mean) * inv, in the statistics' type
  Value mean, inv;  // at x's rank, 1 from `axis` on
};

/// Normalises `x` (already in the statistics' type) over its dimensions
/// from `axis` on.
Normalized normalize(OpBuilder &b, Location loc, Value x, int64_t axis,
                     double epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  auto [mean, variance] = meanAndVariance(b, loc, x, axis);
  Value eps = buildScalar(b, loc, elt, epsilon);
  Value inv = buildElementwise(
      b, loc, variance.getType(), variance,
      [&](OpBuilder &nb, Location nl, ValueRange a) {
        Value shifted = arith::AddFOp::create(nb, nl, a[0], eps);
        return SmallVector<Value>{math::RsqrtOp::create(nb, nl, shifted)};
      })[0];

  SmallVector<int64_t> keptShape(type.getShape());
  SmallVector<OpFoldResult> keptSizes(sizes);
  for (int64_t d = axis; d < rank; ++d) {
    keptShape[d] = 1;
    keptSizes[d] = b.getIndexAttr(1);
  }
  auto keptType = RankedTensorType::get(keptShape, elt);
  Normalized result;
  result.mean = reshapeTo(b, loc, mean, keptType, keptSizes);
  result.inv = reshapeTo(b, loc, inv, keptType, keptSizes);
  result.y = buildElementwise(
      b, loc, type, ValueRange{x, result.mean, result.inv},
      [](OpBuilder &nb, Location nl, ValueRange a) {
        Value centered = arith::SubFOp::create(nb, nl, a[0], a[1]);
        return SmallVector<Value>{arith::MulFOp::create(nb, nl, centered, a[2])};
      })[0];
  return result;
}

/// y * scale + bias (bias optional), numpy broadcasting, in `type`.
Value scaleAndShift(OpBuilder &b, Location loc, RankedTensorType type, Value y,
                    Value scale, Value bias) {
  SmallVector<Value> operands = {y, scale};
  if (bias)
    operands.push_back(bias);
  return buildElementwise(
      b, loc, type, operands, [&](OpBuilder &nb, Location nl, ValueRange a) {
        Value v = arith::MulFOp::create(nb, nl, a[0], a[1]);
        if (a.size() > 2)
          v = arith::AddFOp::create(nb, nl, v, a[2]);
        return SmallVector<Value>{v};
      })[0];
}

/// A per-channel vector [C] as [C, 1, ...] (rank - 1 dimensions), so that
/// numpy broadcasting against [N, C, D...] puts it on the channel axis.
Value perChannel(OpBuilder &b, Location loc, Value v, int64_t rank) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0)};
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, v, 0)};
  shape.append(rank - 2, 1);
  sizes.append(rank - 2, b.getIndexAttr(1));
  return reshapeTo(b, loc, v, RankedTensorType::get(shape, type.getElementType()),
                   sizes);
}

LogicalResult checkFloat(Operation *op, Type elt) {
  if (!isa<FloatType>(elt))
    return op->emitOpError("is not defined for element type ") << elt;
  return success();
}

struct LayerNormalizationLowering
    : OpConversionPattern<onnx::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getY().getType());
    if (failed(checkFloat(op, type.getElementType())))
      return failure();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + type.getRank()
                                    : op.getAxis();
    Type stash = getElementTypeOrSelf(op.getMean().getType());
    Value x = convertFloat(rewriter, loc, adaptor.getX(), stash);
    Normalized n = normalize(rewriter, loc, x, axis, op.getEpsilon().convertToDouble());
    Value y = convertFloat(rewriter, loc, n.y, type.getElementType());
    y = scaleAndShift(rewriter, loc, type, y, adaptor.getScale(),
                      adaptor.getB());
    rewriter.replaceOp(op, {y, n.mean, n.inv});
    return success();
  }
};

struct InstanceNormalizationLowering
    : OpConversionPattern<onnx::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::InstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    Type elt = type.getElementType();
    if (failed(checkFloat(op, elt)))
      return failure();
    Type stash = elt.isF64() ? elt : rewriter.getF32Type();
    Value x = convertFloat(rewriter, loc, adaptor.getInput(), stash);
    Normalized n = normalize(rewriter, loc, x, /*axis=*/2,
                             op.getEpsilon().convertToDouble());
    Value y = convertFloat(rewriter, loc, n.y, elt);
    int64_t rank = type.getRank();
    y = scaleAndShift(rewriter, loc, type, y,
                      perChannel(rewriter, loc, adaptor.getScale(), rank),
                      perChannel(rewriter, loc, adaptor.getB(), rank));
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// (x - mean) / sqrt(var + epsilon) * scale + B per channel, with the
/// statistics given (inference) or the batch's (training_mode: then also the
/// running statistics, input * momentum + batch's * (1 - momentum)).
struct BatchNormalizationLowering
    : OpConversionPattern<onnx::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getY().getType());
    Type elt = type.getElementType();
    if (failed(checkFloat(op, elt)))
      return failure();
    bool training = op.getTrainingMode() != 0;
    if (!training &&
        (!op.getRunningMean().use_empty() || !op.getRunningVar().use_empty()))
      return op.emitOpError("running_mean and running_var are outputs of "
                            "training_mode 1 only");
    int64_t rank = type.getRank();
    double epsilon = op.getEpsilon().convertToDouble();
    Value mean = adaptor.getInputMean(), var = adaptor.getInputVar();
    Value runningMean = mean, runningVar = var;
    if (training) {
      // The batch's statistics per channel: X as [C, N, D...] reduced over
      // all but its first dimension.
      Type statsType = getElementTypeOrSelf(mean);
      SmallVector<int64_t> perm = {1, 0};
      for (int64_t d = 2; d < rank; ++d)
        perm.push_back(d);
      Value x = convertFloat(rewriter, loc, adaptor.getX(), statsType);
      auto [batchMean, batchVar] = meanAndVariance(
          rewriter, loc, buildTranspose(rewriter, loc, x, perm), 1);
      double momentum = op.getMomentum().convertToDouble();
      auto blend = [&](Value running, Value batch) {
        return buildElementwise(
            rewriter, loc, cast<RankedTensorType>(running.getType()),
            {running, batch}, [&](OpBuilder &nb, Location nl, ValueRange a) {
              Type t = a[0].getType();
              Value kept = arith::MulFOp::create(
                  nb, nl, a[0], buildScalar(nb, nl, t, momentum));
              Value added = arith::MulFOp::create(
                  nb, nl, a[1], buildScalar(nb, nl, t, 1 - momentum));
              return SmallVector<Value>{
                  arith::AddFOp::create(nb, nl, kept, added)};
            })[0];
      };
      runningMean = blend(mean, batchMean);
      runningVar = blend(var, batchVar);
      mean = batchMean;
      var = batchVar;
    }
    SmallVector<Value> operands = {adaptor.getX()};
    for (Value v : {adaptor.getScale(), adaptor.getB(), mean, var})
      operands.push_back(convertFloat(rewriter, loc,
                                      perChannel(rewriter, loc, v, rank), elt));
    Value y = buildElementwise(
        rewriter, loc, type, operands,
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          Type t = a[0].getType();
          Value eps = buildScalar(nb, nl, t, epsilon);
          Value inv = math::RsqrtOp::create(
              nb, nl, arith::AddFOp::create(nb, nl, a[4], eps));
          Value centered = arith::SubFOp::create(nb, nl, a[0], a[3]);
          Value scaled = arith::MulFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, centered, inv), a[1]);
          return SmallVector<Value>{arith::AddFOp::create(nb, nl, scaled, a[2])};
        })[0];
    rewriter.replaceOp(op, {y, runningMean, runningVar});
    return success();
  }
};

} // namespace

void seqc::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<LayerNormalizationLowering, InstanceNormalizationLowering,
               BatchNormalizationLowering>(patterns.getContext());
}
