//===- SeqDialect.td - The seq dialect: recurrences over time -*- tablegen -*-===//

#ifndef SEQC_SEQ_DIALECT
#define SEQC_SEQ_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Seq_Dialect : Dialect {
  let name = "seq";
  let summary = "Sequence models with the time axis made explicit";
  let description = [{
    The dialect seqc's sequence-level passes work on. Its centre is
    `seq.recurrence`: a loop over time with explicit carried state, per-step
    inputs and per-step outputs, a direction and optional per-batch lengths.
    The cell computed at each step is ordinary tensor/linalg/arith/math IR in
    the op's region, so later passes (input-projection hoisting, chunking,
    linear-scan detection, quantisation) can see and rewrite it.
  }];
  let cppNamespace = "::seqc::seq";
  // The op's canonicalizations and builders create arith and tensor ops:
  // these must be loaded wherever seq is (a -canonicalize run over IR that
  // holds no tensor op would otherwise create ops of an unloaded dialect).
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::tensor::TensorDialect"
  ];
}

def Seq_Direction : I32EnumAttr<"Direction", "direction of a recurrence in time", [
  I32EnumAttrCase<"forward", 0>,
  I32EnumAttrCase<"reverse", 1>
]> {
  let cppNamespace = "::seqc::seq";
}

#endif // SEQC_SEQ_DIALECT
