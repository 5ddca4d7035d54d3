//===- HostTensor.cpp - Host tensors and NumPy's .npy format --------------===//
//
// The format (numpy.lib.format): the magic "\x93NUMPY", a version, the
// length of a header, and the header: a Python dict literal with 'descr'
// (the dtype, e.g. '<f4'), 'fortran_order' and 'shape'; then the data.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runner/HostTensor.h"
#include "seqc/Target/ModelInterface.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;

namespace {

struct ElementType {
  int32_t onnx;
  const char *descr; // NumPy's, little-endian
  int64_t size;
};

// ONNX TensorProto.DataType codes. bfloat16 travels as its uint16 bits.
constexpr ElementType kElementTypes[] = {
    {1, "<f4", 4},  {2, "|u1", 1},
    {3, "|i1", 1},     {4, "<u2", 2},
    {5, "<i2", 2},    {6, "<i4", 4},
    {7, "<i8", 8},    {9, "|b1", 1},
    {10, "<f2", 2}, {11, "<f8", 8},
    {12, "<u4", 4},  {13, "<u8", 8},
    {16, "<u2", 2}};

const ElementType *findElementType(int32_t onnx) {
  for (const ElementType &type : kElementTypes)
    if (type.onnx == onnx)
      return &type;
  return nullptr;
}

Error fail(StringRef path, const Twine &message) {
  return createStringError(inconvertibleErrorCode(), path + ": " + message);
}

/// The text after `'key':` in a header dict, spaces skipped.
std::optional<StringRef> valueOf(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "':").str());
  if (at == StringRef::npos)
    return std::nullopt;
  return header.drop_front(at + key.size() + 3).ltrim();
}

} // namespace

int64_t seqc::HostTensor::numElements() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

int64_t seqc::getElementSize(int32_t elemType) {
  const ElementType *type = findElementType(elemType);
  return type ? type->size : 0;
}

Expected<seqc::HostTensor> seqc::readNpy(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(path);
  if (!file)
    return fail(path, "cannot read it: " + file.getError().message());
  StringRef data = (*file)->getBuffer();
  if (!data.consume_front("\x93NUMPY") || data.size() < 4)
    return fail(path, "not a .npy file");
  unsigned major = (unsigned char)data[0];
  data = data.drop_front(2);
  uint64_t headerSize;
  if (major == 1) {
    headerSize = (unsigned char)data[0] | (unsigned char)data[1] << 8;
    data = data.drop_front(2);
  } else if ((major == 2 || major == 3) && data.size() >= 4) {
    headerSize = 0;
    for (int i = 3; i >= 0; --i)
      headerSize = headerSize << 8 | (unsigned char)data[i];
    data = data.drop_front(4);
  } else {
    return fail(path, "unknown .npy version " + Twine(major));
  }
  if (headerSize > data.size())
    return fail(path, "truncated header");
  StringRef header = data.take_front(headerSize);
  data = data.drop_front(headerSize);

  std::optional<StringRef> descr = valueOf(header, "descr");
  std::optional<StringRef> order = valueOf(header, "fortran_order");
  std::optional<StringRef> shapeText = valueOf(header, "shape");
  if (!descr || !order || !shapeText || !descr->consume_front("'"))
    return fail(path, "a header without descr, fortran_order or shape");
  StringRef dtype = descr->take_until([](char c) { return c == '\''; });
  if (order->starts_with("True"))
    return fail(path, "Fortran-ordered arrays are not read (save a C-ordered "
                      "copy: numpy.ascontiguousarray)");
  HostTensor tensor;
  // '=' (native) is little-endian on every target seqc runs on.
  std::string little = dtype.str();
  if (!little.empty() && little[0] == '=')
    little[0] = '<';
  for (const ElementType &type : kElementTypes)
    if (little == type.descr && type.onnx != 16) {
      tensor.elemType = type.onnx;
      break;
    }
  if (!tensor.elemType)
    return fail(path, "dtype '" + dtype + "' is not one seqc run reads");
  if (!shapeText->consume_front("("))
    return fail(path, "a shape that is not a tuple");
  StringRef dims = shapeText->take_until([](char c) { return c == ')'; });
  SmallVector<StringRef> items;
  dims.split(items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    int64_t d;
    if (item.trim().getAsInteger(10, d) || d < 0)
      return fail(path, "a shape that is not a tuple of sizes");
    tensor.shape.push_back(d);
  }
  uint64_t size = getElementSize(tensor.elemType);
  for (int64_t d : tensor.shape)
    if (d && size > (uint64_t(1) << 62) / d)
      return fail(path, "a shape too large");
    else
      size *= d;
  if (data.size() != size)
    return fail(path, "holds " + Twine(data.size()) + " bytes of data, its "
                          "shape and dtype say " + Twine(size));
  tensor.bytes.assign(data.begin(), data.end());
  return tensor;
}

Error seqc::writeNpy(StringRef path, const HostTensor &tensor) {
  const ElementType *type = findElementType(tensor.elemType);
  if (!type)
    return fail(path, getElemTypeName(tensor.elemType) +
                          " values cannot be written as .npy");
  std::string header = "{'descr': '" + std::string(type->descr) +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.shape)
    header += std::to_string(d) + (tensor.shape.size() == 1 ? "," : ", ");
  header += "), }";
  // Magic, version and length take 10 bytes; the whole header ends in '\n'
  // at a multiple of 64 bytes.
  header.append(63 - (10 + header.size()) % 64, ' ');
  header += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return fail(path, "cannot write it: " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(tensor.bytes.data(), tensor.numElements() * type->size);
  os.close();
  if (os.has_error())
    return fail(path, "cannot write it: " + os.error().message());
  return Error::success();
}
