//===- Pipeline.h - seqc's named pass pipelines -----------------*- C++ -*-===//
//
// `seqc` runs exactly these pipelines, and registers them by name so that
// `seqc-opt --pass-pipeline='builtin.module(seqc-to-seq)'` etc. reproduce
// every stage:
//
//   seqc-to-seq     onnx dialect -> seq recurrences + linalg on tensors, and
//                   the kernel ABI (shape function, destination passing)
//   seqc-bufferize  seq -> scf loops, one-shot bufferization, deallocation
//   seqc-to-llvm    linalg/scf/memref -> LLVM dialect
//   seqc-compile    all three
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_PIPELINE_PIPELINE_H
#define SEQC_PIPELINE_PIPELINE_H

#include "mlir/Pass/PassManager.h"
#include <string>

namespace seqc {

struct PipelineOptions {
  /// The model function the importer created.
  std::string functionName = "main_graph";
};

void buildToSeqPipeline(mlir::OpPassManager &pm, const PipelineOptions &opts);
void buildBufferizePipeline(mlir::OpPassManager &pm);
void buildToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers the pipelines above with MLIR's pass registry.
void registerPipelines();

} // namespace seqc

#endif // SEQC_PIPELINE_PIPELINE_H
