//===- Passes.h - Passes over the seq dialect -------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_SEQ_PASSES_H
#define SEQC_DIALECTS_SEQ_PASSES_H

#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace seqc::seq {

#define GEN_PASS_DECL
#include "dialects/seq/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/seq/Passes.h.inc"

/// Rewrites a recurrence with `lengths` into one without (see
/// seq-expand-lengths); fails on a recurrence without lengths.
mlir::FailureOr<RecurrenceOp> expandLengths(mlir::RewriterBase &rewriter,
                                            RecurrenceOp op);
void populateExpandLengthsPatterns(mlir::RewritePatternSet &patterns);

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_PASSES_H
