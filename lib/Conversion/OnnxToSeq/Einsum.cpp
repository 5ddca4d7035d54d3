//===- Einsum.cpp - ONNX Einsum to one linalg.generic ---------------------===//
//
// Every label of the equation is a loop: the output's labels are parallel,
// the others reductions. Each operand is read through the map of its labels
// (a repeated label reads a diagonal), and a dimension of size 1 facing a
// larger one is broadcast (read at 0). The body multiplies the operands and
// adds to the output.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
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

struct EinsumLowering : OpConversionPattern<onnx::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    FailureOr<onnx::EinsumLabels> labels =
        onnx::getEinsumLabels(op, onnx::OpError(op));
    if (failed(labels))
      return failure();
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    Type elt = type.getElementType();

    // Loops: the output's labels, then the others in order of appearance.
    std::string loops = labels->output;
    for (const std::string &in : labels->inputs)
      for (char ch : in)
        if (loops.find(ch) == std::string::npos)
          loops.push_back(ch);
    auto loopOf = [&](char ch) { return (unsigned)loops.find(ch); };
    // A label's size: from an operand where it is not a broadcast 1.
    auto isOne = [](RankedTensorType t, unsigned d) {
      return t.getDimSize(d) == 1;
    };
    SmallVector<OpFoldResult> loopSize(loops.size());
    for (auto [in, value] : llvm::zip(labels->inputs, adaptor.getInputs())) {
      auto t = cast<RankedTensorType>(value.getType());
      for (auto [d, ch] : llvm::enumerate(in)) {
        OpFoldResult &size = loopSize[loopOf(ch)];
        if (!size || (getConstantIntValue(size) == 1 && !isOne(t, d)))
          size = tensor::getMixedSize(rewriter, loc, value, d);
      }
    }
    SmallVector<AffineMap> maps;
    for (auto [in, value] : llvm::zip(labels->inputs, adaptor.getInputs())) {
      auto t = cast<RankedTensorType>(value.getType());
      SmallVector<AffineExpr> exprs;
      for (auto [d, ch] : llvm::enumerate(in)) {
        bool broadcast = isOne(t, d) && getConstantIntValue(loopSize[loopOf(ch)]) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(loopOf(ch), ctx));
      }
      maps.push_back(AffineMap::get(loops.size(), 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    SmallVector<OpFoldResult> outSizes;
    for (char ch : labels->output) {
      outExprs.push_back(getAffineDimExpr(loopOf(ch), ctx));
      outSizes.push_back(loopSize[loopOf(ch)]);
    }
    maps.push_back(AffineMap::get(loops.size(), 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(loops.size(),
                                               utils::IteratorType::reduction);
    for (size_t i = 0; i < labels->output.size(); ++i)
      iterators[i] = utils::IteratorType::parallel;
    auto outType = RankedTensorType::get(type.getShape(), elt);
    Value init = buildFilled(rewriter, loc, outType, outSizes, 0.0);
    bool isFloat = isa<FloatType>(elt);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, outType, adaptor.getInputs(), init, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value product = args[0];
              for (Value v : args.drop_front().drop_back())
                product = isFloat ? Value(arith::MulFOp::create(b, l, product, v))
                                  : Value(arith::MulIOp::create(b, l, product, v));
              Value sum = isFloat
                              ? Value(arith::AddFOp::create(b, l, args.back(), product))
                              : Value(arith::AddIOp::create(b, l, args.back(), product));
              linalg::YieldOp::create(b, l, sum);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void seqc::populateEinsumPatterns(RewritePatternSet &patterns) {
  patterns.add<EinsumLowering>(patterns.getContext());
}
