//===- SeqDialect.cpp - The seq dialect -----------------------------------===//

#include "dialects/seq/SeqDialect.h"
#include "dialects/seq/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace seqc::seq;

#include "dialects/seq/SeqDialect.cpp.inc"
#include "dialects/seq/SeqEnums.cpp.inc"

void SeqDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/seq/SeqOps.cpp.inc"
      >();
}
