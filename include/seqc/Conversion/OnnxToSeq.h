//===- OnnxToSeq.h - onnx dialect to seq + linalg ---------------*- C++ -*-===//

#ifndef SEQC_CONVERSION_ONNXTOSEQ_H
#define SEQC_CONVERSION_ONNXTOSEQ_H

#include "mlir/IR/PatternMatch.h"

namespace seqc {
/// Patterns lowering every onnx op seqc supports.
void populateOnnxToSeqPatterns(mlir::RewritePatternSet &patterns);
} // namespace seqc

#endif // SEQC_CONVERSION_ONNXTOSEQ_H
