//===- RuntimeTypes.cpp - LLVM types of the runtime's C structs -----------===//

#include "seqc/Target/RuntimeTypes.h"

using namespace llvm;

StructType *seqc::getTensorInfoType(LLVMContext &ctx) {
  auto *ptr = PointerType::get(ctx, 0);
  auto *i32 = Type::getInt32Ty(ctx), *i64 = Type::getInt64Ty(ctx);
  return StructType::get(ctx,
                         {ptr, i32, i32, ptr, ptr, i64, i64, i32, i32, ptr});
}

StructType *seqc::getModelInfoType(LLVMContext &ctx) {
  auto *ptr = PointerType::get(ctx, 0);
  auto *i32 = Type::getInt32Ty(ctx), *i64 = Type::getInt64Ty(ctx);
  return StructType::get(ctx, {i32, i32, i32, ptr, ptr, ptr, i64, i64});
}

StructType *seqc::getModelDescType(LLVMContext &ctx) {
  auto *ptr = PointerType::get(ctx, 0);
  auto *i64 = Type::getInt64Ty(ctx);
  return StructType::get(ctx, {ptr, ptr, ptr, i64, ptr});
}
