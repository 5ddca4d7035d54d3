//===- Passes.td - seqc passes that are not conversions -*- tablegen -*-===//

#ifndef SEQC_TRANSFORMS_PASSES
#define SEQC_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def SeqcCreateKernelAbi : Pass<"seqc-create-kernel-abi", "::mlir::ModuleOp"> {
  let summary = "Give the model function the calling convention of the C API";
  let description = [{
    Works on the tensor-level model function `@F` (tensors in, tensors out):

    - adds `@F_shapes(inputs..., %dims: memref<Nxi64>)`, which stores the
      sizes of every result dimension (all results, row-major) into `%dims`.
      It is a copy of `@F` returning `tensor.dim`s of the results, simplified
      by resolving dims through `ReifyRankedShapedTypeOpInterface` and
      canonicalization, so that it normally reads only input sizes;
    - rewrites `@F` into destination-passing style: one memref out-parameter
      per result, written through `bufferization.materialize_in_destination`,
      so that bufferization computes the results straight into the caller's
      buffers.

    Both functions get `llvm.emit_c_interface`. Inputs are marked
    non-writable: compiled code never writes into the caller's inputs.

    The `cf.assert`s of run-time size checks move into `@F_shapes`: it stores
    a status after the dims (the number of the failing check, and the two
    sizes it compared), and the messages go into the module attribute
    `seqc.runtime_checks`. `@F` loses its asserts.
  }];
  let options = [
    Option<"functionName", "function", "std::string", "\"main_graph\"",
           "The model function">
  ];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect", "::mlir::cf::ControlFlowDialect"
  ];
}

#endif // SEQC_TRANSFORMS_PASSES
