//===- OnnxDialect.td - The onnx dialect: faithful ONNX operators -*- tablegen -*-===//

#ifndef SEQC_ONNX_DIALECT
#define SEQC_ONNX_DIALECT

include "mlir/IR/OpBase.td"

def Onnx_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators, one op per ONNX op type, attributes as ONNX names them";
  let description = [{
    The importer produces this dialect from an ONNX model. Ops keep ONNX's
    operand order, attribute names and defaults; absent optional inputs are
    absent operands. Every op verifies its ONNX constraints and infers its
    result types through `InferTypeOpInterface`, so diagnostics are reported at the
    ONNX node (its name is the op's `NameLoc`).
  }];
  let cppNamespace = "::seqc::onnx";
  // reifyResultShapes builds tensor.dim and arith ops.
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
  // Folding materialises constants as onnx.Constant.
  let hasConstantMaterializer = 1;
  // !onnx.seq and !onnx.opt (OnnxTypes.td).
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerTypes();
  }];
}

#endif // SEQC_ONNX_DIALECT
