//===- HalideKernels.cpp - the model's Halide kernels, linked into it -----===//
//
// seqc-vectorize-matmul (kernels=halide) declares the kernels it calls;
// here they are generated for the model's target (lib/Kernels), read back
// as bitcode (Halide 21 writes bitcode LLVM 22 reads) and linked into the
// model's module, so that the model stays one object.
//
//===----------------------------------------------------------------------===//

#include "seqc/Kernels/HalideKernels.h"
#include "seqc/Target/Targets.h"
#include "seqc/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

bool seqc::linkHalideKernels(mlir::ModuleOp module, Module &llvmModule,
                             TargetMachine &machine, std::string &error) {
  std::vector<HalideMatmul> kernels;
  module.walk([&](mlir::LLVM::LLVMFuncOp fn) {
    auto spec = fn->getAttrOfType<mlir::DictionaryAttr>(kHalideMatmulAttrName);
    if (!spec)
      return;
    HalideMatmul kernel;
    kernel.name = fn.getName().str();
    if (auto k = spec.getAs<mlir::IntegerAttr>("k"))
      kernel.k = k.getInt();
    if (auto scalar = spec.getAs<mlir::BoolAttr>("scalar_init"))
      kernel.scalarInit = scalar.getValue();
    if (auto packed = spec.getAs<mlir::BoolAttr>("packed_b"))
      kernel.packedB = packed.getValue();
    kernels.push_back(kernel);
  });
  if (kernels.empty())
    return true;
  const MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  std::string target = getHalideTarget(
      machine.getTargetTriple().str(),
      [&](const std::string &feature) {
        return subtarget->checkFeatures("+" + feature);
      },
      error);
  std::string bitcode;
  if (target.empty() || !generateHalideKernels(kernels, target, bitcode, error))
    return false;
  Expected<std::unique_ptr<Module>> generated = parseBitcodeFile(
      MemoryBufferRef(bitcode, "seqc-halide-kernels"), llvmModule.getContext());
  if (!generated) {
    error = "cannot read the Halide kernels' bitcode: " +
            toString(generated.takeError());
    return false;
  }
  (*generated)->setTargetTriple(llvmModule.getTargetTriple());
  (*generated)->setDataLayout(llvmModule.getDataLayout());
  if (Linker::linkModules(llvmModule, std::move(*generated))) {
    error = "linking the Halide kernels into the model failed";
    return false;
  }
  return true;
}
