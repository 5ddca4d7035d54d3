//===- Scatters.cpp - ONNX ScatterElements and ScatterND to loops ---------===//
//
// A scatter writes where its indices say, and two indices may name one
// place (the last write wins, or `reduction` combines them), so it is not a
// parallel map: a loop nest over the indices carries the output tensor and
// updates it element by element (ScatterElements) or slice by slice
// (ScatterND); bufferization makes the updates in place on a copy of data.
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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

bool isKnownReduction(StringRef reduction) {
  return llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction);
}

/// `old` combined with `update` by ONNX's reduction name, or `update`.
FailureOr<Value> combine(OpBuilder &b, Location loc, StringRef reduction,
                         Value old, Value update, bool isUnsigned) {
  bool isFloat = isa<FloatType>(old.getType());
  if (reduction == "none")
    return update;
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, loc, old, update))
                   : Value(arith::AddIOp::create(b, loc, old, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, loc, old, update))
                   : Value(arith::MulIOp::create(b, loc, old, update));
  if (reduction == "max")
    return buildMaximum(b, loc, old, update, isUnsigned);
  if (reduction == "min")
    return buildMinimum(b, loc, old, update, isUnsigned);
  return failure();
}

/// A fresh copy of `data` for the loop to update.
Value copyOf(OpBuilder &b, Location loc, Value data) {
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, data), getElementTypeOrSelf(data));
  return linalg::CopyOp::create(b, loc, data, empty).getResult(0);
}

struct ScatterElementsLowering
    : OpConversionPattern<onnx::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    int64_t rank = cast<RankedTensorType>(data.getType()).getRank();
    bool isUnsigned = getElementTypeOrSelf(op.getData()).isUnsignedInteger();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    StringRef reduction = op.getReduction();
    if (!isKnownReduction(reduction))
      return op.emitOpError("unknown reduction '") << reduction << "'";
    Value axisSize = tensor::DimOp::create(rewriter, loc, data, axis);
    checkIndicesInRange(rewriter, loc, indices, axisSize, "an index");
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t d = 0; d < rank; ++d) {
      lbs.push_back(arith::ConstantIndexOp::create(rewriter, loc, 0));
      ubs.push_back(tensor::DimOp::create(rewriter, loc, indices, d));
      steps.push_back(arith::ConstantIndexOp::create(rewriter, loc, 1));
      checkSizesEqual(rewriter, loc, ubs.back(),
                      tensor::getMixedSize(rewriter, loc, updates, d),
                      "updates' dimension " + Twine(d));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, copyOf(rewriter, loc, data),
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iter) {
          SmallVector<Value> at(ivs);
          at[axis] = wrapNegative(
              b, l, toIndex(b, l, tensor::ExtractOp::create(b, l, indices, ivs)),
              axisSize);
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          Value old = tensor::ExtractOp::create(b, l, iter[0], at);
          Value v = *combine(b, l, reduction, old, update, isUnsigned);
          return scf::ValueVector{
              tensor::InsertOp::create(b, l, v, iter[0], at).getResult()};
        });
    rewriter.replaceOp(op, nest.results);
    return success();
  }
};

/// For each index tuple (the last dimension of indices, k long), the update
/// slice data[tuple..., :, ...] = updates[leading...].
struct ScatterNDLowering : OpConversionPattern<onnx::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    bool isUnsigned = getElementTypeOrSelf(op.getData()).isUnsignedInteger();
    int64_t r = dataType.getRank(), q = indicesType.getRank();
    int64_t k = indicesType.getDimSize(q - 1);
    StringRef reduction = op.getReduction();
    if (ShapedType::isDynamic(k) || k > r)
      return op.emitOpError("needs the index tuple length (indices' last "
                            "dimension) static and at most data's rank");
    if (!isKnownReduction(reduction))
      return op.emitOpError("unknown reduction '") << reduction << "'";
    SmallVector<Value> dataSizes;
    for (int64_t d = 0; d < r; ++d)
      dataSizes.push_back(tensor::DimOp::create(rewriter, loc, data, d));
    SmallVector<OpFoldResult> dataExtents =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t d = 0; d + 1 < q; ++d) {
      lbs.push_back(arith::ConstantIndexOp::create(rewriter, loc, 0));
      ubs.push_back(tensor::DimOp::create(rewriter, loc, indices, d));
      steps.push_back(arith::ConstantIndexOp::create(rewriter, loc, 1));
      checkSizesEqual(rewriter, loc, ubs.back(),
                      tensor::getMixedSize(rewriter, loc, updates, d),
                      "updates' dimension " + Twine(d));
    }
    for (int64_t d = k; d < r; ++d)
      checkSizesEqual(rewriter, loc,
                      tensor::getMixedSize(rewriter, loc, updates, q - 1 + d - k),
                      dataSizes[d], "updates' dimension " + Twine(q - 1 + d - k));
    for (int64_t j = 0; j < k; ++j) {
      SmallVector<OpFoldResult> offsets(q, rewriter.getIndexAttr(0)),
          strides(q, rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> extents =
          tensor::getMixedSizes(rewriter, loc, indices);
      offsets[q - 1] = rewriter.getIndexAttr(j);
      extents[q - 1] = rewriter.getIndexAttr(1);
      Value column = tensor::ExtractSliceOp::create(rewriter, loc, indices,
                                                    offsets, extents, strides);
      checkIndicesInRange(rewriter, loc, column, dataSizes[j],
                   "index component " + Twine(j));
    }
    Type elt = dataType.getElementType();
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, copyOf(rewriter, loc, data),
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iter) {
          // Where the slice goes in the output, and its sizes.
          SmallVector<OpFoldResult> offsets, sizes, strides(r, b.getIndexAttr(1));
          SmallVector<Value> lead(ivs);
          for (int64_t j = 0; j < k; ++j) {
            lead.push_back(arith::ConstantIndexOp::create(b, l, j));
            Value i = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, lead));
            lead.pop_back();
            offsets.push_back(wrapNegative(b, l, i, dataSizes[j]));
            sizes.push_back(b.getIndexAttr(1));
          }
          for (int64_t d = k; d < r; ++d) {
            offsets.push_back(b.getIndexAttr(0));
            sizes.push_back(dataExtents[d]);
          }
          // The update: updates[ivs..., :, ...], with 1s for the tuple's
          // dimensions so that it has the output slice's rank.
          int64_t ur = q - 1 + r - k;
          SmallVector<OpFoldResult> uOffsets, uSizes, uStrides(ur, b.getIndexAttr(1));
          for (Value iv : ivs) {
            uOffsets.push_back(iv);
            uSizes.push_back(b.getIndexAttr(1));
          }
          for (int64_t d = k; d < r; ++d) {
            uOffsets.push_back(b.getIndexAttr(0));
            uSizes.push_back(dataExtents[d]);
          }
          SmallVector<int64_t> sliceShape(r - k, ShapedType::kDynamic);
          for (int64_t d = k; d < r; ++d)
            if (!dataType.isDynamicDim(d))
              sliceShape[d - k] = dataType.getDimSize(d);
          auto sliceType = RankedTensorType::get(sliceShape, elt);
          Value update = tensor::ExtractSliceOp::create(
              b, l, sliceType, updates, uOffsets, uSizes, uStrides);
          if (reduction != "none") {
            Value old = tensor::ExtractSliceOp::create(b, l, sliceType, iter[0],
                                                       offsets, sizes, strides);
            update = buildElementwise(
                b, l, sliceType, ValueRange{old, update},
                [&](OpBuilder &nb, Location nl, ValueRange a) {
                  return SmallVector<Value>{
                      *combine(nb, nl, reduction, a[0], a[1], isUnsigned)};
                })[0];
          }
          return scf::ValueVector{tensor::InsertSliceOp::create(
                                      b, l, update, iter[0], offsets, sizes,
                                      strides)
                                      .getResult()};
        });
    rewriter.replaceOp(op, nest.results);
    return success();
  }
};

} // namespace

void seqc::populateScatterPatterns(RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering, ScatterNDLowering>(
      patterns.getContext());
}
