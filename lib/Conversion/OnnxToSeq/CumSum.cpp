//===- CumSum.cpp - ONNX CumSum to a loop over the axis -------------------===//
//
// A running sum along one axis: an scf.for over the axis carries the sum of
// the slices so far (one slice of the input's shape with 1 on the axis) and
// the output, writing each position's sum (before adding it when exclusive;
// from the end when reverse). Linear in the axis length. An axis read at run
// time picks one of the rank loops with scf.index_switch.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// The running sum of `x` along `axis`, of `x`'s type.
Value cumSumAlong(OpBuilder &rewriter, Location loc, Value x, int64_t axis,
                  bool exclusive, bool reverse) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
  SmallVector<OpFoldResult> sliceSizes(sizes);
  sliceSizes[axis] = rewriter.getIndexAttr(1);
  SmallVector<int64_t> sliceShape(type.getShape());
  sliceShape[axis] = 1;
  auto sliceType = RankedTensorType::get(sliceShape, elt);
  Value zeroSlice = buildFilled(rewriter, loc, sliceType, sliceSizes, 0.0);
  Value out = tensor::EmptyOp::create(rewriter, loc, sizes, elt);
  Value length = tensor::DimOp::create(rewriter, loc, x, axis);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
  auto loop = scf::ForOp::create(
      rewriter, loc, zero, length, one, ValueRange{zeroSlice, out},
      [&](OpBuilder &b, Location l, Value i, ValueRange iter) {
        Value at = reverse
                       ? Value(arith::SubIOp::create(
                             b, l, arith::SubIOp::create(b, l, length, one), i))
                       : i;
        SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
        offsets[axis] = at;
        Value slice = tensor::ExtractSliceOp::create(b, l, sliceType, x, offsets,
                                                     sliceSizes, strides);
        Value sum = buildElementwise(
            b, l, sliceType, ValueRange{iter[0], slice},
            [&](OpBuilder &nb, Location nl, ValueRange a) {
              Value s = isa<FloatType>(elt)
                            ? Value(arith::AddFOp::create(nb, nl, a[0], a[1]))
                            : Value(arith::AddIOp::create(nb, nl, a[0], a[1]));
              return SmallVector<Value>{s};
            })[0];
        Value written = tensor::InsertSliceOp::create(
            b, l, exclusive ? iter[0] : sum, iter[1], offsets, sliceSizes,
            strides);
        scf::YieldOp::create(b, l, ValueRange{sum, written});
      });
  Value result = loop.getResult(1);
  if (result.getType() != type)
    result = tensor::CastOp::create(rewriter, loc, type, result);
  return result;
}

struct CumSumLowering : OpConversionPattern<onnx::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    if (std::optional<SmallVector<int64_t>> axis =
            onnx::getConstantInts(op.getAxis())) {
      int64_t a = (*axis)[0] < 0 ? (*axis)[0] + rank : (*axis)[0];
      rewriter.replaceOp(op, cumSumAlong(rewriter, loc, x, a, exclusive, reverse));
      return success();
    }
    // An axis read at run time: one loop per possible axis, chosen by an
    // scf.index_switch on the checked, normalised axis.
    Value axisTensor = adaptor.getAxis();
    SmallVector<Value> zeros(
        cast<RankedTensorType>(axisTensor.getType()).getRank(),
        arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value axis = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(),
        tensor::ExtractOp::create(rewriter, loc, axisTensor, zeros));
    Value rankValue = arith::ConstantIndexOp::create(rewriter, loc, rank);
    Value negative = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::slt, axis, zeros.empty()
            ? arith::ConstantIndexOp::create(rewriter, loc, 0).getResult()
            : zeros[0]);
    axis = arith::SelectOp::create(
        rewriter, loc, negative,
        arith::AddIOp::create(rewriter, loc, axis, rankValue), axis);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    checkCondition(
        rewriter, loc,
        arith::AndIOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                  axis, zero),
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                  axis, rankValue)),
        "axis is out of range");
    SmallVector<int64_t> cases = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    auto choose = scf::IndexSwitchOp::create(rewriter, loc, TypeRange{type},
                                             axis, cases, rank);
    for (int64_t d = 0; d < rank; ++d) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(
          &choose.getCaseRegions()[d].emplaceBlock());
      scf::YieldOp::create(
          rewriter, loc, cumSumAlong(rewriter, loc, x, d, exclusive, reverse));
    }
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&choose.getDefaultRegion().emplaceBlock());
      scf::YieldOp::create(rewriter, loc, x); // never taken: checked above
    }
    rewriter.replaceOp(op, choose.getResults());
    return success();
  }
};

} // namespace

void seqc::populateCumSumPatterns(RewritePatternSet &patterns) {
  patterns.add<CumSumLowering>(patterns.getContext());
}
