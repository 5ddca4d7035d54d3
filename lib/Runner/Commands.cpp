//===- Commands.cpp - `seqc run` and `seqc bench` -------------------------===//
//
// Their own flags are taken out of the command line; the rest are seqc's
// compile flags (--kernels, -O, --bind, --input-shape, ...), parsed by the
// one definition in CommandLine.cpp. The model is compiled into a temporary
// folder, removed at the end, and called through its shared library.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runner/Commands.h"
#include "seqc/Compiler/CommandLine.h"
#include "seqc/Runner/LoadedModel.h"
#include "seqc/Target/ModelInterface.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <variant>

using namespace llvm;
using seqc::HostTensor;
using Clock = std::chrono::steady_clock;

namespace {

/// The flags of `seqc run` / `seqc bench`, and the compile flags left over.
struct RunFlags {
  bool bench = false;
  std::vector<std::pair<std::string, std::string>> inputFiles; // name, .npy
  bool randomInputs = false;
  std::map<std::string, int64_t> dims;
  std::string outputDir = ".";
  int threads = 1;
  int repeat = 100;
  int warmup = 10;
  uint64_t seed = 0;
  std::vector<std::string> compileArgs;
};

constexpr const char kRunUsage[] =
    R"(USAGE: seqc run <model.onnx> [options] [compile flags]

Compiles the model, runs it once, prints each output's shape and first
values, and writes each output to DIR/<output name>.npy.

  --input NAME=FILE.npy  the value of input NAME (repeatable)
  --random-inputs        random values for the inputs not given (floats
                         uniform in [-1, 1], integers in [0, 4), bools)
  --dim NAME=SIZE        the size of the symbolic dimension NAME of random
                         inputs (repeatable; given inputs bind theirs)
  --output-dir DIR       where the outputs are written (default: .)
  --threads N            threads of the call (default: 1)
  --seed N               seed of the random inputs (default: 0)

Compile flags are seqc's (seqc --help): --kernels, -O, --bind, --input-shape,
--target, --mcpu, --mattr.
)";

constexpr const char kBenchUsage[] =
    R"(USAGE: seqc bench <model.onnx> [options] [compile flags]

Compiles the model and times calls of it: min, median and 90th percentile per
call after untimed warm-up calls, and the compile time.

  --input NAME=FILE.npy  the value of input NAME (repeatable)
  --dim NAME=SIZE        the size of the symbolic dimension NAME (repeatable)
  --threads N            threads of each call (default: 1)
  --repeat K             timed calls (default: 100)
  --warmup W             untimed calls first (default: 10)
  --seed N               seed of the random inputs (default: 0)

Inputs not given get random values (as seqc run --random-inputs). Compile
flags are seqc's (seqc --help).
)";

struct Failure {
  std::string message;
};

/// Takes the command's own flags out of `args`; the rest are compile flags.
std::variant<RunFlags, Failure, bool> parseFlags(ArrayRef<std::string> args) {
  RunFlags flags;
  flags.bench = args[1] == "bench";
  StringRef command = args[1];
  flags.compileArgs.push_back(args[0]);
  auto number = [&](StringRef flag, StringRef text, int64_t min,
                    int64_t &value) -> std::optional<Failure> {
    if (text.getAsInteger(10, value) || value < min)
      return Failure{"--" + flag.str() + " " + text.str() +
                     ": expected an integer >= " + std::to_string(min)};
    return std::nullopt;
  };
  for (size_t i = 2; i < args.size(); ++i) {
    StringRef arg = args[i];
    if (arg == "-h" || arg == "-help" || arg == "--help")
      return true;
    if (!arg.starts_with("-")) {
      flags.compileArgs.push_back(arg.str());
      continue;
    }
    StringRef name = arg.ltrim('-');
    auto [flag, inlineValue] = name.split('=');
    static const std::set<std::string> valued = {
        "input", "dim", "output-dir", "threads", "repeat", "warmup", "seed"};
    if (flag == "random-inputs") {
      flags.randomInputs = true;
      continue;
    }
    if (flag == "o" || flag == "emit" || flag == "name")
      return Failure{arg.str() + ": seqc " + command.str() +
                     " compiles into a temporary folder of its own"};
    if (!valued.count(flag.str()) ||
        (flags.bench && flag == "output-dir") ||
        (!flags.bench && (flag == "repeat" || flag == "warmup"))) {
      flags.compileArgs.push_back(arg.str());
      continue;
    }
    std::string value;
    if (name.contains('=')) {
      value = inlineValue.str();
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Failure{"--" + flag.str() + ": a value is missing"};
    }
    int64_t n;
    if (flag == "input" || flag == "dim") {
      auto [key, rest] = StringRef(value).split('=');
      if (key.empty() || rest.empty())
        return Failure{"--" + flag.str() + " " + value + ": expected " +
                       (flag == "input" ? "NAME=FILE.npy" : "NAME=SIZE")};
      if (flag == "input") {
        flags.inputFiles.emplace_back(key.str(), rest.str());
      } else {
        if (rest.getAsInteger(10, n) || n < 0)
          return Failure{"--dim " + value + ": the size is not an integer >= 0"};
        flags.dims[key.str()] = n;
      }
    } else if (flag == "output-dir") {
      flags.outputDir = value;
    } else {
      int64_t min = flag == "threads" || flag == "repeat" ? 1 : 0;
      if (auto failure = number(flag, value, min, n))
        return *failure;
      if (flag == "threads")
        flags.threads = n;
      else if (flag == "repeat")
        flags.repeat = n;
      else if (flag == "warmup")
        flags.warmup = n;
      else
        flags.seed = n;
    }
  }
  return flags;
}

/// float16 bits of a float of magnitude at most 1 (random inputs): normal
/// halves, tiny values flushed to zero.
uint16_t toHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  uint16_t sign = (bits >> 16) & 0x8000;
  int exponent = int((bits >> 23) & 0xff) - 127 + 15;
  if (exponent <= 0)
    return sign;
  return sign | uint16_t(exponent << 10) | uint16_t((bits >> 13) & 0x3ff);
}

float fromHalf(uint16_t half) {
  uint32_t sign = uint32_t(half & 0x8000) << 16;
  int exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  float value = std::ldexp(float(mantissa) / 1024 + (exponent ? 1 : 0),
                           (exponent ? exponent : 1) - 15);
  return sign ? -value : value;
}

void fillRandom(HostTensor &tensor, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> real(-1, 1);
  std::uniform_int_distribution<int> small(0, 3), bit(0, 1);
  int64_t count = tensor.numElements();
  tensor.bytes.assign(count * seqc::getElementSize(tensor.elemType), 0);
  char *data = tensor.bytes.data();
  for (int64_t i = 0; i < count; ++i) {
    auto put = [&](auto value) {
      std::memcpy(data + i * sizeof(value), &value, sizeof(value));
    };
    switch (tensor.elemType) {
    case 1: put(float(real(rng))); break;
    case 11: put(double(real(rng))); break;
    case 10: put(toHalf(float(real(rng)))); break;
    case 16: {
      float value = float(real(rng));
      uint32_t bits;
      std::memcpy(&bits, &value, 4);
      put(uint16_t(bits >> 16));
      break;
    }
    case 9: put(uint8_t(bit(rng))); break;
    case 2: put(uint8_t(small(rng))); break;
    case 3: put(int8_t(small(rng))); break;
    case 4: put(uint16_t(small(rng))); break;
    case 5: put(int16_t(small(rng))); break;
    case 6: put(int32_t(small(rng))); break;
    case 7: put(int64_t(small(rng))); break;
    case 12: put(uint32_t(small(rng))); break;
    case 13: put(uint64_t(small(rng))); break;
    }
  }
}

/// Element i of `tensor` as text.
std::string formatElement(const HostTensor &tensor, int64_t i) {
  const char *at = tensor.bytes.data() + i * seqc::getElementSize(tensor.elemType);
  auto get = [&](auto value) {
    std::memcpy(&value, at, sizeof(value));
    return value;
  };
  auto real = [](double v) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6g", v);
    return std::string(text);
  };
  switch (tensor.elemType) {
  case 1: return real(get(float()));
  case 11: return real(get(double()));
  case 10: return real(fromHalf(get(uint16_t())));
  case 16: {
    uint32_t bits = uint32_t(get(uint16_t())) << 16;
    float value;
    std::memcpy(&value, &bits, 4);
    return real(value);
  }
  case 9: return get(uint8_t()) ? "true" : "false";
  case 2: return std::to_string(get(uint8_t()));
  case 3: return std::to_string(get(int8_t()));
  case 4: return std::to_string(get(uint16_t()));
  case 5: return std::to_string(get(int16_t()));
  case 6: return std::to_string(get(int32_t()));
  case 7: return std::to_string(get(int64_t()));
  case 12: return std::to_string(get(uint32_t()));
  default: return std::to_string(get(uint64_t()));
  }
}

std::string formatShape(ArrayRef<int64_t> shape) {
  return "[" + join(map_range(shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") + "]";
}

/// The model's inputs, in order: read from the given files, or random at
/// shapes whose symbolic dimensions the files or --dim bind.
Expected<std::vector<HostTensor>> makeInputs(const seqc_model_info &info,
                                             const RunFlags &flags) {
  auto fail = [](const Twine &message) {
    return createStringError(inconvertibleErrorCode(), message);
  };
  ArrayRef<seqc_tensor_info> specs(info.inputs, info.num_inputs);
  std::map<std::string, const std::string *> files;
  for (const auto &entry : flags.inputFiles) {
    const std::string &name = entry.first, &file = entry.second;
    if (!any_of(specs, [&](const seqc_tensor_info &t) { return name == t.name; }))
      return fail("--input " + name + "=" + file +
                  ": the model has no input '" + name + "' (its inputs: " +
                  join(map_range(specs, [](const seqc_tensor_info &t) {
                         return "'" + std::string(t.name) + "'";
                       }),
                       ", ") +
                  ")");
    files[name] = &file;
  }
  std::set<std::string> dimNames;
  for (const seqc_tensor_info &t : specs)
    for (int d = 0; d < t.rank; ++d)
      if (*t.dim_names[d])
        dimNames.insert(t.dim_names[d]);
  for (const auto &[name, size] : flags.dims)
    if (!dimNames.count(name))
      return fail("--dim " + name + "=" + Twine(size) +
                  ": the model's inputs have no dimension '" + name + "'");

  std::vector<HostTensor> inputs(specs.size());
  std::map<std::string, int64_t> sizes = flags.dims;
  for (auto [t, tensor] : zip_equal(specs, inputs)) {
    auto file = files.find(t.name);
    if (file == files.end())
      continue;
    Expected<HostTensor> read = seqc::readNpy(*file->second);
    if (!read)
      return read.takeError();
    tensor = std::move(*read);
    if (tensor.elemType != t.elem_type)
      return fail("input '" + Twine(t.name) + "': " + *file->second +
                  " holds " + seqc::getElemTypeName(tensor.elemType) +
                  " values; the model takes " +
                  seqc::getElemTypeName(t.elem_type));
    if (int64_t(tensor.shape.size()) != t.rank)
      return fail("input '" + Twine(t.name) + "': " + *file->second +
                  " has shape " + formatShape(tensor.shape) +
                  "; the model takes rank " + Twine(t.rank));
    for (int d = 0; d < t.rank; ++d)
      if (*t.dim_names[d])
        sizes.emplace(t.dim_names[d], tensor.shape[d]);
  }
  for (auto [t, tensor] : zip_equal(specs, inputs)) {
    if (files.count(t.name))
      continue;
    if (!flags.randomInputs && !flags.bench)
      return fail("no value for input '" + Twine(t.name) + "': give --input " +
                  t.name + "=FILE.npy or --random-inputs");
    tensor.elemType = t.elem_type;
    for (int d = 0; d < t.rank; ++d) {
      if (t.dims[d] >= 0) {
        tensor.shape.push_back(t.dims[d]);
        continue;
      }
      std::string dimName = t.dim_names[d];
      auto size = sizes.find(dimName);
      if (dimName.empty())
        return fail("input '" + Twine(t.name) + "': dimension " + Twine(d) +
                    " has no size or name: give the input with --input");
      if (size == sizes.end())
        return fail("input '" + Twine(t.name) + "': dimension " + Twine(d) +
                    " ('" + dimName + "') is symbolic: give --dim " + dimName +
                    "=SIZE");
      tensor.shape.push_back(size->second);
    }
  }
  std::mt19937_64 rng(flags.seed);
  for (auto [t, tensor] : zip_equal(specs, inputs))
    if (!files.count(t.name))
      fillRandom(tensor, rng);
  return inputs;
}

/// Prints each output and writes it as DIR/<name>.npy (names made file
/// names: characters outside [A-Za-z0-9_.-] become '_', repeats numbered).
Error printAndWrite(const seqc_model_info &info,
                    const std::vector<HostTensor> &outputs,
                    StringRef outputDir, raw_ostream &outs) {
  if (std::error_code ec = sys::fs::create_directories(outputDir))
    return createStringError(ec, "cannot create the folder " + outputDir +
                                     ": " + ec.message());
  std::set<std::string> used;
  for (auto [t, tensor] :
       zip_equal(ArrayRef(info.outputs, info.num_outputs), outputs)) {
    std::string file;
    for (char c : StringRef(t.name))
      file += isAlnum(c) || c == '_' || c == '-' || c == '.' ? c : '_';
    if (file.empty() || file[0] == '.')
      file = "_" + file;
    for (int n = 2; !used.insert(file).second; ++n)
      file = file + "_" + std::to_string(n);
    SmallString<256> path(outputDir);
    sys::path::append(path, file + ".npy");
    if (Error error = seqc::writeNpy(path, tensor))
      return error;
    int64_t count = tensor.numElements();
    outs << t.name << ": " << seqc::getElemTypeName(tensor.elemType) << " "
         << formatShape(tensor.shape) << " ->" << " " << path << "\n  ";
    for (int64_t i = 0; i < std::min<int64_t>(count, 8); ++i)
      outs << (i ? " " : "") << formatElement(tensor, i);
    if (count > 8)
      outs << " ... (" << count << " values)";
    outs << "\n";
  }
  return Error::success();
}

/// Calls the prepared model: untimed ones, then timed ones (their seconds);
/// a progress line each second once it has run for one.
Expected<std::vector<double>> timeCalls(seqc::LoadedModel &model,
                                        const RunFlags &flags,
                                        raw_ostream &errs) {
  std::vector<double> seconds;
  Clock::time_point report = Clock::now() + std::chrono::seconds(1);
  for (int i = 0; i < flags.warmup + flags.repeat; ++i) {
    Clock::time_point before = Clock::now();
    if (Error error = model.run())
      return std::move(error);
    Clock::time_point after = Clock::now();
    if (i >= flags.warmup)
      seconds.push_back(std::chrono::duration<double>(after - before).count());
    if (after >= report) {
      errs << "seqc bench: " << i + 1 << " of " << flags.warmup + flags.repeat
           << " calls\n";
      report = after + std::chrono::seconds(1);
    }
  }
  return seconds;
}

void printTimes(std::vector<double> seconds, double compileSeconds,
                const RunFlags &flags, raw_ostream &outs) {
  llvm::sort(seconds);
  auto ms = [](double s) { return format("%.3f ms", s * 1e3); };
  double p90 = seconds[std::max<size_t>(1, (seconds.size() * 9 + 9) / 10) - 1];
  outs << "compile  " << format("%.2f s", compileSeconds) << "\n"
       << "threads  " << flags.threads << "\n"
       << "calls    " << seconds.size() << " timed after " << flags.warmup
       << " untimed\n"
       << "per call min " << ms(seconds.front()) << "  median "
       << ms(seconds[seconds.size() / 2]) << "  p90 " << ms(p90) << "\n";
}

} // namespace

/// Where the command's name is: the first argument that is not a flag
/// (flags before it are compile flags, as wrappers put them); 0 if none.
static size_t findCommand(ArrayRef<std::string> args) {
  for (size_t i = 1; i < args.size(); ++i)
    if (!StringRef(args[i]).starts_with("-"))
      return args[i] == "run" || args[i] == "bench" ? i : 0;
  return 0;
}

bool seqc::isRunCommand(ArrayRef<std::string> args) {
  return findCommand(args) != 0;
}

int seqc::runCommand(ArrayRef<std::string> commandLine, raw_ostream &outs,
                     raw_ostream &errs) {
  // argv[0], the command, then every other argument in order.
  size_t at = findCommand(commandLine);
  std::vector<std::string> args = {commandLine[0], commandLine[at]};
  for (size_t i = 1; i < commandLine.size(); ++i)
    if (i != at)
      args.push_back(commandLine[i]);
  std::string command = "seqc " + args[1];
  auto parsed = parseFlags(args);
  if (std::holds_alternative<bool>(parsed)) {
    outs << (args[1] == "bench" ? kBenchUsage : kRunUsage);
    return 0;
  }
  if (auto *failure = std::get_if<Failure>(&parsed)) {
    errs << command << ": error: " << failure->message << "\n";
    return 1;
  }
  RunFlags &flags = std::get<RunFlags>(parsed);
  auto report = [&](Error error) {
    errs << command << ": error: " << toString(std::move(error)) << "\n";
    return 1;
  };

  SmallString<128> dir;
  if (std::error_code ec = sys::fs::createUniqueDirectory("seqc-run", dir))
    return report(createStringError(ec, "cannot create a temporary folder: " +
                                            ec.message()));
  scope_exit removeDir([&] { sys::fs::remove_directories(dir); });
  SmallString<128> prefix(dir);
  sys::path::append(prefix, "model");
  flags.compileArgs.insert(flags.compileArgs.end(), {"-o", prefix.str().str()});
  FailureOr<CompileOptions> options = parseCommandLine(flags.compileArgs, errs);
  if (failed(options))
    return 1;
  options->symbolPrefix = "model";
  Clock::time_point compileStart = Clock::now();
  if (int status = compileReportingErrors(*options, outs, errs))
    return status;
  double compileSeconds =
      std::chrono::duration<double>(Clock::now() - compileStart).count();

  auto model = LoadedModel::load((dir + "/libmodel.so").str(), "model");
  if (!model)
    return report(model.takeError());
  auto inputs = makeInputs((*model)->info(), flags);
  if (!inputs)
    return report(inputs.takeError());
  if (Error error = (*model)->prepare(flags.threads, std::move(*inputs)))
    return report(std::move(error));
  if (!flags.bench) {
    if (Error error = (*model)->run())
      return report(std::move(error));
    if (Error error = printAndWrite((*model)->info(), (*model)->outputs(),
                                   flags.outputDir, outs))
      return report(std::move(error));
    return 0;
  }
  Expected<std::vector<double>> seconds = timeCalls(**model, flags, errs);
  if (!seconds)
    return report(seconds.takeError());
  printTimes(std::move(*seconds), compileSeconds, flags, outs);
  return 0;
}
