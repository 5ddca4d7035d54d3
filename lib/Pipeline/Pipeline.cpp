//===- Pipeline.cpp - seqc's named pass pipelines -------------------------===//

#include "seqc/Pipeline/Pipeline.h"

#include "dialects/seq/Passes.h"
#include "seqc/Conversion/Passes.h"
#include "seqc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void seqc::buildToSeqPipeline(OpPassManager &pm) {
  pm.addPass(createOnnxExpandSequences());
  // Folds the onnx ops on constants: computed weights become constants.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createOnnxAccumulateInF32());
  pm.addPass(createConvertOnnxToSeq());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A chain of elementwise ops becomes few loop nests: fewer passes over
  // the data, and fewer buffers for bufferization to analyse (its analysis
  // grows faster than linearly with the ops writing into one buffer).
  pm.addPass(createSeqcFuseElementwise());
}

void seqc::buildSequencePassesPipeline(OpPassManager &pm,
                                       const PipelineOptions &opts) {
  // What does not change over time leaves the recurrences.
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // x_t W^T for every step at once, before the loop: one GEMM.
  pm.addPass(seq::createSeqHoistInputProjection());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Linear state updates become scans: the state-free work over all steps
  // at once, the scan step by step or in parallel chunks.
  if (opts.scan != "off") {
    // auto leaves large matrix states step by step (their scan would keep
    // a state per step); an explicit mode scans them all.
    seq::SeqDetectLinearRecurrenceOptions detect;
    detect.maxMatrixState = opts.scan == "auto" ? 1024 : 0;
    pm.addPass(seq::createSeqDetectLinearRecurrence(detect));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  seq::SeqParallelizeScanOptions scan;
  scan.mode = opts.scan == "off" ? "sequential" : opts.scan;
  pm.addPass(seq::createSeqParallelizeScan(scan));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Shares of a batch's rows, each over all steps, on the threads.
  pm.addPass(seq::createSeqParallelizeBatch());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void seqc::buildBufferizePipeline(OpPassManager &pm,
                                  const PipelineOptions &opts) {
  SeqcCreateShapeFunctionOptions shapes;
  shapes.functionName = opts.functionName;
  pm.addPass(createSeqcCreateShapeFunction(shapes));
  SeqcResultsToDestinationsOptions destinations;
  destinations.functionName = opts.functionName;
  pm.addPass(createSeqcResultsToDestinations(destinations));
  pm.addPass(createConvertSeqToScf());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Results computed where the caller's buffers are.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // States swap buffers every step (ping-pong): the loop yields them.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // The shares of seq-parallelize-batch, on buffers: a parallel loop.
  pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  // Temporaries of a time step are allocated once, before the loop (their
  // sizes first, once folded to values from outside the loop).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void seqc::buildKernelAbiPipeline(OpPassManager &pm,
                                  const PipelineOptions &opts) {
  SeqcCreateKernelAbiOptions abi;
  abi.functionName = opts.functionName;
  pm.addPass(createSeqcCreateKernelAbi(abi));
}

void seqc::buildToLLVMPipeline(OpPassManager &pm,
                               const PipelineOptions &opts) {
  SeqcVectorizeMatmulOptions matmul;
  matmul.width = opts.vectorWidth;
  matmul.kernels = opts.kernels;
  pm.addPass(createSeqcVectorizeMatmul(matmul));
  pm.addPass(createSeqcParallelizeElementwise());
  pm.addPass(createSeqcApproximateMath());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  // Partitioned loops (the matmuls') run on the context's worker pool.
  pm.addPass(createSeqcOutlineParallelLoops());
  pm.addPass(createSCFToControlFlowPass());
  pm.addNestedPass<func::FuncOp>(createSeqcCheckAllocations());
  pm.addPass(createSeqcLowerExpandShape());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // bfloat16 computes in f32, rounding after each op as bf16 arithmetic
  // does; its conversions become integer code (LLVM would call compiler-rt's
  // __truncsfbf2, which the model library does not link).
  pm.addPass(arith::createArithEmulateUnsupportedFloats(
      arith::ArithEmulateUnsupportedFloatsOptions{{"bf16"}, "f32"}));
  pm.addPass(math::createMathExtendToSupportedTypes(
      math::MathExtendToSupportedTypesOptions{{"f16"}, "f32"}));
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertVectorToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = opts.contextBuffers;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void seqc::buildCompilePipeline(OpPassManager &pm, const PipelineOptions &opts,
                                PipelineEnd end) {
  buildToSeqPipeline(pm);
  buildSequencePassesPipeline(pm, opts);
  if (end == PipelineEnd::Seq)
    return;
  buildBufferizePipeline(pm, opts);
  buildKernelAbiPipeline(pm, opts);
  if (end == PipelineEnd::LLVM)
    buildToLLVMPipeline(pm, opts);
}

namespace {
struct FunctionOptions : PassPipelineOptions<FunctionOptions> {
  Option<std::string> function{*this, "function",
                               llvm::cl::desc("The model function"),
                               llvm::cl::init("main_graph")};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes per vector register of the target"),
      llvm::cl::init(8)};
  Option<std::string> kernels{
      *this, "kernels",
      llvm::cl::desc("Who writes the matmul kernels: mlir, halide, auto"),
      llvm::cl::init("mlir")};
  Option<bool> contextBuffers{
      *this, "context-buffers",
      llvm::cl::desc("Allocate through the runtime's buffer cache (else "
                     "malloc and free)"),
      llvm::cl::init(true)};
  Option<std::string> scan{
      *this, "scan",
      llvm::cl::desc("How linear scans run: sequential, parallel, auto, "
                     "off (recurrences are not turned into scans)"),
      llvm::cl::init("auto")};
  seqc::PipelineOptions get() const {
    return {function, vectorWidth, kernels, contextBuffers, scan};
  }
};
} // namespace

void seqc::registerPipelines() {
  PassPipelineRegistration<>(
      "seqc-to-seq", "onnx dialect to seq recurrences + linalg on tensors",
      [](OpPassManager &pm) { buildToSeqPipeline(pm); });
  PassPipelineRegistration<FunctionOptions>(
      "seqc-sequence-passes",
      "sequence-level optimisations of seq.recurrence",
      [](OpPassManager &pm, const FunctionOptions &o) {
        buildSequencePassesPipeline(pm, o.get());
      });
  PassPipelineRegistration<FunctionOptions>(
      "seqc-bufferize",
      "shape function, destinations, seq to scf loops on buffers",
      [](OpPassManager &pm, const FunctionOptions &o) {
        buildBufferizePipeline(pm, o.get());
      });
  PassPipelineRegistration<FunctionOptions>(
      "seqc-kernel-abi", "the bufferized kernel's C convention",
      [](OpPassManager &pm, const FunctionOptions &o) {
        buildKernelAbiPipeline(pm, o.get());
      });
  PassPipelineRegistration<FunctionOptions>(
      "seqc-to-llvm", "bufferized linalg/scf to the LLVM dialect",
      [](OpPassManager &pm, const FunctionOptions &o) {
        buildToLLVMPipeline(pm, o.get());
      });
  PassPipelineRegistration<FunctionOptions>(
      "seqc-compile", "the whole pipeline from the onnx dialect to LLVM",
      [](OpPassManager &pm, const FunctionOptions &o) {
        buildCompilePipeline(pm, o.get());
      });
}
