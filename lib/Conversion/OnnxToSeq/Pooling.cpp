//===- Pooling.cpp - ONNX pooling to linalg -------------------------------===//
//
// MaxPool and AveragePool are one linalg.generic over (n, c, o..., k...)
// reading the padded input at o*stride + k*dilation, like Conv without the
// channel contraction. The input is padded once: by `pads`, plus what the
// last window of ceil_mode reaches beyond; MaxPool pads with the lowest
// value. AveragePool divides each window by how many of its positions lie in
// the input (count_include_pad = 0) or in the input and its pads (1),
// counted per dimension in closed form. The global ops reduce over every
// spatial dimension.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// The lowest value of `type` (held in `storage`): MaxPool's padding and
/// starting value.
TypedAttr lowest(OpBuilder &b, Type type, Type storage) {
  if (auto f = dyn_cast<FloatType>(type))
    return b.getFloatAttr(
        type, APFloat::getInf(f.getFloatSemantics(), /*Negative=*/true));
  unsigned width = type.getIntOrFloatBitWidth();
  return b.getIntegerAttr(storage, type.isUnsignedInteger()
                                       ? APInt::getZero(width)
                                       : APInt::getSignedMinValue(width));
}


/// MaxPool with its Indices: the first largest element of each window and
/// its position in X flattened (row-major over N, C and the spatial
/// dimensions; with storage_order 1, column-major over H and W), as ONNX's
/// reference numbers them. `x` is padded with the lowest value; a window's
/// first element inside X is taken before any comparison, so a window of
/// -inf still names one.
std::pair<Value, Value>
buildMaxWithIndices(OpBuilder &b, Location loc, onnx::MaxPoolOp op, Value x,
                    Value window, Value init, ArrayRef<OpFoldResult> outSizes,
                    ArrayRef<Value> inSizes, const onnx::ConvGeometry &g,
                    SmallVector<AffineMap> maps,
                    ArrayRef<utils::IteratorType> iterators) {
  Type onnxElt = getElementTypeOrSelf(op.getX());
  unsigned spatial = inSizes.size();
  bool columnMajor = op.getStorageOrder() != 0;
  Value channels = tensor::DimOp::create(b, loc, x, 1); // not padded
  Value minusOne = arith::ConstantIntOp::create(b, loc, b.getI64Type(), -1);
  Value indexInit = linalg::FillOp::create(
                        b, loc, minusOne,
                        tensor::EmptyOp::create(b, loc, outSizes,
                                                b.getI64Type())
                            .getResult())
                        .getResult(0);
  maps.push_back(maps.back());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType(), indexInit.getType()},
      ValueRange{x, window}, ValueRange{init, indexInit}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        auto index = [&](unsigned d) {
          return linalg::IndexOp::create(nb, nl, d).getResult();
        };
        auto c = [&](int64_t v) {
          return arith::ConstantIndexOp::create(nb, nl, v).getResult();
        };
        Value inside = arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1);
        Value flat = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, index(0), channels),
            index(1));
        SmallVector<Value> positions;
        for (unsigned i = 0; i < spatial; ++i) {
          Value pos = arith::SubIOp::create(
              nb, nl,
              arith::AddIOp::create(
                  nb, nl,
                  arith::MulIOp::create(nb, nl, index(2 + i),
                                        c(g.strides[i])),
                  arith::MulIOp::create(nb, nl, index(2 + spatial + i),
                                        c(g.dilations[i]))),
              c(g.padsBegin[i]));
          positions.push_back(pos);
          Value within = arith::AndIOp::create(
              nb, nl,
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, pos,
                                    c(0)),
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, pos,
                                    inSizes[i]));
          inside = arith::AndIOp::create(nb, nl, inside, within);
          if (!columnMajor)
            flat = arith::AddIOp::create(
                nb, nl, arith::MulIOp::create(nb, nl, flat, inSizes[i]), pos);
        }
        if (columnMajor) // [N, C, H, W]: h + w * H within the plane
          flat = arith::AddIOp::create(
              nb, nl,
              arith::MulIOp::create(
                  nb, nl, flat,
                  arith::MulIOp::create(nb, nl, inSizes[0], inSizes[1])),
              arith::AddIOp::create(
                  nb, nl, positions[0],
                  arith::MulIOp::create(nb, nl, positions[1], inSizes[0])));
        Value xv = args[0], best = args[2], bestIndex = args[3];
        Value greater;
        if (isa<FloatType>(onnxElt))
          greater = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                          xv, best);
        else
          greater = arith::CmpIOp::create(
              nb, nl,
              onnxElt.isUnsignedInteger() ? arith::CmpIPredicate::ugt
                                          : arith::CmpIPredicate::sgt,
              xv, best);
        Value first = arith::AndIOp::create(
            nb, nl, inside,
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, bestIndex,
                                  minusOne));
        Value take = arith::OrIOp::create(
            nb, nl, arith::AndIOp::create(nb, nl, greater, inside), first);
        Value flatI64 =
            arith::IndexCastOp::create(nb, nl, nb.getI64Type(), flat);
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::SelectOp::create(nb, nl, take, xv, best),
                       arith::SelectOp::create(nb, nl, take, flatI64,
                                               bestIndex)});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

template <typename PoolOp>
struct PoolLowering : OpConversionPattern<PoolOp> {
  using OpConversionPattern<PoolOp>::OpConversionPattern;
  static constexpr bool isMax = std::is_same_v<PoolOp, onnx::MaxPoolOp>;

  LogicalResult
  matchAndRewrite(PoolOp op, typename PoolOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    auto yType = getStorageTensorType(op.getY());
    Type elt = xType.getElementType();
    Type onnxElt = getElementTypeOrSelf(op.getX());
    if constexpr (isMax) {
      if (!op.getIndices().use_empty() && op.getStorageOrder() != 0 &&
          xType.getRank() != 4)
        return op.emitOpError("storage_order 1 is defined for 2-D pooling "
                              "only");
    } else {
      if (!isa<FloatType>(elt))
        return op.emitOpError("is not defined for element type ") << elt;
    }
    FailureOr<onnx::ConvGeometry> geometry =
        onnx::getPoolGeometry(op, onnx::OpError(op));
    if (failed(geometry))
      return failure();
    const onnx::ConvGeometry &g = *geometry;
    unsigned spatial = xType.getRank() - 2;
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };

    // Output sizes, and the padding: pads plus the ceil_mode overhang
    // (windows of the output reach (out-1)*stride + span).
    SmallVector<OpFoldResult> outSizes = {
        tensor::getMixedSize(rewriter, loc, x, 0),
        tensor::getMixedSize(rewriter, loc, x, 1)};
    SmallVector<OpFoldResult> low(2, rewriter.getIndexAttr(0)),
        high(2, rewriter.getIndexAttr(0));
    SmallVector<Value> inSizes;
    for (unsigned i = 0; i < spatial; ++i) {
      Value size = tensor::DimOp::create(rewriter, loc, x, 2 + i);
      inSizes.push_back(size);
      OpFoldResult out = onnx::reifyWindowOutputSize(
          rewriter, loc, adaptor.getX(), 2 + i, g, i);
      outSizes.push_back(out);
      int64_t span = g.dilations[i] * (g.kernel[i] - 1) + 1;
      // reach = max(size + begin + end, (out - 1) * stride + span)
      Value reach = arith::AddIOp::create(
          rewriter, loc,
          arith::MulIOp::create(
              rewriter, loc,
              arith::SubIOp::create(
                  rewriter, loc,
                  getValueOrCreateConstantIndexOp(rewriter, loc, out), c(1)),
              c(g.strides[i])),
          c(span));
      Value padded = arith::AddIOp::create(
          rewriter, loc, size, c(g.padsBegin[i] + g.padsEnd[i]));
      Value extra = arith::MaxSIOp::create(
          rewriter, loc, c(0), arith::SubIOp::create(rewriter, loc, reach, padded));
      low.push_back(rewriter.getIndexAttr(g.padsBegin[i]));
      high.push_back(getAsOpFoldResult(
          arith::AddIOp::create(rewriter, loc, extra, c(g.padsEnd[i])).getResult()));
    }
    TypedAttr fillAttr = isMax ? lowest(rewriter, onnxElt, elt)
                               : cast<TypedAttr>(rewriter.getZeroAttr(elt));
    Value fill = arith::ConstantOp::create(rewriter, loc, fillAttr);
    x = tensor::PadOp::create(rewriter, loc, Type(), x, low, high, fill);

    // Loops (n, c, o..., k...); the window's kernel is an operand of the
    // kernel's shape so that linalg knows the k ranges.
    unsigned numLoops = 2 + 2 * spatial;
    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xExprs = {dim(0), dim(1)}, yExprs = {dim(0), dim(1)},
                            kExprs;
    for (unsigned i = 0; i < spatial; ++i) {
      AffineExpr o = dim(2 + i), k = dim(2 + spatial + i);
      xExprs.push_back(o * g.strides[i] + k * g.dilations[i]);
      yExprs.push_back(o);
      kExprs.push_back(k);
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, g.kernel, elt);
    SmallVector<utils::IteratorType> iterators(2 + spatial,
                                               utils::IteratorType::parallel);
    iterators.append(spatial, utils::IteratorType::reduction);
    Value init = tensor::EmptyOp::create(rewriter, loc, outSizes, elt);
    init = linalg::FillOp::create(rewriter, loc, fill, init).getResult(0);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{x, window}, init,
            SmallVector<AffineMap>{AffineMap::get(numLoops, 0, xExprs, ctx),
                                   AffineMap::get(numLoops, 0, kExprs, ctx),
                                   AffineMap::get(numLoops, 0, yExprs, ctx)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value r;
              if (!isMax)
                r = arith::AddFOp::create(b, l, args[2], args[0]);
              else
                r = buildMaximum(b, l, args[2], args[0],
                                 onnxElt.isUnsignedInteger());
              linalg::YieldOp::create(b, l, r);
            })
            .getResult(0);

    if constexpr (!isMax) {
      // Divide by the window's positions inside the input (or the input and
      // its pads): per dimension, the k in [0, K) with
      // lo <= o*stride + k*dilation - begin < hi.
      bool includePad = op.getCountIncludePad() != 0;
      auto yT = cast<RankedTensorType>(y.getType());
      y = linalg::GenericOp::create(
              rewriter, loc, yT, ValueRange{}, y,
              SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(yT.getRank())},
              SmallVector<utils::IteratorType>(yT.getRank(),
                                               utils::IteratorType::parallel),
              [&](OpBuilder &b, Location l, ValueRange args) {
                auto ci = [&](int64_t v) {
                  return arith::ConstantIndexOp::create(b, l, v);
                };
                Value count = ci(1);
                for (unsigned i = 0; i < spatial; ++i) {
                  Value o = linalg::IndexOp::create(b, l, 2 + i);
                  Value start = arith::SubIOp::create(
                      b, l, arith::MulIOp::create(b, l, o, ci(g.strides[i])),
                      ci(g.padsBegin[i]));
                  Value lo = includePad ? ci(-g.padsBegin[i]) : ci(0);
                  Value hi = includePad
                                 ? Value(arith::AddIOp::create(
                                       b, l, inSizes[i], ci(g.padsEnd[i])))
                                 : inSizes[i];
                  // first k: ceil((lo - start) / d) clamped at 0; last k:
                  // floor((hi - 1 - start) / d) clamped at K - 1.
                  Value first = arith::MaxSIOp::create(
                      b, l, ci(0),
                      arith::CeilDivSIOp::create(
                          b, l, arith::SubIOp::create(b, l, lo, start),
                          ci(g.dilations[i])));
                  Value last = arith::MinSIOp::create(
                      b, l, ci(g.kernel[i] - 1),
                      arith::FloorDivSIOp::create(
                          b, l,
                          arith::SubIOp::create(
                              b, l, arith::SubIOp::create(b, l, hi, ci(1)),
                              start),
                          ci(g.dilations[i])));
                  Value n = arith::MaxSIOp::create(
                      b, l, ci(0),
                      arith::AddIOp::create(
                          b, l, arith::SubIOp::create(b, l, last, first),
                          ci(1)));
                  count = arith::MulIOp::create(b, l, count, n);
                }
                Value divisor = arith::SIToFPOp::create(
                    b, l, elt,
                    arith::IndexCastOp::create(b, l, b.getI64Type(), count));
                linalg::YieldOp::create(
                    b, l,
                    arith::DivFOp::create(b, l, args[0], divisor).getResult());
              })
              .getResult(0);
    }
    Value indices;
    if constexpr (isMax) {
      if (!op.getIndices().use_empty()) {
        auto maxAndIndex = buildMaxWithIndices(
            rewriter, loc, op, x, window, init, outSizes, inSizes, g,
            {AffineMap::get(numLoops, 0, xExprs, ctx),
             AffineMap::get(numLoops, 0, kExprs, ctx),
             AffineMap::get(numLoops, 0, yExprs, ctx)},
            iterators);
        y = maxAndIndex.first;
        indices = maxAndIndex.second;
      } else {
        indices = tensor::EmptyOp::create(rewriter, loc, outSizes,
                                          rewriter.getI64Type());
      }
    }
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    if constexpr (isMax)
      rewriter.replaceOp(op, {y, indices});
    else
      rewriter.replaceOp(op, y);
    return success();
  }
};

/// Mean or maximum over every spatial dimension, kept as 1s.
template <typename GlobalOp>
struct GlobalPoolLowering : OpConversionPattern<GlobalOp> {
  using OpConversionPattern<GlobalOp>::OpConversionPattern;
  static constexpr bool isMax = std::is_same_v<GlobalOp, onnx::GlobalMaxPoolOp>;

  LogicalResult
  matchAndRewrite(GlobalOp op, typename GlobalOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    auto yType = cast<RankedTensorType>(op.getY().getType());
    Type elt = xType.getElementType();
    if (!isa<FloatType>(elt))
      return op.emitOpError("is not defined for element type ") << elt;
    int64_t rank = xType.getRank();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
    SmallVector<OpFoldResult> outSizes(sizes.begin(), sizes.begin() + 2);
    outSizes.append(rank - 2, rewriter.getIndexAttr(1));
    SmallVector<AffineExpr> outExprs = {rewriter.getAffineDimExpr(0),
                                        rewriter.getAffineDimExpr(1)};
    outExprs.append(rank - 2, rewriter.getAffineConstantExpr(0));
    Value start = arith::ConstantOp::create(
        rewriter, loc,
        isMax ? lowest(rewriter, elt, elt)
              : cast<TypedAttr>(rewriter.getZeroAttr(elt)));
    Value init = tensor::EmptyOp::create(rewriter, loc, outSizes, elt);
    init = linalg::FillOp::create(rewriter, loc, start, init).getResult(0);
    SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
    iterators.append(rank - 2, utils::IteratorType::reduction);
    Value y = linalg::GenericOp::create(
                  rewriter, loc, init.getType(), x, init,
                  SmallVector<AffineMap>{
                      rewriter.getMultiDimIdentityMap(rank),
                      AffineMap::get(rank, 0, outExprs, rewriter.getContext())},
                  iterators,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    Value r = isMax ? Value(arith::MaximumFOp::create(
                                          b, l, args[1], args[0]))
                                    : Value(arith::AddFOp::create(b, l, args[1],
                                                                  args[0]));
                    linalg::YieldOp::create(b, l, r);
                  })
                  .getResult(0);
    if (!isMax) {
      Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
      for (int64_t d = 2; d < rank; ++d)
        count = arith::MulIOp::create(
            rewriter, loc, count,
            getValueOrCreateConstantIndexOp(rewriter, loc, sizes[d]));
      Value n = arith::SIToFPOp::create(
          rewriter, loc, elt,
          arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                     count));
      y = buildElementwise(rewriter, loc, y.getType(), y,
                           [&](OpBuilder &b, Location l, ValueRange a) {
                             return SmallVector<Value>{
                                 arith::DivFOp::create(b, l, a[0], n)};
                           })[0];
    }
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void seqc::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<PoolLowering<onnx::MaxPoolOp>, PoolLowering<onnx::AveragePoolOp>,
               GlobalPoolLowering<onnx::GlobalAveragePoolOp>,
               GlobalPoolLowering<onnx::GlobalMaxPoolOp>>(patterns.getContext());
}
