//===- HostTensor.h - A tensor in host memory, and .npy files -*- C++ -*-===//
//
// What `seqc run` and `seqc bench` pass to a compiled model and get back:
// dense row-major bytes with their ONNX element type and shape, read from
// and written to NumPy's .npy format.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_RUNNER_HOSTTENSOR_H
#define SEQC_RUNNER_HOSTTENSOR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace seqc {

struct HostTensor {
  int32_t elemType = 0; // ONNX TensorProto.DataType
  std::vector<int64_t> shape;
  std::vector<char> bytes; // dense, row-major

  int64_t numElements() const;
};

/// Bytes per element of an ONNX element type seqc run can hold (numbers and
/// bool), or 0.
int64_t getElementSize(int32_t elemType);

/// Reads a C-ordered .npy file of a numeric or bool dtype.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Writes `tensor` as a .npy file (version 1.0, little-endian); bfloat16,
/// which NumPy has no dtype for, as its uint16 bits.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

} // namespace seqc

#endif // SEQC_RUNNER_HOSTTENSOR_H
