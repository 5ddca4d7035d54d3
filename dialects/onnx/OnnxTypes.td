//===- OnnxTypes.td - ONNX sequence and optional types -*- tablegen -*-===//
//
// ONNX values that are not tensors. Only the onnx dialect has them:
// onnx-expand-sequences turns each into the tensors that carry it, so the
// rest of the compiler, the kernel ABI included, sees tensors only.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_ONNX_TYPES
#define SEQC_ONNX_TYPES

include "dialects/onnx/OnnxDialect.td"
include "mlir/IR/AttrTypeBase.td"

class Onnx_Type<string name, string typeMnemonic>
    : TypeDef<Onnx_Dialect, name> {
  let mnemonic = typeMnemonic;
}

def Onnx_SequenceType : Onnx_Type<"Sequence", "seq"> {
  let summary = "An ONNX sequence: a run-time number of tensors of one "
                "element type";
  let description = [{
    `elementType` describes every element: a ranked tensor type when all
    elements have its rank (a size they may disagree on is dynamic), an
    unranked one when their ranks may differ.
  }];
  let parameters = (ins "::mlir::TensorType":$elementType);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::TensorType":$elementType), [{
      return $_get(elementType.getContext(), elementType);
    }]>
  ];
  let assemblyFormat = "`<` $elementType `>`";
}

def Onnx_OptionalType : Onnx_Type<"Optional", "opt"> {
  let summary = "An ONNX optional: a tensor or a sequence, or nothing";
  let parameters = (ins "::mlir::Type":$valueType);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::Type":$valueType), [{
      return $_get(valueType.getContext(), valueType);
    }]>
  ];
  let assemblyFormat = "`<` $valueType `>`";
  let genVerifyDecl = 1;
}

def Onnx_StringType : Onnx_Type<"String", "string"> {
  let summary = "The element type of ONNX string tensors";
  let description = [{
    Below the onnx dialect a string is a pointer to its NUL-terminated
    UTF-8 bytes (an i64), which the caller owns: strings are model inputs
    only, and the ops that read them call the runtime (Equal).
  }];
}

// What an ONNX value may be: a tensor, a sequence or an optional.
def Onnx_AnyValue : AnyTypeOf<[AnyTensor, Onnx_SequenceType, Onnx_OptionalType]>;

#endif // SEQC_ONNX_TYPES
