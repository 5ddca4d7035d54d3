//===- CInterface.cpp - The model's public C functions, in LLVM IR -------===//
//
// Adds to the model's LLVM module: the seqc_model_info tables, the model
// descriptor the runtime reads, two trampolines that unpack an array of
// memref-descriptor pointers into the MLIR C-interface calls, and the public
// `<prefix>_*` functions of getEntryPoints(). Every number in the tables
// comes from the ModelInterface, as every number in the header does.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runtime/SeqcTypes.h"
#include "seqc/Target/RuntimeTypes.h"
#include "seqc/Target/Targets.h"
#include "seqc/Transforms/Passes.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;
using seqc::EntryPoint;
using seqc::ModelInterface;
using seqc::TensorInterface;

namespace {

class InterfaceBuilder {
public:
  InterfaceBuilder(Module &m, const ModelInterface &model)
      : m(m), ctx(m.getContext()), model(model), ptr(PointerType::get(ctx, 0)),
        i32(Type::getInt32Ty(ctx)), i64(Type::getInt64Ty(ctx)) {}

  bool build(StringRef kernel, std::string &error);

private:
  Constant *string(StringRef s) {
    return IRBuilder<>(ctx).CreateGlobalString(s, "", 0, &m);
  }
  GlobalVariable *constantGlobal(Constant *init, const Twine &name) {
    return new GlobalVariable(m, init->getType(), /*isConstant=*/true,
                              GlobalValue::PrivateLinkage, init, name);
  }
  Constant *int32(int64_t v) { return ConstantInt::get(i32, v); }
  Constant *int64(int64_t v) { return ConstantInt::get(i64, v); }
  Constant *tensorInfos(const std::vector<TensorInterface> &tensors,
                        StringRef kind);
  Constant *modelInfo();
  Function *trampoline(StringRef name, StringRef callee, std::string &error);
  Type *lower(StringRef cType);
  void entryPoint(const EntryPoint &entry, Constant *info, Constant *desc);

  Module &m;
  LLVMContext &ctx;
  const ModelInterface &model;
  PointerType *ptr;
  IntegerType *i32, *i64;
};

} // namespace

Constant *
InterfaceBuilder::tensorInfos(const std::vector<TensorInterface> &tensors,
                              StringRef kind) {
  StructType *infoType = seqc::getTensorInfoType(ctx);
  std::vector<Constant *> infos;
  for (const TensorInterface &t : tensors) {
    std::vector<Constant *> dims, names;
    for (int64_t d : t.dims)
      dims.push_back(int64(d));
    for (const std::string &n : t.dimNames)
      names.push_back(string(n));
    // Zero-rank tensors still get a valid (empty) array.
    dims.push_back(int64(0));
    names.push_back(ConstantPointerNull::get(ptr));
    Constant *dimsArray = constantGlobal(
        ConstantArray::get(ArrayType::get(i64, dims.size()), dims),
        model.prefix + "." + kind + ".dims");
    Constant *namesArray = constantGlobal(
        ConstantArray::get(ArrayType::get(ptr, names.size()), names),
        model.prefix + "." + kind + ".dim_names");
    Constant *elementDims = ConstantPointerNull::get(ptr);
    if (t.elementDims) {
      std::vector<Constant *> declared;
      for (int64_t d : *t.elementDims)
        declared.push_back(int64(d));
      declared.push_back(int64(0));
      elementDims = constantGlobal(
          ConstantArray::get(ArrayType::get(i64, declared.size()), declared),
          model.prefix + "." + kind + ".element_dims");
    }
    infos.push_back(ConstantStruct::get(
        infoType,
        {string(t.onnxName), int32(t.elemType), int32(t.dims.size()), dimsArray,
         namesArray, int64(t.dataOffset), int64(t.shapeOffset),
         int32(static_cast<int32_t>(t.role)),
         int32(t.elementDims ? t.elementDims->size() : -1), elementDims}));
  }
  if (infos.empty())
    return ConstantPointerNull::get(ptr);
  return constantGlobal(
      ConstantArray::get(ArrayType::get(infoType, infos.size()), infos),
      model.prefix + "." + kind);
}

Constant *InterfaceBuilder::modelInfo() {
  return constantGlobal(
      ConstantStruct::get(seqc::getModelInfoType(ctx),
                          {int32(SEQC_ABI_VERSION), int32(model.inputs.size()),
                           int32(model.outputs.size()), string(model.modelName),
                           tensorInfos(model.inputs, "inputs"),
                           tensorInfos(model.outputs, "outputs"),
                           int64(model.inputsSize), int64(model.outputsSize)}),
      model.prefix + ".info");
}

/// `int32_t name(void **args) { return callee(args[0], ..., args[n-1]); }`
/// when the callee returns an i32 status, `{ callee(...); return 0; }` when
/// it returns nothing (the shape function, whose status travels in its dims
/// buffer).
Function *InterfaceBuilder::trampoline(StringRef name, StringRef callee,
                                       std::string &error) {
  Function *target = m.getFunction(callee);
  if (!target) {
    error = ("the model module has no function " + callee).str();
    return nullptr;
  }
  Type *result = target->getReturnType();
  if (!result->isVoidTy() && !result->isIntegerTy(32)) {
    error = ("the model function " + callee +
             " must return nothing or an i32 status")
                .str();
    return nullptr;
  }
  auto *fn = Function::Create(FunctionType::get(i32, {ptr}, false),
                              GlobalValue::InternalLinkage, name, m);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));
  SmallVector<Value *> args;
  for (unsigned i = 0; i < target->arg_size(); ++i) {
    Value *slot = b.CreateConstGEP1_64(ptr, fn->getArg(0), i);
    args.push_back(b.CreateLoad(ptr, slot));
  }
  Value *status = b.CreateCall(target, args);
  b.CreateRet(result->isVoidTy() ? int32(0) : status);
  return fn;
}

/// The LLVM type of a C type in getEntryPoints().
Type *InterfaceBuilder::lower(StringRef cType) {
  if (cType.ends_with("*"))
    return ptr;
  if (cType == "void")
    return Type::getVoidTy(ctx);
  if (cType == "int" || cType == "int32_t")
    return i32;
  if (cType == "int64_t")
    return i64;
  llvm_unreachable("a C type of the public API without an LLVM type");
}

/// Defines `<prefix>_<entry.name>` as getEntryPoints() describes it.
void InterfaceBuilder::entryPoint(const EntryPoint &entry, Constant *info,
                                  Constant *desc) {
  SmallVector<Type *> params;
  for (StringRef param : entry.getParamTypes())
    params.push_back(lower(param));
  Type *result = lower(entry.result);
  Function *fn = Function::Create(FunctionType::get(result, params, false),
                                  GlobalValue::ExternalLinkage,
                                  model.prefix + "_" + entry.name.str(), m);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));
  if (entry.body == EntryPoint::Body::ReturnModelInfo) {
    b.CreateRet(info);
    return;
  }
  SmallVector<Type *> calleeParams;
  SmallVector<Value *> args;
  if (entry.body == EntryPoint::Body::CallRuntimeWithDescriptor) {
    calleeParams.push_back(ptr);
    args.push_back(desc);
  }
  for (Argument &a : fn->args()) {
    calleeParams.push_back(a.getType());
    args.push_back(&a);
  }
  FunctionCallee callee = m.getOrInsertFunction(
      entry.runtimeCallee, FunctionType::get(result, calleeParams, false));
  CallInst *call = b.CreateCall(callee, args);
  if (result->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(call);
}

bool InterfaceBuilder::build(StringRef kernel, std::string &error) {
  Constant *info = modelInfo();
  int64_t numOutputDims = 0;
  for (const TensorInterface &t : model.outputs)
    numOutputDims += t.dims.size();
  std::vector<Constant *> messages;
  for (const std::string &m : model.runtimeChecks)
    messages.push_back(string(m));
  messages.push_back(ConstantPointerNull::get(ptr));
  Constant *checkMessages = constantGlobal(
      ConstantArray::get(ArrayType::get(ptr, messages.size()), messages),
      model.prefix + ".checks");
  Function *run = trampoline(model.prefix + ".run",
                             ("_mlir_ciface_" + kernel).str(), error);
  Function *shapes =
      trampoline(model.prefix + ".shapes",
                 ("_mlir_ciface_" + kernel + seqc::kShapesSuffix).str(), error);
  if (!run || !shapes)
    return false;
  // seqc_model_desc {info, run, shapes, num_output_dims, check_messages}
  Constant *desc =
      constantGlobal(ConstantStruct::get(seqc::getModelDescType(ctx),
                                         {info, run, shapes,
                                          int64(numOutputDims), checkMessages}),
                     model.prefix + ".desc");
  for (const EntryPoint &entry : seqc::getEntryPoints())
    entryPoint(entry, info, desc);
  return true;
}

bool seqc::addCInterface(Module &module, const ModelInterface &interface,
                         StringRef kernel, std::string &error) {
  return InterfaceBuilder(module, interface).build(kernel, error);
}
