//===- ModelInterfaceTest.cpp - Struct layout and the entry-point table ---===//
//
// Expected offsets follow docs/c-api.md's rule, worked out by hand: per
// tensor an 8-byte data pointer, then max(rank, 1) 8-byte shape entries.
//
//===----------------------------------------------------------------------===//

#include "seqc/Target/ModelInterface.h"

#include <gtest/gtest.h>

namespace {

std::vector<seqc::TensorInterface> tensorsOfRanks(std::vector<int> ranks) {
  std::vector<seqc::TensorInterface> tensors;
  for (int rank : ranks) {
    seqc::TensorInterface t;
    t.dims.assign(rank, 2);
    t.dimNames.assign(rank, "");
    tensors.push_back(t);
  }
  return tensors;
}

TEST(ModelInterfaceTest, AScalarKeepsOneShapeSlot) {
  std::vector<seqc::TensorInterface> tensors = tensorsOfRanks({0, 3, 1});
  EXPECT_EQ(seqc::layOutStruct(tensors), 64);
  EXPECT_EQ(tensors[0].dataOffset, 0);
  EXPECT_EQ(tensors[0].shapeOffset, 8);
  EXPECT_EQ(tensors[1].dataOffset, 16);
  EXPECT_EQ(tensors[1].shapeOffset, 24);
  EXPECT_EQ(tensors[2].dataOffset, 48);
  EXPECT_EQ(tensors[2].shapeOffset, 56);
}

TEST(ModelInterfaceTest, AStructWithoutTensorsIsNotEmpty) {
  std::vector<seqc::TensorInterface> none;
  EXPECT_EQ(seqc::layOutStruct(none), 8);
}

TEST(ModelInterfaceTest, PublicSymbolsAreTheEntryPoints) {
  seqc::ModelInterface model;
  model.prefix = "m";
  std::vector<std::string> expected = {"m_context_create", "m_context_destroy",
                                       "m_output_shapes",  "m_run",
                                       "m_last_error",     "m_info"};
  EXPECT_EQ(model.publicSymbols(), expected);
}

TEST(ModelInterfaceTest, ParameterTypesDropTheNames) {
  const seqc::EntryPoint *run = nullptr;
  for (const seqc::EntryPoint &entry : seqc::getEntryPoints())
    if (entry.name == "run")
      run = &entry;
  ASSERT_TRUE(run);
  llvm::SmallVector<llvm::StringRef> types = run->getParamTypes();
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[0], "$_context *");
  EXPECT_EQ(types[1], "const $_inputs *");
  EXPECT_EQ(types[2], "$_outputs *");
  EXPECT_EQ(seqc::expandPrefix(types[1], "lstm"), "const lstm_inputs *");
}

} // namespace
