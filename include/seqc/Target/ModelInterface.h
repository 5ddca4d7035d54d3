//===- ModelInterface.h - A compiled model seen from C ------*- C++ -*-===//
//
// The one description of a model's C interface: its tensors, the layout of
// its `<prefix>_inputs` / `<prefix>_outputs` structs and its public
// functions. The header (Header.cpp), the tables and functions in the object
// (CInterface.cpp) and, through `<prefix>_info()`, the runtime and the Python
// binding all follow it.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_TARGET_MODELINTERFACE_H
#define SEQC_TARGET_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <optional>
#include <string>
#include <vector>

namespace seqc {

struct TensorInterface {
  /// What the tensor carries (seqc_role): a tensor, or one of the tensors
  /// of an ONNX sequence or optional.
  enum class Role { Tensor, SequenceData, SequenceShapes, Present };
  std::string onnxName;      // as the model names it
  std::string cName;         // sanitised, unique within the model
  int32_t elemType;          // ONNX TensorProto.DataType
  std::vector<int64_t> dims; // -1 where dynamic
  std::vector<std::string> dimNames;
  Role role = Role::Tensor;
  /// For Role::SequenceShapes: the elements' declared dims (-1 dynamic);
  /// none when their rank is not known.
  std::optional<std::vector<int64_t>> elementDims;
  /// Byte offsets of the data pointer and of the shape array in the model's
  /// inputs or outputs struct (seqc_tensor_info.data_offset/shape_offset).
  int64_t dataOffset = 0, shapeOffset = 0;

  /// The length of the `int64_t <name>_shape[]` member: the rank, but at
  /// least 1, as C has no zero-length arrays (a scalar's slot is unused).
  int64_t getNumShapeSlots() const;
};

/// One public C function of every model, named `<prefix>_<name>`. In the
/// C strings, `$` stands for the prefix.
struct EntryPoint {
  enum class Body {
    CallRuntime,               // returns runtimeCallee(args...)
    CallRuntimeWithDescriptor, // returns runtimeCallee(&descriptor, args...)
    ReturnModelInfo,           // returns &the seqc_model_info table
  };
  llvm::StringRef name;   // "run"
  llvm::StringRef result; // C result type: "int", "void", "$_context *"
  llvm::StringRef params; // C parameter list, "void" when empty
  llvm::StringRef doc;    // the header's comment, lines joined by '\n'
  Body body;
  llvm::StringRef runtimeCallee; // the seqc_rt_* function, for CallRuntime*

  /// The types of `params`, each parameter without its name.
  llvm::SmallVector<llvm::StringRef> getParamTypes() const;
};

/// The public functions, in the order the header declares them.
llvm::ArrayRef<EntryPoint> getEntryPoints();

/// Replaces every `$` in `text` by `prefix`.
std::string expandPrefix(llvm::StringRef text, llvm::StringRef prefix);

struct ModelInterface {
  std::string prefix;    // C symbol prefix, e.g. "lstm2"
  std::string modelName; // the ONNX graph's name
  std::string sourceFile;
  std::vector<TensorInterface> inputs, outputs;
  /// sizeof(<prefix>_inputs) and sizeof(<prefix>_outputs).
  int64_t inputsSize = 0, outputsSize = 0;
  /// Messages of the run-time size checks (seqc.runtime_checks).
  std::vector<std::string> runtimeChecks;

  /// The public C functions of the model, all named `<prefix>_...`.
  std::vector<std::string> publicSymbols() const;
};

/// Reads the interface from the importer's function attributes (the
/// tensor-level function, before seqc-create-kernel-abi), and lays out the
/// inputs and outputs structs.
ModelInterface getModelInterface(mlir::func::FuncOp func,
                                 llvm::StringRef prefix,
                                 llvm::StringRef sourceFile);

/// Sets every tensor's offsets in its struct, in order: the data pointer,
/// then the shape array. Returns the struct's size. C has no empty structs,
/// so a struct without tensors holds one unused int64_t.
int64_t layOutStruct(std::vector<TensorInterface> &tensors);

/// Turns any string into a C identifier (used for prefixes and names).
std::string sanitizeIdentifier(llvm::StringRef name);

/// The ONNX element type's name as seqc documents it ("float32").
llvm::StringRef getElemTypeName(int32_t elemType);
/// The C type of an element ("float", "int64_t").
llvm::StringRef getElemCType(int32_t elemType);

} // namespace seqc

#endif // SEQC_TARGET_MODELINTERFACE_H
