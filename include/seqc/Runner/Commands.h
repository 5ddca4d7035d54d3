//===- Commands.h - `seqc run` and `seqc bench` -----------------*- C++ -*-===//
//
// Both compile the model in-process into a temporary folder, load the shared
// library and call it: `run` once, printing the outputs and writing them as
// .npy files; `bench` many times, printing the time per call.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_RUNNER_COMMANDS_H
#define SEQC_RUNNER_COMMANDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace seqc {

/// Whether `args` (argv, args[0] the program) is `seqc run ...` or
/// `seqc bench ...`: the first argument that is not a flag names the command
/// (flags before it are compile flags).
bool isRunCommand(llvm::ArrayRef<std::string> args);

/// Runs `seqc run` or `seqc bench`; returns the process exit status.
int runCommand(llvm::ArrayRef<std::string> args, llvm::raw_ostream &outs,
               llvm::raw_ostream &errs);

} // namespace seqc

#endif // SEQC_RUNNER_COMMANDS_H
