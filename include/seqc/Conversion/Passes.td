//===- Passes.td - Every seqc conversion pass -*- tablegen -*-===//

#ifndef SEQC_CONVERSION_PASSES
#define SEQC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// OnnxToSeq
//===----------------------------------------------------------------------===//

def ConvertOnnxToSeq : Pass<"convert-onnx-to-seq", "::mlir::ModuleOp"> {
  let summary = "Lower the onnx dialect to seq recurrences and linalg/tensor";
  let description = [{
    LSTM, GRU and RNN become one `seq.recurrence` per direction whose body is
    the cell's math in linalg/arith/math; every other ONNX op becomes
    linalg/tensor/arith IR on tensors. Weights stay constants. Sizes that
    must agree but are only known at run time get a `cf.assert` naming the
    ONNX node (see seqc-create-kernel-abi).
  }];
  let dependentDialects = [
    "::seqc::seq::SeqDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def OnnxAccumulateInF32 : Pass<"onnx-accumulate-in-f32", "::mlir::ModuleOp"> {
  let summary = "Compute the accumulating onnx ops on f16/bf16 data in f32";
  let description = [{
    An op that sums many terms (MatMul, Gemm, Conv, ConvTranspose, the
    reductions, Softmax, LogSoftmax, the normalisations, the averaging
    pools, CumSum, Einsum, DFT/STFT and the recurrent ops) loses most of a
    16-bit float's precision if it accumulates in it: 64 f16 products summed
    in f16 are off by several units in the last place. numpy and ONNX
    Runtime accumulate in f32 and round once. This pass casts such an op's
    f16/bf16 inputs to f32 (onnx.Cast) and its results back, so the
    lowering computes them in f32.
  }];
}

def OnnxExpandSequences : Pass<"onnx-expand-sequences", "::mlir::ModuleOp"> {
  let summary = "Carry ONNX sequences and optionals in tensors";
  let description = [{
    A sequence becomes two tensors: its elements' data back to back
    (`tensor<?xT>`) and one row per element (`tensor<?x9xi64>`: the rank,
    then the dims padded with 1 to 8). An optional becomes a bool scalar
    saying whether it holds a value, then that value's tensors (an empty
    one when it holds none). The sequence and optional ops become onnx
    tensor ops on them (Concat, Slice, Gather, ...), which the rest of the
    pipeline compiles, checks and sizes as any others; If, Loop, Identity
    and the function's signature carry the tensors instead of the values.
    An argument or result of the function becomes several, each with the
    `seqc.role` the C interface describes.
  }];
}

//===----------------------------------------------------------------------===//
// SeqToScf
//===----------------------------------------------------------------------===//

def ConvertSeqToScf : Pass<"convert-seq-to-scf", "::mlir::ModuleOp"> {
  let summary = "Lower seq.recurrence to an scf.for loop over time";
  let description = [{
    Each recurrence becomes an `scf.for` over time. Recurrences with
    `lengths` are first rewritten by the `seq-expand-lengths` patterns (the
    one implementation of that rule). The loop carries:

    - the states (buffer A), each with a second buffer of its shape (B, a
      `bufferization.alloc_tensor` of its own: two states must never share
      one): the op that computes a next state into a `tensor.empty`
      computes it into the other buffer instead. The loop runs two steps
      per iteration, A -> B then B -> A, so that each iteration yields the
      buffers where it found them: the states ping-pong without a copy or
      an allocation. An odd last step runs in a second loop of `T mod 2`
      iterations that reads A, writes B and yields A unchanged; the final
      states are `arith.select`ed from A and B on the parity of T;
    - the stacked outputs, which start as the recurrence's `outs` (its
      destinations) and receive each step output by `tensor.insert_slice`.

    `seq.parallel_width` becomes a call of the runtime's
    `seqc_rt_parallel_width`.

    Step inputs are `tensor.extract_slice`s at time `t`: step `s` runs at
    `t = s` forward and `t = T - 1 - s` in reverse.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect", "::mlir::func::FuncDialect"
  ];
}

#endif // SEQC_CONVERSION_PASSES
