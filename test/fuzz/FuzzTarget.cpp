//===- FuzzTarget.cpp - one fuzz input through seqc's compiler ------------===//

#include "FuzzTarget.h"

#include "seqc/Compiler/Compiler.h"
#include "seqc/Conversion/Passes.h"
#include "seqc/Import/OnnxImporter.h"
#include "seqc/Pipeline/Pipeline.h"
#include "seqc/Target/ModelInterface.h"
#include "seqc/Target/Targets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <memory>

using namespace mlir;

void seqc::fuzz::compileModel(llvm::StringRef bytes, llvm::StringRef fileName,
                              Depth depth) {
  // Creating a context and loading every dialect costs ~30 ms, far more than
  // importing a small model: a context serves 256 inputs, then a fresh one
  // bounds what the earlier inputs interned. (A crash found this way still
  // reproduces alone: the first input always gets a fresh context.)
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry;
    registerCompilerDialects(*r);
    registerPipelines();
    return r;
  }();
  static std::unique_ptr<MLIRContext> shared;
  static unsigned uses = 0;
  if (!shared || ++uses % 256 == 0) {
    shared = std::make_unique<MLIRContext>(*registry,
                                           MLIRContext::Threading::DISABLED);
    shared->loadAllAvailableDialects();
  }
  MLIRContext &context = *shared;
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });

  // External data resolves against a folder that does not exist: a fuzz
  // input must not reach into the file system.
  ImportOptions options;
  options.functionName = "fuzz_graph";
  FailureOr<OwningOpRef<ModuleOp>> imported = importOnnxBuffer(
      &context, bytes, fileName, "/nonexistent-seqc-fuzz-dir", options);
  if (failed(imported) || depth == Depth::Import)
    return;
  ModuleOp module = **imported;

  PassManager expand(&context);
  expand.addPass(createOnnxExpandSequences());
  if (failed(expand.run(module)))
    return;
  auto func = module.lookupSymbol<func::FuncOp>(options.functionName);
  if (!func)
    return;
  ModelInterface interface = getModelInterface(func, "fuzz", fileName);
  (void)emitHeader(interface);

  PassManager pm(&context);
  buildCompilePipeline(pm, {options.functionName});
  (void)pm.run(module);
}
