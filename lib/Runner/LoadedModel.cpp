//===- LoadedModel.cpp - A compiled model loaded into this process --------===//

#include "seqc/Runner/LoadedModel.h"
#include "seqc/Target/ModelInterface.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>

using namespace llvm;
using seqc::HostTensor;
using seqc::LoadedModel;

namespace {

Error fail(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

const char *describeRole(int32_t role) {
  switch (role) {
  case SEQC_ROLE_SEQUENCE_DATA:
  case SEQC_ROLE_SEQUENCE_SHAPES:
    return "an ONNX sequence";
  case SEQC_ROLE_PRESENT:
    return "an ONNX optional";
  default:
    return "a tensor";
  }
}

/// Where a tensor's data pointer and shape live in an inputs or outputs
/// struct.
void **dataSlot(std::vector<char> &structBytes, const seqc_tensor_info &t) {
  return reinterpret_cast<void **>(structBytes.data() + t.data_offset);
}
int64_t *shapeSlot(std::vector<char> &structBytes, const seqc_tensor_info &t) {
  return reinterpret_cast<int64_t *>(structBytes.data() + t.shape_offset);
}

} // namespace

Expected<std::unique_ptr<LoadedModel>> LoadedModel::load(StringRef library,
                                                         StringRef prefix) {
  std::unique_ptr<LoadedModel> model(new LoadedModel);
  model->handle = dlopen(library.str().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!model->handle)
    return fail("cannot load " + library + ": " + dlerror());
  auto symbol = [&](StringRef suffix) {
    return dlsym(model->handle, (prefix + "_" + suffix).str().c_str());
  };
  auto info = reinterpret_cast<const seqc_model_info *(*)()>(symbol("info"));
  model->contextCreate = reinterpret_cast<ContextCreate>(symbol("context_create"));
  model->contextDestroy = reinterpret_cast<ContextDestroy>(symbol("context_destroy"));
  model->outputShapes = reinterpret_cast<Call>(symbol("output_shapes"));
  model->runModel = reinterpret_cast<Call>(symbol("run"));
  model->lastError = reinterpret_cast<LastError>(symbol("last_error"));
  if (!info || !model->contextCreate || !model->contextDestroy ||
      !model->outputShapes || !model->runModel || !model->lastError)
    return fail(library + " is not a model compiled by seqc with prefix '" +
                prefix + "'");
  model->modelInfo = info();
  if (model->modelInfo->abi_version != SEQC_ABI_VERSION)
    return fail(library + " has ABI version " +
                Twine(model->modelInfo->abi_version) + "; this seqc reads " +
                Twine(SEQC_ABI_VERSION));
  auto check = [&](const seqc_tensor_info *tensors, int count,
                   StringRef kind) -> Error {
    for (const seqc_tensor_info &t : ArrayRef(tensors, count)) {
      if (t.role != SEQC_ROLE_TENSOR)
        return fail(kind + " '" + t.name + "' is " + describeRole(t.role) +
                    ": seqc run and bench take tensors only (the Python "
                    "binding takes sequences and optionals)");
      if (!seqc::getElementSize(t.elem_type))
        return fail(kind + " '" + t.name + "' holds " +
                    seqc::getElemTypeName(t.elem_type) +
                    " values: seqc run and bench take numbers and bools only");
    }
    return Error::success();
  };
  if (Error error = check(model->modelInfo->inputs,
                          model->modelInfo->num_inputs, "input"))
    return std::move(error);
  if (Error error = check(model->modelInfo->outputs,
                          model->modelInfo->num_outputs, "output"))
    return std::move(error);
  return std::move(model);
}

LoadedModel::~LoadedModel() {
  if (context)
    contextDestroy(context);
  // The library stays loaded: its worker threads are joined above, but
  // static destructors of what it loaded may still run at exit.
}

Error LoadedModel::modelError(StringRef what, int status) const {
  const char *message = lastError(context);
  return fail(what + " (status " + Twine(status) +
              "): " + (message && *message ? message : "no message"));
}

Error LoadedModel::prepare(int threads, std::vector<HostTensor> inputs) {
  if (context)
    contextDestroy(context);
  seqc_context_options options;
  std::memset(&options, 0, sizeof(options));
  options.num_threads = threads;
  context = contextCreate(&options);
  if (!context)
    return fail("cannot create a context of " + Twine(threads) + " threads");

  inputTensors = std::move(inputs);
  inputStruct.assign(modelInfo->inputs_size, 0);
  for (auto [t, tensor] :
       llvm::zip_equal(ArrayRef(modelInfo->inputs, modelInfo->num_inputs),
                       inputTensors)) {
    // An empty tensor still passes a valid pointer.
    if (tensor.bytes.empty())
      tensor.bytes.resize(1);
    *dataSlot(inputStruct, t) = tensor.bytes.data();
    std::copy(tensor.shape.begin(), tensor.shape.end(),
              shapeSlot(inputStruct, t));
  }
  outputStruct.assign(modelInfo->outputs_size, 0);
  if (int status = outputShapes(context, inputStruct.data(), outputStruct.data()))
    return modelError("the model refused the inputs", status);
  outputTensors.clear();
  for (const seqc_tensor_info &t :
       ArrayRef(modelInfo->outputs, modelInfo->num_outputs)) {
    HostTensor tensor;
    tensor.elemType = t.elem_type;
    int64_t *shape = shapeSlot(outputStruct, t);
    tensor.shape.assign(shape, shape + t.rank);
    tensor.bytes.resize(
        std::max<int64_t>(1, tensor.numElements() * getElementSize(t.elem_type)));
    outputTensors.push_back(std::move(tensor));
  }
  for (auto [t, tensor] :
       llvm::zip_equal(ArrayRef(modelInfo->outputs, modelInfo->num_outputs),
                       outputTensors))
    *dataSlot(outputStruct, t) = tensor.bytes.data();
  return Error::success();
}

Error LoadedModel::run() {
  if (int status = runModel(context, inputStruct.data(), outputStruct.data()))
    return modelError("the model failed", status);
  return Error::success();
}
