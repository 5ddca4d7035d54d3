//===- CommandLine.h - seqc's flags, for the driver and the bindings -*- C++ -*-===//
//
// The one definition of seqc's command line. The `seqc` tool and the Python
// bindings (`seqc.compile(**options)`, `python -m seqc`) both parse through
// it, so every flag added here exists in both with the same name and default.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_COMPILER_COMMANDLINE_H
#define SEQC_COMPILER_COMMANDLINE_H

#include "seqc/Compiler/Compiler.h"

#include <string>
#include <vector>

namespace seqc {

/// Parses a seqc command line (`args[0]` is the program name). `--help` and
/// `--version` print and exit, as command lines do. Parsing uses LLVM's
/// global option registry; calls are serialised internally.
mlir::FailureOr<CompileOptions> parseCommandLine(llvm::ArrayRef<std::string> args,
                                                 llvm::raw_ostream &errs);

/// Compiles, printing the first error as one line `seqc: error: node '...':
/// ...` on `errs`. Returns the process exit status (0 or 1). Thread-safe.
int compileReportingErrors(const CompileOptions &options,
                           llvm::raw_ostream &outs, llvm::raw_ostream &errs);

/// One of seqc's flags, as `seqc --help` lists it.
struct FlagInfo {
  std::string name;         // without dashes: "target", "O"
  std::string valueKind;    // "string", "bool", "uint", "enum"
  std::string defaultValue; // as text
  std::string help;
};
std::vector<FlagInfo> getFlags();

} // namespace seqc

#endif // SEQC_COMPILER_COMMANDLINE_H
