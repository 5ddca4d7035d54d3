//===- Patterns.h - The pattern groups of the onnx lowering -----*- C++ -*-===//

#ifndef SEQC_LIB_CONVERSION_ONNXTOSEQ_PATTERNS_H
#define SEQC_LIB_CONVERSION_ONNXTOSEQ_PATTERNS_H

#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/RecurrentCells.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace seqc {
/// The runtime's comparison of two strings (pointers to their bytes, as
/// i64): (i64, i64) -> i32, not zero when equal.
inline constexpr llvm::StringLiteral kStringEqualFunction =
    "seqc_rt_string_equal";

void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateGeneratorPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateSoftmaxPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
void populateDropoutPatterns(mlir::RewritePatternSet &patterns);
void populateMatMulPatterns(mlir::RewritePatternSet &patterns);
void populateRecurrentPatterns(mlir::RewritePatternSet &patterns);
void populateControlFlowPatterns(mlir::RewritePatternSet &patterns);
void populateConvolutionPatterns(mlir::RewritePatternSet &patterns);
void populatePadPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(mlir::RewritePatternSet &patterns);
void populateGatherPatterns(mlir::RewritePatternSet &patterns);
void populateScatterPatterns(mlir::RewritePatternSet &patterns);
void populateCumSumPatterns(mlir::RewritePatternSet &patterns);
void populateEinsumPatterns(mlir::RewritePatternSet &patterns);
void populateTopKPatterns(mlir::RewritePatternSet &patterns);
void populateResizePatterns(mlir::RewritePatternSet &patterns);
void populateSpectralPatterns(mlir::RewritePatternSet &patterns);

/// The scalar IR of an ONNX recurrent-op activation applied to `x`.
mlir::Value buildActivation(mlir::OpBuilder &b, mlir::Location loc,
                            const onnx::Activation &activation, mlir::Value x);
} // namespace seqc

#endif // SEQC_LIB_CONVERSION_ONNXTOSEQ_PATTERNS_H
