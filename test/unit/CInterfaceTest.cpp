//===- CInterfaceTest.cpp - The C interface added to a model's LLVM module ===//
//
// Builds the interface around stand-in kernels: the trampolines forward the
// kernel's i32 status or report success for a void kernel, the public
// functions are the entry-point table's, and the info table holds the
// layout (worked out by hand from docs/c-api.md's rule).
//
//===----------------------------------------------------------------------===//

#include "seqc/Runtime/SeqcTypes.h"
#include "seqc/Target/Targets.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace llvm;

namespace {

seqc::TensorInterface tensor(std::string name, std::vector<int64_t> dims) {
  seqc::TensorInterface t;
  t.onnxName = t.cName = name;
  t.elemType = 1;
  t.dims = dims;
  t.dimNames.assign(dims.size(), "");
  return t;
}

/// A model `m` with a scalar input s, an input X [?, 3], an output Y [?, 3].
seqc::ModelInterface model() {
  seqc::ModelInterface m;
  m.prefix = "m";
  m.modelName = "g";
  m.inputs = {tensor("s", {}), tensor("X", {-1, 3})};
  m.outputs = {tensor("Y", {-1, 3})};
  m.inputsSize = seqc::layOutStruct(m.inputs);
  m.outputsSize = seqc::layOutStruct(m.outputs);
  return m;
}

/// A module declaring the kernel `k` and its shape function.
std::unique_ptr<Module> kernels(LLVMContext &ctx, Type *runResult,
                                Type *shapesResult) {
  auto module = std::make_unique<Module>("m", ctx);
  Type *ptr = PointerType::get(ctx, 0);
  Function::Create(FunctionType::get(runResult, {ptr, ptr, ptr}, false),
                   GlobalValue::ExternalLinkage, "_mlir_ciface_k", *module);
  Function::Create(FunctionType::get(shapesResult, {ptr, ptr, ptr}, false),
                   GlobalValue::ExternalLinkage, "_mlir_ciface_k_shapes",
                   *module);
  return module;
}

/// What the trampoline `name` returns.
Value *returned(Module &module, StringRef name) {
  Function *fn = module.getFunction(name);
  EXPECT_TRUE(fn && fn->getReturnType()->isIntegerTy(32)) << name.str();
  if (!fn)
    return nullptr;
  return cast<ReturnInst>(fn->getEntryBlock().getTerminator())
      ->getReturnValue();
}

TEST(CInterfaceTest, TheKernelsStatusIsForwarded) {
  LLVMContext ctx;
  std::unique_ptr<Module> module =
      kernels(ctx, Type::getInt32Ty(ctx), Type::getVoidTy(ctx));
  std::string error;
  ASSERT_TRUE(seqc::addCInterface(*module, model(), "k", error)) << error;
  EXPECT_FALSE(verifyModule(*module, &errs()));
  auto *call = dyn_cast_or_null<CallInst>(returned(*module, "m.run"));
  ASSERT_TRUE(call);
  EXPECT_EQ(call->getCalledFunction()->getName(), "_mlir_ciface_k");
  auto *shapes = dyn_cast_or_null<ConstantInt>(returned(*module, "m.shapes"));
  ASSERT_TRUE(shapes);
  EXPECT_EQ(shapes->getZExtValue(), 0u);
}

TEST(CInterfaceTest, AVoidKernelReportsSuccess) {
  LLVMContext ctx;
  std::unique_ptr<Module> module =
      kernels(ctx, Type::getVoidTy(ctx), Type::getVoidTy(ctx));
  std::string error;
  ASSERT_TRUE(seqc::addCInterface(*module, model(), "k", error)) << error;
  EXPECT_FALSE(verifyModule(*module, &errs()));
  auto *status = dyn_cast_or_null<ConstantInt>(returned(*module, "m.run"));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->getZExtValue(), 0u);
}

TEST(CInterfaceTest, KernelsOfOtherShapesAreRefused) {
  LLVMContext ctx;
  std::string error;
  std::unique_ptr<Module> wide =
      kernels(ctx, Type::getInt64Ty(ctx), Type::getVoidTy(ctx));
  EXPECT_FALSE(seqc::addCInterface(*wide, model(), "k", error));
  EXPECT_NE(error.find("i32 status"), std::string::npos) << error;
  std::unique_ptr<Module> missing =
      kernels(ctx, Type::getVoidTy(ctx), Type::getVoidTy(ctx));
  EXPECT_FALSE(seqc::addCInterface(*missing, model(), "other", error));
  EXPECT_NE(error.find("_mlir_ciface_other"), std::string::npos) << error;
}

TEST(CInterfaceTest, PublicFunctionsFollowTheTable) {
  LLVMContext ctx;
  std::unique_ptr<Module> module =
      kernels(ctx, Type::getInt32Ty(ctx), Type::getVoidTy(ctx));
  std::string error;
  ASSERT_TRUE(seqc::addCInterface(*module, model(), "k", error)) << error;
  for (const seqc::EntryPoint &entry : seqc::getEntryPoints()) {
    Function *fn = module->getFunction(("m_" + entry.name).str());
    ASSERT_TRUE(fn) << entry.name.str();
    EXPECT_FALSE(fn->isDeclaration());
    EXPECT_TRUE(fn->hasExternalLinkage());
    EXPECT_EQ(fn->arg_size(), entry.getParamTypes().size());
  }
  Function *create = module->getFunction("m_context_create");
  EXPECT_EQ(create->arg_size(), 1u) << "takes the options";
}

TEST(CInterfaceTest, InfoHoldsVersionAndLayout) {
  LLVMContext ctx;
  std::unique_ptr<Module> module =
      kernels(ctx, Type::getInt32Ty(ctx), Type::getVoidTy(ctx));
  std::string error;
  ASSERT_TRUE(seqc::addCInterface(*module, model(), "k", error)) << error;
  auto field = [](Constant *c, unsigned i) {
    return cast<ConstantInt>(c->getAggregateElement(i))->getSExtValue();
  };
  GlobalVariable *info = module->getGlobalVariable("m.info", true);
  ASSERT_TRUE(info);
  Constant *init = info->getInitializer();
  EXPECT_EQ(field(init, 0), SEQC_ABI_VERSION);
  EXPECT_EQ(field(init, 6), 40) << "s: 8 + 8, X: 8 + 2 * 8";
  EXPECT_EQ(field(init, 7), 24) << "Y: 8 + 2 * 8";
  GlobalVariable *inputs = module->getGlobalVariable("m.inputs", true);
  ASSERT_TRUE(inputs);
  Constant *s = inputs->getInitializer()->getAggregateElement(0u);
  Constant *x = inputs->getInitializer()->getAggregateElement(1u);
  EXPECT_EQ(field(s, 5), 0);
  EXPECT_EQ(field(s, 6), 8);
  EXPECT_EQ(field(x, 5), 16) << "the scalar's shape keeps one slot";
  EXPECT_EQ(field(x, 6), 24);
}

} // namespace
