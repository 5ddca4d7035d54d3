//===- Elementwise.cpp - ONNX elementwise ops to linalg.generic
//------------===//
//
// One pattern template, one table: each elementwise ONNX op names its float
// and integer scalar ops (integer null where ONNX has no integer form).
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace {

using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange);

template <typename ArithOp>
Value binary(OpBuilder &b, Location loc, ValueRange args) {
  return ArithOp::create(b, loc, args[0], args[1]);
}

Value sigmoid(OpBuilder &b, Location loc, ValueRange args) {
  return seqc::buildActivation(
      b, loc, {seqc::onnx::ActivationKind::Sigmoid, 0, 0}, args[0]);
}
Value tanhFn(OpBuilder &b, Location loc, ValueRange args) {
  return math::TanhOp::create(b, loc, args[0]);
}
Value reluF(OpBuilder &b, Location loc, ValueRange args) {
  return seqc::buildActivation(b, loc, {seqc::onnx::ActivationKind::Relu, 0, 0},
                               args[0]);
}
Value reluI(OpBuilder &b, Location loc, ValueRange args) {
  Value zero = arith::ConstantOp::create(
      b, loc, args[0].getType(), b.getIntegerAttr(args[0].getType(), 0));
  return arith::MaxSIOp::create(b, loc, args[0], zero);
}

template <typename OnnxOp>
struct ElementwiseLowering : OpConversionPattern<OnnxOp> {
  ElementwiseLowering(MLIRContext *ctx, ScalarFn floatFn, ScalarFn intFn)
      : OpConversionPattern<OnnxOp>(ctx), floatFn(floatFn), intFn(intFn) {}

  LogicalResult
  matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    ScalarFn fn = isa<FloatType>(type.getElementType()) ? floatFn : intFn;
    if (!fn)
      return op->emitOpError("is not defined for element type ")
             << type.getElementType();
    seqc::checkBroadcast(rewriter, op.getLoc(),
                         seqc::getBroadcastSizes(rewriter, op.getLoc(), type,
                                                 adaptor.getOperands()),
                         adaptor.getOperands());
    SmallVector<Value> result = seqc::buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return SmallVector<Value>{fn(b, loc, args)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn floatFn, intFn;
};

} // namespace

void seqc::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseLowering<onnx::AddOp>>(ctx, binary<arith::AddFOp>,
                                                 binary<arith::AddIOp>);
  patterns.add<ElementwiseLowering<onnx::SubOp>>(ctx, binary<arith::SubFOp>,
                                                 binary<arith::SubIOp>);
  patterns.add<ElementwiseLowering<onnx::MulOp>>(ctx, binary<arith::MulFOp>,
                                                 binary<arith::MulIOp>);
  patterns.add<ElementwiseLowering<onnx::DivOp>>(ctx, binary<arith::DivFOp>,
                                                 binary<arith::DivSIOp>);
  patterns.add<ElementwiseLowering<onnx::SigmoidOp>>(ctx, sigmoid, nullptr);
  patterns.add<ElementwiseLowering<onnx::TanhOp>>(ctx, tanhFn, nullptr);
  patterns.add<ElementwiseLowering<onnx::ReluOp>>(ctx, reluF, reluI);
}
