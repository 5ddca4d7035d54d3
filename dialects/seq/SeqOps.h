//===- SeqOps.h - seq dialect operations ------------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_SEQ_SEQOPS_H
#define SEQC_DIALECTS_SEQ_SEQOPS_H

#include "dialects/seq/SeqDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/seq/SeqEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/seq/SeqOps.h.inc"

#endif // SEQC_DIALECTS_SEQ_SEQOPS_H
