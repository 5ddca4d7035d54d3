//===- SeqcModule.cpp - The _seqc extension: the compiler, in-process
//------===//
//
// Three entry points, all on the driver's own command line so that Python
// options are exactly the CLI's flags: `run` compiles and returns the exit
// status with what the CLI would print, `main` is `python -m seqc`, and
// `flags` lists the flags with their defaults. The GIL is released while the
// compiler runs.
//
// And `Invoker`, the fast path of a compiled model's call with plain tensor
// inputs and outputs: the structs filled from the arrays' buffers, the
// outputs made, the model run, in one C++ call (the same through ctypes
// costs about 20 us, as much as a small model's whole kernel).
//
//===----------------------------------------------------------------------===//

#include "seqc/Compiler/CommandLine.h"
#include "seqc/Runner/Commands.h"
#include "seqc/Kernels/HalideKernels.h"

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

/// `python -m seqc ARGS` and the wheel's `seqc` command: the seqc command
/// line (`seqc run` and `seqc bench` included), printing as it does.
int main(const std::vector<std::string> &args) {
  if (seqc::isRunCommand(args)) {
    nb::gil_scoped_release release;
    int status = seqc::runCommand(args, llvm::outs(), llvm::errs());
    llvm::outs().flush();
    return status;
  }
  mlir::FailureOr<seqc::CompileOptions> options =
      seqc::parseCommandLine(args, llvm::errs());
  if (failed(options))
    return 1;
  nb::gil_scoped_release release;
  int status =
      seqc::compileReportingErrors(*options, llvm::outs(), llvm::errs());
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

/// Where a model's C struct keeps each tensor: byte offsets of its data
/// pointer and of its int64 shape, and its rank.
struct TensorSlots {
  std::vector<int64_t> dataOffsets, shapeOffsets, ranks;
  int64_t bytes;
};

using ModelEntry = int (*)(void *ctx, void *inputs, void *outputs);

/// A buffer view, released when it goes.
class BufferView {
public:
  /// Views `object` as a C-contiguous buffer (writable if asked); false,
  /// with no Python error left set, when it is not one.
  bool view(PyObject *object, bool writable) {
    int flags =
        PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, &buffer, flags) != 0) {
      PyErr_Clear();
      return false;
    }
    held = true;
    return true;
  }
  ~BufferView() {
    if (held)
      PyBuffer_Release(&buffer);
  }
  Py_buffer buffer;

private:
  bool held = false;
};

class Invoker {
public:
  Invoker(uintptr_t outputShapes, uintptr_t run, TensorSlots inputs,
          std::vector<std::string> inputFormats, TensorSlots outputs,
          std::vector<nb::object> outputDtypes, nb::object empty)
      : outputShapes(reinterpret_cast<ModelEntry>(outputShapes)),
        run(reinterpret_cast<ModelEntry>(run)), inputs(std::move(inputs)),
        inputFormats(std::move(inputFormats)), outputs(std::move(outputs)),
        outputDtypes(std::move(outputDtypes)), empty(std::move(empty)) {}

  /// The output arrays; an int, the status, when the model fails; None when
  /// an input is not a C-contiguous array of the model's dtype and rank
  /// (the caller's slow path converts it, or says what is wrong).
  nb::object operator()(uintptr_t ctx, nb::list values) {
    size_t numInputs = inputFormats.size();
    if (values.size() != numInputs)
      return nb::none();
    std::vector<int64_t> in(inputs.bytes / 8 + 1), out(outputs.bytes / 8 + 1);
    std::vector<BufferView> views(numInputs + outputDtypes.size());
    for (size_t i = 0; i < numInputs; ++i) {
      Py_buffer &b = views[i].buffer;
      if (!views[i].view(values[i].ptr(), /*writable=*/false) ||
          b.ndim != inputs.ranks[i] || inputFormats[i] != b.format)
        return nb::none();
      in[inputs.dataOffsets[i] / 8] = reinterpret_cast<int64_t>(b.buf);
      for (int d = 0; d < b.ndim; ++d)
        in[inputs.shapeOffsets[i] / 8 + d] = b.shape[d];
    }
    void *context = reinterpret_cast<void *>(ctx);
    if (int status = outputShapes(context, in.data(), out.data()))
      return nb::int_(status);
    nb::list results;
    for (size_t j = 0; j < outputDtypes.size(); ++j) {
      int64_t start = outputs.shapeOffsets[j] / 8;
      nb::tuple shape = nb::steal<nb::tuple>(PyTuple_New(outputs.ranks[j]));
      for (int64_t d = 0; d < outputs.ranks[j]; ++d)
        PyTuple_SET_ITEM(shape.ptr(), d, PyLong_FromLongLong(out[start + d]));
      nb::object array = empty(shape, outputDtypes[j]);
      BufferView &view = views[numInputs + j];
      if (!view.view(array.ptr(), /*writable=*/true))
        return nb::none();
      out[outputs.dataOffsets[j] / 8] =
          reinterpret_cast<int64_t>(view.buffer.buf);
      results.append(array);
    }
    int status;
    {
      nb::gil_scoped_release release;
      status = run(context, in.data(), out.data());
    }
    if (status)
      return nb::int_(status);
    return results;
  }

private:
  ModelEntry outputShapes, run;
  TensorSlots inputs;
  std::vector<std::string> inputFormats;
  TensorSlots outputs;
  std::vector<nb::object> outputDtypes;
  nb::object empty;
};

} // namespace

NB_MODULE(_seqc, m) {
  m.doc() = "The seqc compiler, in-process (used by the seqc package).";
  m.def("run", &run, nb::arg("args"),
        "Compile with a seqc command line; returns (status, stdout, stderr).");
  m.def("main", &main, nb::arg("args"),
        "Run the seqc command line, printing to the process's stdout/stderr.");
  m.def("flags", &flags,
        "seqc's flags as (name, kind, default, help), as `seqc --help` lists.");
  m.def(
      "kernel_backends",
      [] {
        std::vector<std::string> backends{"mlir"};
        if (seqc::isHalideAvailable())
          backends.push_back("halide");
        return backends;
      },
      "The kernel backends this build has (values of --kernels besides auto).");
  nb::class_<TensorSlots>(m, "TensorSlots")
      .def(nb::init<std::vector<int64_t>, std::vector<int64_t>,
                    std::vector<int64_t>, int64_t>(),
           nb::arg("data_offsets"), nb::arg("shape_offsets"), nb::arg("ranks"),
           nb::arg("bytes"));
  nb::class_<Invoker>(m, "Invoker")
      .def(nb::init<uintptr_t, uintptr_t, TensorSlots, std::vector<std::string>,
                    TensorSlots, std::vector<nb::object>, nb::object>(),
           nb::arg("output_shapes"), nb::arg("run"), nb::arg("inputs"),
           nb::arg("input_formats"), nb::arg("outputs"),
           nb::arg("output_dtypes"), nb::arg("empty"),
           "A model's call with plain tensors (its entry points' addresses "
           "and struct slots, each input's buffer format, each output's "
           "dtype, and a function empty(shape, dtype) for the outputs).")
      .def("__call__", &Invoker::operator(), nb::arg("ctx"), nb::arg("inputs"),
           "The outputs; the status if the model fails; None when an input "
           "needs the slow path.");
  m.attr("__version__") = SEQC_VERSION;
}
