//===- ControlFlow.cpp - ONNX If to scf.if, Scan to seq.recurrence --------===//
//
// The branches move into an scf.if as they are; their ops are lowered where
// they stand. A branch value whose type is more static than the If's result
// (the importer joins the branches' types) is cast on the way out.
//
// A Scan body becomes a seq.recurrence body the same way. The recurrence
// steps along dimension 0 in one direction: scan inputs are transposed to
// put their axis first and reversed where their direction differs from the
// recurrence's (the first input's); the stacked outputs are reversed and
// transposed back to their own directions and axes.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RuntimeChecks.h"

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// Dimension `from` of `x` moved to position `to`, the others in order.
Value moveDimension(OpBuilder &b, Location loc, Value x, int64_t from,
                    int64_t to) {
  if (from == to)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  perm.erase(perm.begin() + from);
  perm.insert(perm.begin() + to, from);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : perm)
    sizes.push_back(tensor::getMixedSize(b, loc, x, d));
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, x, init, perm).getResult()[0];
}

/// `x` reversed along dimension 0.
Value reverseFront(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Value init = tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, x),
                                       type.getElementType());
  Value last = arith::SubIOp::create(b, loc, tensor::DimOp::create(b, loc, x, 0),
                                     arith::ConstantIndexOp::create(b, loc, 1));
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, init,
             AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext()),
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange) {
               SmallVector<Value> indices;
               for (int64_t d = 0; d < type.getRank(); ++d)
                 indices.push_back(linalg::IndexOp::create(nb, nl, d));
               indices[0] = arith::SubIOp::create(nb, nl, last, indices[0]);
               linalg::YieldOp::create(
                   nb, nl, tensor::ExtractOp::create(nb, nl, x, indices).getResult());
             })
      .getResult(0);
}

struct ScanLowering : OpConversionPattern<onnx::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    unsigned numStates = op.getNumStates();
    auto yield = cast<onnx::YieldOp>(op.getBody().front().getTerminator());
    auto normalize = [](int64_t axis, int64_t rank) {
      return axis < 0 ? axis + rank : axis;
    };
    int64_t direction = onnx::ScanOp::getEntry(op.getScanInputDirections(), 0, 0);

    SmallVector<Value> inputs;
    for (auto [i, input] : llvm::enumerate(adaptor.getScanInputs())) {
      int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
      Value steps = moveDimension(
          rewriter, loc, input,
          normalize(onnx::ScanOp::getEntry(op.getScanInputAxes(), i, 0), rank), 0);
      if (onnx::ScanOp::getEntry(op.getScanInputDirections(), i, 0) != direction)
        steps = reverseFront(rewriter, loc, steps);
      inputs.push_back(steps);
    }
    // The stacked outputs' destinations, [steps, step shape...].
    OpFoldResult numSteps = tensor::getMixedSize(rewriter, loc, inputs[0], 0);
    SmallVector<Value> outs;
    for (auto [k, value] :
         llvm::enumerate(yield.getOutputs().drop_front(numStates))) {
      auto step = cast<RankedTensorType>(value.getType());
      if (!step.hasStaticShape())
        return op.emitOpError("step output ")
               << k << " has the shape " << step
               << ", which is only known inside the loop; give the model's "
                  "inputs static shapes (--input-shape)";
      SmallVector<OpFoldResult> sizes = {numSteps};
      for (int64_t size : step.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      outs.push_back(
          tensor::EmptyOp::create(rewriter, loc, sizes, step.getElementType()));
    }
    auto recurrence = seq::RecurrenceOp::create(
        rewriter, loc,
        direction ? seq::Direction::reverse : seq::Direction::forward,
        adaptor.getInits(), inputs, outs, /*lengths=*/Value(),
        /*withTimeIndex=*/false, /*bodyBuilder=*/nullptr);
    Block &body = recurrence.getBodyBlock();
    rewriter.mergeBlocks(&op.getBody().front(), &body, body.getArguments());

    SmallVector<Value> results(recurrence.getFinalStates());
    for (auto [k, stacked] : llvm::enumerate(recurrence.getStackedOutputs())) {
      Value output = stacked;
      if (onnx::ScanOp::getEntry(op.getScanOutputDirections(), k, 0) != direction)
        output = reverseFront(rewriter, loc, output);
      auto type = cast<RankedTensorType>(op.getResult(numStates + k).getType());
      output = moveDimension(
          rewriter, loc, output, 0,
          normalize(onnx::ScanOp::getEntry(op.getScanOutputAxes(), k, 0),
                    type.getRank()));
      if (output.getType() != type)
        output = tensor::CastOp::create(rewriter, loc, type, output);
      results.push_back(output);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// An If branch's outputs, or a Scan (recurrence) step's states and
/// outputs, cast to the types the parent expects.
struct YieldLowering : OpConversionPattern<onnx::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *parent = op->getParentOp();
    SmallVector<Type> types;
    if (auto recurrence = dyn_cast<seq::RecurrenceOp>(parent)) {
      llvm::append_range(types, recurrence.getInits().getTypes());
      for (Value out : recurrence.getOuts())
        types.push_back(seq::RecurrenceOp::getStepType(out.getType()));
    } else {
      llvm::append_range(types, parent->getResultTypes());
    }
    SmallVector<Value> outputs;
    for (auto [value, type] : llvm::zip(adaptor.getOutputs(), types)) {
      outputs.push_back(value.getType() == type
                            ? value
                            : tensor::CastOp::create(rewriter, op.getLoc(),
                                                     type, value)
                                  .getResult());
    }
    if (isa<seq::RecurrenceOp>(parent))
      rewriter.replaceOpWithNewOp<seq::YieldOp>(op, outputs);
    else
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
  patterns.add<IfLowering, ScanLowering, YieldLowering, BranchErrorLowering>(
      patterns.getContext());
}
