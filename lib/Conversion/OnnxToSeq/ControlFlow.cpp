//===- ControlFlow.cpp - ONNX If to scf.if --------------------------------===//
//
// The branches move into an scf.if as they are; their ops are lowered where
// they stand. A branch value whose type is more static than the If's result
// (the importer joins the branches' types) is cast on the way out.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

struct IfLowering : OpConversionPattern<onnx::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cond = adaptor.getCond();
    auto condType = cast<RankedTensorType>(cond.getType());
    SmallVector<Value> zeros(
        condType.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value flag = tensor::ExtractOp::create(rewriter, loc, cond, zeros);
    auto ifOp = scf::IfOp::create(rewriter, loc, op.getResultTypes(), flag,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

struct YieldLowering : OpConversionPattern<onnx::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *parent = op->getParentOp();
    SmallVector<Value> outputs;
    for (auto [value, type] :
         llvm::zip(adaptor.getOutputs(), parent->getResultTypes())) {
      outputs.push_back(value.getType() == type
                            ? value
                            : tensor::CastOp::create(rewriter, op.getLoc(),
                                                     type, value)
                                  .getResult());
    }
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, outputs);
    return success();
  }
};

/// A run-time check that always fails, then empty results: the branch is
/// never run past the check.
struct BranchErrorLowering : OpConversionPattern<onnx::BranchErrorOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::BranchErrorOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value never = arith::ConstantIntOp::create(rewriter, loc, 0, 1);
    checkCondition(rewriter, loc, never, op.getMessage());
    SmallVector<Value> results;
    for (Type t : op.getResultTypes()) {
      auto type = cast<RankedTensorType>(t);
      SmallVector<Value> zeros(type.getNumDynamicDims(),
                               arith::ConstantIndexOp::create(rewriter, loc, 0));
      results.push_back(tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                                type.getElementType(), zeros));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::populateControlFlowPatterns(RewritePatternSet &patterns) {
  patterns.add<IfLowering, YieldLowering, BranchErrorLowering>(patterns.getContext());
}
