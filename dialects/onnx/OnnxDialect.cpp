//===- OnnxDialect.cpp - The onnx dialect
//----------------------------------===//

#include "dialects/onnx/OnnxDialect.h"
#include "dialects/onnx/OnnxOps.h"

using namespace mlir;
using namespace seqc::onnx;

#include "dialects/onnx/OnnxDialect.cpp.inc"
#include "dialects/onnx/OnnxInterfaces.cpp.inc"

void OnnxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/onnx/OnnxOps.cpp.inc"
      >();
}
