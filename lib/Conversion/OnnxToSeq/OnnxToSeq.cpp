//===- OnnxToSeq.cpp - The convert-onnx-to-seq pass
//------------------------===//

#include "seqc/Conversion/OnnxToSeq.h"
#include "seqc/Conversion/Passes.h"

#include "Patterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace seqc {
#define GEN_PASS_DEF_CONVERTONNXTOSEQ
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

void seqc::populateOnnxToSeqPatterns(RewritePatternSet &patterns) {
  populateElementwisePatterns(patterns);
  populateGeneratorPatterns(patterns);
  populateReductionPatterns(patterns);
  populateSoftmaxPatterns(patterns);
  populateDataMovementPatterns(patterns);
  populateMatMulPatterns(patterns);
  populateRecurrentPatterns(patterns);
  populateControlFlowPatterns(patterns);
  populateConvolutionPatterns(patterns);
  populatePadPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populatePoolingPatterns(patterns);
  populateGatherPatterns(patterns);
  populateScatterPatterns(patterns);
  populateCumSumPatterns(patterns);
  populateEinsumPatterns(patterns);
  populateTopKPatterns(patterns);
  populateResizePatterns(patterns);
  populateSpectralPatterns(patterns);
}

namespace {
struct ConvertOnnxToSeq : seqc::impl::ConvertOnnxToSeqBase<ConvertOnnxToSeq> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<seqc::onnx::OnnxDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    seqc::populateOnnxToSeqPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
