//===- Compiler.cpp - ONNX file to artifacts
//--------------------------------===//

#include "seqc/Compiler/Compiler.h"
#include "seqc/Conversion/Passes.h"

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "seqc/Import/OnnxImporter.h"
#include "seqc/Pipeline/Pipeline.h"
#include "seqc/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace seqc;

void seqc::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<onnx::OnnxDialect, seq::SeqDialect>();
}

namespace {

/// Output files are written under temporary names beside their final place
/// and renamed only once every one of them is complete. Folders on their
/// way that do not exist are made, and removed again (when still empty) if
/// the outputs are not committed: a failed compile leaves nothing behind.
class PendingOutputs {
public:
  ~PendingOutputs() {
    for (auto &[tmp, final] : files)
      llvm::sys::fs::remove(tmp);
    if (!committed)
      for (const std::string &dir : llvm::reverse(createdDirs))
        llvm::sys::fs::remove(dir);
  }
  /// A fresh temporary path for `finalPath`.
  FailureOr<std::string> add(Location loc, StringRef finalPath) {
    if (failed(makeParentDirs(loc, finalPath)))
      return failure();
    SmallString<256> tmp;
    int fd;
    if (std::error_code ec = llvm::sys::fs::createUniqueFile(
            finalPath + ".tmp-%%%%%%", fd, tmp)) {
      emitError(loc) << "cannot create " << finalPath << ": " << ec.message();
      return failure();
    }
    llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    files.emplace_back(tmp.str().str(), finalPath.str());
    return tmp.str().str();
  }
  LogicalResult commit(Location loc) {
    for (auto &[tmp, final] : files)
      if (std::error_code ec = llvm::sys::fs::rename(tmp, final)) {
        emitError(loc) << "cannot write " << final << ": " << ec.message();
        return failure();
      }
    files.clear();
    committed = true;
    return success();
  }

private:
  /// Makes the folders of `path` that are missing, outermost first.
  LogicalResult makeParentDirs(Location loc, StringRef path) {
    SmallVector<StringRef> missing;
    for (StringRef dir = llvm::sys::path::parent_path(path);
         !dir.empty() && !llvm::sys::fs::exists(dir);
         dir = llvm::sys::path::parent_path(dir))
      missing.push_back(dir);
    for (StringRef dir : llvm::reverse(missing)) {
      if (std::error_code ec = llvm::sys::fs::create_directory(dir))
        return emitError(loc) << "cannot create the folder " << dir << ": "
                              << ec.message();
      createdDirs.push_back(dir.str());
    }
    return success();
  }

  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> createdDirs;
  bool committed = false;
};

LogicalResult writeText(Location loc, PendingOutputs &outputs, StringRef path,
                        StringRef text) {
  FailureOr<std::string> tmp = outputs.add(loc, path);
  if (failed(tmp))
    return failure();
  std::error_code ec;
  llvm::raw_fd_ostream os(*tmp, ec);
  if (ec)
    return emitError(loc) << "cannot write " << path << ": " << ec.message();
  os << text;
  return success();
}

/// "target: input input ...\n" in Makefile syntax (which Ninja reads too):
/// spaces and '#' escaped with '\\', '$' doubled.
std::string makeDepfileRule(StringRef target, ArrayRef<std::string> inputs) {
  auto escape = [](StringRef path) {
    std::string text;
    for (char c : path) {
      if (c == ' ' || c == '#')
        text += '\\';
      else if (c == '$')
        text += '$';
      text += c;
    }
    return text;
  };
  std::string rule = escape(target) + ":";
  for (const std::string &input : inputs)
    rule += " " + escape(input);
  return rule + "\n";
}

} // namespace

LogicalResult seqc::compile(MLIRContext &context, const CompileOptions &opts,
                            llvm::raw_ostream &stdout) {
  Location fileLoc = FileLineColLoc::get(&context, opts.inputPath, 0, 0);
  DefaultTimingManager timing;
  timing.setEnabled(opts.timing);
  TimingScope root = timing.getRootScope();

  // Symbol prefix: explicit, else the output's (or input's) base name.
  StringRef nameSource =
      opts.outputPath.empty() ? StringRef(opts.inputPath) : opts.outputPath;
  std::string prefix =
      opts.symbolPrefix.empty()
          ? sanitizeIdentifier(llvm::sys::path::stem(nameSource))
          : sanitizeIdentifier(opts.symbolPrefix);
  // Options that cannot work fail before any compiling.
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(opts.target, error);
  if (!machine)
    return emitError(fileLoc) << "target: " << error;
  if (!opts.dumpDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(opts.dumpDir))
      return emitError(fileLoc) << "cannot create the dump directory "
                                << opts.dumpDir << ": " << ec.message();

  ImportOptions importOptions;
  importOptions.functionName = prefix + "_graph";
  importOptions.bindings = opts.bindings;
  importOptions.inputShapes = opts.inputShapes;
  std::set<std::string> externalFiles;
  importOptions.externalFiles = &externalFiles;

  TimingScope importTimer = root.nest("import");
  FailureOr<OwningOpRef<ModuleOp>> imported =
      importOnnxFile(&context, opts.inputPath, importOptions);
  if (failed(imported))
    return failure();
  importTimer.stop();
  ModuleOp module = **imported;

  PendingOutputs outputs;
  auto emitText = [&](StringRef text) -> LogicalResult {
    if (opts.outputPath.empty() || opts.outputPath == "-") {
      stdout << text;
      return success();
    }
    if (failed(writeText(fileLoc, outputs, opts.outputPath, text)))
      return failure();
    return outputs.commit(fileLoc);
  };
  auto printModule = [&]() {
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    if (opts.printDebugInfo)
      flags.enableDebugInfo();
    module.print(os, flags);
    return emitText(text);
  };
  if (opts.emit == EmitKind::Onnx)
    return printModule();

  // The pass pipelines, stopping at the requested stage.
  // IR printing needs the passes to run on one thread.
  if (opts.printIRAfterAll || !opts.dumpDir.empty())
    context.disableMultithreading();
  auto configure = [&](PassManager &pm) {
    if (opts.printIRAfterAll)
      pm.enableIRPrinting([](Pass *, Operation *) { return false; });
    if (!opts.dumpDir.empty())
      pm.enableIRPrintingToFileTree([](Pass *, Operation *) { return false; },
                                    [](Pass *, Operation *) { return true; },
                                    /*printModuleScope=*/true,
                                    /*printAfterOnlyOnChange=*/false,
                                    /*printAfterOnlyOnFailure=*/false,
                                    opts.dumpDir);
  };
  // The C interface is the function's once sequences and optionals travel
  // as tensors (the to-seq pipeline then finds nothing left to expand).
  PassManager expand(&context);
  configure(expand);
  expand.addPass(createOnnxExpandSequences());
  if (failed(expand.run(module)))
    return failure();
  auto func = module.lookupSymbol<func::FuncOp>(importOptions.functionName);
  ModelInterface interface = getModelInterface(func, prefix, opts.inputPath);

  PassManager pm(&context);
  configure(pm);
  PipelineOptions pipeline{importOptions.functionName,
                           getF32VectorWidth(*machine), opts.kernels,
                           /*contextBuffers=*/!opts.target.sanitizeAddress,
                           opts.scan};
  buildCompilePipeline(pm, pipeline,
                       opts.emit == EmitKind::Seq      ? PipelineEnd::Seq
                       : opts.emit == EmitKind::Linalg ? PipelineEnd::Linalg
                                                       : PipelineEnd::LLVM);
  TimingScope passTimer = root.nest("passes");
  pm.enableTiming(passTimer);
  if (failed(pm.run(module)))
    return failure();
  passTimer.stop();
  if (opts.emit == EmitKind::Seq || opts.emit == EmitKind::Linalg)
    return printModule();
  if (auto checks = module->getAttrOfType<ArrayAttr>(kRuntimeChecksAttr))
    for (Attribute message : checks)
      interface.runtimeChecks.push_back(cast<StringAttr>(message).str());

  // LLVM code generation.
  TimingScope codegenTimer = root.nest("llvm codegen");
  llvm::LLVMContext llvmContext;
  bool crossCompiling = !opts.target.triple.empty() &&
                        llvm::Triple(opts.target.triple) !=
                            llvm::Triple(llvm::sys::getDefaultTargetTriple());
  std::unique_ptr<llvm::Module> llvmModule =
      buildModelModule(module, llvmContext, interface,
                       importOptions.functionName, *machine,
                       opts.target.sanitizeAddress, error);
  if (!llvmModule)
    return emitError(fileLoc) << error;
  if (opts.emit == EmitKind::Llvm) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return emitText(text);
  }
  if (opts.emit == EmitKind::Asm) {
    SmallString<0> text;
    llvm::raw_svector_ostream os(text);
    if (!emitMachineCode(*llvmModule, *machine, /*assembly=*/true, os, error))
      return emitError(fileLoc) << error;
    return emitText(text);
  }

  // Object, then the libraries and the header built from it.
  std::string objectPath =
      opts.emit == EmitKind::Obj ? opts.outputPath : opts.outputPath + ".o";
  if (opts.outputPath.empty())
    return emitError(fileLoc) << "an object file needs an output path (-o)";
  FailureOr<std::string> objectTmp = outputs.add(fileLoc, objectPath);
  if (failed(objectTmp))
    return failure();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(*objectTmp, ec);
    if (ec)
      return emitError(fileLoc)
             << "cannot write " << objectPath << ": " << ec.message();
    if (!emitMachineCode(*llvmModule, *machine, /*assembly=*/false, os, error))
      return emitError(fileLoc) << error;
  }
  codegenTimer.stop();
  if (opts.emit == EmitKind::Library) {
    TimingScope libraryTimer = root.nest("libraries");
    SmallString<256> dir(opts.outputPath);
    llvm::sys::path::remove_filename(dir);
    std::string base = llvm::sys::path::filename(opts.outputPath).str();
    auto beside = [&](StringRef name) {
      SmallString<256> path(dir);
      llvm::sys::path::append(path, name);
      return path.str().str();
    };
    FailureOr<std::string> archiveTmp =
        outputs.add(fileLoc, beside("lib" + base + ".a"));
    FailureOr<std::string> sharedTmp =
        outputs.add(fileLoc, beside("lib" + base + ".so"));
    if (failed(archiveTmp) || failed(sharedTmp))
      return failure();
    llvm::sys::fs::remove(*archiveTmp);
    if (!writeStaticLibrary(*objectTmp, base + ".o", *archiveTmp, error) ||
        !linkSharedLibrary(*objectTmp, *sharedTmp,
                           crossCompiling ? opts.target.triple : "", error))
      return emitError(fileLoc) << error;
    if (failed(writeText(fileLoc, outputs, beside(base + ".h"),
                         emitHeader(interface))))
      return failure();
  }
  if (!opts.depfilePath.empty()) {
    std::vector<std::string> inputs = {opts.inputPath};
    inputs.insert(inputs.end(), externalFiles.begin(), externalFiles.end());
    if (failed(writeText(fileLoc, outputs, opts.depfilePath,
                         makeDepfileRule(objectPath, inputs))))
      return failure();
  }
  return outputs.commit(fileLoc);
}
