//===- CInterface.cpp - The model's public C functions, in LLVM IR
//---------===//
//
// Adds to the model's LLVM module: the seqc_model_info tables, the model
// descriptor the runtime reads, two trampolines that unpack an array of
// memref-descriptor pointers into the MLIR C-interface calls, and the public
// `<prefix>_*` functions, each a call into the runtime.
//
//===----------------------------------------------------------------------===//

#include "seqc/Target/Targets.h"
#include "seqc/Transforms/Passes.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;
using seqc::ModelInterface;
using seqc::TensorInterface;

namespace {

class InterfaceBuilder {
public:
  InterfaceBuilder(Module &m, const ModelInterface &model)
      : m(m), ctx(m.getContext()), model(model), ptr(PointerType::get(ctx, 0)),
        i32(Type::getInt32Ty(ctx)), i64(Type::getInt64Ty(ctx)) {}

  void build(StringRef kernel);

private:
  Constant *string(StringRef s) {
    return IRBuilder<>(ctx).CreateGlobalString(s, "", 0, &m);
  }
  GlobalVariable *constantGlobal(Constant *init, const Twine &name) {
    return new GlobalVariable(m, init->getType(), /*isConstant=*/true,
                              GlobalValue::PrivateLinkage, init, name);
  }
  Constant *tensorInfos(const std::vector<TensorInterface> &tensors,
                        StringRef kind);
  Function *trampoline(StringRef name, StringRef callee);
  Function *publicFunction(StringRef suffix, Type *result,
                           ArrayRef<Type *> params);

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
  // seqc_tensor_info {name, elem_type, rank, dims, dim_names}
  auto *infoType = StructType::get(ctx, {ptr, i32, i32, ptr, ptr});
  std::vector<Constant *> infos;
  for (const TensorInterface &t : tensors) {
    std::vector<Constant *> dims, names;
    for (int64_t d : t.dims)
      dims.push_back(ConstantInt::get(i64, d));
    for (const std::string &n : t.dimNames)
      names.push_back(string(n));
    // Zero-rank tensors still get a valid (empty) array.
    dims.push_back(ConstantInt::get(i64, 0));
    names.push_back(ConstantPointerNull::get(ptr));
    Constant *dimsArray = constantGlobal(
        ConstantArray::get(ArrayType::get(i64, dims.size()), dims),
        model.prefix + "." + kind + ".dims");
    Constant *namesArray = constantGlobal(
        ConstantArray::get(ArrayType::get(ptr, names.size()), names),
        model.prefix + "." + kind + ".dim_names");
    infos.push_back(ConstantStruct::get(
        infoType,
        {string(t.onnxName), ConstantInt::get(i32, t.elemType),
         ConstantInt::get(i32, t.dims.size()), dimsArray, namesArray}));
  }
  if (infos.empty())
    return ConstantPointerNull::get(ptr);
  return constantGlobal(
      ConstantArray::get(ArrayType::get(infoType, infos.size()), infos),
      model.prefix + "." + kind);
}

/// `void name(void **args) { callee(args[0], ..., args[n-1]); }`
Function *InterfaceBuilder::trampoline(StringRef name, StringRef callee) {
  Function *target = m.getFunction(callee);
  auto *fn =
      Function::Create(FunctionType::get(Type::getVoidTy(ctx), {ptr}, false),
                       GlobalValue::InternalLinkage, name, m);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));
  SmallVector<Value *> args;
  for (unsigned i = 0; i < target->arg_size(); ++i) {
    Value *slot = b.CreateConstGEP1_64(ptr, fn->getArg(0), i);
    args.push_back(b.CreateLoad(ptr, slot));
  }
  b.CreateCall(target, args);
  b.CreateRetVoid();
  return fn;
}

Function *InterfaceBuilder::publicFunction(StringRef suffix, Type *result,
                                           ArrayRef<Type *> params) {
  return Function::Create(FunctionType::get(result, params, false),
                          GlobalValue::ExternalLinkage,
                          model.prefix + suffix.str(), m);
}

void InterfaceBuilder::build(StringRef kernel) {
  // seqc_model_info {name, num_inputs, num_outputs, inputs, outputs}
  auto *infoType = StructType::get(ctx, {ptr, i32, i32, ptr, ptr});
  Constant *info =
      constantGlobal(ConstantStruct::get(
                         infoType, {string(model.modelName),
                                    ConstantInt::get(i32, model.inputs.size()),
                                    ConstantInt::get(i32, model.outputs.size()),
                                    tensorInfos(model.inputs, "inputs"),
                                    tensorInfos(model.outputs, "outputs")}),
                     model.prefix + ".info");
  int64_t numOutputDims = 0;
  for (const TensorInterface &t : model.outputs)
    numOutputDims += t.dims.size();
  // seqc_model_desc {info, run, shapes, num_output_dims, check_messages}
  auto *descType = StructType::get(ctx, {ptr, ptr, ptr, i64, ptr});
  std::vector<Constant *> messages;
  for (const std::string &m : model.runtimeChecks)
    messages.push_back(string(m));
  messages.push_back(ConstantPointerNull::get(ptr));
  Constant *checkMessages = constantGlobal(
      ConstantArray::get(ArrayType::get(ptr, messages.size()), messages),
      model.prefix + ".checks");
  Function *run =
      trampoline(model.prefix + ".run", ("_mlir_ciface_" + kernel).str());
  Function *shapes =
      trampoline(model.prefix + ".shapes",
                 ("_mlir_ciface_" + kernel + seqc::kShapesSuffix).str());
  Constant *desc = constantGlobal(
      ConstantStruct::get(descType, {info, run, shapes,
                                     ConstantInt::get(i64, numOutputDims),
                                     checkMessages}),
      model.prefix + ".desc");

  auto runtime = [&](StringRef name, Type *result, ArrayRef<Type *> params) {
    return m.getOrInsertFunction(name,
                                 FunctionType::get(result, params, false));
  };
  // Each public function forwards its arguments to the runtime, prefixed by
  // the descriptor where the runtime needs it.
  auto forward = [&](StringRef suffix, StringRef callee, Type *result,
                     ArrayRef<Type *> params, bool passDesc) {
    Function *fn = publicFunction(suffix, result, params);
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", fn));
    SmallVector<Type *> calleeParams;
    SmallVector<Value *> args;
    if (passDesc) {
      calleeParams.push_back(ptr);
      args.push_back(desc);
    }
    for (Argument &a : fn->args()) {
      calleeParams.push_back(a.getType());
      args.push_back(&a);
    }
    CallInst *call = b.CreateCall(runtime(callee, result, calleeParams), args);
    if (result->isVoidTy())
      b.CreateRetVoid();
    else
      b.CreateRet(call);
  };
  Type *voidTy = Type::getVoidTy(ctx);
  forward("_context_create", "seqc_rt_context_create", ptr, {}, false);
  forward("_context_destroy", "seqc_rt_context_destroy", voidTy, {ptr}, false);
  forward("_last_error", "seqc_rt_last_error", ptr, {ptr}, false);
  forward("_output_shapes", "seqc_rt_output_shapes", i32, {ptr, ptr, ptr},
          true);
  forward("_run", "seqc_rt_run", i32, {ptr, ptr, ptr}, true);
  Function *infoFn = publicFunction("_info", ptr, {});
  IRBuilder<>(BasicBlock::Create(ctx, "entry", infoFn)).CreateRet(info);
}

void seqc::addCInterface(Module &module, const ModelInterface &interface,
                         StringRef kernel) {
  InterfaceBuilder(module, interface).build(kernel);
}
