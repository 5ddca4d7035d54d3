//===- CreateKernelAbi.cpp - The bufferized kernel's C convention ---------===//

#include "seqc/Transforms/Passes.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCCREATEKERNELABI
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// `@F` returns an i32 status: SEQC_OK at its end.
void returnStatus(func::FuncOp func) {
  OpBuilder b(func.getContext());
  Type i32 = b.getI32Type();
  func.setType(b.getFunctionType(func.getArgumentTypes(), {i32}));
  func.walk([&](func::ReturnOp ret) {
    b.setInsertionPoint(ret);
    Value ok = arith::ConstantIntOp::create(b, ret.getLoc(), 0, 32);
    ret.getOperandsMutable().assign(ok);
  });
}

struct SeqcCreateKernelAbi
    : seqc::impl::SeqcCreateKernelAbiBase<SeqcCreateKernelAbi> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp func = seqc::lookupModelFunction(module, functionName);
    if (!func)
      return signalPassFailure();
    auto shapes = module.lookupSymbol<func::FuncOp>(
        (functionName + seqc::kShapesSuffix).str());
    if (!shapes) {
      module.emitError("no shape function @")
          << functionName << seqc::kShapesSuffix
          << " (run seqc-create-shape-function first)";
      return signalPassFailure();
    }
    if (func.getNumResults() != 0) {
      func.emitError("the model function must write its results into "
                     "out-parameters (run seqc-results-to-destinations "
                     "before bufferization)");
      return signalPassFailure();
    }
    returnStatus(func);
    UnitAttr unit = UnitAttr::get(&getContext());
    func->setAttr(seqc::kKernelAttr, unit);
    func->setAttr(seqc::kCInterfaceAttr, unit);
    shapes->setAttr(seqc::kCInterfaceAttr, unit);
  }
};

} // namespace
