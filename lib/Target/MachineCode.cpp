//===- MachineCode.cpp - LLVM dialect to an optimised object
//---------------===//

#include "seqc/Target/Targets.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Transforms/IPO/Internalize.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizer.h"

#include <mutex>
#include <set>

using namespace llvm;

std::unique_ptr<TargetMachine>
seqc::createTargetMachine(const TargetOptions &options, std::string &error) {
  // Registration appends to LLVM's global target list: once per process,
  // even when several threads compile (the Python bindings allow it).
  static std::once_flag registered;
  std::call_once(registered, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
  });
  bool host = options.triple.empty();
  Triple triple(host ? sys::getDefaultTargetTriple() : options.triple);
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = options.cpu, features = options.features;
  if (host && (cpu.empty() || cpu == "native")) {
    cpu = sys::getHostCPUName().str();
    if (features.empty()) {
      SubtargetFeatures hostFeatures;
      for (const auto &[name, enabled] : sys::getHostCPUFeatures())
        hostFeatures.AddFeature(name, enabled);
      features = hostFeatures.getString();
    }
  }
  // LLVM reports an unknown CPU, or one that cannot run the triple's code
  // (i386 for x86-64), by aborting the process: check both first.
  if (!cpu.empty() && cpu != "generic") {
    // Asked of the generic CPU: LLVM warns on stderr of an unknown one.
    std::unique_ptr<MCSubtargetInfo> generic(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!generic || !generic->isCPUStringValid(cpu)) {
      error = "unknown CPU '" + cpu + "' for target " + triple.str() +
              " (llc -march=" + triple.getArchName().str() +
              " -mcpu=help lists them)";
      return nullptr;
    }
    std::unique_ptr<MCSubtargetInfo> subtarget(
        target->createMCSubtargetInfo(triple, cpu, features));
    if (triple.getArch() == Triple::x86_64 &&
        !subtarget->checkFeatures("+64bit")) {
      error = "CPU '" + cpu + "' cannot run " + triple.str() + " code";
      return nullptr;
    }
  }
  llvm::TargetOptions targetOptions;
  auto level = options.optLevel == 0   ? CodeGenOptLevel::None
               : options.optLevel == 1 ? CodeGenOptLevel::Less
               : options.optLevel == 2 ? CodeGenOptLevel::Default
                                       : CodeGenOptLevel::Aggressive;
  return std::unique_ptr<TargetMachine>(target->createTargetMachine(
      triple, cpu, features, targetOptions, Reloc::PIC_, std::nullopt, level));
}

int64_t seqc::getF32VectorWidth(const TargetMachine &machine) {
  const MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  if (machine.getTargetTriple().isX86()) {
    if (subtarget->checkFeatures("+avx512f"))
      return 16;
    if (subtarget->checkFeatures("+avx"))
      return 8;
  }
  return 4;
}

/// Two of LLVM's passes cost more than linearly in the code seqc emits and
/// change none of it that we measured (the same machine code for the twelve
/// RNN/GRU/LSTM models of test/Pipeline and silero-vad without them): on a
/// Concat of 1,000 graph inputs ConstraintElimination took 49 s on the shape
/// function's 999 size comparisons, and CalledValuePropagation 6 s on the
/// ~6,000 parameters memref descriptors expand into (seqc emits no indirect
/// calls for it to resolve). seqc does not run them.
static bool shouldRunPass(StringRef pass, Any) {
  return pass != "ConstraintEliminationPass" &&
         pass != "CalledValuePropagationPass";
}

static void optimize(Module &module, TargetMachine &machine, unsigned level,
                     bool sanitizeAddress) {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassInstrumentationCallbacks callbacks;
  callbacks.registerShouldRunOptionalPassCallback(shouldRunPass);
  PassBuilder pb(&machine, PipelineTuningOptions(), std::nullopt, &callbacks);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  if (sanitizeAddress) {
    // ASan instruments only functions that carry the attribute, as clang
    // marks them under -fsanitize=address; it runs last, on optimised code.
    for (Function &fn : module)
      if (!fn.isDeclaration())
        fn.addFnAttr(Attribute::SanitizeAddress);
    pb.registerOptimizerLastEPCallback(
        [](ModulePassManager &mpm, OptimizationLevel, ThinOrFullLTOPhase) {
          mpm.addPass(AddressSanitizerPass(AddressSanitizerOptions{}));
        });
  }
  OptimizationLevel opt = level == 0   ? OptimizationLevel::O0
                          : level == 1 ? OptimizationLevel::O1
                          : level == 2 ? OptimizationLevel::O2
                                       : OptimizationLevel::O3;
  pb.buildPerModuleDefaultPipeline(opt).run(module, mam);
}

std::unique_ptr<Module> seqc::buildModelModule(mlir::ModuleOp module,
                                               LLVMContext &context,
                                               const ModelInterface &interface,
                                               const std::string &kernel,
                                               TargetMachine &machine,
                                               bool sanitizeAddress,
                                               std::string &error) {
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);
  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, interface.prefix);
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());

  Expected<std::unique_ptr<Module>> runtime = parseBitcodeFile(
      MemoryBufferRef(getRuntimeBitcode(), "seqc-runtime"), context);
  if (!runtime) {
    error =
        "cannot read the embedded runtime: " + toString(runtime.takeError());
    return nullptr;
  }
  // The runtime was compiled for the build machine; its code is portable C
  // (no varargs, 64-bit integers and pointers), so it is retargeted here:
  // the CPU and features come from the model's target machine.
  if (machine.createDataLayout().getPointerSizeInBits() != 64) {
    error = "seqc supports 64-bit targets only";
    return nullptr;
  }
  (*runtime)->setTargetTriple(machine.getTargetTriple());
  (*runtime)->setDataLayout(machine.createDataLayout());
  for (Function &fn : **runtime)
    for (StringRef attr : {"target-cpu", "target-features", "tune-cpu"})
      fn.removeFnAttr(attr);
  if (Linker::linkModules(*llvmModule, std::move(*runtime))) {
    error = "linking the runtime into the model failed";
    return nullptr;
  }
  if (!linkHalideKernels(module, *llvmModule, machine, error))
    return nullptr;
  if (!addCInterface(*llvmModule, interface, kernel, error))
    return nullptr;

  // Only the model's public functions leave the object: two models linked
  // into one program never clash.
  std::vector<std::string> names = interface.publicSymbols();
  std::set<std::string> keep(names.begin(), names.end());
  // The runtime's stand-ins for compiler-rt routines that code generation
  // may call (weak and hidden: see SeqcRuntime.c) stay as they are.
  keep.insert("__truncsfbf2");
  internalizeModule(*llvmModule, [&](const GlobalValue &gv) {
    return keep.count(gv.getName().str()) != 0;
  });
  // LLVM's X86 tuning prefers 256-bit vectors on AVX-512 CPUs (the clock
  // of early Xeons dropped with 512-bit ones); seqc's matmuls use the whole
  // register width explicitly, and the loops LLVM vectorises (the gate math)
  // should as well: twice the lanes per instruction.
  if (getF32VectorWidth(machine) == 16)
    for (Function &fn : *llvmModule)
      if (!fn.isDeclaration())
        fn.addFnAttr("prefer-vector-width", "512");
  optimize(*llvmModule, machine,
           machine.getOptLevel() == CodeGenOptLevel::None ? 0 : 3,
           sanitizeAddress);
  return llvmModule;
}

bool seqc::emitMachineCode(Module &module, TargetMachine &machine,
                           bool assembly, raw_pwrite_stream &os,
                           std::string &error) {
  legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  assembly ? CodeGenFileType::AssemblyFile
                                           : CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}
