//===- Convolution.cpp - ONNX Conv to linalg ------------------------------===//
//
// One linalg.generic for every spatial rank and grouping: the input is
// zero-padded (tensor.pad), then
//
//   Y[n, g, m, o...] += X[n, g*Cg + c, o*s + k*d...] * W[g*Mg + m, c, k...]
//
// over loops (n, g, m, o..., c, k...), with Cg = C/group input and
// Mg = M/group output channels per group. The [N, group, Mg, O...] result
// collapses to [N, M, O...]; the bias is its initial value.
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
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

struct ConvLowering : OpConversionPattern<onnx::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX(), w = adaptor.getW();
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    auto yType = cast<RankedTensorType>(op.getY().getType());
    Type elt = xType.getElementType();
    if (!isa<FloatType>(elt))
      return op.emitOpError("is not defined for element type ") << elt;
    if (elt.isBF16())
      return op.emitOpError(kNoBF16Arithmetic);
    FailureOr<onnx::ConvGeometry> geometry = onnx::getConvGeometry(op);
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

    // Loops: n, g, m, o_1..o_k | c, k_1..k_k.
    unsigned numParallel = 3 + spatial, numLoops = numParallel + 1 + spatial;
    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineExpr n = dim(0), gi = dim(1), m = dim(2), c = dim(numParallel);
    SmallVector<AffineExpr> xExprs = {n, gi * cg + c}, wExprs = {gi * mg + m, c},
                            yExprs = {n, gi, m};
    for (unsigned i = 0; i < spatial; ++i) {
      AffineExpr o = dim(3 + i), k = dim(numParallel + 1 + i);
      xExprs.push_back(o * g.strides[i] + k * g.dilations[i]);
      wExprs.push_back(k);
      yExprs.push_back(o);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xExprs, ctx),
                                   AffineMap::get(numLoops, 0, wExprs, ctx),
                                   AffineMap::get(numLoops, 0, yExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numParallel,
                                               utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);

    // The grouped result [N, group, Mg, O...], initialised with the bias.
    SmallVector<int64_t> groupedShape = {yType.getDimSize(0), group, mg};
    SmallVector<OpFoldResult> groupedSizes = {
        tensor::getMixedSize(rewriter, loc, adaptor.getX(), 0),
        rewriter.getIndexAttr(group), rewriter.getIndexAttr(mg)};
    for (unsigned i = 0; i < spatial; ++i) {
      groupedShape.push_back(yType.getDimSize(2 + i));
      groupedSizes.push_back(
          buildWindowOutputSize(rewriter, loc, adaptor.getX(), 2 + i, g, i));
    }
    auto groupedType = RankedTensorType::get(groupedShape, elt);
    Value init = buildFilled(rewriter, loc, groupedType, groupedSizes, 0.0);
    if (Value bias = adaptor.getB()) {
      checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, bias, 0),
                      rewriter.getIndexAttr(mg * group), "B's size");
      SmallVector<AffineExpr> identity;
      for (unsigned i = 0; i < groupedType.getRank(); ++i)
        identity.push_back(dim(i));
      unsigned rank = groupedType.getRank();
      init = linalg::GenericOp::create(
                 rewriter, loc, groupedType, bias, init,
                 SmallVector<AffineMap>{
                     AffineMap::get(rank, 0, {dim(1) * mg + dim(2)}, ctx),
                     AffineMap::get(rank, 0, identity, ctx)},
                 SmallVector<utils::IteratorType>(
                     rank, utils::IteratorType::parallel),
                 [](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(b, l, args[0]);
                 })
                 .getResult(0);
    }
    Value grouped =
        linalg::GenericOp::create(
            rewriter, loc, groupedType, ValueRange{x, w}, init, maps,
            iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              Value product = arith::MulFOp::create(b, l, args[0], args[1]);
              Value sum = arith::AddFOp::create(b, l, args[2], product);
              linalg::YieldOp::create(b, l, sum);
            })
            .getResult(0);
    SmallVector<ReassociationIndices> collapse = {{0}, {1, 2}};
    for (unsigned i = 0; i < spatial; ++i)
      collapse.push_back({3 + i});
    Value y = tensor::CollapseShapeOp::create(rewriter, loc, grouped, collapse);
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

OpFoldResult seqc::buildWindowOutputSize(OpBuilder &b, Location loc, Value x,
                                         unsigned dim,
                                         const onnx::ConvGeometry &g,
                                         unsigned i) {
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(g.outputSize(i, type.getDimSize(dim)));
  auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  Value size = tensor::DimOp::create(b, loc, x, dim);
  int64_t span = g.dilations[i] * (g.kernel[i] - 1) + 1;
  Value room = arith::SubIOp::create(
      b, loc, arith::AddIOp::create(b, loc, size, c(g.padsBegin[i] + g.padsEnd[i])),
      c(span));
  Value rounded =
      g.ceilMode ? Value(arith::AddIOp::create(b, loc, room, c(g.strides[i] - 1)))
                 : room;
  Value out = arith::AddIOp::create(
      b, loc, arith::DivSIOp::create(b, loc, rounded, c(g.strides[i])), c(1));
  if (g.ceilMode) {
    // The last window must start inside the input or its leading padding.
    Value lastStart = arith::MulIOp::create(
        b, loc, arith::SubIOp::create(b, loc, out, c(1)), c(g.strides[i]));
    Value beyond = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, lastStart,
        arith::AddIOp::create(b, loc, size, c(g.padsBegin[i])));
    out = arith::SelectOp::create(
        b, loc, beyond, arith::SubIOp::create(b, loc, out, c(1)), out);
  }
  Value empty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, room,
                                      c(0));
  return arith::SelectOp::create(b, loc, empty, c(0), out).getResult();
}

void seqc::populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering>(patterns.getContext());
}
