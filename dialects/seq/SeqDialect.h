//===- SeqDialect.h - The seq dialect ---------------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_SEQ_SEQDIALECT_H
#define SEQC_DIALECTS_SEQ_SEQDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/seq/SeqDialect.h.inc"

#endif // SEQC_DIALECTS_SEQ_SEQDIALECT_H
