//===- AccumulateInF32.cpp - 16-bit floats accumulate in f32 --------------===//
//
// The onnx-accumulate-in-f32 pass: an accumulating op with f16 or bf16
// operands gets onnx.Cast to f32 on them and back on its results. Each such
// result is then rounded to 16 bits once, as numpy and ONNX Runtime round
// it. (Verification checks the f32 result types against the op's rule.)
//
//===----------------------------------------------------------------------===//

#include "seqc/Conversion/Passes.h"

#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/TypeUtilities.h"

namespace seqc {
#define GEN_PASS_DEF_ONNXACCUMULATEINF32
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::onnx;

namespace {

/// The ops that sum many terms.
bool accumulates(Operation *op) {
  return isa<MatMulOp, GemmOp, ConvOp, ConvTransposeOp, ReduceSumOp,
             ReduceMeanOp, ReduceProdOp, ReduceL1Op, ReduceL2Op,
             ReduceSumSquareOp, ReduceLogSumOp, ReduceLogSumExpOp, SoftmaxOp,
             LogSoftmaxOp, LayerNormalizationOp, BatchNormalizationOp,
             InstanceNormalizationOp, AveragePoolOp, GlobalAveragePoolOp,
             CumSumOp, EinsumOp, DFTOp, STFTOp, LSTMOp, GRUOp, RNNOp>(op);
}

bool isSixteenBitFloat(Type type) {
  Type element = getElementTypeOrSelf(type);
  return element.isF16() || element.isBF16();
}

/// `value` as `to` (a float element type, same shape) by onnx.Cast.
Value castTo(OpBuilder &b, Location loc, Value value, Type to) {
  auto type = cast<RankedTensorType>(value.getType());
  return CastOp::create(b, loc, type.clone(to), value,
                        b.getI64IntegerAttr(getDataType(to)));
}

void widen(Operation *op) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  for (OpOperand &operand : op->getOpOperands())
    if (isSixteenBitFloat(operand.get().getType()))
      operand.set(castTo(b, loc, operand.get(), f32));
  // Its 16-bit float results become f32 (the same sizes), then cast back.
  b.setInsertionPointAfter(op);
  for (Value result : op->getResults()) {
    auto type = cast<RankedTensorType>(result.getType());
    if (!isSixteenBitFloat(type))
      continue;
    result.setType(type.clone(f32));
    Value back = castTo(b, loc, result, type.getElementType());
    result.replaceAllUsesExcept(back, back.getDefiningOp());
  }
}

struct OnnxAccumulateInF32
    : seqc::impl::OnnxAccumulateInF32Base<OnnxAccumulateInF32> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (accumulates(op) &&
          (llvm::any_of(op->getOperandTypes(), isSixteenBitFloat) ||
           llvm::any_of(op->getResultTypes(), isSixteenBitFloat)))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      widen(op);
  }
};

} // namespace
