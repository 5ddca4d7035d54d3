//===- Pipeline.cpp - seqc's named pass pipelines
//--------------------------===//

#include "seqc/Pipeline/Pipeline.h"

#include "seqc/Conversion/Passes.h"
#include "seqc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void seqc::buildToSeqPipeline(OpPassManager &pm, const PipelineOptions &opts) {
  pm.addPass(createConvertOnnxToSeq());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  SeqcCreateKernelAbiOptions abi;
  abi.functionName = opts.functionName;
  pm.addPass(createSeqcCreateKernelAbi(abi));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void seqc::buildBufferizePipeline(OpPassManager &pm) {
  pm.addPass(createConvertSeqToScf());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Recurrence states are new tensors each step: the loop yields them.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void seqc::buildToLLVMPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

namespace {
struct ToSeqOptions : PassPipelineOptions<ToSeqOptions> {
  Option<std::string> function{*this, "function",
                               llvm::cl::desc("The model function"),
                               llvm::cl::init("main_graph")};
};
} // namespace

void seqc::registerPipelines() {
  PassPipelineRegistration<ToSeqOptions>(
      "seqc-to-seq", "onnx dialect to seq + linalg with the kernel ABI",
      [](OpPassManager &pm, const ToSeqOptions &o) {
        buildToSeqPipeline(pm, {o.function});
      });
  PassPipelineRegistration<>(
      "seqc-bufferize", "seq to scf loops on buffers",
      [](OpPassManager &pm) { buildBufferizePipeline(pm); });
  PassPipelineRegistration<>(
      "seqc-to-llvm", "bufferized linalg/scf to the LLVM dialect",
      [](OpPassManager &pm) { buildToLLVMPipeline(pm); });
  PassPipelineRegistration<ToSeqOptions>(
      "seqc-compile", "the whole pipeline from the onnx dialect to LLVM",
      [](OpPassManager &pm, const ToSeqOptions &o) {
        buildToSeqPipeline(pm, {o.function});
        buildBufferizePipeline(pm);
        buildToLLVMPipeline(pm);
      });
}
