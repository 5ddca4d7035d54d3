//===- OnnxInterfaces.td - What every onnx op provides -*- tablegen -*-===//

#ifndef SEQC_ONNX_INTERFACES
#define SEQC_ONNX_INTERFACES

include "mlir/IR/OpBase.td"

def OnnxOpInterface : OpInterface<"OnnxOpInterface"> {
  let cppNamespace = "::seqc::onnx";
  let description = [{
    Implemented by every onnx op: how many inputs the ONNX operator declares
    (the importer needs it to lay out absent optional inputs) and the shape
    inference of the op (ONNX's type and shape inference, done here rather
    than by libonnx).
  }];
  let methods = [
    StaticInterfaceMethod<
      "Number of inputs the ONNX operator declares, optional ones included.",
      "unsigned", "getNumOnnxInputs">,
    StaticInterfaceMethod<
      "Number of outputs the ONNX operator declares; the op always has them "
      "all, and an output the node omits is a result left unused.",
      "unsigned", "getNumOnnxOutputs">,
    InterfaceMethod<
      "Infers the result types from the operands and attributes. Emits an "
      "error at the op and fails when the operands do not fit together.",
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$resultTypes)>,
  ];
}

#endif // SEQC_ONNX_INTERFACES
