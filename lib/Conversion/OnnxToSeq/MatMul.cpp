//===- MatMul.cpp - ONNX MatMul and Gemm to linalg
//-------------------------===//
//
// Both are one contraction built as a linalg.generic whose indexing maps carry
// numpy.matmul's batch broadcasting and 1-D promotion (MatMul) or the
// transposes (Gemm), so there is a single code path for every rank.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// sum_k A[.., m, k] * B[.., k, n] into a zero-filled `resultType`. `mapA`
/// and `mapB` index the operands with the result's loops followed by k.
Value buildContraction(OpBuilder &b, Location loc, RankedTensorType resultType,
                       Value lhs, Value rhs, AffineMap mapA, AffineMap mapB,
                       ArrayRef<OpFoldResult> sizes) {
  Value init = buildFilled(b, loc, resultType, sizes, 0.0);
  unsigned numLoops = resultType.getRank() + 1;
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < resultType.getRank(); ++i)
    outExprs.push_back(b.getAffineDimExpr(i));
  AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, b.getContext());
  bool isFloat = isa<FloatType>(resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhs, rhs}, init,
      SmallVector<AffineMap>{mapA, mapB, outMap}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value product, sum;
        if (isFloat) {
          product = arith::MulFOp::create(nb, nloc, args[0], args[1]);
          sum = arith::AddFOp::create(nb, nloc, args[2], product);
        } else {
          product = arith::MulIOp::create(nb, nloc, args[0], args[1]);
          sum = arith::AddIOp::create(nb, nloc, args[2], product);
        }
        linalg::YieldOp::create(nb, nloc, sum);
      });
  return generic.getResult(0);
}

/// [M, K] x [K, N] as a zero-filled linalg.matmul: the named op that
/// seqc-vectorize-matmul turns into register-tiled vector code (a generic
/// contraction would stay scalar loops, ~2 GFLOP/s).
Value buildMatmul(OpBuilder &b, Location loc, RankedTensorType resultType,
                  Value lhs, Value rhs, ArrayRef<OpFoldResult> sizes) {
  Value init = buildFilled(b, loc, resultType, sizes, 0.0);
  return linalg::MatmulOp::create(b, loc, TypeRange{resultType},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

/// `x @ w` for x of rank >= 2 and a matrix w: x's leading dimensions are the
/// rows of one 2-D matmul (collapsed, then expanded back to `type`); their
/// sizes' product must not overflow (collapsedSize).
Value buildRowsMatmul(OpBuilder &b, Location loc, RankedTensorType type,
                      Value x, Value w, ArrayRef<OpFoldResult> sizes) {
  auto tx = cast<RankedTensorType>(x.getType());
  int64_t rank = tx.getRank();
  if (rank == 2)
    return buildMatmul(b, loc, type, x, w, sizes);
  ReassociationIndices leading;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leading.push_back(d);
  SmallVector<ReassociationIndices> rowsOf = {leading, {rank - 1}};
  Value rows = tensor::CollapseShapeOp::create(b, loc, x, rowsOf);
  int64_t m = *collapsedSize(type.getShape().drop_back());
  auto flat = RankedTensorType::get({m, type.getDimSize(rank - 1)},
                                    type.getElementType());
  Value product = buildMatmul(
      b, loc, flat, rows, w,
      {tensor::getMixedSize(b, loc, rows, 0), sizes.back()});
  return tensor::ExpandShapeOp::create(b, loc, type, product, rowsOf, sizes);
}

struct MatMulLowering : OpConversionPattern<onnx::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getY().getType());
    Value a = adaptor.getA(), bv = adaptor.getB();
    auto ta = cast<RankedTensorType>(a.getType());
    auto tb = cast<RankedTensorType>(bv.getType());
    bool vecA = ta.getRank() == 1, vecB = tb.getRank() == 1;
    int64_t rank = type.getRank();
    // Loops: the result's dims, then k. Batch dims align on the right.
    int64_t batchRank = rank - (vecA ? 0 : 1) - (vecB ? 0 : 1);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    auto batchExprs = [&](RankedTensorType t, int64_t matrixDims) {
      SmallVector<AffineExpr> exprs;
      int64_t opBatch = t.getRank() - matrixDims;
      for (int64_t i = 0; i < opBatch; ++i) {
        int64_t loop = batchRank - opBatch + i;
        bool broadcast = t.getDimSize(i) == 1 && type.getDimSize(loop) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(loop, ctx));
      }
      return exprs;
    };
    SmallVector<AffineExpr> ea = batchExprs(ta, vecA ? 1 : 2);
    if (!vecA)
      ea.push_back(getAffineDimExpr(batchRank, ctx));
    ea.push_back(k);
    SmallVector<AffineExpr> eb = batchExprs(tb, vecB ? 1 : 2);
    eb.push_back(k);
    if (!vecB)
      eb.push_back(getAffineDimExpr(rank - 1, ctx));

    // Result sizes: MatMul's shape rule (the batch dimensions broadcast
    // numpy-style, then M and N).
    SmallVector<OpFoldResult> sizes =
        onnx::reifyMatMulSizes(rewriter, loc, a, bv, type);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    // Run-time agreements: the contraction sizes, and every dynamic batch
    // size against the result's (equal, or 1).
    checkSizesEqual(
        rewriter, loc, tensor::getMixedSize(rewriter, loc, a, ta.getRank() - 1),
        tensor::getMixedSize(rewriter, loc, bv, vecB ? 0 : tb.getRank() - 2),
        "the contraction dimensions of A and B differ");
    // f32 x @ W, W a matrix: one 2-D matmul over all of x's rows.
    if (!vecA && tb.getRank() == 2 && type.getElementType().isF32() &&
        ta.getElementType().isF32() && tb.getElementType().isF32() &&
        collapsedSize(type.getShape().drop_back())) {
      rewriter.replaceOp(op, buildRowsMatmul(rewriter, loc, type, a, bv, sizes));
      return success();
    }
    auto broadcastOperand = [&](Value v, RankedTensorType t,
                                int64_t matrixDims) {
      int64_t opBatch = t.getRank() - matrixDims;
      SmallVector<int64_t> shape(type.getShape().take_front(batchRank));
      SmallVector<OpFoldResult> targetSizes(sizes.begin(),
                                            sizes.begin() + batchRank);
      for (int64_t d = opBatch; d < t.getRank(); ++d) {
        shape.push_back(t.getDimSize(d));
        targetSizes.push_back(tensor::getMixedSize(rewriter, loc, v, d));
      }
      for (int64_t d = 0; d < opBatch; ++d) {
        if (!t.isDynamicDim(d))
          continue;
        Value size = tensor::DimOp::create(rewriter, loc, v, d);
        Value result = getValueOrCreateConstantIndexOp(
            rewriter, loc, sizes[batchRank - opBatch + d]);
        checkCondition(
            rewriter, loc,
            arith::OrIOp::create(
                rewriter, loc,
                arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                      size, result),
                arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                      size, one)),
            "a batch dimension is neither 1 nor the other operand's");
      }
      return expandRuntimeBroadcast(
          rewriter, loc, v, RankedTensorType::get(shape, t.getElementType()),
          targetSizes);
    };
    a = broadcastOperand(a, ta, vecA ? 1 : 2);
    bv = broadcastOperand(bv, tb, vecB ? 1 : 2);
    rewriter.replaceOp(
        op, buildContraction(rewriter, loc, type, a, bv,
                             AffineMap::get(rank + 1, 0, ea, ctx),
                             AffineMap::get(rank + 1, 0, eb, ctx), sizes));
    return success();
  }
};

struct GemmLowering : OpConversionPattern<onnx::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getY().getType());
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    AffineMap mapA = AffineMap::get(3, 0,
                                    op.getTransA() ? ArrayRef<AffineExpr>{k, m}
                                                   : ArrayRef<AffineExpr>{m, k},
                                    ctx);
    AffineMap mapB = AffineMap::get(3, 0,
                                    op.getTransB() ? ArrayRef<AffineExpr>{n, k}
                                                   : ArrayRef<AffineExpr>{k, n},
                                    ctx);
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(rewriter, loc, adaptor.getA(),
                             op.getTransA() ? 1 : 0),
        tensor::getMixedSize(rewriter, loc, adaptor.getB(),
                             op.getTransB() ? 0 : 1)};
    checkSizesEqual(rewriter, loc,
                    tensor::getMixedSize(rewriter, loc, adaptor.getA(),
                                         op.getTransA() ? 0 : 1),
                    tensor::getMixedSize(rewriter, loc, adaptor.getB(),
                                         op.getTransB() ? 1 : 0),
                    "the contraction dimensions of A and B differ");
    if (adaptor.getC())
      checkBroadcast(rewriter, loc, sizes, adaptor.getC());
    // f32 without transposes, or transB with a constant B (transposed here,
    // at compile time): a linalg.matmul.
    Value a = adaptor.getA(), bv = adaptor.getB();
    DenseElementsAttr constantB;
    bool f32 = type.getElementType().isF32() &&
               cast<RankedTensorType>(a.getType()).getElementType().isF32() &&
               cast<RankedTensorType>(bv.getType()).getElementType().isF32();
    if (f32 && op.getTransB() && matchPattern(bv, m_Constant(&constantB)) &&
        !op.getTransA()) {
      auto bType = cast<RankedTensorType>(bv.getType());
      bv = arith::ConstantOp::create(
          rewriter, loc,
          transposeConstantMatrix(constantB, bType.getDimSize(0),
                                  bType.getDimSize(1)));
    }
    Value product =
        f32 && !op.getTransA() && (!op.getTransB() || constantB)
            ? buildMatmul(rewriter, loc, type, a, bv, sizes)
            : buildContraction(rewriter, loc, type, a, bv, mapA, mapB, sizes);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<Value> operands = {product};
    if (adaptor.getC())
      operands.push_back(adaptor.getC());
    if (alpha == 1.0 && (operands.size() == 1 || beta == 0.0)) {
      rewriter.replaceOp(op, product);
      return success();
    }
    Type elt = type.getElementType();
    SmallVector<Value> result = buildElementwise(
        rewriter, loc, type, operands,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value y = arith::MulFOp::create(b, l, args[0],
                                          buildScalar(b, l, elt, alpha));
          if (args.size() > 1)
            y = arith::AddFOp::create(
                b, l, y,
                arith::MulFOp::create(b, l, args[1],
                                      buildScalar(b, l, elt, beta)));
          return SmallVector<Value>{y};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void seqc::populateMatMulPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
