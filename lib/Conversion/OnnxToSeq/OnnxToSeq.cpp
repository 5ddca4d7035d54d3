//===- OnnxToSeq.cpp - The convert-onnx-to-seq pass
//------------------------===//

#include "seqc/Conversion/OnnxToSeq.h"
#include "seqc/Conversion/Passes.h"

#include "Patterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

namespace seqc {
#define GEN_PASS_DEF_CONVERTONNXTOSEQ
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

void seqc::populateOnnxToSeqPatterns(RewritePatternSet &patterns) {
  populateElementwisePatterns(patterns);
  populateGeneratorPatterns(patterns);
  populateReductionPatterns(patterns);
  populateSoftmaxPatterns(patterns);
  populateDataMovementPatterns(patterns);
  populateDropoutPatterns(patterns);
  populateMatMulPatterns(patterns);
  populateRecurrentPatterns(patterns);
  populateControlFlowPatterns(patterns);
  populateConvolutionPatterns(patterns);
  populatePadPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populatePoolingPatterns(patterns);
  populateGatherPatterns(patterns);
  populateScatterPatterns(patterns);
  populateCumSumPatterns(patterns);
  populateEinsumPatterns(patterns);
  populateTopKPatterns(patterns);
  populateResizePatterns(patterns);
  populateSpectralPatterns(patterns);
}

namespace {

/// Ops that accept the element types kept distinct only in the onnx dialect
/// (unsigned, 4- and 2-bit integers, the 8- and 4-bit floats): the ones that
/// only move bits, and Cast. Their lowerings build on storage types.
bool movesBitsOnly(Operation *op) {
  using namespace seqc::onnx;
  return isa<ConstantOp, IdentityOp, ReshapeOp, TransposeOp, SqueezeOp,
             UnsqueezeOp, FlattenOp, ConcatOp, SliceOp, GatherOp, ExpandOp,
             SplitOp, ShapeOp, SizeOp, CastOp, CastLikeOp, TileOp,
             GatherElementsOp, GatherNDOp, DepthToSpaceOp, SpaceToDepthOp,
             PadOp, ConstantOfShapeOp, BitCastOp>(op);
}

/// Ops whose lowering also computes on unsigned integers by their
/// signedness (the elementwise table says which functions it has).
bool knowsUnsigned(Operation *op) {
  using namespace seqc::onnx;
  return isa<AddOp, SubOp, MulOp, DivOp, ModOp, ClipOp, PowOp, MinOp, MaxOp,
             AbsOp, SignOp, EqualOp, LessOp, GreaterOp, LessOrEqualOp,
             GreaterOrEqualOp, WhereOp, MaxPoolOp, TopKOp, ReduceSumOp,
             ReduceProdOp, ReduceMaxOp, ReduceMinOp, ArgMaxOp, ArgMinOp,
             CumSumOp, ScatterElementsOp, ScatterNDOp, BitShiftOp>(op);
}

/// Refuses, naming the node, an op given an element type its lowering does
/// not compute on: better than computing an unsigned value as a signed one.
LogicalResult checkElementTypes(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    if (!isa<seqc::onnx::OnnxDialect>(op->getDialect()) || movesBitsOnly(op))
      return WalkResult::advance();
    for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                        op->getResultTypes())) {
      Type element = getElementTypeOrSelf(type);
      if (seqc::onnx::getStorageElementType(element) == element)
        continue;
      if (knowsUnsigned(op) && element.isUnsignedInteger() &&
          element.getIntOrFloatBitWidth() >= 8)
        continue;
      if (isa<seqc::onnx::StringType>(element) && isa<seqc::onnx::EqualOp>(op))
        continue;
      op->emitOpError("does not support element type ")
          << element << " yet (Cast it first)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// Declares the runtime function that compares strings where the lowering
/// calls it.
void declareStringEqual(ModuleOp module) {
  bool used = false;
  module.walk([&](seqc::onnx::EqualOp op) {
    used |= isa<seqc::onnx::StringType>(getElementTypeOrSelf(op.getA()));
  });
  if (!used || module.lookupSymbol(seqc::kStringEqualFunction))
    return;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto i64 = b.getI64Type();
  func::FuncOp::create(b, module.getLoc(), seqc::kStringEqualFunction,
                       b.getFunctionType({i64, i64}, {b.getI32Type()}))
      .setPrivate();
}

struct ConvertOnnxToSeq : seqc::impl::ConvertOnnxToSeqBase<ConvertOnnxToSeq> {
  void runOnOperation() override {
    if (failed(checkElementTypes(getOperation())))
      return signalPassFailure();
    declareStringEqual(getOperation());
    // Below the onnx dialect values have their storage types, the function
    // signature included.
    TypeConverter converter;
    converter.addConversion(
        [](Type type) { return seqc::onnx::getStorageType(type); });
    ConversionTarget target(getContext());
    target.addIllegalDialect<seqc::onnx::OnnxDialect>();
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (auto func = dyn_cast<func::FuncOp>(op))
        return converter.isSignatureLegal(func.getFunctionType());
      if (isa<func::ReturnOp>(op))
        return converter.isLegal(op);
      return true;
    });
    RewritePatternSet patterns(&getContext());
    seqc::populateOnnxToSeqPatterns(patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
