//===- OnnxInterfaces.td - What every onnx op provides -*- tablegen -*-===//

#ifndef SEQC_ONNX_INTERFACES
#define SEQC_ONNX_INTERFACES

include "mlir/IR/OpBase.td"

def OnnxOpInterface : OpInterface<"OnnxOpInterface"> {
  let cppNamespace = "::seqc::onnx";
  let description = [{
    Implemented by every onnx op: how many inputs and outputs the ONNX
    operator declares (the importer needs them to lay out absent optional
    inputs and outputs). The op's type and shape rule is MLIR's
    InferTypeOpInterface.
  }];
  let methods = [
    StaticInterfaceMethod<
      "Number of inputs the ONNX operator declares, optional ones included.",
      "unsigned", "getNumOnnxInputs">,
    StaticInterfaceMethod<
      "Number of inputs the ONNX operator requires: they come first.",
      "unsigned", "getNumRequiredOnnxInputs">,
    StaticInterfaceMethod<
      "Number of outputs the ONNX operator declares; the op always has them "
      "all, and an output the node omits is a result left unused.",
      "unsigned", "getNumOnnxOutputs">,
  ];
}

#endif // SEQC_ONNX_INTERFACES
