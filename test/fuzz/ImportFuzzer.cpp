//===- ImportFuzzer.cpp - libFuzzer target: ONNX protobuf bytes -----------===//
//
// Inputs are serialized ModelProtos (the corpus: every test model); the
// byte-level mutations reach protobuf parsing and the importer's checks.
//
//===----------------------------------------------------------------------===//

#include "FuzzTarget.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  seqc::fuzz::compileModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      seqc::fuzz::Depth::Import);
  return 0;
}
