//===- Targets.h - From the LLVM dialect to objects, libraries, headers -*- C++
//-*-===//

#ifndef SEQC_TARGET_TARGETS_H
#define SEQC_TARGET_TARGETS_H

#include "seqc/Target/ModelInterface.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"
#include <memory>

namespace seqc {

struct TargetOptions {
  std::string triple; // empty: the host
  std::string cpu;    // empty: the host CPU when compiling for the host
  std::string features;
  unsigned optLevel = 3;
  /// Instrument the generated code with AddressSanitizer: every load and
  /// store of the model's kernels and of the runtime is checked. A program
  /// linking such an artifact links the ASan runtime (-fsanitize=address).
  bool sanitizeAddress = false;
};

/// Creates the target machine, or emits an error and returns null.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options, std::string &error);

/// f32 lanes in the target's widest vector registers that its code uses
/// freely: 16 with AVX-512, 8 with AVX, otherwise 4 (SSE, NEON).
int64_t getF32VectorWidth(const llvm::TargetMachine &machine);

/// Translates the LLVM-dialect module, links the runtime into it, adds the
/// model's C interface, internalises everything else and optimises.
std::unique_ptr<llvm::Module>
buildModelModule(mlir::ModuleOp module, llvm::LLVMContext &context,
                 const ModelInterface &interface, const std::string &kernel,
                 llvm::TargetMachine &machine, bool sanitizeAddress,
                 std::string &error);

/// Generates the Halide kernels `module` declares (kHalideMatmulAttrName,
/// seqc-vectorize-matmul's kernels=halide) for the target and links them
/// into `llvmModule`; true when there are none.
bool linkHalideKernels(mlir::ModuleOp module, llvm::Module &llvmModule,
                       llvm::TargetMachine &machine, std::string &error);

/// Adds the descriptor tables and the public `<prefix>_*` functions around
/// the kernel `_mlir_ciface_<kernel>` and its shape function. Fails when
/// they are missing or do not return void or an i32 status.
bool addCInterface(llvm::Module &module, const ModelInterface &interface,
                   llvm::StringRef kernel, std::string &error);

/// Writes `module` as an object file or assembly.
bool emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                     bool assembly, llvm::raw_pwrite_stream &os,
                     std::string &error);

/// The C header of the model.
std::string emitHeader(const ModelInterface &interface);

/// The bitcode of lib/Runtime, embedded at build time.
llvm::StringRef getRuntimeBitcode();
/// include/seqc/Runtime/SeqcTypes.h, embedded at build time.
llvm::StringRef getRuntimeTypesHeader();

/// Writes a static library holding one object, under `memberName`.
bool writeStaticLibrary(llvm::StringRef objectPath, llvm::StringRef memberName,
                        llvm::StringRef libraryPath, std::string &error);
/// Links a shared library from one object with the system C compiler driver
/// (clang-22, clang, cc; $SEQC_LINKER overrides). For another target
/// (`crossTriple` not empty) clang links with lld and without the C library,
/// whose symbols then resolve when the library is loaded.
bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef libraryPath,
                       llvm::StringRef crossTriple, std::string &error);

} // namespace seqc

#endif // SEQC_TARGET_TARGETS_H
