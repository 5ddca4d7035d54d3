//===- GraphFuzzer.cpp - libFuzzer target: structure-aware ONNX graphs ----===//
//
// Inputs are serialized ModelProtos, mutated as graphs rather than bytes:
// attribute values and types, tensor shapes and element types, op types,
// edges between nodes, whole nodes, initializers, opset versions and graph
// outputs. Byte-level mutations almost never survive protobuf parsing and the
// importer's checks; these produce well-formed models that are wrong in one
// place, so the fuzzer reaches shape inference, the verifiers and every
// lowering down to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "FuzzTarget.h"

#include "onnx-ml.pb.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

using Rng = std::minstd_rand;

template <typename T>
T pick(Rng &rng, const std::vector<T> &values) {
  return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
}

size_t below(Rng &rng, size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

/// Integers that break careless arithmetic: signs, zero, the extremes, and
/// values near typical ranks and sizes.
int64_t interestingInt(Rng &rng) {
  static const std::vector<int64_t> values = {
      0, 1, -1, 2, -2, 3, 7, 8, 64, 1000, -1000, 1 << 20, int64_t(1) << 31,
      std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  return pick(rng, values);
}

float interestingFloat(Rng &rng) {
  static const std::vector<float> values = {
      0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 1e30f, -1e30f, 1e-30f,
      std::numeric_limits<float>::infinity(),
      std::numeric_limits<float>::quiet_NaN()};
  return pick(rng, values);
}

const std::vector<std::string> &opTypes() {
  static const std::vector<std::string> ops = {
      "LSTM", "GRU", "RNN", "Add", "Sub", "Mul", "Div", "Mod", "Pow", "MatMul",
      "Gemm", "Concat", "Slice", "Reshape", "Transpose", "Squeeze", "Unsqueeze",
      "Gather", "GatherElements", "ScatterND", "Tanh", "Sigmoid", "Relu",
      "Softmax", "LogSoftmax", "ReduceSum", "ReduceMean", "ReduceMax", "Conv",
      "ConvTranspose", "Cast", "Shape", "Size", "ConstantOfShape", "Expand",
      "Where", "Split", "Pad", "Scan", "Loop", "If", "CumSum", "Range", "Tile",
      "Identity", "Constant", "SequenceConstruct", "SequenceAt", "SplitToSequence",
      "ConcatFromSequence", "Einsum", "TopK", "ArgMax", "LayerNormalization",
      "BatchNormalization", "Flatten", "Clip", "Sqrt", "Exp", "Log", "Equal",
      "Less", "Not", "And", "MaxPool", "AveragePool", "Resize", "OneHot",
      "NonZero", "Trilu", "DepthToSpace", "Attention", "NoSuchOp"};
  return ops;
}

const std::vector<std::string> &attributeNames() {
  static const std::vector<std::string> names = {
      "axis", "axes", "perm", "hidden_size", "direction", "activations",
      "clip", "layout", "linear_before_reset", "input_forget", "keepdims",
      "kernel_shape", "pads", "strides", "dilations", "group", "to",
      "transA", "transB", "alpha", "beta", "value", "starts", "ends",
      "num_scan_inputs", "scan_input_axes", "exclusive", "reverse", "mode",
      "equation", "k", "largest", "sorted", "allowzero", "split", "epsilon"};
  return names;
}

/// Every value name the graph knows, so that rewired edges mostly point at
/// something that exists (and sometimes at nothing).
std::vector<std::string> valueNames(const onnx::GraphProto &graph) {
  std::vector<std::string> names = {"", "no_such_value"};
  for (const auto &input : graph.input())
    names.push_back(input.name());
  for (const auto &init : graph.initializer())
    names.push_back(init.name());
  for (const auto &node : graph.node())
    for (const auto &output : node.output())
      names.push_back(output);
  return names;
}

void mutateAttribute(onnx::NodeProto &node, Rng &rng) {
  if (node.attribute_size() == 0 || below(rng, 4) == 0) {
    onnx::AttributeProto *attr = node.add_attribute();
    attr->set_name(pick(rng, attributeNames()));
    attr->set_type(onnx::AttributeProto::INT);
    attr->set_i(interestingInt(rng));
    return;
  }
  int index = static_cast<int>(below(rng, node.attribute_size()));
  onnx::AttributeProto &attr = *node.mutable_attribute(index);
  switch (below(rng, 8)) {
  case 0:
    attr.set_i(interestingInt(rng));
    break;
  case 1:
    attr.set_f(interestingFloat(rng));
    break;
  case 2:
    if (attr.ints_size() > 0)
      attr.set_ints(below(rng, attr.ints_size()), interestingInt(rng));
    else
      attr.add_ints(interestingInt(rng));
    break;
  case 3:
    attr.add_ints(interestingInt(rng));
    break;
  case 4:
    if (attr.floats_size() > 0)
      attr.set_floats(below(rng, attr.floats_size()), interestingFloat(rng));
    else
      attr.add_floats(interestingFloat(rng));
    break;
  case 5:
    attr.set_type(static_cast<onnx::AttributeProto::AttributeType>(
        below(rng, 15)));
    break;
  case 6:
    attr.set_s(pick(rng, std::vector<std::string>{
                             "", "forward", "reverse", "bidirectional",
                             "Tanh", "Relu", "constant", "\n*/", "ij,jk->ik"}));
    break;
  default:
    node.mutable_attribute()->DeleteSubrange(index, 1);
    break;
  }
}

void mutateType(onnx::TypeProto &type, Rng &rng) {
  onnx::TypeProto_Tensor *tensor = type.mutable_tensor_type();
  onnx::TensorShapeProto *shape = tensor->mutable_shape();
  switch (below(rng, 5)) {
  case 0:
    tensor->set_elem_type(static_cast<int32_t>(below(rng, 27)));
    return;
  case 1:
    shape->add_dim()->set_dim_value(interestingInt(rng));
    return;
  case 2:
    if (shape->dim_size() > 0)
      shape->mutable_dim()->RemoveLast();
    return;
  case 3:
    if (shape->dim_size() > 0)
      shape->mutable_dim(below(rng, shape->dim_size()))
          ->set_dim_value(interestingInt(rng));
    return;
  default:
    if (shape->dim_size() > 0)
      shape->mutable_dim(below(rng, shape->dim_size()))
          ->set_dim_param(pick(rng, std::vector<std::string>{"N", "T", "", "*/"}));
    return;
  }
}

void mutateInitializer(onnx::TensorProto &tensor, Rng &rng) {
  switch (below(rng, 5)) {
  case 0:
    tensor.set_data_type(static_cast<int32_t>(below(rng, 27)));
    return;
  case 1:
    if (tensor.dims_size() > 0)
      tensor.set_dims(below(rng, tensor.dims_size()), interestingInt(rng));
    return;
  case 2:
    tensor.add_dims(interestingInt(rng));
    return;
  case 3:
    if (!tensor.raw_data().empty())
      tensor.mutable_raw_data()->resize(below(rng, tensor.raw_data().size()));
    return;
  default:
    if (tensor.float_data_size() > 0)
      tensor.set_float_data(below(rng, tensor.float_data_size()),
                            interestingFloat(rng));
    else if (tensor.int64_data_size() > 0)
      tensor.set_int64_data(below(rng, tensor.int64_data_size()),
                            interestingInt(rng));
    return;
  }
}

/// One structural change to the model; returns false when the model has
/// nothing the chosen change applies to.
bool mutateModel(onnx::ModelProto &model, Rng &rng) {
  onnx::GraphProto &graph = *model.mutable_graph();
  int numNodes = graph.node_size();
  auto someNode = [&]() -> onnx::NodeProto & {
    return *graph.mutable_node(below(rng, numNodes));
  };
  switch (below(rng, 12)) {
  case 0:
  case 1:
    if (numNodes == 0)
      return false;
    mutateAttribute(someNode(), rng);
    return true;
  case 2: {
    std::vector<onnx::ValueInfoProto *> values;
    for (auto &v : *graph.mutable_input())
      values.push_back(&v);
    for (auto &v : *graph.mutable_output())
      values.push_back(&v);
    for (auto &v : *graph.mutable_value_info())
      values.push_back(&v);
    if (values.empty())
      return false;
    mutateType(*pick(rng, values)->mutable_type(), rng);
    return true;
  }
  case 3:
    if (numNodes == 0)
      return false;
    someNode().set_op_type(pick(rng, opTypes()));
    return true;
  case 4: {
    if (numNodes == 0)
      return false;
    onnx::NodeProto &node = someNode();
    std::string name = pick(rng, valueNames(graph));
    if (node.input_size() == 0 || below(rng, 4) == 0)
      node.add_input(name);
    else
      node.set_input(below(rng, node.input_size()), name);
    return true;
  }
  case 5: {
    if (numNodes == 0)
      return false;
    onnx::NodeProto &node = someNode();
    if (node.input_size() > 0)
      node.mutable_input()->RemoveLast();
    else if (node.output_size() > 0)
      node.set_output(0, pick(rng, valueNames(graph)));
    return true;
  }
  case 6:
    if (numNodes == 0)
      return false;
    graph.mutable_node()->DeleteSubrange(below(rng, numNodes), 1);
    return true;
  case 7:
    if (numNodes == 0)
      return false;
    *graph.add_node() = someNode();
    return true;
  case 8:
    if (numNodes < 2)
      return false;
    graph.mutable_node()->SwapElements(below(rng, numNodes),
                                       below(rng, numNodes));
    return true;
  case 9:
    if (graph.initializer_size() == 0)
      return false;
    mutateInitializer(
        *graph.mutable_initializer(below(rng, graph.initializer_size())), rng);
    return true;
  case 10:
    if (model.opset_import_size() == 0)
      return false;
    model.mutable_opset_import(below(rng, model.opset_import_size()))
        ->set_version(pick(rng, std::vector<int64_t>{-1, 0, 1, 7, 13, 14, 18,
                                                     21, 22, 23, 24, 1000}));
    return true;
  default: {
    std::vector<std::string> names = valueNames(graph);
    if (graph.output_size() > 0 && below(rng, 3) == 0)
      graph.mutable_output()->RemoveLast();
    else if (graph.output_size() > 0 && below(rng, 2) == 0)
      graph.mutable_output(below(rng, graph.output_size()))
          ->set_name(pick(rng, names));
    else
      graph.add_output()->set_name(pick(rng, names));
    return true;
  }
  }
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned int seed) {
  onnx::ModelProto model;
  Rng rng(seed);
  // Bytes that do not parse as a model get a byte-level mutation instead;
  // now and then a parsed one does too, to explore the protobuf encoding.
  if (size > INT32_MAX || !model.ParseFromArray(data, static_cast<int>(size)) ||
      !model.has_graph() || below(rng, 16) == 0)
    return LLVMFuzzerMutate(data, size, maxSize);
  int changes = 1 + static_cast<int>(below(rng, 3));
  for (int i = 0; i < changes; ++i)
    mutateModel(model, rng);
  std::string bytes;
  if (!model.SerializeToString(&bytes) || bytes.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::copy(bytes.begin(), bytes.end(), data);
  return bytes.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  seqc::fuzz::compileModel(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      seqc::fuzz::Depth::Compile);
  return 0;
}
