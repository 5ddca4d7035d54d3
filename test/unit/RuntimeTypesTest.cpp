//===- RuntimeTypesTest.cpp - LLVM types against the C structs ------------===//
//
// CInterface.cpp writes the model's tables as constants of the LLVM types in
// RuntimeTypes.h; the runtime and every caller read them as the C structs of
// SeqcTypes.h and SeqcRuntime.h. Under the data layout seqc compiles host
// models with, each field must sit at the offset, and have the size, that
// this C++ compiler gives the C struct.
//
//===----------------------------------------------------------------------===//

#include "seqc/Target/RuntimeTypes.h"
#include "seqc/Runtime/SeqcRuntime.h"
#include "seqc/Target/Targets.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/IR/LLVMContext.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace {

struct Field {
  size_t offset, size;
};
#define FIELD(type, member)                                                    \
  Field { offsetof(type, member), sizeof(type::member) }

void expectSameLayout(llvm::StructType *type, size_t size,
                      const std::vector<Field> &fields) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      seqc::createTargetMachine({}, error);
  ASSERT_TRUE(machine) << error;
  llvm::DataLayout layout = machine->createDataLayout();
  const llvm::StructLayout *structLayout = layout.getStructLayout(type);
  ASSERT_EQ(type->getNumElements(), fields.size());
  for (unsigned i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(structLayout->getElementOffset(i), fields[i].offset)
        << "offset of field " << i;
    EXPECT_EQ(layout.getTypeAllocSize(type->getElementType(i)), fields[i].size)
        << "size of field " << i;
  }
  EXPECT_EQ(layout.getTypeAllocSize(type), size);
}

TEST(RuntimeTypesTest, TensorInfo) {
  llvm::LLVMContext ctx;
  using T = seqc_tensor_info;
  expectSameLayout(seqc::getTensorInfoType(ctx), sizeof(T),
                   {FIELD(T, name), FIELD(T, elem_type), FIELD(T, rank),
                    FIELD(T, dims), FIELD(T, dim_names), FIELD(T, data_offset),
                    FIELD(T, shape_offset), FIELD(T, role),
                    FIELD(T, element_rank), FIELD(T, element_dims)});
}

TEST(RuntimeTypesTest, ModelInfo) {
  llvm::LLVMContext ctx;
  using T = seqc_model_info;
  expectSameLayout(seqc::getModelInfoType(ctx), sizeof(T),
                   {FIELD(T, abi_version), FIELD(T, num_inputs),
                    FIELD(T, num_outputs), FIELD(T, name), FIELD(T, inputs),
                    FIELD(T, outputs), FIELD(T, inputs_size),
                    FIELD(T, outputs_size)});
  EXPECT_EQ(offsetof(T, abi_version), 0u) << "readers check it first";
}

TEST(RuntimeTypesTest, ModelDescriptor) {
  llvm::LLVMContext ctx;
  using T = seqc_model_desc;
  expectSameLayout(seqc::getModelDescType(ctx), sizeof(T),
                   {FIELD(T, info), FIELD(T, run), FIELD(T, shapes),
                    FIELD(T, num_output_dims), FIELD(T, check_messages)});
}

} // namespace
