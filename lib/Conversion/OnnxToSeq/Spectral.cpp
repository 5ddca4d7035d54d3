//===- Spectral.cpp - ONNX DFT, STFT and window functions to linalg -------===//
//
// A DFT is a contraction with a table of twiddle factors:
//
//   Y[..., k, ..., c] = sum_{j, p} W[k, j, c, p] * X[..., j, ..., p]
//
// where p and c index the real/imaginary parts of the input and the output
// and W holds cos and sin of 2*pi*(k*j mod N)/N (computed in f64), signed
// and scaled for the forward, inverse and one-sided inverse (irfft)
// transforms. A signal shorter than N needs no padding (the missing terms
// are zeros), a longer one is cut to N. STFT gathers the windowed frames
// first, then contracts them the same way. O(N^2) per transform: the
// straightforward form, exact to rounding, for the frame sizes speech
// front-ends use.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace seqc;

namespace {

enum class Transform { Forward, Inverse, InverseOneSided };

/// A scalar integer input's value as an index (element 0 of any shape).
Value readIndex(OpBuilder &b, Location loc, Value scalar) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                    extractScalar(b, loc, scalar));
}

Value toF64(OpBuilder &b, Location loc, Value index) {
  Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, b.getF64Type(), wide);
}

/// W[k, j, c, p] of shape [bins, terms, components, inputParts] for a
/// transform of length `length` (index values), elements of type `elt`.
Value buildTwiddles(OpBuilder &b, Location loc, Transform transform,
                    OpFoldResult bins, OpFoldResult terms, Value length,
                    int64_t components, OpFoldResult inputParts, Type elt) {
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> sizes = {bins, terms, b.getIndexAttr(components),
                                     inputParts};
  Value init = tensor::EmptyOp::create(b, loc, sizes, elt);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, init,
             AffineMap::getMultiDimIdentityMap(4, ctx),
             SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange) {
               auto c64 = [&](double v) {
                 return arith::ConstantOp::create(nb, nl, nb.getF64FloatAttr(v))
                     .getResult();
               };
               Value k = linalg::IndexOp::create(nb, nl, 0);
               Value j = linalg::IndexOp::create(nb, nl, 1);
               Value c = linalg::IndexOp::create(nb, nl, 2);
               Value p = linalg::IndexOp::create(nb, nl, 3);
               // k * j mod N keeps the angle small and exact.
               Value phase = arith::RemUIOp::create(
                   nb, nl, arith::MulIOp::create(nb, nl, k, j), length);
               Value n = toF64(nb, nl, length);
               Value angle = arith::DivFOp::create(
                   nb, nl,
                   arith::MulFOp::create(nb, nl, c64(2 * llvm::numbers::pi),
                                         toF64(nb, nl, phase)),
                   n);
               Value cos = math::CosOp::create(nb, nl, angle);
               Value sin = math::SinOp::create(nb, nl, angle);
               Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
               Value isRealOut =
                   arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, c, zero);
               Value isRealIn =
                   arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, p, zero);
               auto select = [&](Value cond, Value x, Value y) {
                 return arith::SelectOp::create(nb, nl, cond, x, y).getResult();
               };
               auto neg = [&](Value x) {
                 return arith::NegFOp::create(nb, nl, x).getResult();
               };
               // Forward, e^{-i angle}: re = xr cos + xi sin, im = xi cos -
               // xr sin. Inverse, e^{+i angle} / N: the signs of sin flip.
               Value w;
               if (transform == Transform::Forward) {
                 w = select(isRealOut, select(isRealIn, cos, sin),
                            select(isRealIn, neg(sin), cos));
               } else if (transform == Transform::Inverse) {
                 w = select(isRealOut, select(isRealIn, cos, neg(sin)),
                            select(isRealIn, sin, cos));
                 w = arith::DivFOp::create(nb, nl, w, n);
               } else {
                 // irfft: bin j stands for itself and its mirror N - j, so
                 // it counts twice, except bin 0 and (N even) bin N/2,
                 // whose imaginary parts are dropped.
                 Value twice = arith::MulIOp::create(
                     nb, nl, j, arith::ConstantIndexOp::create(nb, nl, 2));
                 Value single = arith::OrIOp::create(
                     nb, nl,
                     arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, j,
                                           zero),
                     arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                           twice, length));
                 Value weight = select(single, c64(1), c64(2));
                 w = select(isRealIn, cos,
                            select(single, c64(0), neg(sin)));
                 w = arith::DivFOp::create(
                     nb, nl, arith::MulFOp::create(nb, nl, weight, w), n);
               }
               if (elt != nb.getF64Type())
                 w = arith::TruncFOp::create(nb, nl, elt, w);
               linalg::YieldOp::create(nb, nl, w);
             })
      .getResult(0);
}

/// Y = sum_{j, p} W[k, j, c, p] * X[..., j, ..., p] along `axis` of `x`
/// (whose last dimension holds p), W's first and third dimensions sizing
/// Y's axis and last ones. The sums run in f64 (W's type), as ONNX's
/// reference computes them: in float32, the bins that cancel to zero keep
/// visible noise.
Value buildSpectralContraction(OpBuilder &b, Location loc, Value x, Value w,
                               int64_t axis, RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  Type elt = resultType.getElementType();
  auto yType = RankedTensorType::get(resultType.getShape(), b.getF64Type());
  int64_t rank = yType.getRank();
  unsigned j = rank, p = rank + 1, numLoops = rank + 2;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs, yExprs;
  for (int64_t d = 0; d < rank; ++d) {
    xExprs.push_back(d == axis ? dim(j) : d == rank - 1 ? dim(p) : dim(d));
    yExprs.push_back(dim(d));
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, xExprs, ctx),
      AffineMap::get(numLoops, 0, {dim(axis), dim(j), dim(rank - 1), dim(p)},
                     ctx),
      AffineMap::get(numLoops, 0, yExprs, ctx)};
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  sizes[axis] = tensor::getMixedSize(b, loc, w, 0);
  sizes[rank - 1] = tensor::getMixedSize(b, loc, w, 2);
  Value init = buildFilled(b, loc, yType, sizes, 0.0);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Value sums = linalg::GenericOp::create(
             b, loc, yType, ValueRange{x, w}, init, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value v = args[0];
               if (!v.getType().isF64())
                 v = arith::ExtFOp::create(nb, nl, nb.getF64Type(), v);
               Value product = arith::MulFOp::create(nb, nl, v, args[1]);
               linalg::YieldOp::create(
                   nb, nl,
                   arith::AddFOp::create(nb, nl, args[2], product).getResult());
             })
      .getResult(0);
  if (elt.isF64())
    return sums;
  return buildElementwise(b, loc, resultType, sums,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return SmallVector<Value>{
                                arith::TruncFOp::create(nb, nl, elt, args[0])};
                          })
      .front();
}

/// min(a, b) of two sizes.
OpFoldResult minSize(OpBuilder &b, Location loc, OpFoldResult x,
                     OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(std::min(*cx, *cy));
  return arith::MinSIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, x),
                                getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

struct DFTLowering : OpConversionPattern<onnx::DFTOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(onnx::DFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    Type elt = xType.getElementType();
    if (!isa<FloatType>(elt) || elt.isBF16())
      return op.emitOpError("transforms float32, float64 and float16 only, "
                            "found ")
             << elt;
    auto yType = cast<RankedTensorType>(op.getOutput().getType());
    int64_t rank = xType.getRank();
    std::optional<int64_t> axis =
        op.getAxis() ? onnx::getConstantInt64(op.getAxis())
                     : std::optional<int64_t>(-2);
    if (axis) {
      int64_t a = *axis < 0 ? *axis + rank : *axis;
      rewriter.replaceOp(op, transformAlong(rewriter, loc, op, adaptor, a, yType));
      return success();
    }
    // An axis known at run time: one transform per possible axis.
    Value value = readIndex(rewriter, loc, adaptor.getAxis());
    Value rankValue = arith::ConstantIndexOp::create(rewriter, loc, rank);
    Value normalized = arith::SelectOp::create(
        rewriter, loc,
        arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, value,
                              arith::ConstantIndexOp::create(rewriter, loc, 0)),
        arith::AddIOp::create(rewriter, loc, value, rankValue), value);
    checkCondition(
        rewriter, loc,
        arith::AndIOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                  normalized,
                                  arith::ConstantIndexOp::create(rewriter, loc, 0)),
            arith::CmpIOp::create(
                rewriter, loc, arith::CmpIPredicate::slt, normalized,
                arith::ConstantIndexOp::create(rewriter, loc, rank - 1))),
        "DFT's axis is out of range");
    SmallVector<int64_t> cases = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
    auto choose = scf::IndexSwitchOp::create(rewriter, loc, TypeRange{yType},
                                             normalized, cases, rank - 1);
    for (int64_t a = 0; a < rank - 1; ++a) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&choose.getCaseRegions()[a].emplaceBlock());
      Value y = transformAlong(rewriter, loc, op, adaptor, a, yType);
      scf::YieldOp::create(rewriter, loc, y);
    }
    {
      // Never taken (checked above); any value of the type.
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&choose.getDefaultRegion().emplaceBlock());
      Value y = transformAlong(rewriter, loc, op, adaptor, 0, yType);
      scf::YieldOp::create(rewriter, loc, y);
    }
    rewriter.replaceOp(op, choose.getResults());
    return success();
  }

  /// The transform along axis `a`, cast to `resultType`.
  static Value transformAlong(OpBuilder &b, Location loc, onnx::DFTOp op,
                              OpAdaptor adaptor, int64_t a,
                              RankedTensorType resultType) {
    Value x = adaptor.getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    bool inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
    Transform transform = !inverse    ? Transform::Forward
                          : onesided ? Transform::InverseOneSided
                                     : Transform::Inverse;
    std::optional<int64_t> constantLength;
    if (op.getDftLength())
      constantLength = onnx::getConstantInt64(op.getDftLength())
                           .value_or(ShapedType::kDynamic);
    onnx::DftShape shape = onnx::getDftShape(op, xType, a, constantLength);

    // N, the terms read from X (min(size, N), or min(size, N/2 + 1) for an
    // irfft), and the bins written.
    OpFoldResult size = tensor::getMixedSize(b, loc, x, a);
    Value length;
    if (shape.length != ShapedType::kDynamic) {
      length = arith::ConstantIndexOp::create(b, loc, shape.length);
    } else if (op.getDftLength()) {
      length = readIndex(b, loc, adaptor.getDftLength());
      checkCondition(b, loc,
                     arith::CmpIOp::create(
                         b, loc, arith::CmpIPredicate::sgt, length,
                         arith::ConstantIndexOp::create(b, loc, 0)),
                     "DFT's dft_length must be positive");
    } else {
      Value s = getValueOrCreateConstantIndexOp(b, loc, size);
      length = transform == Transform::InverseOneSided
                   ? arith::MulIOp::create(
                         b, loc,
                         arith::SubIOp::create(
                             b, loc, s, arith::ConstantIndexOp::create(b, loc, 1)),
                         arith::ConstantIndexOp::create(b, loc, 2))
                         .getResult()
                   : s;
    }
    OpFoldResult lengthSize = getAsOpFoldResult(length);
    auto half = [&](OpFoldResult n) -> OpFoldResult {
      if (std::optional<int64_t> c = getConstantIntValue(n))
        return b.getIndexAttr(*c / 2 + 1);
      Value v = getValueOrCreateConstantIndexOp(b, loc, n);
      return arith::AddIOp::create(
                 b, loc,
                 arith::DivUIOp::create(b, loc, v,
                                        arith::ConstantIndexOp::create(b, loc, 2)),
                 arith::ConstantIndexOp::create(b, loc, 1))
          .getResult();
    };
    OpFoldResult terms = minSize(
        b, loc, size,
        transform == Transform::InverseOneSided ? half(lengthSize) : lengthSize);
    OpFoldResult bins = transform == Transform::Forward && onesided
                            ? half(lengthSize)
                            : lengthSize;

    // X cut to its first `terms` along the axis.
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)),
        sizes = tensor::getMixedSizes(b, loc, x),
        strides(rank, b.getIndexAttr(1));
    sizes[a] = terms;
    Value cut = tensor::ExtractSliceOp::create(b, loc, x, offsets, sizes, strides);
    Value w = buildTwiddles(b, loc, transform, bins, terms, length,
                            shape.components, sizes[rank - 1], b.getF64Type());

    SmallVector<int64_t> yShape(xType.getShape());
    std::optional<int64_t> staticBins = getConstantIntValue(bins);
    yShape[a] = staticBins ? *staticBins : ShapedType::kDynamic;
    yShape[rank - 1] = shape.components;
    auto yType = RankedTensorType::get(yShape, xType.getElementType());
    Value y = buildSpectralContraction(b, loc, cut, w, a, yType);
    if (y.getType() != resultType)
      y = tensor::CastOp::create(b, loc, resultType, y);
    return y;
  }
};

struct STFTLowering : OpConversionPattern<onnx::STFTOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(onnx::STFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value signal = adaptor.getSignal();
    auto signalType = cast<RankedTensorType>(signal.getType());
    Type elt = signalType.getElementType();
    if (!isa<FloatType>(elt) || elt.isBF16())
      return op.emitOpError("transforms float32, float64 and float16 only, "
                            "found ")
             << elt;
    auto one = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };

    // Frame length N (frame_length, else the window's), step, frame count.
    Value length = adaptor.getFrameLength()
                       ? readIndex(b, loc, adaptor.getFrameLength())
                       : getValueOrCreateConstantIndexOp(
                             b, loc, tensor::getMixedSize(b, loc, adaptor.getWindow(), 0));
    Value step = readIndex(b, loc, adaptor.getFrameStep());
    checkCondition(b, loc,
                   arith::AndIOp::create(
                       b, loc,
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                             length, one(0)),
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                             step, one(0))),
                   "STFT's frame_length and frame_step must be positive");
    if (adaptor.getWindow() && adaptor.getFrameLength())
      checkSizesEqual(b, loc, tensor::getMixedSize(b, loc, adaptor.getWindow(), 0),
                      getAsOpFoldResult(length),
                      "STFT's window length differs from frame_length");
    Value signalLength = tensor::DimOp::create(b, loc, signal, 1);
    Value room = arith::SubIOp::create(b, loc, signalLength, length);
    Value frames = arith::SelectOp::create(
        b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, room, one(0)),
        one(0),
        arith::AddIOp::create(b, loc, arith::DivUIOp::create(b, loc, room, step),
                              one(1)));

    // The windowed frames [batch, frames, N, parts].
    auto yType = cast<RankedTensorType>(op.getOutput().getType());
    SmallVector<OpFoldResult> frameSizes = {
        tensor::getMixedSize(b, loc, signal, 0), getAsOpFoldResult(frames),
        getAsOpFoldResult(length), tensor::getMixedSize(b, loc, signal, 2)};
    Value window = adaptor.getWindow();
    Value init = tensor::EmptyOp::create(b, loc, frameSizes, elt);
    auto framesType = cast<RankedTensorType>(init.getType());
    Value windowed =
        linalg::GenericOp::create(
            b, loc, framesType, ValueRange{}, init,
            AffineMap::getMultiDimIdentityMap(4, b.getContext()),
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange) {
              Value batch = linalg::IndexOp::create(nb, nl, 0);
              Value frame = linalg::IndexOp::create(nb, nl, 1);
              Value n = linalg::IndexOp::create(nb, nl, 2);
              Value part = linalg::IndexOp::create(nb, nl, 3);
              Value t = arith::AddIOp::create(
                  nb, nl, arith::MulIOp::create(nb, nl, frame, step), n);
              Value v = tensor::ExtractOp::create(nb, nl, signal,
                                                  ValueRange{batch, t, part});
              if (window)
                v = arith::MulFOp::create(
                    nb, nl, v, tensor::ExtractOp::create(nb, nl, window, n));
              linalg::YieldOp::create(nb, nl, v);
            })
            .getResult(0);

    OpFoldResult lengthSize = getAsOpFoldResult(length);
    OpFoldResult bins =
        op.getOnesided() != 0
            ? getAsOpFoldResult(
                  arith::AddIOp::create(
                      b, loc, arith::DivUIOp::create(b, loc, length, one(2)), one(1))
                      .getResult())
            : lengthSize;
    Value w = buildTwiddles(b, loc, Transform::Forward, bins, lengthSize, length,
                            2, frameSizes[3], b.getF64Type());
    Value y = buildSpectralContraction(b, loc, windowed, w, /*axis=*/2,
                                       RankedTensorType::get(
                                           {framesType.getDimSize(0),
                                            framesType.getDimSize(1),
                                            ShapedType::kDynamic, 2},
                                           elt));
    if (y.getType() != yType)
      y = tensor::CastOp::create(b, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The window functions, computed in f64: with N = size (periodic) or
/// size - 1, Hann sin^2(pi n / N), Hamming 25/46 - 21/46 cos(2 pi n / N),
/// Blackman 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N).
template <typename WindowOp>
struct WindowLowering : OpConversionPattern<WindowOp> {
  using OpConversionPattern<WindowOp>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(WindowOp op, typename WindowOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    Type elt = type.getElementType();
    Value size = readIndex(rewriter, loc, adaptor.getSize());
    checkCondition(rewriter, loc,
                   arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                         size,
                                         arith::ConstantIndexOp::create(rewriter, loc, 0)),
                   "the window size must not be negative");
    Value period = op.getPeriodic() != 0
                       ? size
                       : arith::SubIOp::create(
                             rewriter, loc, size,
                             arith::ConstantIndexOp::create(rewriter, loc, 1))
                             .getResult();
    Value init = tensor::EmptyOp::create(
        rewriter, loc, SmallVector<OpFoldResult>{getAsOpFoldResult(size)}, elt);
    Value window =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{}, init,
            AffineMap::getMultiDimIdentityMap(1, rewriter.getContext()),
            utils::IteratorType::parallel,
            [&](OpBuilder &nb, Location nl, ValueRange) {
              auto c = [&](double v) {
                return arith::ConstantOp::create(nb, nl, nb.getF64FloatAttr(v))
                    .getResult();
              };
              auto mul = [&](Value x, Value y) {
                return arith::MulFOp::create(nb, nl, x, y).getResult();
              };
              Value n = toF64(nb, nl, linalg::IndexOp::create(nb, nl, 0));
              Value angle = arith::DivFOp::create(
                  nb, nl, mul(n, c(2 * llvm::numbers::pi)), toF64(nb, nl, period));
              Value w;
              if constexpr (std::is_same_v<WindowOp, onnx::HannWindowOp>) {
                Value s = math::SinOp::create(nb, nl, mul(angle, c(0.5)));
                w = mul(s, s);
              } else if constexpr (std::is_same_v<WindowOp,
                                                  onnx::HammingWindowOp>) {
                w = arith::SubFOp::create(
                    nb, nl, c(25.0 / 46.0),
                    mul(math::CosOp::create(nb, nl, angle), c(21.0 / 46.0)));
              } else {
                w = arith::AddFOp::create(
                    nb, nl,
                    arith::SubFOp::create(
                        nb, nl, c(0.42),
                        mul(math::CosOp::create(nb, nl, angle), c(0.5))),
                    mul(math::CosOp::create(nb, nl, mul(angle, c(2))), c(0.08)));
              }
              if (elt != nb.getF64Type())
                w = arith::TruncFOp::create(nb, nl, elt, w);
              linalg::YieldOp::create(nb, nl, w);
            })
            .getResult(0);
    if (window.getType() != type)
      window = tensor::CastOp::create(rewriter, loc, type, window);
    rewriter.replaceOp(op, window);
    return success();
  }
};

/// MelWeightMatrix as ONNX's reference computes it: num_mel_bins + 2 points
/// spaced evenly in mel (by (high - low) / (num_mel_bins + 2), the
/// reference's step), each mapped to the FFT bin
/// floor((dft_length + 1) * hz / sample_rate); filter i rises linearly from
/// point i to point i + 1 and falls to 0 at point i + 2. The edges' mel
/// values are rounded in the edges' type, as the reference does; the rest is
/// f64.
struct MelWeightMatrixLowering : OpConversionPattern<onnx::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(onnx::MelWeightMatrixOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    RankedTensorType type = getStorageTensorType(op.getOutput());
    Type f64 = b.getF64Type();
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    Value mels = readIndex(b, loc, adaptor.getNumMelBins());
    Value length = readIndex(b, loc, adaptor.getDftLength());
    checkCondition(
        b, loc,
        arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, mels,
                                  index(0)),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, length,
                                  index(0))),
        "num_mel_bins and dft_length must not be negative");
    Value rate = castElement(b, loc, extractScalar(b, loc, adaptor.getSampleRate()),
                             getElementTypeOrSelf(op.getSampleRate()), f64);
    double ln10 = std::log(10.0);
    auto melOf = [&](Value edge, Type edgeType) {
      Value e = extractScalar(b, loc, edge);
      Value t = math::Log1pOp::create(
          b, loc, arith::DivFOp::create(b, loc, e, buildScalar(b, loc, edgeType, 700)));
      t = arith::MulFOp::create(b, loc, buildScalar(b, loc, edgeType, 2595), t);
      return arith::DivFOp::create(b, loc, castElement(b, loc, t, edgeType, f64),
                                   buildScalar(b, loc, f64, ln10))
          .getResult();
    };
    Value low = melOf(adaptor.getLowerEdgeHertz(),
                      getElementTypeOrSelf(op.getLowerEdgeHertz()));
    Value high = melOf(adaptor.getUpperEdgeHertz(),
                       getElementTypeOrSelf(op.getUpperEdgeHertz()));
    Value step = arith::DivFOp::create(
        b, loc, arith::SubFOp::create(b, loc, high, low),
        toF64(b, loc, arith::AddIOp::create(b, loc, mels, index(2))));
    Value lengthPlusOne =
        toF64(b, loc, arith::AddIOp::create(b, loc, length, index(1)));
    Value bins = arith::AddIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, length, index(2)), index(1));
    Value init = tensor::EmptyOp::create(
        b, loc, SmallVector<OpFoldResult>{bins, mels}, type.getElementType());
    Type onnxElt = getElementTypeOrSelf(op.getOutput());
    Value matrix =
        linalg::GenericOp::create(
            b, loc, init.getType(), ValueRange{}, init,
            b.getMultiDimIdentityMap(2),
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange) {
              auto c = [&](double v) { return buildScalar(nb, nl, f64, v); };
              Value j = toF64(nb, nl, linalg::IndexOp::create(nb, nl, 0));
              Value i = toF64(nb, nl, linalg::IndexOp::create(nb, nl, 1));
              auto point = [&](double offset) {
                Value mel = arith::AddFOp::create(
                    nb, nl,
                    arith::MulFOp::create(
                        nb, nl, arith::AddFOp::create(nb, nl, i, c(offset)),
                        step),
                    low);
                Value hz = arith::MulFOp::create(
                    nb, nl, c(700),
                    math::ExpM1Op::create(
                        nb, nl,
                        arith::MulFOp::create(
                            nb, nl, arith::DivFOp::create(nb, nl, mel, c(2595)),
                            c(ln10))));
                return math::FloorOp::create(
                           nb, nl,
                           arith::DivFOp::create(
                               nb, nl,
                               arith::MulFOp::create(nb, nl, lengthPlusOne, hz),
                               rate))
                    .getResult();
              };
              auto cmp = [&](arith::CmpFPredicate p, Value x, Value y) {
                return arith::CmpFOp::create(nb, nl, p, x, y).getResult();
              };
              auto both = [&](Value x, Value y) {
                return arith::AndIOp::create(nb, nl, x, y).getResult();
              };
              auto select = [&](Value cond, Value x, Value y) {
                return arith::SelectOp::create(nb, nl, cond, x, y).getResult();
              };
              Value left = point(0), center = point(1), right = point(2);
              Value rise = arith::SubFOp::create(nb, nl, center, left);
              Value fall = arith::SubFOp::create(nb, nl, right, center);
              Value zero = c(0), one = c(1);
              // Rising edge [left, center]; a zero-width one is 1 at center.
              Value rising = select(
                  cmp(arith::CmpFPredicate::OEQ, rise, zero),
                  select(cmp(arith::CmpFPredicate::OEQ, j, center), one, zero),
                  select(both(cmp(arith::CmpFPredicate::OLE, left, j),
                              cmp(arith::CmpFPredicate::OLE, j, center)),
                         arith::DivFOp::create(
                             nb, nl, arith::SubFOp::create(nb, nl, j, left),
                             rise),
                         zero));
              // Falling edge [center, right), written over the rising one.
              Value falling = arith::DivFOp::create(
                  nb, nl, arith::SubFOp::create(nb, nl, right, j), fall);
              Value v = select(
                  both(cmp(arith::CmpFPredicate::OGT, fall, zero),
                       both(cmp(arith::CmpFPredicate::OLE, center, j),
                            cmp(arith::CmpFPredicate::OLT, j, right))),
                  falling, rising);
              linalg::YieldOp::create(nb, nl,
                                      castElement(nb, nl, v, f64, onnxElt));
            })
            .getResult(0);
    if (matrix.getType() != type)
      matrix = tensor::CastOp::create(b, loc, type, matrix);
    rewriter.replaceOp(op, matrix);
    return success();
  }
};

} // namespace

void seqc::populateSpectralPatterns(RewritePatternSet &patterns) {
  patterns.add<DFTLowering, STFTLowering, WindowLowering<onnx::HannWindowOp>,
               WindowLowering<onnx::HammingWindowOp>,
               WindowLowering<onnx::BlackmanWindowOp>, MelWeightMatrixLowering>(
      patterns.getContext());
}
