//===- LoadedModel.h - A compiled model loaded into this process -*- C++ -*-===//
//
// The generic caller of a seqc shared library, as `seqc run` and
// `seqc bench` use it: it reads the model's own description
// (<prefix>_info, docs/c-api.md) instead of a generated header, fills the
// inputs struct from host tensors and allocates the outputs.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_RUNNER_LOADEDMODEL_H
#define SEQC_RUNNER_LOADEDMODEL_H

#include "seqc/Runner/HostTensor.h"
#include "seqc/Runtime/SeqcTypes.h"

#include "llvm/ADT/ArrayRef.h"

#include <memory>

namespace seqc {

class LoadedModel {
public:
  /// Loads `library` (lib<prefix>.so written by seqc) and checks that its
  /// interface is one this seqc reads: its ABI version, and plain tensors
  /// (sequences and optionals are the Python binding's).
  static llvm::Expected<std::unique_ptr<LoadedModel>>
  load(llvm::StringRef library, llvm::StringRef prefix);
  ~LoadedModel();

  const seqc_model_info &info() const { return *modelInfo; }

  /// A context of `threads` threads, then the inputs (one per
  /// info().inputs, in order) checked by the model and the outputs
  /// allocated at the shapes it computes from them.
  llvm::Error prepare(int threads, std::vector<HostTensor> inputs);
  /// One call of the model on the prepared inputs and outputs.
  llvm::Error run();
  /// The outputs of the last run, in info().outputs order.
  const std::vector<HostTensor> &outputs() const { return outputTensors; }

private:
  using ContextCreate = void *(*)(const seqc_context_options *);
  using ContextDestroy = void (*)(void *);
  using Call = int (*)(void *, const void *, void *);
  using LastError = const char *(*)(const void *);

  LoadedModel() = default;
  llvm::Error modelError(llvm::StringRef what, int status) const;

  void *handle = nullptr;
  const seqc_model_info *modelInfo = nullptr;
  ContextCreate contextCreate = nullptr;
  ContextDestroy contextDestroy = nullptr;
  Call outputShapes = nullptr, runModel = nullptr;
  LastError lastError = nullptr;

  void *context = nullptr;
  std::vector<HostTensor> inputTensors, outputTensors;
  std::vector<char> inputStruct, outputStruct;
};

} // namespace seqc

#endif // SEQC_RUNNER_LOADEDMODEL_H
