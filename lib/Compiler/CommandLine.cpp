//===- CommandLine.cpp - seqc's flags, for the driver and the bindings -----===//

#include "seqc/Compiler/CommandLine.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <mutex>

using namespace llvm;

namespace {

cl::OptionCategory category("seqc options");

cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                               cl::desc("<model.onnx | model.onnxtxt>"),
                               cl::cat(category));
cl::opt<std::string> outputPath(
    "o", cl::value_desc("path"), cl::cat(category),
    cl::desc("Output. For --emit=lib (default) a prefix DIR/NAME: writes "
             "DIR/NAME.o, DIR/libNAME.a, DIR/libNAME.so and DIR/NAME.h "
             "(default: ./<model name>). For other stages a file (default: "
             "stdout)"));
cl::opt<seqc::EmitKind> emit(
    "emit", cl::desc("What to produce"), cl::init(seqc::EmitKind::Library),
    cl::cat(category),
    cl::values(
        clEnumValN(seqc::EmitKind::Onnx, "onnx", "the imported onnx dialect"),
        clEnumValN(seqc::EmitKind::Seq, "seq",
                   "seq recurrences + linalg on tensors"),
        clEnumValN(seqc::EmitKind::Linalg, "linalg",
                   "loops and linalg on buffers, after bufferization"),
        clEnumValN(seqc::EmitKind::Llvm, "llvm", "optimised LLVM IR"),
        clEnumValN(seqc::EmitKind::Asm, "asm", "target assembly"),
        clEnumValN(seqc::EmitKind::Obj, "obj", "an object file"),
        clEnumValN(seqc::EmitKind::Library, "lib",
                   "object, static and shared library, and C header")));
cl::opt<std::string>
    symbolPrefix("name", cl::value_desc("prefix"), cl::cat(category),
                 cl::desc("C symbol prefix of the generated API (default: the "
                          "output's base name)"));
cl::opt<std::string> triple("target", cl::value_desc("triple"),
                            cl::cat(category),
                            cl::desc("Target triple (default: host)"));
cl::opt<std::string> mcpu("mcpu", cl::value_desc("cpu"), cl::cat(category),
                          cl::desc("Target CPU (default: the host's)"));
cl::opt<std::string> mattr("mattr", cl::value_desc("+a,-b"), cl::cat(category),
                           cl::desc("Target features (default: the host's)"));
cl::opt<int> optLevel("O", cl::Prefix, cl::init(3), cl::cat(category),
                      cl::desc("LLVM optimisation level 0-3"));
enum class Sanitizer { None, Address };
cl::opt<Sanitizer> sanitize(
    "sanitize", cl::init(Sanitizer::None), cl::cat(category),
    cl::desc("Instrument the generated code (link the program with the "
             "matching -fsanitize)"),
    cl::values(clEnumValN(Sanitizer::Address, "address",
                          "AddressSanitizer: every load and store checked")));
cl::opt<bool>
    printIRAfterAll("print-ir-after-all", cl::cat(category),
                    cl::desc("Print the IR after every pass to stderr"));
cl::alias printIRAfterAllMlir("mlir-print-ir-after-all",
                              cl::aliasopt(printIRAfterAll),
                              cl::desc("Alias for --print-ir-after-all"),
                              cl::cat(category));
cl::opt<bool> printDebugInfo(
    "mlir-print-debuginfo", cl::cat(category),
    cl::desc("Print locations (ONNX node names) in the IR of text stages, so "
             "that seqc-opt continues from them with the same diagnostics"));
cl::opt<std::string>
    dumpDir("dump-dir", cl::value_desc("dir"), cl::cat(category),
            cl::desc("Write the IR after every pass into files under DIR"));
cl::opt<bool> timing("timing", cl::cat(category),
                     cl::desc("Report where compile time went"));
cl::alias timingMlir("mlir-timing", cl::aliasopt(timing),
                     cl::desc("Alias for --timing"), cl::cat(category));

cl::list<std::string> bindings(
    "bind", cl::value_desc("name=value[,value...]"), cl::cat(category),
    cl::desc("Specialise a model input to a constant (repeatable); it is no "
             "longer an input of the compiled model"));
cl::list<std::string> inputShapes(
    "input-shape", cl::value_desc("name=d0xd1x..."), cl::cat(category),
    cl::desc("Give a model input static dimensions (repeatable); ? keeps a "
             "dimension dynamic, e.g. input=?x576"));

std::mutex parseMutex;

/// Splits "name=value" of option `flag`; reports a missing '='.
std::optional<std::pair<std::string, std::string>>
splitAssignment(StringRef flag, StringRef text, raw_ostream &errs) {
  auto [name, value] = text.split('=');
  if (name.empty() || value.empty() || !text.contains('=')) {
    errs << "seqc: error: --" << flag << " " << text
         << ": expected NAME=VALUE\n";
    return std::nullopt;
  }
  return std::pair{name.str(), value.str()};
}

/// The ONNX node a location names, if any.
std::string nodeName(mlir::Location loc) {
  std::string name;
  loc->walk([&](mlir::Location l) {
    if (auto named = dyn_cast<mlir::NameLoc>(l)) {
      name = named.getName().str();
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  return name;
}

} // namespace

mlir::FailureOr<seqc::CompileOptions>
seqc::parseCommandLine(ArrayRef<std::string> args, raw_ostream &errs) {
  std::lock_guard<std::mutex> lock(parseMutex);
  static bool initialized = [] {
    cl::SetVersionPrinter([](raw_ostream &os) {
      os << "seqc " SEQC_VERSION " (MLIR/LLVM " LLVM_VERSION_STRING ")\n";
    });
    cl::HideUnrelatedOptions(category);
    return true;
  }();
  (void)initialized;
  cl::ResetAllOptionOccurrences();
  SmallVector<const char *> argv;
  for (const std::string &arg : args)
    argv.push_back(arg.c_str());
  if (!cl::ParseCommandLineOptions(
          argv.size(), argv.data(),
          "seqc: ahead-of-time compiler for ONNX sequence models\n\n"
          "  seqc model.onnx -o out/model      object, libraries and C header\n"
          "  seqc model.onnx --emit=seq        print the IR of one stage\n",
          &errs))
    return failure();
  if (optLevel < 0 || optLevel > 3) {
    errs << "seqc: error: -O" << optLevel << ": the levels are 0 to 3\n";
    return failure();
  }
  if (!outputPath.empty() && emit == EmitKind::Library &&
      (sys::path::filename(outputPath).empty() ||
       sys::path::is_separator(outputPath.back()) ||
       sys::fs::is_directory(outputPath))) {
    errs << "seqc: error: -o " << outputPath
         << ": expected a path prefix DIR/NAME, not a directory\n";
    return failure();
  }
  CompileOptions options;
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.emit = emit;
  if (options.outputPath.empty() &&
      (emit == EmitKind::Library || emit == EmitKind::Obj))
    options.outputPath = sys::path::stem(inputPath).str() +
                         (emit == EmitKind::Obj ? ".o" : "");
  options.symbolPrefix = symbolPrefix;
  options.target = {triple, mcpu, mattr, static_cast<unsigned>(optLevel),
                    sanitize == Sanitizer::Address};
  options.printIRAfterAll = printIRAfterAll;
  options.printDebugInfo = printDebugInfo;
  options.dumpDir = dumpDir;
  options.timing = timing;
  for (const std::string &text : bindings) {
    auto assignment = splitAssignment("bind", text, errs);
    if (!assignment)
      return failure();
    options.bindings[assignment->first] = assignment->second;
  }
  for (const std::string &text : inputShapes) {
    auto assignment = splitAssignment("input-shape", text, errs);
    if (!assignment)
      return failure();
    std::vector<int64_t> dims;
    SmallVector<StringRef> items;
    StringRef(assignment->second).split(items, 'x');
    for (StringRef item : items) {
      int64_t d;
      if (item == "?") {
        dims.push_back(mlir::ShapedType::kDynamic);
      } else if (!item.getAsInteger(10, d) && d >= 0) {
        dims.push_back(d);
      } else {
        errs << "seqc: error: --input-shape " << text << ": '" << item
             << "' is not a dimension (a size or ?)\n";
        return failure();
      }
    }
    options.inputShapes[assignment->first] = dims;
  }
  return options;
}

int seqc::compileReportingErrors(const CompileOptions &options,
                                 raw_ostream &outs, raw_ostream &errs) {
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();

  bool reported = false;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() != mlir::DiagnosticSeverity::Error || reported)
      return success();
    reported = true;
    // One line: what the model's names hold is escaped.
    std::string message = diag.str();
    std::replace(message.begin(), message.end(), '\n', ' ');
    std::string node = nodeName(diag.getLocation());
    errs << "seqc: error: ";
    if (!node.empty())
      errs << "node '" << node << "': ";
    else
      errs << options.inputPath << ": ";
    for (char c : message)
      if (isPrint(c) || (unsigned char)c >= 0x80)
        errs << c;
      else
        errs << '\\' << hexdigit((unsigned char)c >> 4) << hexdigit(c & 15);
    errs << "\n";
    return success();
  });
  if (succeeded(compile(context, options, outs)))
    return 0;
  if (!reported)
    errs << "seqc: error: " << options.inputPath << ": compilation failed\n";
  return 1;
}

std::vector<seqc::FlagInfo> seqc::getFlags() {
  std::vector<FlagInfo> flags;
  for (auto &[name, option] : cl::getRegisteredOptions()) {
    if (!llvm::is_contained(option->Categories, &category) ||
        option->getFormattingFlag() == cl::Positional ||
        option == &printIRAfterAllMlir || option == &timingMlir)
      continue;
    FlagInfo info;
    info.name = name.str();
    info.help = option->HelpStr.str();
    if (option == &emit) {
      info.valueKind = "enum";
      info.defaultValue = "lib";
    } else if (option == &optLevel) {
      info.valueKind = "uint";
      info.defaultValue = "3";
    } else if (option->getValueExpectedFlag() == cl::ValueDisallowed ||
               option == &printIRAfterAll || option == &printDebugInfo ||
               option == &timing) {
      info.valueKind = "bool";
      info.defaultValue = "false";
    } else {
      info.valueKind = "string";
    }
    flags.push_back(info);
  }
  llvm::sort(flags, [](const FlagInfo &a, const FlagInfo &b) {
    return a.name < b.name;
  });
  return flags;
}
