//===- OnnxImporter.cpp - ONNX protobuf to the onnx dialect
//----------------===//
//
// The importer is generic: an ONNX node becomes the registered op
// "onnx.<op_type>" with its inputs as operands and its attributes converted
// one to one (OnnxOpInterface says how many inputs and outputs to lay out),
// then the op checks itself and infers its result types
// (InferTypeOpInterface). Only a few things are op-specific here: the opset
// adapter that moves attributes which later opsets turned into inputs, the
// subgraphs of If, Loop and Scan, and the reading of tensors.
//
//===----------------------------------------------------------------------===//

#include "seqc/Import/OnnxImporter.h"

#include "OnnxTextParser.h"
#include "dialects/onnx/OnnxOps.h"
#include "onnx-ml.pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

using namespace mlir;
namespace onnxpb = ::onnx;

/// The result types `op`'s shape rule (InferTypeOpInterface) infers; its
/// error at the op's location when the operands do not fit.
static LogicalResult inferResultTypes(Operation *op,
                                      SmallVectorImpl<Type> &types) {
  return cast<InferTypeOpInterface>(op).inferReturnTypes(
      op->getContext(), op->getLoc(), op->getOperands(),
      op->getRawDictionaryAttrs(), op->getPropertiesStorage(), op->getRegions(),
      types);
}

using seqc::onnx::kMaxRank;

static bool exceedsMaxRank(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.getRank() > kMaxRank;
}

namespace {

/// Collects text-format parse errors instead of letting protobuf log them.
class TextErrorCollector : public google::protobuf::io::ErrorCollector {
public:
  std::string message;
  void AddError(int line, int column, const std::string &text) override {
    if (message.empty())
      message = "line " + std::to_string(line + 1) + ":" +
                std::to_string(column + 1) + ": " + text;
  }
};

class Importer {
public:
  Importer(MLIRContext *context, StringRef baseDir,
           const seqc::ImportOptions &options)
      : context(context), builder(context), baseDir(baseDir.str()),
        options(options) {}

  FailureOr<OwningOpRef<ModuleOp>> importModel(const onnxpb::ModelProto &model,
                                               StringRef fileName);

private:
  FailureOr<Type> convertElementType(int32_t onnxType, Location loc);
  Value refineToDeclared(Value value, const onnxpb::ValueInfoProto &info);
  FailureOr<Type> convertValueType(const onnxpb::ValueInfoProto &,
                                   Location loc);
  FailureOr<Type> convertTypeProto(const onnxpb::TypeProto &type,
                                   const Twine &what, Location loc);
  FailureOr<DenseElementsAttr> convertTensor(const onnxpb::TensorProto &,
                                             Location loc);
  FailureOr<std::string> readTensorBytes(const onnxpb::TensorProto &,
                                         size_t numBytes, Location loc);
  FailureOr<Attribute> convertAttribute(const onnxpb::AttributeProto &,
                                        Location loc);
  LogicalResult importNode(const onnxpb::NodeProto &node);
  LogicalResult checkSingleAssignment(const onnxpb::GraphProto &graph);
  LogicalResult importNodes(const onnxpb::GraphProto &graph);
  FailureOr<SmallVector<Value>>
  importBranch(const onnxpb::GraphProto &graph, Location loc,
               ValueRange arguments = {});
  LogicalResult importScan(const onnxpb::NodeProto &node, Location loc);
  LogicalResult importBatchedScan(const onnxpb::NodeProto &node, Location loc);
  FailureOr<SmallVector<Value>> lookupInputs(const onnxpb::NodeProto &node,
                                             Location loc);
  LogicalResult importLoop(const onnxpb::NodeProto &node, Location loc);
  LogicalResult importIf(const onnxpb::NodeProto &node, Location loc);
  SmallVector<Value> foldAtImport(Operation *op);
  FailureOr<Value> bindInput(const onnxpb::ValueInfoProto &input,
                             RankedTensorType type, StringRef text,
                             Location loc);
  LogicalResult adaptToCurrentOpset(const onnxpb::NodeProto &node, Location loc,
                                    SmallVectorImpl<Value> &inputs,
                                    SmallVectorImpl<NamedAttribute> &attrs);
  Location nodeLocation(const onnxpb::NodeProto &node);
  Value makeInt64Constant(ArrayRef<int64_t> values, Location loc);

  MLIRContext *context;
  OpBuilder builder;
  std::string baseDir;
  const seqc::ImportOptions &options;
  std::string fileName;
  int64_t defaultOpset = 1;
  llvm::StringMap<Value> values;
  /// Whether every graph input has a static shape (given or bound).
  bool staticInputs = true;
  /// The opset-9 Scan importBatchedScan writes for an opset-8 one.
  const onnxpb::NodeProto *batchElementScan = nullptr;
};

} // namespace

Location Importer::nodeLocation(const onnxpb::NodeProto &node) {
  std::string raw = node.name();
  if (raw.empty())
    raw = node.output_size() ? node.output(0) : node.op_type();
  // Names are bytes: control characters would break the one-line errors
  // and the run-time check messages that quote them.
  std::string name;
  llvm::raw_string_ostream os(name);
  llvm::printEscapedString(raw, os);
  return NameLoc::get(StringAttr::get(context, name),
                      FileLineColLoc::get(context, fileName, 0, 0));
}

FailureOr<Type> Importer::convertElementType(int32_t onnxType, Location loc) {
  if (Type type = seqc::onnx::getElementType(context, onnxType))
    return type;
  return emitError(loc) << "unsupported tensor element type "
                        << onnxpb::TensorProto::DataType_Name(
                               static_cast<onnxpb::TensorProto::DataType>(
                                   onnxType));
}

/// A graph value's type: a tensor of known rank, a sequence or an optional.
FailureOr<Type> Importer::convertValueType(const onnxpb::ValueInfoProto &info,
                                           Location loc) {
  if (info.type().has_tensor_type() && !info.type().tensor_type().has_shape())
    return emitError(loc) << "graph value '" << info.name()
                          << "' must be a tensor with a known rank";
  return convertTypeProto(info.type(), "graph value '" + info.name() + "'",
                          loc);
}

/// An ONNX type. A tensor without a shape is unranked: only a sequence's
/// elements, or an Optional's attribute, may be (graph values are checked
/// by convertValueType).
FailureOr<Type> Importer::convertTypeProto(const onnxpb::TypeProto &type,
                                           const Twine &what, Location loc) {
  if (type.has_sequence_type()) {
    FailureOr<Type> element =
        convertTypeProto(type.sequence_type().elem_type(), what, loc);
    if (failed(element))
      return failure();
    if (!isa<TensorType>(*element))
      return emitError(loc) << what
                            << ": seqc supports sequences of tensors "
                               "only, not of "
                            << *element;
    return Type(seqc::onnx::SequenceType::get(cast<TensorType>(*element)));
  }
  if (type.has_optional_type()) {
    FailureOr<Type> value =
        convertTypeProto(type.optional_type().elem_type(), what, loc);
    if (failed(value))
      return failure();
    return Type(seqc::onnx::OptionalType::get(*value));
  }
  if (!type.has_tensor_type())
    return emitError(loc) << what
                          << ": seqc supports tensor, sequence and optional "
                             "types only";
  const auto &tensorType = type.tensor_type();
  FailureOr<Type> elt = convertElementType(tensorType.elem_type(), loc);
  if (failed(elt))
    return failure();
  if (!tensorType.has_shape())
    return Type(UnrankedTensorType::get(*elt));
  SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() < 0)
      return emitError(loc)
             << what << " has a negative dimension " << dim.dim_value();
    shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                        : ShapedType::kDynamic);
  }
  if (static_cast<int64_t>(shape.size()) > kMaxRank)
    return emitError(loc) << what << " has rank " << shape.size()
                          << "; seqc supports ranks up to " << kMaxRank;
  return Type(RankedTensorType::get(shape, *elt));
}

FailureOr<std::string>
Importer::readTensorBytes(const onnxpb::TensorProto &tensor, size_t numBytes,
                          Location loc) {
  if (tensor.data_location() != onnxpb::TensorProto::EXTERNAL)
    return tensor.raw_data();
  auto fail = [&]() {
    return emitError(loc) << "tensor '" << tensor.name() << "': ";
  };
  auto outside = [&](StringRef location) {
    return fail() << "external data location '" << location
                  << "' must be a relative path inside the model's folder";
  };
  auto unreadable = [&](StringRef location, std::error_code ec) {
    return fail() << "cannot read external data '" << location
                  << "': " << ec.message();
  };
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      int64_t &field = entry.key() == "offset" ? offset : length;
      if (StringRef(entry.value()).getAsInteger(10, field) || field < 0)
        return fail() << "external data " << entry.key() << " '"
                      << entry.value() << "' is not a valid size";
    }
  }
  bool climbs =
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         "..");
  if (location.empty() || llvm::sys::path::is_absolute(location) || climbs)
    return outside(location);
  if (length >= 0 && (uint64_t)length != numBytes)
    return fail() << "external data length " << length << " but the tensor "
                  << "needs " << numBytes << " bytes";
  // The file must lie inside the model's folder once links are resolved,
  // and be a regular file (a FIFO or a device would block or never end).
  SmallString<256> folder, path;
  std::error_code ec =
      llvm::sys::fs::real_path(baseDir.empty() ? "." : baseDir, folder);
  if (!ec) {
    SmallString<256> joined(folder);
    llvm::sys::path::append(joined, location);
    ec = llvm::sys::fs::real_path(joined, path);
  }
  if (ec)
    return unreadable(location, ec);
  StringRef inside(path);
  if (!inside.consume_front(folder) || inside.empty() ||
      !llvm::sys::path::is_separator(inside.front()))
    return outside(location);
  llvm::sys::fs::file_status status;
  if ((ec = llvm::sys::fs::status(path, status)))
    return unreadable(location, ec);
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return fail() << "external data '" << location << "' is not a regular file";
  if ((uint64_t)offset > status.getSize() ||
      numBytes > status.getSize() - offset)
    return fail() << "external data range lies outside '" << location << "'";
  auto file = llvm::MemoryBuffer::getFileSlice(path, numBytes, offset,
                                               /*IsVolatile=*/false);
  if (!file)
    return unreadable(location, file.getError());
  if (options.externalFiles)
    options.externalFiles->insert(path.str().str());
  return (*file)->getBuffer().str();
}

FailureOr<DenseElementsAttr>
Importer::convertTensor(const onnxpb::TensorProto &tensor, Location loc) {
  FailureOr<Type> elt = convertElementType(tensor.data_type(), loc);
  if (failed(elt))
    return failure();
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  if (static_cast<int64_t>(shape.size()) > kMaxRank)
    return emitError(loc) << "tensor '" << tensor.name() << "' has rank "
                          << shape.size() << "; seqc supports ranks up to "
                          << kMaxRank;
  // Tensors beyond 2^40 bytes are not model weights; refusing them also
  // keeps every size computation below from overflowing.
  constexpr int64_t kMaxTensorBytes = int64_t(1) << 40;
  int64_t numElements = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return emitError(loc)
             << "tensor '" << tensor.name() << "' has a negative dimension";
    if (d != 0 && numElements > kMaxTensorBytes / d)
      return emitError(loc) << "tensor '" << tensor.name() << "' is too large";
    numElements *= d;
  }
  if (isa<seqc::onnx::StringType>(*elt))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': string constants are not supported (strings "
                             "are model inputs only)";
  auto type = RankedTensorType::get(shape, *elt);
  unsigned bitWidth = elt->getIntOrFloatBitWidth();
  // A bool takes a byte; INT4/UINT4/FLOAT4E2M1 are packed two to a byte and
  // INT2/UINT2 four, low bits first.
  unsigned perByte = bitWidth == 1 || bitWidth >= 8 ? 1 : 8 / bitWidth;
  size_t byteWidth = bitWidth < 8 ? 1 : bitWidth / 8;
  size_t numBytes = perByte == 1 ? numElements * byteWidth
                                 : (numElements + perByte - 1) / perByte;

  FailureOr<std::string> raw = readTensorBytes(tensor, numBytes, loc);
  if (failed(raw))
    return failure();
  std::string bytes = *raw;
  if (bytes.empty() && numElements > 0) {
    // Typed fields: copy them into the raw little-endian layout.
    auto append = [&](const void *p, size_t n) {
      bytes.append(static_cast<const char *>(p), n);
    };
    switch (tensor.data_type()) {
    case onnxpb::TensorProto::FLOAT:
      for (float v : tensor.float_data())
        append(&v, 4);
      break;
    case onnxpb::TensorProto::DOUBLE:
      for (double v : tensor.double_data())
        append(&v, 8);
      break;
    case onnxpb::TensorProto::INT64:
      for (int64_t v : tensor.int64_data())
        append(&v, 8);
      break;
    case onnxpb::TensorProto::UINT64:
      for (uint64_t v : tensor.uint64_data())
        append(&v, 8);
      break;
    default: // int32_data holds every narrower type, and float16 bits.
      for (int32_t v : tensor.int32_data())
        append(&v, byteWidth);
      break;
    }
  }
  if (bytes.size() != numBytes)
    return emitError(loc) << "tensor '" << tensor.name() << "' holds "
                          << bytes.size() << " bytes; its type " << type
                          << " needs " << numBytes;
  if (perByte > 1) {
    // The attribute holds one element per byte.
    std::string unpacked(numElements, '\0');
    for (int64_t i = 0; i < numElements; ++i)
      unpacked[i] = (static_cast<uint8_t>(bytes[i / perByte]) >>
                     (i % perByte * bitWidth)) &
                    ((1u << bitWidth) - 1);
    bytes = std::move(unpacked);
  }
  if (bitWidth == 1) {
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(type, bits);
  }
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(bytes.data(), bytes.size()));
}

FailureOr<Attribute>
Importer::convertAttribute(const onnxpb::AttributeProto &attr, Location loc) {
  switch (attr.type()) {
  case onnxpb::AttributeProto::FLOAT:
    return Attribute(builder.getF32FloatAttr(attr.f()));
  case onnxpb::AttributeProto::INT:
    return Attribute(builder.getI64IntegerAttr(attr.i()));
  case onnxpb::AttributeProto::STRING:
    return Attribute(builder.getStringAttr(attr.s()));
  case onnxpb::AttributeProto::TENSOR: {
    FailureOr<DenseElementsAttr> t = convertTensor(attr.t(), loc);
    if (failed(t))
      return failure();
    return Attribute(*t);
  }
  case onnxpb::AttributeProto::FLOATS: {
    SmallVector<float> v(attr.floats().begin(), attr.floats().end());
    return Attribute(builder.getF32ArrayAttr(v));
  }
  case onnxpb::AttributeProto::INTS: {
    SmallVector<int64_t> v(attr.ints().begin(), attr.ints().end());
    return Attribute(builder.getI64ArrayAttr(v));
  }
  case onnxpb::AttributeProto::STRINGS: {
    SmallVector<StringRef> v(attr.strings().begin(), attr.strings().end());
    return Attribute(builder.getStrArrayAttr(v));
  }
  case onnxpb::AttributeProto::TYPE_PROTO: {
    FailureOr<Type> type =
        convertTypeProto(attr.tp(), "attribute '" + attr.name() + "'", loc);
    if (failed(type))
      return failure();
    return Attribute(TypeAttr::get(*type));
  }
  default:
    return emitError(loc) << "attribute '" << attr.name()
                          << "' has an unsupported type "
                          << onnxpb::AttributeProto::AttributeType_Name(
                                 attr.type());
  }
}

Value Importer::makeInt64Constant(ArrayRef<int64_t> v, Location loc) {
  auto type = RankedTensorType::get({(int64_t)v.size()}, builder.getI64Type());
  return seqc::onnx::ConstantOp::create(builder, loc, type,
                                        DenseIntElementsAttr::get(type, v),
                                        nullptr, nullptr, nullptr, nullptr);
}

/// Opsets moved some attributes into inputs (Squeeze/Unsqueeze axes in 13,
/// Slice bounds in 10). The dialect only has the newer form; older nodes are
/// rewritten into it here.
/// An attribute of an older opset read as the type its schema gives it.
/// These are read before any op verifier has seen them, so a wrong type is
/// an error naming the attribute (found by seqc-GraphFuzzer: a FLOAT `axes`
/// on ReduceMean-1).
static FailureOr<int64_t> readInt(Location loc, NamedAttribute attr) {
  if (auto value = dyn_cast<IntegerAttr>(attr.getValue()))
    return value.getInt();
  return emitError(loc) << "attribute '" << attr.getName().getValue()
                        << "' must be an integer";
}
static FailureOr<double> readFloat(Location loc, NamedAttribute attr) {
  if (auto value = dyn_cast<FloatAttr>(attr.getValue()))
    return value.getValueAsDouble();
  return emitError(loc) << "attribute '" << attr.getName().getValue()
                        << "' must be a float";
}
/// A list attribute whose elements are all `ElementAttr`, their values as T.
template <typename ElementAttr, typename T>
static FailureOr<SmallVector<T>> readList(Location loc, NamedAttribute attr,
                                          StringRef what,
                                          T (*get)(ElementAttr)) {
  SmallVector<T> values;
  auto list = dyn_cast<ArrayAttr>(attr.getValue());
  for (Attribute a : list ? list.getValue() : ArrayRef<Attribute>()) {
    auto value = dyn_cast<ElementAttr>(a);
    if (!value)
      break;
    values.push_back(get(value));
  }
  if (!list || values.size() != list.size())
    return emitError(loc) << "attribute '" << attr.getName().getValue()
                          << "' must be a list of " << what;
  return values;
}
static FailureOr<SmallVector<int64_t>> readInts(Location loc,
                                                NamedAttribute attr) {
  return readList<IntegerAttr, int64_t>(
      loc, attr, "integers", [](IntegerAttr a) { return a.getInt(); });
}
static FailureOr<SmallVector<float>> readFloats(Location loc,
                                                NamedAttribute attr) {
  return readList<FloatAttr, float>(loc, attr, "floats", [](FloatAttr a) {
    return static_cast<float>(a.getValueAsDouble());
  });
}

LogicalResult
Importer::adaptToCurrentOpset(const onnxpb::NodeProto &node, Location loc,
                              SmallVectorImpl<Value> &inputs,
                              SmallVectorImpl<NamedAttribute> &attrs) {
  struct Moved {
    StringRef op;
    int64_t sinceOpset;
    StringRef attr;
    unsigned inputIndex;
  };
  static const Moved kMoved[] = {
      {"Squeeze", 13, "axes", 1}, {"Unsqueeze", 13, "axes", 1},
      {"Slice", 10, "starts", 1}, {"Slice", 10, "ends", 2},
      {"Slice", 10, "axes", 3},     {"ReduceSum", 13, "axes", 1},
      {"ReduceMean", 18, "axes", 1}, {"ReduceMax", 18, "axes", 1},
      {"ReduceMin", 18, "axes", 1},  {"ReduceProd", 18, "axes", 1},
      {"ReduceL1", 18, "axes", 1},   {"ReduceL2", 18, "axes", 1},
      {"ReduceSumSquare", 18, "axes", 1}, {"ReduceLogSum", 18, "axes", 1},
      {"ReduceLogSumExp", 18, "axes", 1},
      {"Split", 13, "split", 1},    {"TopK", 10, "k", 1},
  };
  // Squeeze and Unsqueeze axes given as a scalar, as ONNX Runtime accepts
  // them (ONNX's own Loop test models have one): the 1-D axes of one axis.
  if ((node.op_type() == "Squeeze" || node.op_type() == "Unsqueeze") &&
      inputs.size() > 1 && inputs[1]) {
    auto type = dyn_cast<RankedTensorType>(inputs[1].getType());
    if (type && type.getRank() == 0)
      inputs[1] = seqc::onnx::ReshapeOp::create(builder, loc, inputs[1],
                                                makeInt64Constant({1}, loc));
  }
  // Before opset 13, Softmax and LogSoftmax normalise over every axis from
  // `axis` (default 1) on; that is opset 13's one-axis rule when `axis` is
  // the last one.
  if ((node.op_type() == "Softmax" || node.op_type() == "LogSoftmax") &&
      defaultOpset < 13 && !inputs.empty() && inputs[0]) {
    auto type = dyn_cast<RankedTensorType>(inputs[0].getType());
    auto it = llvm::find_if(
        attrs, [&](NamedAttribute a) { return a.getName() == "axis"; });
    int64_t axis = 1;
    if (it != attrs.end()) {
      FailureOr<int64_t> value = readInt(loc, *it);
      if (failed(value))
        return failure();
      axis = *value;
    }
    if (type) {
      int64_t rank = type.getRank();
      if (axis < 0)
        axis += rank;
      if (axis != rank - 1)
        return emitError(loc)
               << node.op_type() << " before opset 13 over the axes from "
               << axis << " of a rank-" << rank
               << " input (several axes at once) is not supported";
      if (it != attrs.end())
        attrs.erase(it);
      attrs.push_back(builder.getNamedAttr(
          "axis", builder.getIntegerAttr(builder.getIntegerType(64), axis)));
    }
  }
  // Before opset 11, Clip's bounds were float attributes.
  if (node.op_type() == "Clip" && defaultOpset < 11 && !inputs.empty() &&
      inputs[0]) {
    inputs.resize(3);
    for (auto it = attrs.begin(); it != attrs.end();) {
      unsigned index = it->getName() == "min" ? 1 : it->getName() == "max" ? 2 : 0;
      if (!index) {
        ++it;
        continue;
      }
      auto type = RankedTensorType::get({}, getElementTypeOrSelf(inputs[0]));
      if (!isa<FloatType>(type.getElementType()))
        return emitError(loc) << "Clip before opset 11 clips floats only";
      FailureOr<double> bound = readFloat(loc, *it);
      if (failed(bound))
        return failure();
      inputs[index] = seqc::onnx::ConstantOp::create(
          builder, loc, type,
          DenseElementsAttr::get(type,
                                 FloatAttr::get(type.getElementType(), *bound)),
          nullptr, nullptr, nullptr, nullptr);
      it = attrs.erase(it);
    }
  }
  // Dropout's ratio attribute (before opset 12) and is_test (opset 6) do not
  // matter at inference.
  if (node.op_type() == "Dropout" && defaultOpset < 12)
    llvm::erase_if(attrs, [](NamedAttribute a) {
      return a.getName() == "ratio" || a.getName() == "is_test";
    });
  // Upsample (opsets 7-9) and Resize-10 are Resize with asymmetric
  // coordinates and nearest rounding down; Upsample-7's scales were an
  // attribute, and "bilinear" meant linear.
  if ((node.op_type() == "Upsample" ||
       (node.op_type() == "Resize" && defaultOpset < 11)) &&
      !inputs.empty() && inputs[0]) {
    std::optional<SmallVector<float>> scaleList;
    for (auto it = attrs.begin(); it != attrs.end();) {
      if (it->getName() == "scales") {
        FailureOr<SmallVector<float>> values = readFloats(loc, *it);
        if (failed(values))
          return failure();
        scaleList = *values;
        it = attrs.erase(it);
        continue;
      }
      auto mode = dyn_cast<StringAttr>(it->getValue());
      if (it->getName() == "mode" && mode && mode.getValue() == "bilinear")
        it->setValue(builder.getStringAttr("linear"));
      ++it;
    }
    Value scales = inputs.size() > 1 ? inputs[1] : Value();
    if (scaleList) {
      auto type = RankedTensorType::get({(int64_t)scaleList->size()},
                                        builder.getF32Type());
      scales = seqc::onnx::ConstantOp::create(
          builder, loc, type,
          DenseElementsAttr::get(type, ArrayRef<float>(*scaleList)), nullptr,
          nullptr, nullptr, nullptr);
    }
    inputs.assign({inputs[0], Value(), scales});
    attrs.push_back(builder.getNamedAttr("coordinate_transformation_mode",
                                         builder.getStringAttr("asymmetric")));
    attrs.push_back(
        builder.getNamedAttr("nearest_mode", builder.getStringAttr("floor")));
  }
  // Before opset 20, DFT's axis was an attribute (default 1).
  if (node.op_type() == "DFT" && defaultOpset < 20) {
    int64_t axis = 1;
    for (auto it = attrs.begin(); it != attrs.end(); ++it)
      if (it->getName() == "axis") {
        FailureOr<int64_t> value = readInt(loc, *it);
        if (failed(value))
          return failure();
        axis = *value;
        attrs.erase(it);
        break;
      }
    inputs.resize(3);
    inputs[2] = makeInt64Constant({axis}, loc);
  }
  // Before opset 11, Pad's pads and value were attributes.
  if (node.op_type() == "Pad" && defaultOpset < 11 && !inputs.empty() &&
      inputs[0]) {
    SmallVector<int64_t> pads;
    std::optional<float> value;
    for (auto it = attrs.begin(); it != attrs.end();) {
      if (it->getName() == "pads") {
        FailureOr<SmallVector<int64_t>> values = readInts(loc, *it);
        if (failed(values))
          return failure();
        pads = *values;
      } else if (it->getName() == "value") {
        FailureOr<double> fill = readFloat(loc, *it);
        if (failed(fill))
          return failure();
        value = *fill;
      } else {
        ++it;
        continue;
      }
      it = attrs.erase(it);
    }
    inputs.resize(3);
    inputs[1] = makeInt64Constant(pads, loc);
    if (value) {
      auto type = RankedTensorType::get({}, getElementTypeOrSelf(inputs[0]));
      if (!isa<FloatType>(type.getElementType()))
        return emitError(loc) << "Pad before opset 11 pads floats only";
      inputs[2] = seqc::onnx::ConstantOp::create(
          builder, loc, type,
          DenseElementsAttr::get(type, FloatAttr::get(type.getElementType(),
                                                      *value)),
          nullptr, nullptr, nullptr, nullptr);
    }
  }
  for (const Moved &m : kMoved) {
    if (node.op_type() != m.op || defaultOpset >= m.sinceOpset)
      continue;
    auto it = llvm::find_if(
        attrs, [&](NamedAttribute a) { return a.getName() == m.attr; });
    if (it == attrs.end())
      continue;
    // TopK's k is one integer, the others lists.
    FailureOr<SmallVector<int64_t>> values =
        isa<IntegerAttr>(it->getValue())
            ? FailureOr<SmallVector<int64_t>>(
                  SmallVector<int64_t>{*readInt(loc, *it)})
            : readInts(loc, *it);
    if (failed(values))
      return failure();
    attrs.erase(it);
    if (inputs.size() <= m.inputIndex)
      inputs.resize(m.inputIndex + 1);
    inputs[m.inputIndex] = makeInt64Constant(*values, loc);
  }
  // Split without sizes: the number of parts was the node's number of
  // outputs until opset 18 named it num_outputs; the result types follow
  // from the attribute. (An uneven split, invalid before 18, then leaves
  // the last part smaller as 18 does.)
  bool hasSplit = inputs.size() > 1 && inputs[1];
  if (node.op_type() == "Split" && !hasSplit &&
      llvm::none_of(
          attrs, [](NamedAttribute a) { return a.getName() == "num_outputs"; }))
    attrs.push_back(builder.getNamedAttr(
        "num_outputs", builder.getIntegerAttr(builder.getIntegerType(64),
                                              node.output_size())));
  return success();
}

/// The values of a node's inputs, null where an optional input is absent
/// (an empty name).
FailureOr<SmallVector<Value>>
Importer::lookupInputs(const onnxpb::NodeProto &node, Location loc) {
  SmallVector<Value> inputs;
  for (const std::string &input : node.input()) {
    if (input.empty()) {
      inputs.push_back(Value());
      continue;
    }
    auto it = values.find(input);
    if (it == values.end())
      return emitError(loc) << "input '" << input
                            << "' is not produced by any earlier node, "
                               "initializer or graph input";
    inputs.push_back(it->second);
  }
  return inputs;
}

LogicalResult Importer::importNode(const onnxpb::NodeProto &node) {
  Location loc = nodeLocation(node);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << "unsupported operator domain '" << node.domain()
                          << "' (op " << node.op_type() << ")";
  if (node.op_type() == "If")
    return importIf(node, loc);
  if (node.op_type() == "Scan")
    return importScan(node, loc);
  if (node.op_type() == "Loop")
    return importLoop(node, loc);
  // Upsample is the older, narrower Resize (adaptToCurrentOpset).
  std::string opName =
      "onnx." + (node.op_type() == "Upsample" ? "Resize" : node.op_type());
  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup(opName, context);
  if (!name)
    return emitError(loc) << "unsupported operator '" << node.op_type() << "'";
  auto *iface = name->getInterface<seqc::onnx::OnnxOpInterface>();

  FailureOr<SmallVector<Value>> found = lookupInputs(node, loc);
  if (failed(found))
    return failure();
  SmallVector<Value> inputs = std::move(*found);
  SmallVector<NamedAttribute> attrs;
  for (const auto &attr : node.attribute()) {
    FailureOr<Attribute> value = convertAttribute(attr, loc);
    if (failed(value))
      return failure();
    attrs.push_back(builder.getNamedAttr(attr.name(), *value));
  }
  if (failed(adaptToCurrentOpset(node, loc, inputs, attrs)))
    return failure();
  ArrayRef<StringAttr> known = name->getAttributeNames();
  for (NamedAttribute attr : attrs)
    if (!llvm::is_contained(known, attr.getName()) ||
        attr.getName() == "operandSegmentSizes")
      return emitError(loc) << node.op_type() << " has no attribute '"
                            << attr.getName().getValue() << "'";
  // Absent trailing inputs are the same as unlisted ones.
  while (!inputs.empty() && !inputs.back())
    inputs.pop_back();

  // Lay the inputs out: ops with optional inputs take one operand group per
  // ONNX input (empty when absent); the others take exactly what is present.
  unsigned numDeclared = iface->getNumOnnxInputs();
  OperationState state(loc, *name);
  if (name->hasTrait<OpTrait::AttrSizedOperandSegments>()) {
    if (inputs.size() > numDeclared)
      return emitError(loc)
             << node.op_type() << " takes at most " << numDeclared
             << " inputs, found " << inputs.size();
    SmallVector<int32_t> segments(numDeclared, 0);
    for (auto [i, v] : llvm::enumerate(inputs))
      if (v) {
        segments[i] = 1;
        state.addOperands(v);
      }
    for (unsigned i = 0; i < iface->getNumRequiredOnnxInputs(); ++i)
      if (!segments[i])
        return emitError(loc) << node.op_type() << " input " << i
                              << " is required but missing";
    attrs.push_back(builder.getNamedAttr(
        "operandSegmentSizes", builder.getDenseI32ArrayAttr(segments)));
  } else {
    for (Value v : inputs) {
      if (!v)
        return emitError(loc) << node.op_type()
                              << " has no optional inputs; an input name "
                                 "is empty";
      state.addOperands(v);
    }
  }
  // Ops with a variadic output (Split) declare 0: they get the node's.
  unsigned numResults = iface->getNumOnnxOutputs();
  if (numResults == 0)
    numResults = node.output_size();
  if ((unsigned)node.output_size() > numResults)
    return emitError(loc) << node.op_type() << " has at most " << numResults
                          << " outputs, found " << node.output_size();
  // Result types are placeholders until the op, once verified, infers them.
  state.addTypes(SmallVector<Type>(
      numResults, UnrankedTensorType::get(builder.getF32Type())));
  Operation *op = builder.create(state);
  // Every attribute is inherent (checked above): it lives in the
  // properties, which keep only a value of the declared kind.
  for (NamedAttribute attr : attrs) {
    op->setInherentAttr(attr.getName(), attr.getValue());
    if (op->getInherentAttr(attr.getName()) != attr.getValue()) {
      op->erase();
      Attribute v = attr.getValue();
      StringRef found = isa<IntegerAttr>(v)  ? "INT"
                        : isa<FloatAttr>(v)  ? "FLOAT"
                        : isa<StringAttr>(v) ? "STRING"
                        : isa<ArrayAttr>(v)  ? "a list"
                                             : "TENSOR";
      return emitError(loc)
             << node.op_type() << " attribute '" << attr.getName().getValue()
             << "' has the wrong type (" << found << ")";
    }
  }
  // The op's own checks first, then its type rule; once the types are set,
  // the interface's check that they agree with the rule (region invariants).
  SmallVector<Type> resultTypes;
  if (failed(op->getName().verifyInvariants(op)) ||
      failed(inferResultTypes(op, resultTypes))) {
    op->erase();
    return failure();
  }
  if (resultTypes.size() != op->getNumResults()) {
    op->erase();
    return emitError(loc) << node.op_type() << " has " << resultTypes.size()
                          << " outputs, the node " << node.output_size();
  }
  for (auto [i, type] : llvm::enumerate(resultTypes))
    if (exceedsMaxRank(type)) {
      op->erase();
      return emitError(loc)
             << node.op_type() << " output " << i << " has rank "
             << cast<RankedTensorType>(type).getRank()
             << "; seqc supports ranks up to " << kMaxRank;
    }
  for (auto [result, type] : llvm::zip(op->getResults(), resultTypes))
    result.setType(type);
  if (failed(op->getName().verifyRegionInvariants(op))) {
    op->erase();
    return failure();
  }
  SmallVector<Value> outputs = foldAtImport(op);
  for (auto [i, output] : llvm::enumerate(node.output()))
    if (!output.empty())
      values[output] = outputs[i];
  return success();
}

/// Folds `op` right away when its operands are constants (shapes read from
/// static types, flags from bound inputs), so that the nodes after it, and
/// If conditions above all, see constants. Returns the values that stand
/// for `op`'s results from now on.
SmallVector<Value> Importer::foldAtImport(Operation *op) {
  SmallVector<Value> results(op->getResults());
  SmallVector<OpFoldResult> folded;
  if (isa<seqc::onnx::ConstantOp>(op) || failed(op->fold(folded)) ||
      folded.size() != op->getNumResults())
    return results;
  auto isUsable = [](auto pair) {
    auto [result, fold] = pair;
    if (isa<Value>(fold))
      return true;
    auto elements = dyn_cast<DenseElementsAttr>(cast<Attribute>(fold));
    return elements && elements.getType() == result.getType();
  };
  if (!llvm::all_of(llvm::zip(op->getResults(), folded), isUsable))
    return results;
  SmallVector<Value> replacements;
  for (OpFoldResult fold : folded) {
    if (auto value = dyn_cast<Value>(fold)) {
      replacements.push_back(value);
      continue;
    }
    auto elements = cast<DenseElementsAttr>(cast<Attribute>(fold));
    replacements.push_back(seqc::onnx::ConstantOp::create(
        builder, op->getLoc(), elements.getType(), elements, nullptr, nullptr,
        nullptr, nullptr));
  }
  op->erase();
  return replacements;
}

/// ONNX graphs are in single static assignment: every name has one
/// definition (a graph input, an initializer or a node output) in its
/// graph. An initializer may also be listed as an input, as the default of
/// an overridable value (IR < 4); it must then agree with the declaration.
LogicalResult Importer::checkSingleAssignment(const onnxpb::GraphProto &graph) {
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  auto at = [&](StringRef name) {
    return NameLoc::get(builder.getStringAttr(name), fileLoc);
  };
  llvm::StringMap<const onnxpb::ValueInfoProto *> inputs;
  for (const auto &input : graph.input())
    if (!inputs.try_emplace(input.name(), &input).second)
      return emitError(at(input.name()))
             << "graph input '" << input.name() << "' is listed twice";
  llvm::StringSet<> defined;
  for (const auto &init : graph.initializer()) {
    if (!defined.insert(init.name()).second)
      return emitError(at(init.name()))
             << "initializer '" << init.name() << "' is defined twice";
    auto it = inputs.find(init.name());
    if (it == inputs.end())
      continue;
    const onnxpb::TypeProto &declared = it->second->type();
    if (!declared.has_tensor_type())
      return emitError(at(init.name()))
             << "initializer '" << init.name()
             << "' is declared as an input that is not a tensor";
    const auto &tensorType = declared.tensor_type();
    const auto &shape = tensorType.shape();
    bool sameShape =
        !tensorType.has_shape() || shape.dim_size() == init.dims_size();
    for (int i = 0; sameShape && i < shape.dim_size(); ++i)
      sameShape = !shape.dim(i).has_dim_value() ||
                  shape.dim(i).dim_value() < 0 ||
                  shape.dim(i).dim_value() == init.dims(i);
    if (tensorType.elem_type() != init.data_type() || !sameShape)
      return emitError(at(init.name()))
             << "initializer '" << init.name()
             << "' contradicts the type its graph input declares";
  }
  for (const auto &input : graph.input())
    defined.insert(input.name());
  for (const auto &node : graph.node())
    for (const std::string &output : node.output())
      if (!output.empty() && !defined.insert(output).second)
        return emitError(nodeLocation(node))
               << "output '" << output
               << "' is already defined (by a graph input, an initializer or "
                  "another node): ONNX values have one definition";
  return success();
}

LogicalResult Importer::importNodes(const onnxpb::GraphProto &graph) {
  if (failed(checkSingleAssignment(graph)))
    return failure();
  for (const auto &init : graph.initializer()) {
    Location loc = NameLoc::get(builder.getStringAttr(init.name()),
                                FileLineColLoc::get(context, fileName, 0, 0));
    FailureOr<DenseElementsAttr> value = convertTensor(init, loc);
    if (failed(value))
      return failure();
    values[init.name()] =
        seqc::onnx::ConstantOp::create(builder, loc, value->getType(), *value,
                                       nullptr, nullptr, nullptr, nullptr);
  }
  for (const auto &node : graph.node())
    if (failed(importNode(node)))
      return failure();
  return success();
}

/// Imports a subgraph at the builder's insertion point and returns its
/// outputs. Its names are scoped: they shadow outer names inside it and
/// vanish after it, while outer values stay visible (captures).
FailureOr<SmallVector<Value>>
Importer::importBranch(const onnxpb::GraphProto &graph, Location loc,
                       ValueRange arguments) {
  if (graph.input_size() != (int)arguments.size())
    return emitError(loc) << "subgraph '" << graph.name() << "' declares "
                          << graph.input_size() << " inputs, expected "
                          << arguments.size();
  llvm::StringMap<Value> outerScope = values;
  llvm::scope_exit restore([&] { values = std::move(outerScope); });
  for (auto [input, argument] : llvm::zip(graph.input(), arguments))
    values[input.name()] = argument;
  if (failed(importNodes(graph)))
    return failure();
  SmallVector<Value> outputs;
  for (const auto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end())
      return emitError(loc) << "branch output '" << output.name()
                            << "' is never produced";
    outputs.push_back(refineToDeclared(it->second, output));
  }
  return outputs;
}

/// `value`, a subgraph output, at the sizes its declaration `info` gives
/// where inference left them dynamic (checked at run time; onnx.refine_shape).
/// Only when the graph's inputs are static: a size is then dynamic because
/// it comes from data (a Slice at a Loop's iteration number), and the
/// declaration is all there is to know it by; with dynamic inputs a
/// declared size is more likely the one the exporter traced with. A
/// declaration that contradicts inference is not trusted either.
Value Importer::refineToDeclared(Value value,
                                 const onnxpb::ValueInfoProto &info) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!staticInputs || !type || type.hasStaticShape() ||
      !info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
    return value;
  const auto &declared = info.type().tensor_type();
  if (declared.shape().dim_size() != type.getRank() ||
      seqc::onnx::getElementType(context, declared.elem_type()) !=
          type.getElementType())
    return value;
  SmallVector<int64_t> shape(type.getShape());
  for (auto [d, dim] : llvm::enumerate(declared.shape().dim())) {
    if (!dim.has_dim_value() || dim.dim_value() < 0)
      continue;
    if (!type.isDynamicDim(d) && type.getDimSize(d) != dim.dim_value())
      return value;
    shape[d] = dim.dim_value();
  }
  auto refined = RankedTensorType::get(shape, type.getElementType());
  if (refined == type)
    return value;
  return seqc::onnx::RefineShapeOp::create(builder, value.getLoc(), refined,
                                           value);
}

/// ONNX If. A condition known at compile time imports only the chosen
/// branch, inline; otherwise both branches become the regions of an onnx.If
/// whose result types join theirs.
LogicalResult Importer::importIf(const onnxpb::NodeProto &node, Location loc) {
  const onnxpb::GraphProto *thenGraph = nullptr, *elseGraph = nullptr;
  for (const auto &attr : node.attribute()) {
    if (attr.name() == "then_branch" && attr.has_g())
      thenGraph = &attr.g();
    else if (attr.name() == "else_branch" && attr.has_g())
      elseGraph = &attr.g();
    else
      return emitError(loc) << "If has no attribute '" << attr.name() << "'";
  }
  if (!thenGraph || !elseGraph || node.input_size() != 1)
    return emitError(loc)
           << "If needs one input and the then_branch and else_branch graphs";
  auto it = values.find(node.input(0));
  if (it == values.end())
    return emitError(loc) << "input '" << node.input(0)
                          << "' is not produced by any earlier node, "
                             "initializer or graph input";
  Value cond = it->second;
  auto condType = dyn_cast<RankedTensorType>(cond.getType());
  if (!condType || !condType.getElementType().isInteger(1) ||
      (condType.hasStaticShape() && condType.getNumElements() != 1))
    return emitError(loc) << "If's condition must be one bool, found "
                          << cond.getType();
  auto bindOutputs = [&](ValueRange outputs) -> LogicalResult {
    if ((int)outputs.size() < node.output_size())
      return emitError(loc) << "If has " << node.output_size()
                            << " outputs, its branches " << outputs.size();
    for (auto [i, name] : llvm::enumerate(node.output()))
      if (!name.empty())
        values[name] = outputs[i];
    return success();
  };

  Attribute known;
  if (matchPattern(cond, m_Constant(&known))) {
    bool taken = *cast<DenseElementsAttr>(known).getValues<bool>().begin();
    FailureOr<SmallVector<Value>> outputs =
        importBranch(taken ? *thenGraph : *elseGraph, loc);
    return failed(outputs) ? failure() : bindOutputs(*outputs);
  }

  // Both branches are compiled. One that cannot be typed for these input
  // shapes fails only when taken, as in ONNX: it becomes a run-time error.
  auto ifOp = seqc::onnx::IfOp::create(builder, loc, TypeRange{}, cond);
  OpBuilder::InsertionGuard guard(builder);
  SmallVector<SmallVector<Value>> branchOutputs(2);
  SmallVector<std::optional<std::pair<Location, std::string>>> errors(2);
  Region *regions[] = {&ifOp.getThenBranch(), &ifOp.getElseBranch()};
  const onnxpb::GraphProto *graphs[] = {thenGraph, elseGraph};
  for (int i = 0; i < 2; ++i) {
    builder.setInsertionPointToStart(&regions[i]->emplaceBlock());
    ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error && !errors[i])
        errors[i] = {diag.getLocation(), diag.str()};
      return success();
    });
    FailureOr<SmallVector<Value>> outputs = importBranch(*graphs[i], loc);
    if (succeeded(outputs)) {
      branchOutputs[i] = *outputs;
      continue;
    }
    if (!errors[i])
      errors[i] = {loc, "the branch cannot be compiled"};
    regions[i]->front().clear();
  }
  if (errors[0] && errors[1]) {
    ifOp->erase();
    return emitError(errors[0]->first) << errors[0]->second;
  }
  for (int i = 0; i < 2; ++i) {
    builder.setInsertionPointToEnd(&regions[i]->front());
    if (errors[i]) {
      auto failing = seqc::onnx::BranchErrorOp::create(
          builder, errors[i]->first, ValueRange(branchOutputs[1 - i]).getTypes(),
          errors[i]->second);
      branchOutputs[i] = SmallVector<Value>(failing.getResults());
    }
    seqc::onnx::YieldOp::create(builder, loc, branchOutputs[i]);
  }
  if (branchOutputs[0].size() != branchOutputs[1].size()) {
    ifOp->erase();
    return emitError(loc) << "If's branches have " << branchOutputs[0].size()
                          << " and " << branchOutputs[1].size() << " outputs";
  }
  // Branches that disagree in rank or element type could only be told
  // apart at run time: say what would make the condition a constant.
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(branchOutputs[0], branchOutputs[1]))) {
    Type a = std::get<0>(pair).getType(), b = std::get<1>(pair).getType();
    if (!seqc::onnx::joinValueTypes(a, b)) {
      ifOp->erase();
      return emitError(loc)
             << "If output " << i << " is " << a << " in then_branch and "
             << b << " in else_branch, and the condition is only known at "
             << "run time; bind the inputs it depends on (--bind) or give "
                "the inputs static shapes (--input-shape)";
    }
  }
  // The op was created without results; rebuild it with the types its rule
  // joins from the branches'.
  SmallVector<Type> types;
  if (failed(inferResultTypes(ifOp, types))) {
    ifOp->erase();
    return failure();
  }
  builder.setInsertionPoint(ifOp);
  auto typed = seqc::onnx::IfOp::create(builder, loc, types, cond);
  typed.getThenBranch().takeBody(ifOp.getThenBranch());
  typed.getElseBranch().takeBody(ifOp.getElseBranch());
  ifOp->erase();
  if (failed(verify(typed, /*verifyRecursively=*/false))) {
    typed->erase();
    return failure();
  }
  return bindOutputs(typed.getResults());
}

/// ONNX Scan (opset 9 on): the body becomes the region of an onnx.Scan,
/// its states typed as their initial values and its scan inputs as one
/// step of the outer ones.
LogicalResult Importer::importScan(const onnxpb::NodeProto &node,
                                   Location loc) {
  if (defaultOpset < 9 && &node != batchElementScan)
    return importBatchedScan(node, loc);
  const onnxpb::GraphProto *bodyGraph = nullptr;
  SmallVector<NamedAttribute> attrs;
  int64_t numScanInputs = -1;
  for (const auto &attr : node.attribute()) {
    if (attr.name() == "body" && attr.has_g()) {
      bodyGraph = &attr.g();
    } else if (attr.name() == "num_scan_inputs") {
      numScanInputs = attr.i();
    } else if (llvm::is_contained({"scan_input_axes", "scan_input_directions",
                                   "scan_output_axes",
                                   "scan_output_directions"},
                                  attr.name())) {
      attrs.push_back(builder.getNamedAttr(
          attr.name(), builder.getI64ArrayAttr(llvm::to_vector(attr.ints()))));
    } else {
      return emitError(loc) << "Scan has no attribute '" << attr.name() << "'";
    }
  }
  if (!bodyGraph || numScanInputs < 1 || numScanInputs > node.input_size())
    return emitError(loc) << "Scan needs a body and num_scan_inputs between "
                             "1 and its number of inputs";
  FailureOr<SmallVector<Value>> found = lookupInputs(node, loc);
  if (failed(found))
    return failure();
  SmallVector<Value> inputs = std::move(*found);
  if (llvm::any_of(inputs, [](Value v) { return !v; }))
    return emitError(loc) << "Scan's inputs must all be given";
  unsigned numStates = inputs.size() - numScanInputs;
  ValueRange inits = ValueRange(inputs).take_front(numStates),
             scanInputs = ValueRange(inputs).drop_front(numStates);
  auto listEntry = [&](StringRef name, unsigned i) -> int64_t {
    for (NamedAttribute a : attrs)
      if (a.getName() == name && i < cast<ArrayAttr>(a.getValue()).size())
        return cast<IntegerAttr>(cast<ArrayAttr>(a.getValue())[i]).getInt();
    return 0;
  };

  // The body's argument types: states as their inits, a step of each input.
  auto scan = seqc::onnx::ScanOp::create(builder, loc, TypeRange{}, inits,
                                         scanInputs, nullptr, nullptr, nullptr,
                                         nullptr);
  for (NamedAttribute a : attrs)
    scan->setAttr(a.getName(), a.getValue());
  Block *body = &scan.getBody().emplaceBlock();
  for (Value init : inits)
    body->addArgument(init.getType(), loc);
  for (auto [i, input] : llvm::enumerate(scanInputs)) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    int64_t axis = listEntry("scan_input_axes", i);
    if (!type || axis < -type.getRank() || axis >= type.getRank()) {
      scan->erase();
      return emitError(loc) << "Scan input " << i << " has no axis " << axis
                            << ": " << input.getType();
    }
    axis = axis < 0 ? axis + type.getRank() : axis;
    SmallVector<int64_t> step(type.getShape());
    step.erase(step.begin() + axis);
    body->addArgument(RankedTensorType::get(step, type.getElementType()), loc);
  }
  FailureOr<SmallVector<Value>> outputs;
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(body);
    outputs = importBranch(*bodyGraph, loc, body->getArguments());
    if (succeeded(outputs))
      seqc::onnx::YieldOp::create(builder, loc, *outputs);
  }
  if (failed(outputs) || outputs->size() < numStates) {
    scan->erase();
    return failed(outputs) ? failure()
                           : emitError(loc) << "Scan's body yields fewer "
                                               "values than it has states";
  }
  // Results: the states, then each step output stacked along its axis.
  OpBuilder::InsertionGuard guard(builder);
  SmallVector<Type> types;
  if (failed(inferResultTypes(scan, types))) {
    scan->erase();
    return failure();
  }
  builder.setInsertionPoint(scan);
  auto typed = seqc::onnx::ScanOp::create(
      builder, loc, types, inits, scanInputs, scan.getScanInputAxesAttr(),
      scan.getScanInputDirectionsAttr(), scan.getScanOutputAxesAttr(),
      scan.getScanOutputDirectionsAttr());
  typed.getBody().takeBody(scan.getBody());
  scan->erase();
  if (failed(verify(typed, /*verifyRecursively=*/false))) {
    typed->erase();
    return failure();
  }
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty() && i < typed.getNumResults())
      values[name] = typed.getResult(i);
  return success();
}

/// Scan before opset 9: states and scan inputs carry a batch dimension
/// first (time second), and the body sees one batch element. That is the
/// Loop over the batch the definition describes, each iteration an opset-9
/// Scan of one element: the node is rewritten into those nodes and imported.
LogicalResult Importer::importBatchedScan(const onnxpb::NodeProto &node,
                                          Location loc) {
  if (node.input_size() < 2 || !node.input(0).empty())
    return emitError(loc) << "Scan before opset 9 with sequence_lens is not "
                             "supported";
  // Found by seqc-ImportFuzzer: the names below come from the first output.
  if (node.output_size() == 0)
    return emitError(loc) << "Scan has no outputs";
  // Names of our own, unique per node (its first output's name is).
  std::string prefix = "seqc.batched_scan/" + node.output(0) + "/";
  // Every node written is named as the Scan, so that errors name it.
  std::string nodeName = node.name().empty() ? node.output(0) : node.name();
  auto addNode = [&](onnxpb::GraphProto *graph, StringRef op,
                     ArrayRef<std::string> inputs, std::string output) {
    onnxpb::NodeProto *n = graph->add_node();
    n->set_op_type(op.str());
    n->set_name(nodeName);
    for (const std::string &input : inputs)
      n->add_input(input);
    n->add_output(output);
    return n;
  };
  // The batch size: Shape(first input)[0].
  onnxpb::GraphProto outer;
  addNode(&outer, "Shape", {node.input(1)}, prefix + "shape");
  onnxpb::AttributeProto *zero =
      addNode(&outer, "Constant", {}, prefix + "zero")->add_attribute();
  zero->set_name("value");
  zero->set_type(onnxpb::AttributeProto::TENSOR);
  zero->mutable_t()->set_data_type(onnxpb::TensorProto::INT64);
  zero->mutable_t()->add_int64_data(0);
  addNode(&outer, "Gather", {prefix + "shape", prefix + "zero"},
          prefix + "batch");
  for (const onnxpb::NodeProto &n : outer.node())
    if (failed(importNode(n)))
      return failure();

  // Loop body: element b of every state and input, scanned.
  onnxpb::NodeProto loop;
  loop.set_op_type("Loop");
  loop.set_name(nodeName);
  loop.add_input(prefix + "batch");
  loop.add_input("");
  for (const std::string &output : node.output())
    loop.add_output(output);
  onnxpb::AttributeProto *bodyAttr = loop.add_attribute();
  bodyAttr->set_name("body");
  bodyAttr->set_type(onnxpb::AttributeProto::GRAPH);
  onnxpb::GraphProto *body = bodyAttr->mutable_g();
  body->set_name(prefix + "batch_element");
  body->add_input()->set_name(prefix + "b");
  body->add_input()->set_name(prefix + "cond");
  body->add_output()->set_name(prefix + "cond_out");
  addNode(body, "Identity", {prefix + "cond"}, prefix + "cond_out");
  std::vector<std::string> elements;
  for (int i = 1; i < node.input_size(); ++i) {
    elements.push_back(prefix + "element" + std::to_string(i));
    addNode(body, "Gather", {node.input(i), prefix + "b"}, elements.back());
  }
  onnxpb::NodeProto *scan = body->add_node();
  scan->set_op_type("Scan");
  scan->set_name(nodeName);
  for (const std::string &element : elements)
    scan->add_input(element);
  for (int k = 0; k < node.output_size(); ++k) {
    std::string name = prefix + "out" + std::to_string(k);
    scan->add_output(name);
    body->add_output()->set_name(name);
  }
  for (const onnxpb::AttributeProto &attr : node.attribute()) {
    if (attr.name() != "body" && attr.name() != "num_scan_inputs" &&
        attr.name() != "directions")
      return emitError(loc) << "Scan has no attribute '" << attr.name() << "'";
    onnxpb::AttributeProto *copy = scan->add_attribute();
    *copy = attr;
    if (attr.name() == "directions")
      copy->set_name("scan_input_directions");
  }
  batchElementScan = scan;
  llvm::scope_exit reset([&] { batchElementScan = nullptr; });
  return importLoop(loop, loc);
}

/// ONNX Loop: the body becomes the region of an onnx.Loop, its iteration
/// number and condition as scalars, its loop-carried values typed as their
/// initial values.
LogicalResult Importer::importLoop(const onnxpb::NodeProto &node,
                                   Location loc) {
  const onnxpb::GraphProto *bodyGraph = nullptr;
  for (const auto &attr : node.attribute()) {
    if (attr.name() != "body" || !attr.has_g())
      return emitError(loc) << "Loop has no attribute '" << attr.name() << "'";
    bodyGraph = &attr.g();
  }
  if (!bodyGraph || node.input_size() < 2)
    return emitError(loc) << "Loop needs a body, M and cond";
  FailureOr<SmallVector<Value>> found = lookupInputs(node, loc);
  if (failed(found))
    return failure();
  SmallVector<Value> inputs = std::move(*found);
  Value maxTrips = inputs[0], cond = inputs[1];
  SmallVector<Value> inits(llvm::drop_begin(inputs, 2));
  if (llvm::any_of(inits, [](Value v) { return !v; }))
    return emitError(loc) << "Loop's loop-carried inputs must all be given";

  OpBuilder::InsertionGuard guard(builder);
  // A loop-carried sequence may take in elements of other sizes or ranks
  // than its initial value holds: the body is imported again with such
  // arguments joined with what it yields, until they agree (each round
  // makes a type less static, so there are few).
  SmallVector<Type> carried(ValueRange(inits).getTypes());
  seqc::onnx::LoopOp loop;
  for (bool settled = false; !settled;) {
    if (loop)
      loop->erase();
    loop = seqc::onnx::LoopOp::create(builder, loc, TypeRange{}, maxTrips, cond,
                                      inits);
    Block *body = &loop.getBody().emplaceBlock();
    body->addArgument(RankedTensorType::get({}, builder.getI64Type()), loc);
    body->addArgument(RankedTensorType::get({}, builder.getI1Type()), loc);
    for (Type type : carried)
      body->addArgument(type, loc);
    FailureOr<SmallVector<Value>> outputs;
    {
      OpBuilder::InsertionGuard inner(builder);
      builder.setInsertionPointToStart(body);
      outputs = importBranch(*bodyGraph, loc, body->getArguments());
      if (succeeded(outputs))
        seqc::onnx::YieldOp::create(builder, loc, *outputs);
    }
    if (failed(outputs) || outputs->size() < inits.size() + 1) {
      loop->erase();
      return failed(outputs) ? failure()
                             : emitError(loc) << "Loop's body yields fewer "
                                                 "values than it carries";
    }
    settled = true;
    for (auto [i, type] : llvm::enumerate(carried)) {
      if (isa<TensorType>(type))
        continue;
      Type next = (*outputs)[i + 1].getType();
      Type joined = seqc::onnx::joinValueTypes(type, next);
      if (!joined) {
        loop->erase();
        return emitError(loc)
               << "Loop-carried value " << i << " is " << type
               << " before an iteration and " << next << " after it";
      }
      settled &= joined == type;
      type = joined;
    }
  }
  // Results: the loop-carried values, then the scan outputs stacked along a
  // new first dimension (as many as the iterations: dynamic).
  SmallVector<Type> types;
  if (failed(inferResultTypes(loop, types))) {
    loop->erase();
    return failure();
  }
  builder.setInsertionPoint(loop);
  auto typed = seqc::onnx::LoopOp::create(builder, loc, types, maxTrips, cond,
                                          inits);
  typed.getBody().takeBody(loop.getBody());
  loop->erase();
  for (auto [i, name] : llvm::enumerate(node.output()))
    if (!name.empty() && i < typed.getNumResults())
      values[name] = typed.getResult(i);
  return success();
}

/// The constant a bound input becomes: `text` is its comma-separated
/// values, as many as its shape holds (a 1-D input of dynamic size takes as
/// many as are given).
FailureOr<Value> Importer::bindInput(const onnxpb::ValueInfoProto &input,
                                     RankedTensorType type, StringRef text,
                                     Location loc) {
  SmallVector<StringRef> items;
  text.split(items, ',');
  if (type.getRank() == 1 && type.isDynamicDim(0))
    type = RankedTensorType::get({(int64_t)items.size()},
                                 type.getElementType());
  if (!type.hasStaticShape() || type.getNumElements() != (int64_t)items.size())
    return emitError(loc) << "--bind gives " << input.name() << " "
                          << items.size() << " values; its type " << type
                          << " needs a static shape with as many elements";
  Type elt = type.getElementType();
  SmallVector<Attribute> elements;
  for (StringRef item : items) {
    item = item.trim();
    double f;
    int64_t i;
    if (isa<FloatType>(elt) && !item.getAsDouble(f)) {
      elements.push_back(FloatAttr::get(elt, f));
    } else if (elt.isInteger(1) && (item == "true" || item == "false")) {
      elements.push_back(builder.getBoolAttr(item == "true"));
    } else if (elt.isInteger() && !item.getAsInteger(10, i)) {
      elements.push_back(IntegerAttr::get(elt, i));
    } else {
      return emitError(loc) << "--bind: '" << item << "' is not a value of "
                            << input.name() << "'s element type " << elt;
    }
  }
  auto value = DenseElementsAttr::get(type, elements);
  return Value(seqc::onnx::ConstantOp::create(builder, loc, type, value,
                                              nullptr, nullptr, nullptr,
                                              nullptr));
}

FailureOr<OwningOpRef<ModuleOp>>
Importer::importModel(const onnxpb::ModelProto &model, StringRef file) {
  fileName = file.str();
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  // IR version 3 brought opset imports; 0 is a model that never set it.
  if (model.ir_version() < 3)
    return emitError(fileLoc) << "ir_version " << model.ir_version()
                              << " is not a valid ONNX IR version (3 or later)";
  bool hasDefaultDomain = false;
  for (const auto &opset : model.opset_import()) {
    if (opset.version() < 1)
      return emitError(fileLoc)
             << "opset version " << opset.version() << " of domain '"
             << opset.domain() << "' is not valid";
    if (opset.domain().empty() || opset.domain() == "ai.onnx") {
      defaultOpset = opset.version();
      hasDefaultDomain = true;
    }
  }
  if (!hasDefaultDomain)
    return emitError(fileLoc) << "the model imports no opset of the default "
                                 "ONNX domain";
  const onnxpb::GraphProto &graph = model.graph();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  std::string modelName = graph.name().empty() ? "model" : graph.name();
  (*module)->setAttr(seqc::attrs::kModelName, builder.getStringAttr(modelName));
  builder.setInsertionPointToEnd(module->getBody());

  // Initializers are constants, also when a graph input of the same name
  // would let the caller override them (IR < 4): seqc bakes weights in.
  llvm::StringMap<const onnxpb::TensorProto *> initializers;
  for (const auto &init : graph.initializer())
    initializers[init.name()] = &init;

  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<std::string> argNames;
  // A sequence's or an optional's attributes describe its tensors.
  auto innerTensorType = [](const onnxpb::TypeProto *type) {
    while (!type->has_tensor_type() &&
           (type->has_sequence_type() || type->has_optional_type()))
      type = type->has_sequence_type() ? &type->sequence_type().elem_type()
                                       : &type->optional_type().elem_type();
    return type->tensor_type();
  };
  auto interfaceAttrs = [&](const onnxpb::ValueInfoProto &info) {
    const onnxpb::TypeProto::Tensor &tensorType = innerTensorType(&info.type());
    SmallVector<Attribute> dimNames;
    for (const auto &dim : tensorType.shape().dim())
      dimNames.push_back(builder.getStringAttr(dim.dim_param()));
    return builder.getDictionaryAttr(
        {builder.getNamedAttr(seqc::attrs::kName,
                              builder.getStringAttr(info.name())),
         builder.getNamedAttr(
             seqc::attrs::kElemType,
             builder.getI32IntegerAttr(tensorType.elem_type())),
         builder.getNamedAttr(seqc::attrs::kDimNames,
                              builder.getArrayAttr(dimNames))});
  };
  auto checkNamesInputs = [&](StringRef option, StringRef name) {
    bool found = llvm::any_of(graph.input(), [&](const auto &input) {
      return input.name() == name && !initializers.count(name);
    });
    if (!found)
      emitError(fileLoc) << option << " names '" << name
                         << "', which is not an input of the graph";
    return found;
  };
  for (const auto &entry : options.bindings)
    if (!checkNamesInputs("--bind", entry.first))
      return failure();
  for (const auto &entry : options.inputShapes)
    if (!checkNamesInputs("--input-shape", entry.first))
      return failure();
  SmallVector<std::pair<const onnxpb::ValueInfoProto *, RankedTensorType>>
      boundInputs;
  for (const auto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    Location loc = NameLoc::get(builder.getStringAttr(input.name()), fileLoc);
    FailureOr<Type> converted = convertValueType(input, loc);
    if (failed(converted))
      return failure();
    FailureOr<RankedTensorType> type = dyn_cast<RankedTensorType>(*converted);
    if (!*type) {
      // A sequence or an optional: onnx-expand-sequences gives it its
      // tensors.
      if (options.bindings.count(input.name()) ||
          options.inputShapes.count(input.name()))
        return emitError(loc) << "--bind and --input-shape apply to tensor "
                                 "inputs; "
                              << input.name() << " is " << *converted;
      staticInputs = false;
      argTypes.push_back(*converted);
      argAttrs.push_back(interfaceAttrs(input));
      argNames.push_back(input.name());
      continue;
    }
    if (auto it = options.inputShapes.find(input.name());
        it != options.inputShapes.end()) {
      ArrayRef<int64_t> given = it->second;
      if ((int64_t)given.size() != type->getRank())
        return emitError(loc) << "--input-shape gives " << input.name() << " "
                              << given.size() << " dimensions; it has "
                              << type->getRank();
      SmallVector<int64_t> shape(type->getShape());
      for (auto [i, d] : llvm::enumerate(given)) {
        if (d == ShapedType::kDynamic)
          continue;
        if (d < 0 || (!type->isDynamicDim(i) && type->getDimSize(i) != d))
          return emitError(loc)
                 << "--input-shape gives " << input.name() << " dimension "
                 << i << " the size " << d << "; the model says "
                 << type->getDimSize(i);
        shape[i] = d;
      }
      *type = RankedTensorType::get(shape, type->getElementType());
    }
    if (options.bindings.count(input.name())) {
      boundInputs.push_back({&input, *type});
      continue;
    }
    staticInputs &= type->hasStaticShape();
    argTypes.push_back(*type);
    argAttrs.push_back(interfaceAttrs(input));
    argNames.push_back(input.name());
  }
  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = entry->getArgument(i);
    func.setArgAttrs(i, argAttrs[i]);
  }
  builder.setInsertionPointToStart(entry);
  for (auto [input, type] : boundInputs) {
    Location loc = NameLoc::get(builder.getStringAttr(input->name()), fileLoc);
    FailureOr<Value> value =
        bindInput(*input, type, options.bindings.at(input->name()), loc);
    if (failed(value))
      return failure();
    values[input->name()] = *value;
  }
  if (failed(importNodes(graph)))
    return failure();

  SmallVector<Value> results;
  SmallVector<DictionaryAttr> resultAttrs;
  llvm::StringSet<> outputNames;
  for (const auto &output : graph.output()) {
    if (!outputNames.insert(output.name()).second)
      return emitError(
                 NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
             << "graph output '" << output.name()
             << "' is listed twice: outputs are named by their values";
    auto it = values.find(output.name());
    if (it == values.end())
      return emitError(
                 NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
             << "graph output '" << output.name() << "' is never produced";
    // The compiled code holds a string as a pointer into the caller's
    // input: it has none of its own to return.
    Type type = it->second.getType();
    while (!isa<TensorType>(type))
      type = isa<seqc::onnx::OptionalType>(type)
                 ? cast<seqc::onnx::OptionalType>(type).getValueType()
                 : cast<seqc::onnx::SequenceType>(type).getElementType();
    // A declared element type that contradicts the computed one is an
    // error, as in ONNX Runtime; declared sizes give way to computed ones.
    Type computed = cast<TensorType>(type).getElementType();
    if (int32_t declared = innerTensorType(&output.type()).elem_type()) {
      Type declaredType = seqc::onnx::getElementType(context, declared);
      if (declaredType && declaredType != computed)
        return emitError(
                   NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
               << "graph output '" << output.name() << "' is declared "
               << declaredType << " but computes " << computed;
    }
    if (isa<seqc::onnx::StringType>(computed))
      return emitError(
                 NameLoc::get(builder.getStringAttr(output.name()), fileLoc))
             << "graph output '" << output.name()
             << "' holds strings: string outputs are not supported";
    results.push_back(it->second);
    resultAttrs.push_back(interfaceAttrs(output));
  }
  if (results.empty())
    return emitError(fileLoc) << "the graph has no outputs";
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, attrs] : llvm::enumerate(resultAttrs))
    func.setResultAttrs(i, attrs);
  return module;
}

static FailureOr<OwningOpRef<ModuleOp>>
importParsed(MLIRContext *context, const onnxpb::ModelProto &model,
             StringRef fileName, StringRef baseDir,
             const seqc::ImportOptions &options) {
  context->loadDialect<seqc::onnx::OnnxDialect, func::FuncDialect>();
  Importer importer(context, baseDir, options);
  return importer.importModel(model, fileName);
}

FailureOr<OwningOpRef<ModuleOp>>
seqc::importOnnxBytes(MLIRContext *context, StringRef bytes, StringRef baseDir,
                      const ImportOptions &options) {
  onnxpb::ModelProto model;
  if (bytes.size() > INT_MAX ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return emitError(UnknownLoc::get(context))
           << "the input is not a valid ONNX model (protobuf parsing failed)";
  return importParsed(context, model, "<memory>", baseDir, options);
}

FailureOr<OwningOpRef<ModuleOp>>
seqc::importOnnxFile(MLIRContext *context, StringRef path,
                     const ImportOptions &options) {
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return emitError(fileLoc)
           << "cannot read the model: " << file.getError().message();
  SmallString<256> baseDir(path);
  llvm::sys::path::remove_filename(baseDir);
  return importOnnxBuffer(context, (*file)->getBuffer(), path, baseDir,
                          options);
}

FailureOr<OwningOpRef<ModuleOp>>
seqc::importOnnxBuffer(MLIRContext *context, StringRef bytes, StringRef path,
                       StringRef baseDir, const ImportOptions &options) {
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  onnxpb::ModelProto model;
  if (path.ends_with(".onnxtxt") && seqc::isOnnxTextSyntax(bytes)) {
    std::string error;
    if (!seqc::parseOnnxText(bytes, model, error))
      return emitError(fileLoc) << "not a valid ONNX text model: " << error;
  } else if (path.ends_with(".onnxtxt") || path.ends_with(".textproto") ||
             path.ends_with(".pbtxt")) {
    google::protobuf::TextFormat::Parser parser;
    TextErrorCollector errors;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(bytes.str(), &model))
      return emitError(fileLoc)
             << "not a valid ONNX text-format model: " << errors.message;
  } else if (bytes.size() > INT_MAX ||
             !model.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
    return emitError(fileLoc)
           << "not a valid ONNX model (protobuf parsing failed)";
  }
  return importParsed(context, model, path, baseDir, options);
}
