//===- SeqcModule.cpp - The _seqc extension: the compiler, in-process ------===//
//
// Three entry points, all on the driver's own command line so that Python
// options are exactly the CLI's flags: `run` compiles and returns the exit
// status with what the CLI would print, `main` is `python -m seqc`, and
// `flags` lists the flags with their defaults. The GIL is released while the
// compiler runs.
//
//===----------------------------------------------------------------------===//

#include "seqc/Compiler/CommandLine.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

namespace nb = nanobind;

namespace {

/// Compiles with `args` (argv[0] first); returns (status, stdout, stderr).
std::tuple<int, std::string, std::string>
run(const std::vector<std::string> &args) {
  std::string out, err;
  llvm::raw_string_ostream outStream(out), errStream(err);
  mlir::FailureOr<seqc::CompileOptions> options =
      seqc::parseCommandLine(args, errStream);
  if (failed(options))
    return {1, out, err};
  int status;
  {
    nb::gil_scoped_release release;
    status = seqc::compileReportingErrors(*options, outStream, errStream);
  }
  return {status, out, err};
}

/// `python -m seqc ARGS`: the seqc command line, printing as it does.
int main(const std::vector<std::string> &args) {
  mlir::FailureOr<seqc::CompileOptions> options =
      seqc::parseCommandLine(args, llvm::errs());
  if (failed(options))
    return 1;
  nb::gil_scoped_release release;
  int status = seqc::compileReportingErrors(*options, llvm::outs(), llvm::errs());
  llvm::outs().flush();
  return status;
}

std::vector<std::tuple<std::string, std::string, std::string, std::string>>
flags() {
  std::vector<std::tuple<std::string, std::string, std::string, std::string>>
      result;
  for (const seqc::FlagInfo &f : seqc::getFlags())
    result.emplace_back(f.name, f.valueKind, f.defaultValue, f.help);
  return result;
}

} // namespace

NB_MODULE(_seqc, m) {
  m.doc() = "The seqc compiler, in-process (used by the seqc package).";
  m.def("run", &run, nb::arg("args"),
        "Compile with a seqc command line; returns (status, stdout, stderr).");
  m.def("main", &main, nb::arg("args"),
        "Run the seqc command line, printing to the process's stdout/stderr.");
  m.def("flags", &flags,
        "seqc's flags as (name, kind, default, help), as `seqc --help` lists.");
  m.attr("__version__") = SEQC_VERSION;
}
