//===- CumSum.cpp - ONNX CumSum to a loop over the axis -------------------===//
//
// A running sum along one axis is a linear scan with a = 1 (seq.linear_scan
// over the axis, moved to the front): seq-parallelize-scan runs it step by
// step or in parallel chunks. An axis read at run time picks one of the rank
// scans with scf.index_switch.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// `perm` that moves dimension `axis` of a rank-`rank` tensor to the front.
SmallVector<int64_t> axisFirst(int64_t axis, int64_t rank) {
  SmallVector<int64_t> perm = {axis};
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      perm.push_back(d);
  return perm;
}

/// The running sum of `x` along `axis`, of `x`'s type: a linear scan with
/// a = 1 over the axis, moved to the front. Exclusive sums scan the input
/// shifted by one step (a zero step first, in the scan's direction), so each
/// sum adds the same terms in the same order as the inclusive one.
Value cumSumAlong(OpBuilder &b, Location loc, Value x, int64_t axis,
                  bool exclusive, bool reverse) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = axisFirst(axis, rank);
  Value steps = axis == 0 ? x : buildTranspose(b, loc, x, perm);
  auto stepsType = cast<RankedTensorType>(steps.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, steps);
  if (exclusive) {
    // [T + 1, ...] zeros with x at rows 1.. (forward) or 0..T-1 (reverse);
    // the scan reads rows 0..T-1 (forward) or 1..T (reverse).
    SmallVector<OpFoldResult> padded(sizes);
    Value length = tensor::DimOp::create(b, loc, steps, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    padded[0] = arith::AddIOp::create(b, loc, length, one).getResult();
    SmallVector<int64_t> paddedShape(stepsType.getShape());
    paddedShape[0] = ShapedType::kDynamic;
    Value zeros = buildFilled(
        b, loc, RankedTensorType::get(paddedShape, type.getElementType()),
        padded, 0.0);
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
    offsets[0] = b.getIndexAttr(reverse ? 0 : 1);
    Value shifted = tensor::InsertSliceOp::create(b, loc, steps, zeros, offsets,
                                                  sizes, strides);
    offsets[0] = b.getIndexAttr(reverse ? 1 : 0);
    steps = tensor::ExtractSliceOp::create(b, loc, stepsType, shifted, offsets,
                                           sizes, strides);
  }
  Value outs = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  auto scan = seq::LinearScanOp::create(
      b, loc,
      TypeRange{seq::RecurrenceOp::getStepType(stepsType), stepsType},
      reverse ? seq::Direction::reverse : seq::Direction::forward,
      /*a=*/Value(), steps, /*init=*/Value(), outs);
  Value sums = scan.getStates();
  if (axis != 0)
    sums = buildTranspose(b, loc, sums, invertPermutationVector(perm));
  if (sums.getType() != type)
    sums = tensor::CastOp::create(b, loc, type, sums);
  return sums;
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
