//===- Convolution.cpp - ONNX Conv and ConvTranspose to linalg -------------===//
//
// Both are one linalg.generic for every spatial rank and grouping,
//
//   Y[n, g, m, o...] += X'[n, g*Cg + c, window(o, k)...] * W[..., k'...]
//
// over loops (n, g, m, o..., c, k...), with Cg input and Mg output channels
// per group. The [N, group, Mg, O...] result collapses to [N, M, O...]; the
// bias is its initial value.
//
// Conv reads the zero-padded input at o*s + k*d. ConvTranspose first spreads
// its input over a zero tensor Z at stride s (X[i] at Z[i*s + offset]); an
// output element is then an ordinary convolution of Z with the kernel
// reversed: Y[o] = sum_k Z[o + (K-1-k)*d] * W[k].
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// The loops of a grouped convolution over `spatial` dimensions:
/// (n, g, m, o_1..o_k | c, k_1..k_k).
struct ConvLoops {
  MLIRContext *ctx;
  unsigned spatial;
  unsigned numParallel() const { return 3 + spatial; }
  unsigned numLoops() const { return numParallel() + 1 + spatial; }
  AffineExpr dim(unsigned i) const { return getAffineDimExpr(i, ctx); }
  AffineExpr n() const { return dim(0); }
  AffineExpr group() const { return dim(1); }
  AffineExpr m() const { return dim(2); }
  AffineExpr out(unsigned i) const { return dim(3 + i); }
  AffineExpr c() const { return dim(numParallel()); }
  AffineExpr kernel(unsigned i) const { return dim(numParallel() + 1 + i); }
};

/// Y = bias + the contraction of x and w indexed by `xExprs` and `wExprs`
/// over `loops`, as [N, M, O...] of type `yType`; `outSizes` are the O sizes.
Value buildGroupedConvolution(OpBuilder &b, Location loc, const ConvLoops &loops,
                              Value x, Value w, Value bias, int64_t group,
                              int64_t mg, ArrayRef<AffineExpr> xExprs,
                              ArrayRef<AffineExpr> wExprs,
                              ArrayRef<OpFoldResult> outSizes,
                              RankedTensorType yType) {
  MLIRContext *ctx = loops.ctx;
  Type elt = yType.getElementType();
  SmallVector<int64_t> groupedShape = {yType.getDimSize(0), group, mg};
  SmallVector<OpFoldResult> groupedSizes = {
      tensor::getMixedSize(b, loc, x, 0), b.getIndexAttr(group),
      b.getIndexAttr(mg)};
  for (unsigned i = 0; i < loops.spatial; ++i)
    groupedShape.push_back(yType.getDimSize(2 + i));
  llvm::append_range(groupedSizes, outSizes);
  auto groupedType = RankedTensorType::get(groupedShape, elt);
  unsigned rank = groupedType.getRank();
  Value init = buildFilled(b, loc, groupedType, groupedSizes, 0.0);
  if (bias) {
    checkSizesEqual(b, loc, tensor::getMixedSize(b, loc, bias, 0),
                    b.getIndexAttr(mg * group), "B's size");
    init = linalg::GenericOp::create(
               b, loc, groupedType, bias, init,
               SmallVector<AffineMap>{
                   AffineMap::get(rank, 0, {loops.dim(1) * mg + loops.dim(2)},
                                  ctx),
                   AffineMap::getMultiDimIdentityMap(rank, ctx)},
               SmallVector<utils::IteratorType>(rank,
                                                utils::IteratorType::parallel),
               [](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, args[0]);
               })
               .getResult(0);
  }
  SmallVector<AffineExpr> yExprs = {loops.n(), loops.group(), loops.m()};
  for (unsigned i = 0; i < loops.spatial; ++i)
    yExprs.push_back(loops.out(i));
  unsigned numLoops = loops.numLoops();
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xExprs, ctx),
                                 AffineMap::get(numLoops, 0, wExprs, ctx),
                                 AffineMap::get(numLoops, 0, yExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(loops.numParallel(),
                                             utils::IteratorType::parallel);
  iterators.append(1 + loops.spatial, utils::IteratorType::reduction);
  Value grouped =
      linalg::GenericOp::create(
          b, loc, groupedType, ValueRange{x, w}, init, maps, iterators,
          [](OpBuilder &nb, Location l, ValueRange args) {
            Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
            Value sum = arith::AddFOp::create(nb, l, args[2], product);
            linalg::YieldOp::create(nb, l, sum);
          })
          .getResult(0);
  SmallVector<ReassociationIndices> collapse = {{0}, {1, 2}};
  for (unsigned i = 0; i < loops.spatial; ++i)
    collapse.push_back({3 + i});
  Value y = tensor::CollapseShapeOp::create(b, loc, grouped, collapse);
  if (y.getType() != yType)
    y = tensor::CastOp::create(b, loc, yType, y);
  return y;
}

/// An f32 Conv of one group as a matrix product (im2col). Each output
/// position's window becomes a row, X'[n, o..., c, k...] = X[n, c, o*s +
/// k*d ...] (a gather), [N * O..., C * K...] collapsed; the weights are the
/// right side, [C * K..., M]; the product [N * O..., M] starts from the bias
/// per column and is expanded and transposed to [N, M, O...]. The product is
/// a linalg.matmul, which seqc-vectorize-matmul makes vector code with the
/// weights packed (the generic convolution stayed scalar loops: most of
/// silero-vad's time per chunk).
Value buildConvAsMatmul(OpBuilder &b, Location loc, Value x, Value w,
                        Value bias, const onnx::ConvGeometry &g,
                        ArrayRef<OpFoldResult> outSizes,
                        RankedTensorType yType) {
  MLIRContext *ctx = b.getContext();
  auto wType = cast<RankedTensorType>(w.getType());
  Type elt = yType.getElementType();
  unsigned spatial = wType.getRank() - 2;
  int64_t m = wType.getDimSize(0), c = wType.getDimSize(1);
  int64_t window = *collapsedSize(wType.getShape().drop_front());

  // The gather: loops (n, o..., c, k...).
  unsigned numLoops = 2 + 2 * spatial;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs = {dim(0), dim(1 + spatial)};
  SmallVector<int64_t> rowsShape = {yType.getDimSize(0)};
  SmallVector<OpFoldResult> rowsSizes = {tensor::getMixedSize(b, loc, x, 0)};
  for (unsigned i = 0; i < spatial; ++i) {
    xExprs.push_back(dim(1 + i) * g.strides[i] +
                     dim(2 + spatial + i) * g.dilations[i]);
    rowsShape.push_back(yType.getDimSize(2 + i));
    rowsSizes.push_back(outSizes[i]);
  }
  rowsShape.push_back(c);
  rowsSizes.push_back(b.getIndexAttr(c));
  for (unsigned i = 0; i < spatial; ++i) {
    rowsShape.push_back(wType.getDimSize(2 + i));
    rowsSizes.push_back(b.getIndexAttr(wType.getDimSize(2 + i)));
  }
  auto windowsType = RankedTensorType::get(rowsShape, elt);
  Value windows =
      linalg::GenericOp::create(
          b, loc, windowsType, x,
          tensor::EmptyOp::create(b, loc, rowsSizes, elt).getResult(),
          SmallVector<AffineMap>{
              AffineMap::get(numLoops, 0, xExprs, ctx),
              AffineMap::getMultiDimIdentityMap(numLoops, ctx)},
          SmallVector<utils::IteratorType>(numLoops,
                                           utils::IteratorType::parallel),
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, args[0]);
          })
          .getResult(0);
  ReassociationIndices positions, windowDims;
  for (unsigned i = 0; i <= spatial; ++i)
    positions.push_back(i);
  for (unsigned i = 0; i <= spatial; ++i)
    windowDims.push_back(1 + spatial + i);
  Value rows = tensor::CollapseShapeOp::create(
      b, loc, windows, SmallVector<ReassociationIndices>{positions, windowDims});

  // The weights as [C * K..., M]: transposed at compile time when constant.
  Value columns;
  DenseElementsAttr constantW;
  if (matchPattern(w, m_Constant(&constantW))) {
    columns = arith::ConstantOp::create(
        b, loc, transposeConstantMatrix(constantW, m, window));
  } else {
    ReassociationIndices rest;
    for (unsigned i = 1; i < 2 + spatial; ++i)
      rest.push_back(i);
    Value flat = tensor::CollapseShapeOp::create(
        b, loc, w, SmallVector<ReassociationIndices>{{0}, rest});
    columns = buildTranspose(b, loc, flat, {1, 0});
  }

  // The product, from the bias of each column (output channel).
  OpFoldResult numRows = tensor::getMixedSize(b, loc, rows, 0);
  auto productType = RankedTensorType::get(
      {cast<RankedTensorType>(rows.getType()).getDimSize(0), m}, elt);
  Value init;
  if (bias) {
    checkSizesEqual(b, loc, tensor::getMixedSize(b, loc, bias, 0),
                    b.getIndexAttr(m), "B's size");
    Value staticBias = bias;
    auto biasType = RankedTensorType::get({m}, elt);
    if (bias.getType() != biasType)
      staticBias = tensor::CastOp::create(b, loc, biasType, bias);
    init = linalg::BroadcastOp::create(
               b, loc, staticBias,
               tensor::EmptyOp::create(
                   b, loc, SmallVector<OpFoldResult>{numRows, b.getIndexAttr(m)},
                   elt),
               SmallVector<int64_t>{0})
               .getResult()[0];
  } else {
    init = buildFilled(b, loc, productType, {numRows, b.getIndexAttr(m)}, 0.0);
  }
  Value product =
      linalg::MatmulOp::create(b, loc, TypeRange{productType},
                               ValueRange{rows, columns}, ValueRange{init})
          .getResult(0);

  // [N, O..., M] -> [N, M, O...].
  SmallVector<int64_t> byPosition(rowsShape.begin(),
                                  rowsShape.begin() + 1 + spatial);
  byPosition.push_back(m);
  SmallVector<OpFoldResult> byPositionSizes(rowsSizes.begin(),
                                            rowsSizes.begin() + 1 + spatial);
  byPositionSizes.push_back(b.getIndexAttr(m));
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(byPosition, elt), product,
      SmallVector<ReassociationIndices>{positions, {1 + spatial}},
      byPositionSizes);
  SmallVector<int64_t> perm = {0, 1 + spatial};
  for (unsigned i = 0; i < spatial; ++i)
    perm.push_back(1 + i);
  Value y = buildTranspose(b, loc, expanded, perm);
  if (y.getType() != yType)
    y = tensor::CastOp::create(b, loc, yType, y);
  return y;
}

/// Conv and ConvTranspose compute in floats.
LogicalResult checkConvElementType(Operation *op, Type elt) {
  if (!isa<FloatType>(elt))
    return op->emitOpError("is not defined for element type ") << elt;
  return success();
}

struct ConvLowering : OpConversionPattern<onnx::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), w = adaptor.getW();
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    Type elt = xType.getElementType();
    if (failed(checkConvElementType(op, elt)))
      return failure();
    FailureOr<onnx::ConvGeometry> geometry =
        onnx::getConvGeometry(op, onnx::OpError(op));
    if (failed(geometry))
      return failure();
    const onnx::ConvGeometry &g = *geometry;
    unsigned spatial = xType.getRank() - 2;
    int64_t group = op.getGroup();
    if (wType.isDynamicDim(0) || wType.isDynamicDim(1))
      return op.emitOpError("needs W's channel counts static, found ")
             << wType;
    int64_t mg = wType.getDimSize(0) / group, cg = wType.getDimSize(1);

    // The channel count of X must be cg * group: W's layout fixes it.
    checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, x, 1),
                    rewriter.getIndexAttr(cg * group), "X's channel count");

    // Zero padding, once, before the contraction.
    SmallVector<int64_t> low(2, 0), high(2, 0);
    llvm::append_range(low, g.padsBegin);
    llvm::append_range(high, g.padsEnd);
    if (llvm::any_of(low, [](int64_t p) { return p != 0; }) ||
        llvm::any_of(high, [](int64_t p) { return p != 0; })) {
      auto paddedType = tensor::PadOp::inferResultType(xType, low, high);
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getZeroAttr(elt));
      SmallVector<OpFoldResult> lowSizes, highSizes;
      for (auto [l, h] : llvm::zip(low, high)) {
        lowSizes.push_back(rewriter.getIndexAttr(l));
        highSizes.push_back(rewriter.getIndexAttr(h));
      }
      x = tensor::PadOp::create(rewriter, loc, paddedType, x, lowSizes,
                                highSizes, zero);
    }

    // The rows [N * O...] and the window [C * K...] must have sizes whose
    // products fit int64 (hostile declared shapes keep the generic form).
    auto yType = cast<RankedTensorType>(op.getY().getType());
    SmallVector<int64_t> positions = {yType.getDimSize(0)};
    llvm::append_range(positions, yType.getShape().drop_front(2));
    if (group == 1 && elt.isF32() && wType.hasStaticShape() &&
        collapsedSize(wType.getShape().drop_front()) &&
        collapsedSize(positions)) {
      SmallVector<OpFoldResult> outSizes;
      for (unsigned i = 0; i < spatial; ++i)
        outSizes.push_back(onnx::reifyWindowOutputSize(
            rewriter, loc, adaptor.getX(), 2 + i, g, i));
      rewriter.replaceOp(
          op, buildConvAsMatmul(rewriter, loc, x, w, adaptor.getB(), g,
                                outSizes,
                                cast<RankedTensorType>(op.getY().getType())));
      return success();
    }

    ConvLoops loops{rewriter.getContext(), spatial};
    SmallVector<AffineExpr> xExprs = {loops.n(), loops.group() * cg + loops.c()},
                            wExprs = {loops.group() * mg + loops.m(),
                                      loops.c()};
    SmallVector<OpFoldResult> outSizes;
    for (unsigned i = 0; i < spatial; ++i) {
      xExprs.push_back(loops.out(i) * g.strides[i] +
                       loops.kernel(i) * g.dilations[i]);
      wExprs.push_back(loops.kernel(i));
      outSizes.push_back(onnx::reifyWindowOutputSize(
          rewriter, loc, adaptor.getX(), 2 + i, g, i));
    }
    rewriter.replaceOp(
        op, buildGroupedConvolution(
                rewriter, loc, loops, x, w, adaptor.getB(), group, mg, xExprs,
                wExprs, outSizes, cast<RankedTensorType>(op.getY().getType())));
    return success();
  }
};

struct ConvTransposeLowering : OpConversionPattern<onnx::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX(), w = adaptor.getW();
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    Type elt = xType.getElementType();
    if (failed(checkConvElementType(op, elt)))
      return failure();
    FailureOr<onnx::ConvTransposeGeometry> geometry =
        onnx::getConvTransposeGeometry(op, onnx::OpError(op));
    if (failed(geometry))
      return failure();
    const onnx::ConvTransposeGeometry &g = *geometry;
    unsigned spatial = xType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t mg = wType.getDimSize(1);
    if (wType.isDynamicDim(0))
      return op.emitOpError("needs W's input channel count static, found ")
             << wType;
    int64_t cg = wType.getDimSize(0) / group;
    checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, x, 1),
                    rewriter.getIndexAttr(cg * group), "X's channel count");

    // (size - 1) * stride + extra for spatial dimension i of X, clamped at 0.
    auto spread = [&](unsigned i, int64_t extra) -> OpFoldResult {
      int64_t size = xType.getDimSize(2 + i);
      if (size != ShapedType::kDynamic)
        return rewriter.getIndexAttr(
            std::max<int64_t>(0, (size - 1) * g.strides[i] + extra));
      auto c = [&](int64_t v) {
        return arith::ConstantIndexOp::create(rewriter, loc, v);
      };
      Value dim = tensor::DimOp::create(rewriter, loc, x, 2 + i);
      Value value = arith::AddIOp::create(
          rewriter, loc, arith::MulIOp::create(rewriter, loc, dim, c(g.strides[i])),
          c(extra - g.strides[i]));
      return arith::MaxSIOp::create(rewriter, loc, value, c(0)).getResult();
    };

    // Z: X spread at stride s from `offset`; Y[o] reads Z[o + k'*d + margin]
    // (k' = K-1-k) where margin makes room for what negative pads add before the data.
    ConvLoops loops{rewriter.getContext(), spatial};
    SmallVector<int64_t> zShape = {xType.getDimSize(0), xType.getDimSize(1)};
    SmallVector<OpFoldResult> zSizes = {
        tensor::getMixedSize(rewriter, loc, x, 0),
        tensor::getMixedSize(rewriter, loc, x, 1)};
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)),
        strides(2, rewriter.getIndexAttr(1));
    // W as [group, Cg, Mg, k...], so that every loop indexes it directly.
    SmallVector<int64_t> groupedW = {group, cg};
    llvm::append_range(groupedW, wType.getShape().drop_front());
    SmallVector<ReassociationIndices> expand = {{0, 1}};
    for (unsigned i = 1; i < wType.getRank(); ++i)
      expand.push_back({i + 1});
    w = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(groupedW, elt), w, expand);
    SmallVector<AffineExpr> xExprs = {loops.n(), loops.group() * cg + loops.c()},
                            wExprs = {loops.group(), loops.c(), loops.m()};
    SmallVector<OpFoldResult> outSizes;
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t reach = g.dilations[i] * (g.kernel[i] - 1);
      int64_t offset = reach - g.padsBegin[i];
      int64_t margin = std::max<int64_t>(0, -offset);
      int64_t readEnd = g.fullExtra(i) - g.padsBegin[i] - g.padsEnd[i] + reach;
      int64_t zExtra = std::max(readEnd, offset + 1) + margin;
      OpFoldResult zSize = spread(i, zExtra);
      zSizes.push_back(zSize);
      std::optional<int64_t> staticSize = getConstantIntValue(zSize);
      zShape.push_back(staticSize ? *staticSize : ShapedType::kDynamic);
      offsets.push_back(rewriter.getIndexAttr(offset + margin));
      strides.push_back(rewriter.getIndexAttr(g.strides[i]));
      // The kernel loop runs over W's index k (each loop must index some
      // operand directly): Z[o + (K-1-k)*d + margin].
      xExprs.push_back(loops.out(i) - loops.kernel(i) * g.dilations[i] +
                       reach + margin);
      wExprs.push_back(loops.kernel(i));
      outSizes.push_back(
          spread(i, g.fullExtra(i) - g.padsBegin[i] - g.padsEnd[i]));
    }
    Value z = buildFilled(rewriter, loc, RankedTensorType::get(zShape, elt),
                          zSizes, 0.0);
    z = tensor::InsertSliceOp::create(
        rewriter, loc, x, z, offsets,
        tensor::getMixedSizes(rewriter, loc, x), strides);
    rewriter.replaceOp(
        op, buildGroupedConvolution(
                rewriter, loc, loops, z, w, adaptor.getB(), group, mg, xExprs,
                wExprs, outSizes, cast<RankedTensorType>(op.getY().getType())));
    return success();
  }
};

} // namespace

void seqc::populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(patterns.getContext());
}
