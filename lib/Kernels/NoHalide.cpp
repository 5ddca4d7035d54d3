//===- NoHalide.cpp - the Halide backend's interface without Halide -------===//
//
// Built instead of HalideMatmul.cpp when CMake did not find Halide:
// `--kernels=halide` then fails with this message.
//
//===----------------------------------------------------------------------===//

#include "seqc/Kernels/HalideKernels.h"

namespace seqc {

static const char *const kMissing =
    "this seqc was built without Halide (pip install halide==21.0.0 into the "
    "build's venv and reconfigure)";

bool isHalideAvailable() { return false; }

std::string getHalideTarget(const std::string &,
                            const std::function<bool(const std::string &)> &,
                            std::string &error) {
  error = kMissing;
  return "";
}

bool generateHalideKernels(const std::vector<HalideMatmul> &,
                           const std::string &, std::string &,
                           std::string &error) {
  error = kMissing;
  return false;
}

} // namespace seqc
