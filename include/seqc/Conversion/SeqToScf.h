//===- SeqToScf.h - seq.recurrence to scf.for -------------------*- C++ -*-===//

#ifndef SEQC_CONVERSION_SEQTOSCF_H
#define SEQC_CONVERSION_SEQTOSCF_H

#include "mlir/IR/PatternMatch.h"

namespace seqc {
void populateSeqToScfPatterns(mlir::RewritePatternSet &patterns);
} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOSCF_H
