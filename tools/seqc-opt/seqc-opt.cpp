//===- seqc-opt.cpp - Run any seqc or upstream pass on an .mlir file
//-------===//

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/Passes.h"
#include "dialects/seq/SeqOps.h"
#include "seqc/Conversion/Passes.h"
#include "seqc/Pipeline/Pipeline.h"
#include "seqc/Transforms/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  registry.insert<seqc::onnx::OnnxDialect, seqc::seq::SeqDialect>();
  seqc::registerConversionPasses();
  seqc::registerTransformsPasses();
  seqc::seq::registerSeqPasses();
  seqc::registerPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "seqc optimizer driver\n", registry));
}
