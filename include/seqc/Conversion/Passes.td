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
    "::mlir::math::MathDialect", "::mlir::cf::ControlFlowDialect"
  ];
}

//===----------------------------------------------------------------------===//
// SeqToScf
//===----------------------------------------------------------------------===//

def ConvertSeqToScf : Pass<"convert-seq-to-scf", "::mlir::ModuleOp"> {
  let summary = "Lower seq.recurrence to an scf.for loop over time";
  let description = [{
    Each recurrence becomes an `scf.for` carrying the states and the stacked
    outputs; the step inputs are `tensor.extract_slice`s, the step outputs are
    `tensor.insert_slice`d, and per-batch `lengths` become selects that keep
    finished sequences' states and zero their outputs.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::arith::ArithDialect"
  ];
}

#endif // SEQC_CONVERSION_PASSES
