//===- Pipeline.h - seqc's named pass pipelines -----------------*- C++ -*-===//
//
// `seqc` runs exactly these pipelines, in this order, and registers them by
// name so that `seqc-opt --pass-pipeline='builtin.module(...)'` reproduces
// every stage:
//
//   seqc-to-seq           onnx dialect -> seq recurrences + linalg on tensors
//   seqc-sequence-passes  the slot for sequence-level optimisations on
//                         seq.recurrence (hoisting, chunking, scans,
//                         quantisation, sparsity go here); today loop-invariant
//                         code motion, seq-hoist-input-projection,
//                         seq-detect-linear-recurrence, seq-parallelize-scan
//                         and seq-parallelize-batch
//   seqc-bufferize        shape function, results into destinations,
//                         seq -> scf, one-shot bufferization, allocations
//                         hoisted out of loops, deallocation
//   seqc-kernel-abi       the bufferized kernel's C convention (status result)
//   seqc-to-llvm          f32 matmuls as vector code; linalg/scf/memref ->
//                         LLVM dialect, allocation checks
//   seqc-compile          all of them
//
// `seqc --emit=seq` stops after the sequence passes, `--emit=linalg` after
// the kernel ABI.
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
  /// f32 lanes per vector register of the target (seqc-vectorize-matmul).
  int64_t vectorWidth = 8;
  /// Who writes the f32 matmul kernels: "mlir" (seqc-vectorize-matmul's
  /// vector tiles), "halide" (Halide kernels, generated when the object is
  /// built) or "auto" (per matmul).
  std::string kernels = "mlir";
  /// Heap buffers come from the context's cache (the runtime's generic
  /// allocation functions, SeqcBuffers.c); off, malloc and free, as
  /// --sanitize=address wants, so that ASan sees each buffer's lifetime.
  bool contextBuffers = true;
  /// How seq.linear_scan runs: "sequential", "parallel" (chunked) or
  /// "auto" (seq-parallelize-scan's default: sequential today). "off": recurrences are not turned into scans
  /// (CumSum's still are, run step by step).
  std::string scan = "auto";
};

void buildToSeqPipeline(mlir::OpPassManager &pm);
void buildSequencePassesPipeline(mlir::OpPassManager &pm,
                                 const PipelineOptions &opts);
void buildBufferizePipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &opts);
void buildKernelAbiPipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &opts);
void buildToLLVMPipeline(mlir::OpPassManager &pm, const PipelineOptions &opts);

/// Where `buildCompilePipeline` stops: after the sequence passes
/// (`--emit=seq`), after the kernel ABI (`--emit=linalg`), or at the LLVM
/// dialect.
enum class PipelineEnd { Seq, Linalg, LLVM };

/// The pipelines above in order, up to `end`: what `seqc` runs.
void buildCompilePipeline(mlir::OpPassManager &pm, const PipelineOptions &opts,
                          PipelineEnd end = PipelineEnd::LLVM);

/// Registers the pipelines above with MLIR's pass registry.
void registerPipelines();

} // namespace seqc

#endif // SEQC_PIPELINE_PIPELINE_H
