//===- Resize.cpp - ONNX Resize to linalg ---------------------------------===//
//
// Resize is separable: each resized dimension, in increasing order, is one
// pass over the output so far, as ONNX's reference does it. A pass first
// builds tables over the dimension's output positions o and taps j:
//
//   index[o, j]  the input position tap j reads (clamped into the input),
//   weight[o, j] its weight (linear and cubic modes),
//
// from the source coordinate x(o) that the coordinate transformation gives
// (computed in f64, as the reference does). Then one linalg.generic reads
//
//   Y[..., o, ...] = sum_j weight[o, j] * X[..., index[o, j], ...]
//
// (nearest: Y = X[..., index[o, 0], ...]). Linear and cubic taps are
// floor(x) + start + j with weight K((start + j - frac(x)) * s); antialias
// widens the kernel K by s = min(scale, 1) and normalises the weights, as
// exclude_outside does after zeroing the taps outside the input.
// tf_crop_and_resize writes extrapolation_value where x is outside.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace seqc;

namespace {

/// One resized dimension: everything its tables need, as f64 or index
/// values.
struct AxisResize {
  Value inSize, outSize;    // index
  Value scale;              // f64
  Value roiStart, roiEnd;   // f64
};

/// Scalar f64 arithmetic with less noise.
struct F64 {
  OpBuilder &b;
  Location loc;
  Value c(double v) const {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  }
  Value add(Value x, Value y) const { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) const { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) const { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) const { return arith::DivFOp::create(b, loc, x, y); }
  Value fromIndex(Value i) const {
    Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
    return arith::SIToFPOp::create(b, loc, b.getF64Type(), wide);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) const {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) const {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
};

/// The source coordinate of output position `y` (f64) along `axis`.
Value buildSourceCoordinate(const F64 &f, StringRef transform,
                            const AxisResize &axis, Value y) {
  Value in = f.fromIndex(axis.inSize);
  Value outWidth = f.mul(axis.scale, in); // the reference's float output size
  Value isOne = f.cmp(arith::CmpFPredicate::OEQ, outWidth, f.c(1));
  Value inLast = f.sub(in, f.c(1));
  Value halfPixel =
      f.sub(f.div(f.add(y, f.c(0.5)), axis.scale), f.c(0.5));
  if (transform == "asymmetric")
    return f.div(y, axis.scale);
  if (transform == "half_pixel")
    return halfPixel;
  if (transform == "pytorch_half_pixel")
    return f.select(isOne, f.c(-0.5), halfPixel);
  if (transform == "align_corners")
    return f.select(isOne, f.c(0),
                    f.div(f.mul(y, inLast), f.sub(outWidth, f.c(1))));
  if (transform == "half_pixel_symmetric") {
    Value adjustment = f.div(f.fromIndex(axis.outSize), outWidth);
    Value offset =
        f.mul(f.div(in, f.c(2)), f.sub(f.c(1), adjustment));
    return f.add(offset, halfPixel);
  }
  // tf_crop_and_resize
  Value extent = f.sub(axis.roiEnd, axis.roiStart);
  Value spread = f.div(f.mul(f.mul(y, extent), inLast), f.sub(outWidth, f.c(1)));
  Value single = f.div(f.mul(extent, inLast), f.c(2));
  return f.add(f.select(isOne, single, spread), f.mul(axis.roiStart, inLast));
}

/// Whether tf_crop_and_resize extrapolates at source coordinate x.
Value buildIsOutside(const F64 &f, const AxisResize &axis, Value x) {
  Value inLast = f.sub(f.fromIndex(axis.inSize), f.c(1));
  return arith::OrIOp::create(f.b, f.loc,
                              f.cmp(arith::CmpFPredicate::OLT, x, f.c(0)),
                              f.cmp(arith::CmpFPredicate::OGT, x, inLast));
}

/// Interpolation kernels of distance d (already scaled).
Value buildLinearKernel(const F64 &f, Value d) {
  Value w = f.sub(f.c(1), math::AbsFOp::create(f.b, f.loc, d));
  return arith::MaximumFOp::create(f.b, f.loc, w, f.c(0));
}
Value buildCubicKernel(const F64 &f, Value d, double a) {
  Value x = math::AbsFOp::create(f.b, f.loc, d);
  // |x| <= 1: ((A + 2) x - (A + 3)) x^2 + 1; 1 < |x| < 2: ((A x - 5A) x +
  // 8A) x - 4A; beyond: 0.
  Value near = f.add(
      f.mul(f.mul(f.sub(f.mul(f.c(a + 2), x), f.c(a + 3)), x), x), f.c(1));
  Value far = f.sub(
      f.mul(f.add(f.mul(f.sub(f.mul(f.c(a), x), f.c(5 * a)), x), f.c(8 * a)), x),
      f.c(4 * a));
  return f.select(f.cmp(arith::CmpFPredicate::OLE, x, f.c(1)), near,
                  f.select(f.cmp(arith::CmpFPredicate::OLT, x, f.c(2)), far,
                           f.c(0)));
}

/// weights[o, j] / sum_j weights[o, j] (a zero sum divides by 1).
Value normalizeRows(OpBuilder &b, Location loc, Value weights) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(weights.getType());
  Type elt = type.getElementType();
  Value rows = getValueOrCreateConstantIndexOp(
      b, loc, tensor::getMixedSize(b, loc, weights, 0));
  auto sumType = RankedTensorType::get({type.getDimSize(0)}, elt);
  Value sums = buildFilled(b, loc, sumType, {getAsOpFoldResult(rows)}, 0.0);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap row = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  sums = linalg::GenericOp::create(
             b, loc, sumType, weights, sums, SmallVector<AffineMap>{identity, row},
             {utils::IteratorType::parallel, utils::IteratorType::reduction},
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl,
                   arith::AddFOp::create(nb, nl, args[1], args[0]).getResult());
             })
             .getResult(0);
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, weights), elt);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{weights, sums}, init,
             SmallVector<AffineMap>{identity, row, identity},
             {utils::IteratorType::parallel, utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value zero = buildScalar(nb, nl, elt, 0.0);
               Value isZero = arith::CmpFOp::create(
                   nb, nl, arith::CmpFPredicate::OEQ, args[1], zero);
               Value total = arith::SelectOp::create(
                   nb, nl, isZero, buildScalar(nb, nl, elt, 1.0), args[1]);
               linalg::YieldOp::create(
                   nb, nl,
                   arith::DivFOp::create(nb, nl, args[0], total).getResult());
             })
      .getResult(0);
}

struct ResizeLowering : OpConversionPattern<onnx::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(onnx::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<onnx::ResizeGeometry> geometry =
        onnx::getResizeGeometry(op, onnx::OpError(op));
    if (failed(geometry))
      return failure();
    const onnx::ResizeGeometry &g = *geometry;
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    Type elt = xType.getElementType();
    bool nearest = op.getMode() == "nearest";
    if (!nearest && !isa<FloatType>(elt))
      return op.emitOpError("interpolates ")
             << op.getMode() << " in float types only, found " << elt;

    // Inputs read at run time must hold a value per resized dimension.
    int64_t count = llvm::count(g.resized, true);
    auto checkLength = [&](Value input, int64_t length, StringRef name) {
      checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, input, 0),
                      rewriter.getIndexAttr(length),
                      "Resize's " + name + " has the wrong number of values");
    };
    checkLength(g.fromScales ? adaptor.getScales() : adaptor.getSizes(), count,
                g.fromScales ? "scales" : "sizes");
    if (g.roiAtRunTime)
      checkLength(adaptor.getRoi(), 2 * count, "roi");

    Value y = x;
    for (int64_t d = 0; d < xType.getRank(); ++d) {
      if (!g.resized[d] || isIdentity(g, xType, d))
        continue;
      y = resizeAxis(rewriter, loc, op, adaptor, g, y, d);
    }
    auto yType = cast<RankedTensorType>(op.getY().getType());
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }

  /// A dimension whose scale is 1 and whose size stays (the reference skips
  /// those).
  static bool isIdentity(const onnx::ResizeGeometry &g, RankedTensorType type,
                         int64_t d) {
    return g.scales[d] && *g.scales[d] == 1.0 && !type.isDynamicDim(d) &&
           g.sizes[d] == type.getDimSize(d) && !g.roiAtRunTime &&
           g.roiStart[d] == 0 && g.roiEnd[d] == 1;
  }

  /// Element `position` of a 1-D input, as f64 (float) or index (int).
  static Value readScalar(OpBuilder &b, Location loc, Value tensor,
                          int64_t position) {
    Value value = tensor::ExtractOp::create(
        b, loc, tensor, ValueRange{arith::ConstantIndexOp::create(b, loc, position)});
    if (isa<FloatType>(value.getType()))
      return value.getType().isF64()
                 ? value
                 : arith::ExtFOp::create(b, loc, b.getF64Type(), value)
                       .getResult();
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  }

  /// The sizes, scale and region of dimension d for input `x` (X resized
  /// along the dimensions before d); run-time values are read from roi,
  /// scales or sizes.
  static AxisResize getAxis(OpBuilder &b, Location loc, onnx::ResizeOp op,
                            OpAdaptor adaptor, const onnx::ResizeGeometry &g,
                            Value x, int64_t d) {
    F64 f{b, loc};
    AxisResize axis;
    int64_t index = g.inputIndex[d];
    int64_t count = llvm::count(g.resized, true);
    if (g.roiAtRunTime) {
      axis.roiStart = readScalar(b, loc, adaptor.getRoi(), index);
      axis.roiEnd = readScalar(b, loc, adaptor.getRoi(), count + index);
    } else {
      axis.roiStart = f.c(g.roiStart[d]);
      axis.roiEnd = f.c(g.roiEnd[d]);
    }
    axis.inSize = getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, x, d));
    if (g.sizes[d] != ShapedType::kDynamic)
      axis.outSize = arith::ConstantIndexOp::create(b, loc, g.sizes[d]);
    if (g.scales[d])
      axis.scale = f.c(*g.scales[d]);
    if (axis.outSize && axis.scale)
      return axis;

    if (g.fromScales) {
      if (!axis.scale) {
        axis.scale = readScalar(b, loc, adaptor.getScales(), index);
        checkCondition(b, loc,
                       f.cmp(arith::CmpFPredicate::OGT, axis.scale, f.c(0)),
                       "Resize's scales must be positive");
      }
      if (!axis.outSize) {
        Value size = arith::FPToSIOp::create(
            b, loc, b.getI64Type(), f.mul(axis.scale, f.fromIndex(axis.inSize)));
        axis.outSize =
            arith::IndexCastOp::create(b, loc, b.getIndexType(), size);
      }
      return axis;
    }
    // From sizes: each resized dimension's requested size over its input
    // size; keep_aspect_ratio_policy takes the smallest or largest of those
    // for all of them, and rounds the sizes from it.
    auto requestedScale = [&](int64_t dim) {
      Value size = readScalar(b, loc, adaptor.getSizes(), g.inputIndex[dim]);
      checkCondition(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, size,
                                arith::ConstantIndexOp::create(b, loc, 0)),
          "Resize's sizes must not be negative");
      Value in = tensor::DimOp::create(b, loc, adaptor.getX(), dim);
      return std::make_pair(size, f.div(f.fromIndex(size), f.fromIndex(in)));
    };
    StringRef policy = op.getKeepAspectRatioPolicy();
    if (policy == "stretch") {
      auto [size, scale] = requestedScale(d);
      if (!axis.outSize)
        axis.outSize = size;
      if (!axis.scale)
        axis.scale = scale;
      return axis;
    }
    Value common;
    for (int64_t dim = 0; dim < (int64_t)g.resized.size(); ++dim) {
      if (!g.resized[dim])
        continue;
      Value scale = requestedScale(dim).second;
      common = !common ? scale
               : policy == "not_larger"
                   ? Value(arith::MinimumFOp::create(b, loc, common, scale))
                   : Value(arith::MaximumFOp::create(b, loc, common, scale));
    }
    axis.scale = common;
    Value size = arith::FPToSIOp::create(
        b, loc, b.getI64Type(),
        f.add(f.mul(common, f.fromIndex(axis.inSize)), f.c(0.5)));
    axis.outSize = arith::IndexCastOp::create(b, loc, b.getIndexType(), size);
    return axis;
  }

  static Value resizeAxis(OpBuilder &b, Location loc, onnx::ResizeOp op,
                          OpAdaptor adaptor, const onnx::ResizeGeometry &g,
                          Value x, int64_t d) {
    MLIRContext *ctx = b.getContext();
    auto xType = cast<RankedTensorType>(x.getType());
    Type elt = xType.getElementType();
    int64_t rank = xType.getRank();
    AxisResize axis = getAxis(b, loc, op, adaptor, g, x, d);
    StringRef mode = op.getMode(),
              transform = op.getCoordinateTransformationMode();
    bool nearest = mode == "nearest", cubic = mode == "cubic";
    bool cropping = transform == "tf_crop_and_resize";
    double a = op.getCubicCoeffA().convertToDouble();

    // The taps: floor(x) + start + j for j < taps, the kernel stretched by
    // 1 / kernelScale: start = floor(-reach / kernelScale) + 1, taps = 2 -
    // 2 * start (static unless antialias meets a run-time scale).
    F64 f{b, loc};
    bool antialias = op.getAntialias() != 0;
    double reach = cubic ? 2.0 : 1.0;
    Value kernelScale = f.c(1);
    OpFoldResult taps = b.getIndexAttr(nearest ? 1 : 2 * reach);
    Value start = f.c(nearest ? 0 : 1 - reach);
    if (antialias && g.scales[d]) {
      double s = std::min(*g.scales[d], 1.0);
      int64_t first = static_cast<int64_t>(std::floor(-reach / s)) + 1;
      kernelScale = f.c(s);
      start = f.c(first);
      taps = b.getIndexAttr(2 - 2 * first);
    } else if (antialias) {
      kernelScale = arith::MinimumFOp::create(b, loc, axis.scale, f.c(1));
      start = f.add(math::FloorOp::create(
                        b, loc, f.div(f.c(-reach), kernelScale)),
                    f.c(1));
      Value count = f.sub(f.c(2), f.mul(f.c(2), start));
      taps = arith::IndexCastOp::create(
                 b, loc, b.getIndexType(),
                 arith::FPToSIOp::create(b, loc, b.getI64Type(), count))
                 .getResult();
    }
    bool excludeOutside = op.getExcludeOutside() != 0;
    bool normalize = antialias || excludeOutside;

    // Tables over (o, j): the input index and, for linear and cubic, the
    // weight.
    SmallVector<OpFoldResult> tableSizes = {getAsOpFoldResult(axis.outSize),
                                            taps};
    SmallVector<Type> tableTypes = {b.getI64Type()};
    if (!nearest)
      tableTypes.push_back(elt);
    SmallVector<Value> tableInits;
    SmallVector<AffineMap> tableMaps;
    for (Type t : tableTypes) {
      tableInits.push_back(tensor::EmptyOp::create(b, loc, tableSizes, t));
      tableMaps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
    }
    SmallVector<utils::IteratorType> parallel2(2, utils::IteratorType::parallel);
    auto tables = linalg::GenericOp::create(
        b, loc, ValueRange(tableInits).getTypes(), ValueRange{}, tableInits,
        tableMaps, parallel2, [&](OpBuilder &nb, Location nl, ValueRange) {
          F64 f{nb, nl};
          Value o = f.fromIndex(linalg::IndexOp::create(nb, nl, 0));
          Value j = linalg::IndexOp::create(nb, nl, 1);
          Value source = buildSourceCoordinate(f, transform, axis, o);
          Value base = math::FloorOp::create(nb, nl, source);
          Value frac = f.sub(source, base);
          Value inLast = f.sub(f.fromIndex(axis.inSize), f.c(1));
          auto clampToInput = [&](Value position) {
            Value low = arith::MaximumFOp::create(nb, nl, position, f.c(0));
            Value clamped = arith::MinimumFOp::create(nb, nl, low, inLast);
            return arith::FPToSIOp::create(nb, nl, nb.getI64Type(), clamped)
                .getResult();
          };
          if (nearest) {
            // The reference's rounding of frac: ties go to floor with
            // round_prefer_floor, to ceil with round_prefer_ceil.
            StringRef rounding = op.getNearestMode();
            Value up;
            if (rounding == "floor")
              up = arith::ConstantIntOp::create(nb, nl, 0, 1);
            else if (rounding == "ceil")
              up = f.cmp(arith::CmpFPredicate::OGT, frac, f.c(0));
            else if (rounding == "round_prefer_floor")
              up = f.cmp(arith::CmpFPredicate::OGT, frac, f.c(0.5));
            else
              up = f.cmp(arith::CmpFPredicate::OGE, frac, f.c(0.5));
            Value index = f.select(up, f.add(base, f.c(1)), base);
            linalg::YieldOp::create(nb, nl, clampToInput(index));
            return;
          }
          // Tap t's position and weight.
          auto position = [&](Value t) { return f.add(base, f.add(start, t)); };
          auto weight = [&](Value t) {
            Value distance = f.mul(f.sub(f.add(start, t), frac), kernelScale);
            Value w = cubic ? buildCubicKernel(f, distance, a)
                            : buildLinearKernel(f, distance);
            if (!excludeOutside)
              return w;
            Value p = position(t);
            Value inside = arith::AndIOp::create(
                nb, nl, f.cmp(arith::CmpFPredicate::OGE, p, f.c(0)),
                f.cmp(arith::CmpFPredicate::OLE, p, inLast));
            return f.select(inside, w, f.c(0));
          };
          Value t = f.fromIndex(j);
          Value w = weight(t);
          if (cropping)
            w = f.select(buildIsOutside(f, axis, source), f.c(0), w);
          if (elt != nb.getF64Type())
            w = arith::TruncFOp::create(nb, nl, elt, w);
          linalg::YieldOp::create(nb, nl, ValueRange{clampToInput(position(t)), w});
        });

    SmallVector<Value> tableValues = tables.getResults();
    if (normalize)
      tableValues[1] = normalizeRows(b, loc, tableValues[1]);

    // The output: X's sizes with this dimension's replaced.
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
    sizes[d] = getAsOpFoldResult(axis.outSize);
    SmallVector<int64_t> shape(xType.getShape());
    std::optional<int64_t> staticOut = getConstantIntValue(sizes[d]);
    shape[d] = staticOut ? *staticOut : ShapedType::kDynamic;
    auto yType = RankedTensorType::get(shape, elt);
    double extrapolation = op.getExtrapolationValue().convertToDouble();

    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> outputExprs;
    for (int64_t i = 0; i < rank; ++i)
      outputExprs.push_back(dim(i));
    // Reads X at the tap's index along d and at the output's elsewhere.
    auto readTap = [&](OpBuilder &nb, Location nl, Value index) {
      SmallVector<Value> indices;
      for (int64_t i = 0; i < rank; ++i)
        indices.push_back(i == d ? arith::IndexCastOp::create(
                                       nb, nl, nb.getIndexType(), index)
                                       .getResult()
                                 : linalg::IndexOp::create(nb, nl, i).getResult());
      return tensor::ExtractOp::create(nb, nl, x, indices).getResult();
    };

    if (nearest) {
      // Loops over the output; tf_crop_and_resize extrapolates outside.
      Value init = tensor::EmptyOp::create(b, loc, sizes, elt);
      SmallVector<AffineMap> maps = {
          AffineMap::get(rank, 0, {dim(d), getAffineConstantExpr(0, ctx)}, ctx),
          AffineMap::get(rank, 0, outputExprs, ctx)};
      return linalg::GenericOp::create(
                 b, loc, yType, tableValues[0], init, maps,
                 SmallVector<utils::IteratorType>(
                     rank, utils::IteratorType::parallel),
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   Value v = readTap(nb, nl, args[0]);
                   if (cropping) {
                     F64 f{nb, nl};
                     Value o = f.fromIndex(linalg::IndexOp::create(nb, nl, d));
                     Value outside = buildIsOutside(
                         f, axis, buildSourceCoordinate(f, transform, axis, o));
                     v = arith::SelectOp::create(
                         nb, nl, outside, buildScalar(nb, nl, elt, extrapolation),
                         v);
                   }
                   linalg::YieldOp::create(nb, nl, v);
                 })
          .getResult(0);
    }

    // Linear and cubic: a reduction over the taps into zeros, or into the
    // extrapolation value where tf_crop_and_resize's source is outside.
    Value init = buildFilled(b, loc, yType, sizes, 0.0);
    if (cropping) {
      init = linalg::GenericOp::create(
                 b, loc, yType, ValueRange{}, init,
                 AffineMap::getMultiDimIdentityMap(rank, ctx),
                 SmallVector<utils::IteratorType>(
                     rank, utils::IteratorType::parallel),
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   F64 f{nb, nl};
                   Value o = f.fromIndex(linalg::IndexOp::create(nb, nl, d));
                   Value outside = buildIsOutside(
                       f, axis, buildSourceCoordinate(f, transform, axis, o));
                   linalg::YieldOp::create(
                       nb, nl,
                       arith::SelectOp::create(
                           nb, nl, outside,
                           buildScalar(nb, nl, elt, extrapolation), args[0])
                           .getResult());
                 })
                 .getResult(0);
    }
    AffineMap tableMap = AffineMap::get(rank + 1, 0, {dim(d), dim(rank)}, ctx);
    SmallVector<AffineMap> maps = {tableMap, tableMap,
                                   AffineMap::get(rank + 1, 0, outputExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    return linalg::GenericOp::create(
               b, loc, yType, tableValues, init, maps, iterators,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 Value v = readTap(nb, nl, args[0]);
                 Value product = arith::MulFOp::create(nb, nl, args[1], v);
                 linalg::YieldOp::create(
                     nb, nl,
                     arith::AddFOp::create(nb, nl, args[2], product).getResult());
               })
        .getResult(0);
  }
};

} // namespace

void seqc::populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(patterns.getContext());
}
