//===- ModelInterface.h - What a compiled model looks like from C -*- C++
//-*-===//

#ifndef SEQC_TARGET_MODELINTERFACE_H
#define SEQC_TARGET_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <string>
#include <vector>

namespace seqc {

struct TensorInterface {
  std::string onnxName;      // as the model names it
  std::string cName;         // sanitised, unique within the model
  int32_t elemType;          // ONNX TensorProto.DataType
  std::vector<int64_t> dims; // -1 where dynamic
  std::vector<std::string> dimNames;
};

struct ModelInterface {
  std::string prefix;    // C symbol prefix, e.g. "lstm2"
  std::string modelName; // the ONNX graph's name
  std::string sourceFile;
  std::vector<TensorInterface> inputs, outputs;
  /// Messages of the run-time size checks (seqc.runtime_checks).
  std::vector<std::string> runtimeChecks;

  /// The public C functions of the model, all named `<prefix>_...`.
  std::vector<std::string> publicSymbols() const;
};

/// Reads the interface from the importer's function attributes (the
/// tensor-level function, before seqc-create-kernel-abi).
ModelInterface getModelInterface(mlir::func::FuncOp func,
                                 llvm::StringRef prefix,
                                 llvm::StringRef sourceFile);

/// Turns any string into a C identifier (used for prefixes and names).
std::string sanitizeIdentifier(llvm::StringRef name);

/// The ONNX element type's name as seqc documents it ("float32").
llvm::StringRef getElemTypeName(int32_t elemType);
/// The C type of an element ("float", "int64_t").
llvm::StringRef getElemCType(int32_t elemType);

} // namespace seqc

#endif // SEQC_TARGET_MODELINTERFACE_H
