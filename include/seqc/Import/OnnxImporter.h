//===- OnnxImporter.h - ONNX protobuf to the onnx dialect -------*- C++ -*-===//

#ifndef SEQC_IMPORT_ONNXIMPORTER_H
#define SEQC_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace seqc {

struct ImportOptions {
  /// Name of the function the graph becomes.
  std::string functionName = "main_graph";
  /// Graph inputs specialised to constants (`--bind NAME=VALUE`): the text
  /// of the values, comma-separated, read as the input's element type. A
  /// bound input is no longer an input of the compiled model.
  std::map<std::string, std::string> bindings;
  /// Graph inputs given a more static shape (`--input-shape NAME=1x?x576`):
  /// kDynamic keeps a dimension dynamic; a static one must agree with the
  /// model's.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// When set, the path of every external-data file read is added to it
  /// (seqc --depfile: the files a compiled model depends on).
  std::set<std::string> *externalFiles = nullptr;
};

/// Function and argument attributes through which the importer hands the
/// graph's interface (ONNX names, element types, symbolic dimensions) to the
/// C interface and header emitters.
namespace attrs {
inline constexpr llvm::StringLiteral kName = "seqc.name";
inline constexpr llvm::StringLiteral kElemType = "seqc.elem_type";
inline constexpr llvm::StringLiteral kDimNames = "seqc.dim_names";
inline constexpr llvm::StringLiteral kModelName = "seqc.model_name";
/// What a tensor of the interface carries (onnx-expand-sequences sets it on
/// the tensors of a sequence or an optional; absent: a tensor): one of
/// the kRole* values.
inline constexpr llvm::StringLiteral kRole = "seqc.role";
inline constexpr llvm::StringLiteral kRoleSequenceData = "sequence_data";
inline constexpr llvm::StringLiteral kRoleSequenceShapes = "sequence_shapes";
inline constexpr llvm::StringLiteral kRolePresent = "present";
/// A sequence's declared element dims (-1 dynamic), on its shapes tensor;
/// absent when the elements' rank is not known.
inline constexpr llvm::StringLiteral kElementDims = "seqc.element_dims";
} // namespace attrs

/// Reads an ONNX model into a module: binary protobuf; or, for a file ending
/// in .onnxtxt, ONNX's textual syntax (what onnx.printer writes: it starts
/// with '<') or protobuf's text format; .textproto / .pbtxt are protobuf's
/// text format. The result is a module holding one func.func of
/// onnx dialect ops. Errors are emitted through the context's diagnostic
/// engine at the offending ONNX node (a NameLoc) and yield failure.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxFile(mlir::MLIRContext *context, llvm::StringRef path,
               const ImportOptions &options = {});

/// The same from a model held in memory, in the format `path` names (only
/// its extension matters); `baseDir` is where external tensor data is
/// looked up.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxBuffer(mlir::MLIRContext *context, llvm::StringRef bytes,
                 llvm::StringRef path, llvm::StringRef baseDir,
                 const ImportOptions &options = {});

/// The same from a serialized binary ModelProto held in memory; `baseDir`
/// is where external tensor data is looked up.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxBytes(mlir::MLIRContext *context, llvm::StringRef bytes,
                llvm::StringRef baseDir, const ImportOptions &options = {});

} // namespace seqc

#endif // SEQC_IMPORT_ONNXIMPORTER_H
