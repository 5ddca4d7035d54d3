//===- ModelInterface.cpp - The model's C-facing description -------------===//

#include "seqc/Target/ModelInterface.h"
#include "seqc/Import/OnnxImporter.h"

#include "dialects/onnx/OnnxOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

std::string seqc::sanitizeIdentifier(StringRef name) {
  static const llvm::StringSet<> kKeywords = {
      "auto",     "break",    "case",     "char",   "const",   "continue",
      "default",  "do",       "double",   "else",   "enum",    "extern",
      "float",    "for",      "goto",     "if",     "inline",  "int",
      "long",     "register", "restrict", "return", "short",   "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef", "union",
      "unsigned", "void",     "volatile", "while",  "bool",    "true",
      "false"};
  std::string id;
  for (char c : name)
    id += llvm::isAlnum(c) || c == '_' ? c : '_';
  if (id.empty() || llvm::isDigit(id[0]))
    id = "_" + id;
  if (kKeywords.contains(id))
    id += "_";
  return id;
}

namespace {
/// An ONNX element type as the C API and NumPy see it.
struct ElemTypeInfo {
  int32_t code;
  const char *name;  // NumPy's (ml_dtypes' for the narrow formats)
  const char *cType; // what one element is stored as
};
// Narrow formats take a byte per element, their bits in the low bits, as
// ml_dtypes holds them; 16-bit floats travel as their bits.
const ElemTypeInfo kElemTypes[] = {
    {1, "float32", "float"},
    {2, "uint8", "uint8_t"},
    {3, "int8", "int8_t"},
    {4, "uint16", "uint16_t"},
    {5, "int16", "int16_t"},
    {6, "int32", "int32_t"},
    {7, "int64", "int64_t"},
    // A string is a pointer to its NUL-terminated UTF-8 bytes.
    {8, "string", "char *const"},
    {9, "bool", "_Bool"},
    {10, "float16", "uint16_t"},
    {11, "float64", "double"},
    {12, "uint32", "uint32_t"},
    {13, "uint64", "uint64_t"},
    {16, "bfloat16", "uint16_t"},
    {17, "float8_e4m3fn", "uint8_t"},
    {18, "float8_e4m3fnuz", "uint8_t"},
    {19, "float8_e5m2", "uint8_t"},
    {20, "float8_e5m2fnuz", "uint8_t"},
    {21, "uint4", "uint8_t"},
    {22, "int4", "uint8_t"},
    {23, "float4_e2m1fn", "uint8_t"},
    {24, "float8_e8m0fnu", "uint8_t"},
    {25, "uint2", "uint8_t"},
    {26, "int2", "uint8_t"},
};
const ElemTypeInfo *findElemType(int32_t code) {
  for (const ElemTypeInfo &t : kElemTypes)
    if (t.code == code)
      return &t;
  return nullptr;
}
} // namespace

StringRef seqc::getElemTypeName(int32_t t) {
  const ElemTypeInfo *info = findElemType(t);
  return info ? info->name : "unknown";
}

StringRef seqc::getElemCType(int32_t t) {
  const ElemTypeInfo *info = findElemType(t);
  return info ? info->cType : "uint8_t";
}

/// The ONNX element type of `type`: `declared` (the importer records it)
/// when it describes this type or the type it is stored as, else the code of
/// `type` itself.
static int32_t getElemType(Type type, int32_t declared) {
  if (Type t = seqc::onnx::getElementType(type.getContext(), declared))
    if (t == type || seqc::onnx::getStorageElementType(t) == type)
      return declared;
  return seqc::onnx::getDataType(type);
}

//===----------------------------------------------------------------------===//
// Public functions
//===----------------------------------------------------------------------===//

// Streaming models will add their step, reset and state-size functions here.
static const seqc::EntryPoint kEntryPoints[] = {
    {"context_create", "$_context *", "const seqc_context_options *options",
     "A new context, or NULL when out of memory or when the options are\n"
     "invalid (num_threads < 0). NULL options mean the defaults.",
     seqc::EntryPoint::Body::CallRuntime, "seqc_rt_context_create"},
    {"context_destroy", "void", "$_context *ctx",
     "Frees a context; NULL is a no-op.", seqc::EntryPoint::Body::CallRuntime,
     "seqc_rt_context_destroy"},
    {"output_shapes", "int",
     "$_context *ctx, const $_inputs *in, $_outputs *out",
     "Checks the input shapes and writes every output shape into out.\n"
     "Returns SEQC_OK or a seqc_status; see $_last_error.",
     seqc::EntryPoint::Body::CallRuntimeWithDescriptor,
     "seqc_rt_output_shapes"},
    {"run", "int", "$_context *ctx, const $_inputs *in, $_outputs *out",
     "Runs the model. Checks every input shape and that each output shape\n"
     "equals what the inputs produce, then writes the outputs. Never writes\n"
     "outside the given buffers. Returns SEQC_OK or a seqc_status.",
     seqc::EntryPoint::Body::CallRuntimeWithDescriptor, "seqc_rt_run"},
    {"last_error", "const char *", "const $_context *ctx",
     "The message of the last failed call on ctx (\"\" after success).",
     seqc::EntryPoint::Body::CallRuntime, "seqc_rt_last_error"},
    {"info", "const seqc_model_info *", "void",
     "Names, element types and shapes of the inputs and outputs, and where\n"
     "their members lie in $_inputs and $_outputs.",
     seqc::EntryPoint::Body::ReturnModelInfo, ""},
};

ArrayRef<seqc::EntryPoint> seqc::getEntryPoints() { return kEntryPoints; }

SmallVector<StringRef> seqc::EntryPoint::getParamTypes() const {
  SmallVector<StringRef> types;
  if (params == "void")
    return types;
  SmallVector<StringRef> parts;
  params.split(parts, ',');
  // Each parameter is named: drop the trailing identifier.
  for (StringRef param : parts)
    types.push_back(param.trim()
                        .rtrim("abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                        .trim());
  return types;
}

std::string seqc::expandPrefix(StringRef text, StringRef prefix) {
  std::string out;
  for (char c : text)
    out += c == '$' ? prefix.str() : std::string(1, c);
  return out;
}

std::vector<std::string> seqc::ModelInterface::publicSymbols() const {
  std::vector<std::string> names;
  for (const EntryPoint &entry : getEntryPoints())
    names.push_back(prefix + "_" + entry.name.str());
  return names;
}

//===----------------------------------------------------------------------===//
// Struct layout
//===----------------------------------------------------------------------===//

// seqc targets 64-bit machines only (MachineCode.cpp refuses others): data
// pointers and shape entries are 8 bytes, 8-aligned, so the structs have no
// padding.
static constexpr int64_t kWordSize = 8;

int64_t seqc::TensorInterface::getNumShapeSlots() const {
  return std::max<int64_t>(dims.size(), 1);
}

int64_t seqc::layOutStruct(std::vector<TensorInterface> &tensors) {
  int64_t offset = 0;
  for (TensorInterface &t : tensors) {
    t.dataOffset = offset;
    t.shapeOffset = offset + kWordSize;
    offset = t.shapeOffset + kWordSize * t.getNumShapeSlots();
  }
  return tensors.empty() ? kWordSize : offset;
}

seqc::ModelInterface seqc::getModelInterface(func::FuncOp func,
                                             StringRef prefix,
                                             StringRef sourceFile) {
  ModelInterface model;
  model.prefix = prefix.str();
  model.sourceFile = sourceFile.str();
  if (auto name = func->getParentOfType<ModuleOp>()->getAttrOfType<StringAttr>(
          attrs::kModelName))
    model.modelName = name.str();
  llvm::StringSet<> used;
  auto describe = [&](DictionaryAttr attrs, Type type) {
    TensorInterface t;
    auto ranked = cast<RankedTensorType>(type);
    t.onnxName = attrs ? attrs.getAs<StringAttr>(attrs::kName).str() : "";
    t.elemType = getElemType(
        ranked.getElementType(),
        attrs ? attrs.getAs<IntegerAttr>(attrs::kElemType).getInt() : 0);
    for (int64_t d : ranked.getShape())
      t.dims.push_back(ShapedType::isDynamic(d) ? -1 : d);
    ArrayAttr names =
        attrs ? attrs.getAs<ArrayAttr>(attrs::kDimNames) : nullptr;
    for (size_t i = 0; i < t.dims.size(); ++i)
      t.dimNames.push_back(
          names && i < names.size() ? cast<StringAttr>(names[i]).str() : "");
    StringAttr roleAttr =
        attrs ? attrs.getAs<StringAttr>(attrs::kRole) : StringAttr();
    StringRef role = roleAttr ? roleAttr.getValue() : "", suffix;
    if (role == attrs::kRoleSequenceData) {
      t.role = TensorInterface::Role::SequenceData;
    } else if (role == attrs::kRoleSequenceShapes) {
      t.role = TensorInterface::Role::SequenceShapes;
      suffix = "_shapes";
      if (auto dims = attrs.getAs<ArrayAttr>(attrs::kElementDims)) {
        t.elementDims.emplace();
        for (Attribute d : dims)
          t.elementDims->push_back(cast<IntegerAttr>(d).getInt());
      }
    } else if (role == attrs::kRolePresent) {
      t.role = TensorInterface::Role::Present;
      suffix = "_present";
    }
    // The struct gets members `c` and `c_shape`: both must be free.
    std::string base = sanitizeIdentifier(t.onnxName + suffix.str()), c = base;
    for (int n = 1; used.contains(c) || used.contains(c + "_shape"); ++n)
      c = base + "_" + std::to_string(n);
    used.insert(c);
    used.insert(c + "_shape");
    t.cName = c;
    return t;
  };
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    model.inputs.push_back(
        describe(func.getArgAttrDict(i), func.getArgumentTypes()[i]));
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    model.outputs.push_back(
        describe(func.getResultAttrDict(i), func.getResultTypes()[i]));
  model.inputsSize = layOutStruct(model.inputs);
  model.outputsSize = layOutStruct(model.outputs);
  return model;
}
