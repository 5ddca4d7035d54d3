//===- Generators.cpp - ONNX ConstantOfShape and Range to linalg ----------===//
//
// Tensors made from a shape or from scalars. Their sizes may come from input
// data: the shape function then computes them from the inputs, and checks
// them (no negative dimension, no zero step) before the run.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace {

struct ConstantOfShapeLowering
    : OpConversionPattern<seqc::onnx::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(seqc::onnx::ConstantOfShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = seqc::getStorageTensorType(op.getOutput());
    Value shape = adaptor.getInput();
    SmallVector<Value> dynamicSizes;
    if (!type.hasStaticShape()) {
      seqc::checkValuesInRange(
          rewriter, loc, shape, rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(std::numeric_limits<int64_t>::max()),
          "ConstantOfShape's shape");
      for (int64_t i = 0; i < type.getRank(); ++i) {
        Value pos = arith::ConstantIndexOp::create(rewriter, loc, i);
        Value d = tensor::ExtractOp::create(rewriter, loc, shape, pos);
        dynamicSizes.push_back(arith::IndexCastOp::create(
            rewriter, loc, rewriter.getIndexType(), d));
      }
    }
    Type elementType = type.getElementType();
    TypedAttr scalar =
        op.getValueAttr()
            ? cast<TypedAttr>(*cast<DenseElementsAttr>(
                                    seqc::convertToStorage(op.getValueAttr()))
                                    .getValues<Attribute>()
                                    .begin())
            : cast<TypedAttr>(rewriter.getZeroAttr(elementType));
    Value value = arith::ConstantOp::create(rewriter, loc, scalar);
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          elementType, dynamicSizes);
    rewriter.replaceOp(
        op, linalg::FillOp::create(rewriter, loc, value, empty).getResult(0));
    return success();
  }
};

/// The scalar held by a rank-0 tensor.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

struct RangeLowering : OpConversionPattern<seqc::onnx::RangeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(seqc::onnx::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    Type elementType = type.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    Value start = extractScalar(b, loc, adaptor.getStart());
    Value delta = extractScalar(b, loc, adaptor.getDelta());
    SmallVector<Value> dynamicSizes;
    if (type.isDynamicDim(0)) {
      Value limit = extractScalar(b, loc, adaptor.getLimit());
      // max(ceil((limit - start) / delta), 0), computed in float64 (as ONNX's
      // definition does).
      auto toF64 = [&](Value v) -> Value {
        if (!isFloat)
          return arith::SIToFPOp::create(b, loc, b.getF64Type(), v);
        if (elementType.isF64())
          return v;
        return arith::ExtFOp::create(b, loc, b.getF64Type(), v);
      };
      Value zero = arith::ConstantOp::create(b, loc, b.getF64FloatAttr(0));
      Value deltaF = toF64(delta);
      Value nonZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE,
                                            deltaF, zero);
      seqc::checkCondition(b, loc, nonZero, "Range's delta must not be 0");
      Value count = math::CeilOp::create(
          b, loc,
          arith::DivFOp::create(
              b, loc, arith::SubFOp::create(b, loc, toF64(limit), toF64(start)),
              deltaF));
      // NaN bounds give 0 elements (maxnumf), infinite ones are refused.
      count = arith::MaxNumFOp::create(b, loc, count, zero);
      Value limitOfCount =
          arith::ConstantOp::create(b, loc, b.getF64FloatAttr(0x1p53));
      seqc::checkCondition(b, loc,
                           arith::CmpFOp::create(b, loc,
                                                 arith::CmpFPredicate::OLE,
                                                 count, limitOfCount),
                           "Range has more than 2^53 elements");
      dynamicSizes.push_back(arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          arith::FPToSIOp::create(b, loc, b.getI64Type(), count)));
    }
    Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), elementType,
                                          dynamicSizes);
    auto generic = linalg::GenericOp::create(
        b, loc, type, ValueRange{}, empty, b.getMultiDimIdentityMap(1),
        utils::IteratorType::parallel,
        [&](OpBuilder &nb, Location nl, ValueRange) {
          Value i = linalg::IndexOp::create(nb, nl, 0);
          Value step = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), i);
          Value offset;
          if (isFloat)
            offset = arith::MulFOp::create(
                nb, nl, arith::SIToFPOp::create(nb, nl, elementType, step),
                delta);
          else
            offset = arith::MulIOp::create(
                nb, nl,
                elementType.isInteger(64)
                    ? step
                    : Value(arith::TruncIOp::create(nb, nl, elementType, step)),
                delta);
          Value value = isFloat ? Value(arith::AddFOp::create(nb, nl, start,
                                                              offset))
                                : Value(arith::AddIOp::create(nb, nl, start,
                                                              offset));
          linalg::YieldOp::create(nb, nl, value);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void seqc::populateGeneratorPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantOfShapeLowering, RangeLowering>(patterns.getContext());
}
