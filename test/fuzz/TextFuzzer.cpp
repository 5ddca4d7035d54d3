//===- TextFuzzer.cpp - libFuzzer target: ONNX text (.onnxtxt) ------------===//
//
// Inputs are ONNX's textual syntax (or protobuf text format); mutations reach
// seqc's text parser and then the importer.
//
//===----------------------------------------------------------------------===//

#include "FuzzTarget.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  seqc::fuzz::compileModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.onnxtxt", seqc::fuzz::Depth::Import);
  return 0;
}
