//===- seqc.cpp - The seqc compiler driver ---------------------------------===//
//
// Flags in (seqc/Compiler/CommandLine.h), seqc::compile out; every error is
// one line on stderr naming the ONNX node it concerns. `seqc run` and
// `seqc bench` compile and call the model (seqc/Runner/Commands.h).
//
//===----------------------------------------------------------------------===//

#include "seqc/Compiler/CommandLine.h"
#include "seqc/Runner/Commands.h"

#include "llvm/Support/InitLLVM.h"

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<std::string> args(argv, argv + argc);
  if (seqc::isRunCommand(args))
    return seqc::runCommand(args, llvm::outs(), llvm::errs());
  mlir::FailureOr<seqc::CompileOptions> options =
      seqc::parseCommandLine(args, llvm::errs());
  if (failed(options))
    return 1;
  return seqc::compileReportingErrors(*options, llvm::outs(), llvm::errs());
}
