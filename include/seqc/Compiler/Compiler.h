//===- Compiler.h - ONNX file to artifacts, as the seqc driver runs it -*- C++
//-*-===//
//
// The whole compilation behind one call, so that the `seqc` tool and the
// Python bindings run the same code: import, the named pipelines, LLVM code
// generation, and the artifacts (object, static and shared library, header).
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_COMPILER_COMPILER_H
#define SEQC_COMPILER_COMPILER_H

#include "seqc/Target/Targets.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

#include <map>
#include <vector>

namespace seqc {

/// What to produce: one stage's text, or the linkable artifacts.
enum class EmitKind { Onnx, Seq, Linalg, Llvm, Asm, Obj, Library };

struct CompileOptions {
  std::string inputPath;
  /// Library: the path prefix "dir/name" of dir/name.o, dir/libname.a,
  /// dir/libname.so and dir/name.h. Other kinds: the output file; empty
  /// writes text stages to `stdout`.
  std::string outputPath;
  EmitKind emit = EmitKind::Library;
  /// C symbol prefix; by default the base name of the output (or input).
  std::string symbolPrefix;
  TargetOptions target;
  /// Who writes the matmul kernels: "mlir", "halide" or "auto" (see
  /// PipelineOptions::kernels).
  std::string kernels = "mlir";
  /// How linear scans run: "sequential", "parallel", "auto" or "off" (see
  /// PipelineOptions::scan).
  std::string scan = "auto";
  /// Print the passes' remarks (why a recurrence is or is not a linear
  /// scan) to stderr.
  bool remarks = false;
  bool printIRAfterAll = false;
  /// Print locations (the ONNX node names) in the IR of text stages, so that
  /// seqc-opt can continue from them with the same diagnostics.
  bool printDebugInfo = false;
  std::string dumpDir;
  bool timing = false;
  /// Inputs specialised to constants and inputs given static shapes; see
  /// ImportOptions.
  std::map<std::string, std::string> bindings;
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Object and library outputs: also write a Makefile rule here, the object
  /// depending on the model and the external-data files it read (for build
  /// systems: seqc_add_model's DEPFILE).
  std::string depfilePath;
};

/// Registers every dialect and translation the compiler uses.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Compiles. Errors go through `context`'s diagnostic engine; on failure no
/// output file is left behind.
llvm::LogicalResult compile(mlir::MLIRContext &context,
                            const CompileOptions &options,
                            llvm::raw_ostream &stdout);

} // namespace seqc

#endif // SEQC_COMPILER_COMPILER_H
