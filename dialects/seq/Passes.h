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

/// A step's product `x_t · W + acc` for all steps at once: `stacked` is
/// `[T, B, K]`, `weights` `[K, N]` and `acc` `[B, N]`; the result is
/// `[T, B, N]`, computed as one `[T*B, K] x [K, N]` matmul.
mlir::Value buildMatmulOverSteps(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value stacked, mlir::Value weights,
                                 mlir::Value acc);

/// A recurrence without states is a map over time: where its body is
/// elementwise linalg.generics, casts and matmuls by values from outside,
/// the same ops over all steps at once replace it.
void populateLiftStatelessRecurrencePatterns(
    mlir::RewritePatternSet &patterns);

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_PASSES_H
