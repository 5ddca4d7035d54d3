//===- OnnxTextParser.cpp - ONNX's textual syntax to a ModelProto
//----------===//
//
// A recursive-descent parser of the model syntax of onnx/defs/parser.h:
// the model's <key: value> header, the graph signature with its
// initializers, nodes with attributes (typed or inferred) and tensor
// literals. Functions and graph-valued attributes are not part of the
// models seqc compiles and are rejected with a message.
//
//===----------------------------------------------------------------------===//

#include "OnnxTextParser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

using namespace llvm;
namespace onnxpb = ::onnx;

namespace {

class Parser {
public:
  explicit Parser(StringRef text) : text(text) {}

  bool parseModel(onnxpb::ModelProto &model);
  /// Whether the first character after spaces and comments is `c`.
  bool startsWith(char c) { return peek(c); }
  std::string error;

private:
  // Lexing.
  void skipSpace() {
    while (pos < text.size()) {
      if (isSpace(text[pos])) {
        ++pos;
      } else if (text[pos] == '#') {
        while (pos < text.size() && text[pos] != '\n')
          ++pos;
      } else {
        break;
      }
    }
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool peek(StringRef s) {
    skipSpace();
    return text.substr(pos).starts_with(s);
  }
  bool accept(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool accept(StringRef s) {
    if (!peek(s))
      return false;
    pos += s.size();
    return true;
  }
  bool expect(char c) {
    if (accept(c))
      return true;
    return fail(std::string("expected '") + c + "'");
  }
  bool fail(const Twine &message) {
    if (!error.empty())
      return false;
    unsigned line = 1, column = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error = "line " + std::to_string(line) + ":" + std::to_string(column) +
            ": " + message.str();
    return false;
  }
  // Names with other characters are quoted ("onnx::LSTM_205"); '.' is part
  // of an identifier for domain-qualified op types (com.microsoft.Foo).
  static bool isIdChar(char c) { return isAlnum(c) || c == '_' || c == '.'; }
  bool identifier(std::string &id);
  bool name(std::string &id); // an identifier or a quoted string
  bool quoted(std::string &s);
  /// A numeric literal; an integer literal is also read exactly (doubles
  /// hold only 53 bits), and one beyond int64 is an error.
  struct Number {
    double real = 0;
    bool isInteger = false;
    int64_t integer = 0;
  };
  bool number(Number &n);
  /// An integer literal within [min, max].
  bool integer(int64_t &value,
               int64_t min = std::numeric_limits<int64_t>::min(),
               int64_t max = std::numeric_limits<int64_t>::max());
  bool integerIn(const Number &n, int64_t min, int64_t max, int64_t &value);

  // Grammar.
  bool keyValues(onnxpb::ModelProto &model);
  bool graph(onnxpb::GraphProto &graph);
  bool
  valueInfos(google::protobuf::RepeatedPtrField<onnxpb::ValueInfoProto> &list,
             onnxpb::GraphProto *initializers);
  bool tensorType(onnxpb::TypeProto &type);
  bool tensorLiteral(const onnxpb::TypeProto &type,
                     onnxpb::TensorProto &tensor);
  bool node(onnxpb::NodeProto &node);
  bool attribute(onnxpb::AttributeProto &attr);
  bool attributeValue(onnxpb::AttributeProto &attr, StringRef declaredType);

  StringRef text;
  size_t pos = 0;
};

bool Parser::identifier(std::string &id) {
  skipSpace();
  size_t start = pos;
  if (pos < text.size() && (isAlpha(text[pos]) || text[pos] == '_'))
    while (pos < text.size() && isIdChar(text[pos]))
      ++pos;
  if (pos == start)
    return fail("expected an identifier");
  id = text.slice(start, pos).str();
  return true;
}

bool Parser::quoted(std::string &s) {
  if (!accept('"'))
    return fail("expected a string");
  s.clear();
  while (pos < text.size() && text[pos] != '"') {
    if (text[pos] == '\\' && pos + 1 < text.size())
      ++pos;
    s += text[pos++];
  }
  if (pos >= text.size())
    return fail("unterminated string");
  ++pos;
  return true;
}

bool Parser::name(std::string &id) {
  return peek('"') ? quoted(id) : identifier(id);
}

bool Parser::number(Number &n) {
  skipSpace();
  size_t start = pos;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+'))
    ++pos;
  StringRef rest = text.substr(pos);
  for (StringRef special : {"inf", "nan"})
    if (rest.starts_with_insensitive(special)) {
      pos += 3;
      n.isInteger = false;
      n.real = special == "inf" ? INFINITY : NAN;
      if (text[start] == '-')
        n.real = -n.real;
      return true;
    }
  n.isInteger = true;
  while (pos < text.size() &&
         (isDigit(text[pos]) || text[pos] == '.' || text[pos] == 'e' ||
          text[pos] == 'E' ||
          ((text[pos] == '-' || text[pos] == '+') &&
           (text[pos - 1] == 'e' || text[pos - 1] == 'E')))) {
    if (!isDigit(text[pos]))
      n.isInteger = false;
    ++pos;
  }
  std::string literal = text.slice(start, pos).str();
  char *end = nullptr;
  n.real = std::strtod(literal.c_str(), &end);
  if (literal.empty() || end != literal.c_str() + literal.size())
    return fail("expected a number");
  if (n.isInteger &&
      StringRef(literal).drop_front(literal[0] == '+').getAsInteger(10, n.integer))
    return fail("integer " + literal + " is out of the int64 range");
  return true;
}

bool Parser::integerIn(const Number &n, int64_t min, int64_t max,
                       int64_t &value) {
  if (!n.isInteger)
    return fail("expected an integer");
  if (n.integer < min || n.integer > max)
    return fail("integer " + std::to_string(n.integer) + " is out of range [" +
                std::to_string(min) + ", " + std::to_string(max) + "]");
  value = n.integer;
  return true;
}

bool Parser::integer(int64_t &value, int64_t min, int64_t max) {
  Number n;
  return number(n) && integerIn(n, min, max, value);
}

bool Parser::keyValues(onnxpb::ModelProto &model) {
  if (!accept('<'))
    return true;
  if (accept('>'))
    return true;
  do {
    std::string key;
    if (!identifier(key) || !expect(':'))
      return false;
    if (key == "opset_import") {
      if (!expect('['))
        return false;
      if (!accept(']')) {
        do {
          std::string domain;
          int64_t version;
          if (!quoted(domain) || !expect(':') || !integer(version))
            return false;
          auto *opset = model.add_opset_import();
          opset->set_domain(domain);
          opset->set_version(version);
        } while (accept(','));
        if (!expect(']'))
          return false;
      }
    } else if (peek('"')) {
      std::string value;
      if (!quoted(value))
        return false;
      if (key == "producer_name")
        model.set_producer_name(value);
      else if (key == "producer_version")
        model.set_producer_version(value);
      else if (key == "domain")
        model.set_domain(value);
      else if (key == "doc_string")
        model.set_doc_string(value);
    } else {
      int64_t value;
      if (!integer(value))
        return false;
      if (key == "ir_version")
        model.set_ir_version(value);
      else if (key == "model_version")
        model.set_model_version(value);
    }
  } while (accept(','));
  return expect('>');
}

bool Parser::tensorType(onnxpb::TypeProto &type) {
  std::string elem;
  if (!identifier(elem))
    return false;
  int32_t code = StringSwitch<int32_t>(elem)
                     .Case("float", onnxpb::TensorProto::FLOAT)
                     .Case("double", onnxpb::TensorProto::DOUBLE)
                     .Case("float16", onnxpb::TensorProto::FLOAT16)
                     .Case("bfloat16", onnxpb::TensorProto::BFLOAT16)
                     .Case("int8", onnxpb::TensorProto::INT8)
                     .Case("int16", onnxpb::TensorProto::INT16)
                     .Case("int32", onnxpb::TensorProto::INT32)
                     .Case("int64", onnxpb::TensorProto::INT64)
                     .Case("uint8", onnxpb::TensorProto::UINT8)
                     .Case("uint16", onnxpb::TensorProto::UINT16)
                     .Case("uint32", onnxpb::TensorProto::UINT32)
                     .Case("uint64", onnxpb::TensorProto::UINT64)
                     .Case("bool", onnxpb::TensorProto::BOOL)
                     .Case("string", onnxpb::TensorProto::STRING)
                     .Default(-1);
  if (code < 0)
    return fail("unknown element type '" + elem + "'");
  auto *tensor = type.mutable_tensor_type();
  tensor->set_elem_type(code);
  if (!accept('['))
    return true; // no shape: unknown rank
  auto *shape = tensor->mutable_shape();
  if (accept(']'))
    return true;
  do {
    auto *dim = shape->add_dim();
    if (accept('?'))
      continue;
    if (peek('"') || (pos < text.size() && !isDigit(text[pos]))) {
      std::string param;
      if (!name(param))
        return false;
      dim->set_dim_param(param);
      continue;
    }
    int64_t value;
    if (!integer(value))
      return false;
    dim->set_dim_value(value);
  } while (accept(','));
  return expect(']');
}

bool Parser::tensorLiteral(const onnxpb::TypeProto &type,
                           onnxpb::TensorProto &tensor) {
  int32_t elem = type.tensor_type().elem_type();
  tensor.set_data_type(elem);
  for (const auto &dim : type.tensor_type().shape().dim()) {
    if (!dim.has_dim_value())
      return fail("a tensor literal needs static dimensions");
    tensor.add_dims(dim.dim_value());
  }
  if (!expect('{'))
    return false;
  if (accept('}'))
    return true;
  do {
    if (elem == onnxpb::TensorProto::STRING) {
      std::string s;
      if (!quoted(s))
        return false;
      tensor.add_string_data(s);
      continue;
    }
    Number n;
    if (!number(n))
      return false;
    // Integers go where onnx.proto puts each type, range-checked.
    int64_t v;
    using T = onnxpb::TensorProto;
    auto within = [&](int64_t min, int64_t max) {
      return integerIn(n, min, max, v);
    };
    switch (elem) {
    case T::FLOAT:
      tensor.add_float_data(static_cast<float>(n.real));
      break;
    case T::DOUBLE:
      tensor.add_double_data(n.real);
      break;
    case T::INT64:
      if (!within(INT64_MIN, INT64_MAX))
        return false;
      tensor.add_int64_data(v);
      break;
    case T::UINT64:
    case T::UINT32:
      if (!within(0, elem == T::UINT32 ? UINT32_MAX : INT64_MAX))
        return false;
      tensor.add_uint64_data(static_cast<uint64_t>(v));
      break;
    case T::INT32:
    case T::INT16:
    case T::INT8:
    case T::UINT16:
    case T::UINT8:
    case T::BOOL: {
      int bits = elem == T::INT32                     ? 32
                 : elem == T::INT16 || elem == T::UINT16 ? 16
                 : elem == T::BOOL                       ? 1
                                                         : 8;
      bool isSigned =
          elem == T::INT32 || elem == T::INT16 || elem == T::INT8;
      int64_t max = isSigned ? (int64_t(1) << (bits - 1)) - 1
                             : (int64_t(1) << bits) - 1;
      int64_t min = isSigned ? -max - 1 : 0;
      if (!within(min, max))
        return false;
      tensor.add_int32_data(static_cast<int32_t>(v));
      break;
    }
    default:
      return fail("literals of this element type are not supported");
    }
  } while (accept(','));
  return expect('}');
}

bool Parser::valueInfos(
    google::protobuf::RepeatedPtrField<onnxpb::ValueInfoProto> &list,
    onnxpb::GraphProto *initializers) {
  if (peek(')') || peek('>'))
    return true;
  do {
    onnxpb::TypeProto type;
    std::string id;
    if (!tensorType(type) || !name(id))
      return false;
    if (initializers && accept('=')) {
      onnxpb::TensorProto *tensor = initializers->add_initializer();
      tensor->set_name(id);
      if (!tensorLiteral(type, *tensor))
        return false;
      continue;
    }
    auto *info = list.Add();
    info->set_name(id);
    *info->mutable_type() = type;
  } while (accept(','));
  return true;
}

bool Parser::attributeValue(onnxpb::AttributeProto &attr,
                            StringRef declaredType) {
  using A = onnxpb::AttributeProto;
  if (declaredType == "tensor" ||
      (declaredType.empty() && pos < text.size() && isAlpha(text[pos]))) {
    onnxpb::TypeProto type;
    if (!tensorType(type) || !tensorLiteral(type, *attr.mutable_t()))
      return false;
    attr.set_type(A::TENSOR);
    return true;
  }
  if (declaredType == "graph" || peek('{') || peek('<'))
    return fail("graph-valued attributes are not supported");
  if (peek('"')) {
    if (!quoted(*attr.mutable_s()))
      return false;
    attr.set_type(A::STRING);
    return true;
  }
  if (accept('[')) {
    bool floats = declaredType == "floats", strings = peek('"');
    std::vector<Number> numbers;
    bool allInts = true;
    if (!accept(']')) {
      do {
        if (strings) {
          if (!quoted(*attr.add_strings()))
            return false;
          continue;
        }
        Number n;
        if (!number(n))
          return false;
        allInts &= n.isInteger;
        numbers.push_back(n);
      } while (accept(','));
      if (!expect(']'))
        return false;
    }
    if (strings || declaredType == "strings") {
      attr.set_type(A::STRINGS);
    } else if (floats || !allInts) {
      attr.set_type(A::FLOATS);
      for (const Number &n : numbers)
        attr.add_floats(static_cast<float>(n.real));
    } else {
      attr.set_type(A::INTS);
      for (const Number &n : numbers)
        attr.add_ints(n.integer);
    }
    return true;
  }
  Number n;
  if (!number(n))
    return false;
  if (declaredType == "float" || (declaredType.empty() && !n.isInteger)) {
    attr.set_type(A::FLOAT);
    attr.set_f(static_cast<float>(n.real));
  } else {
    int64_t v;
    if (!integerIn(n, INT64_MIN, INT64_MAX, v))
      return false;
    attr.set_type(A::INT);
    attr.set_i(v);
  }
  return true;
}

bool Parser::attribute(onnxpb::AttributeProto &attr) {
  if (!identifier(*attr.mutable_name()))
    return false;
  std::string declaredType;
  if (accept(':') && !identifier(declaredType))
    return false;
  if (!expect('='))
    return false;
  skipSpace();
  return attributeValue(attr, declaredType);
}

bool Parser::node(onnxpb::NodeProto &node) {
  if (accept('[')) {
    if (!name(*node.mutable_name()) || !expect(']'))
      return false;
  }
  if (!peek('=')) {
    do {
      if (!name(*node.add_output()))
        return false;
    } while (accept(','));
  }
  if (!expect('='))
    return false;
  std::string op;
  if (!identifier(op))
    return false;
  // "domain.Op": the op type is after the last dot.
  size_t dot = op.rfind('.');
  if (dot != std::string::npos) {
    node.set_domain(op.substr(0, dot));
    op = op.substr(dot + 1);
  }
  node.set_op_type(op);
  if (accept('<') && !accept('>')) {
    do {
      if (!attribute(*node.add_attribute()))
        return false;
    } while (accept(','));
    if (!expect('>'))
      return false;
  }
  if (!expect('('))
    return false;
  if (accept(')'))
    return true;
  do {
    if (peek(',') || peek(')')) {
      node.add_input(""); // an absent optional input
      continue;
    }
    if (!name(*node.add_input()))
      return false;
  } while (accept(','));
  return expect(')');
}

bool Parser::graph(onnxpb::GraphProto &graph) {
  if (!identifier(*graph.mutable_name()) || !expect('('))
    return false;
  if (!valueInfos(*graph.mutable_input(), &graph) || !expect(')'))
    return false;
  if (!accept("=>"))
    return fail("expected '=>'");
  if (!expect('(') || !valueInfos(*graph.mutable_output(), nullptr) ||
      !expect(')'))
    return false;
  if (accept('<')) {
    google::protobuf::RepeatedPtrField<onnxpb::ValueInfoProto> unused;
    if (!valueInfos(unused, &graph) || !expect('>'))
      return false;
    if (!unused.empty())
      return fail("initializers need a value");
  }
  if (!expect('{'))
    return false;
  while (!accept('}')) {
    if (pos >= text.size())
      return fail("expected '}'");
    if (!node(*graph.add_node()))
      return false;
  }
  return true;
}

bool Parser::parseModel(onnxpb::ModelProto &model) {
  if (!keyValues(model) || !graph(*model.mutable_graph()))
    return false;
  skipSpace();
  if (pos < text.size())
    return fail("unexpected text after the graph (functions are not "
                "supported)");
  return true;
}

} // namespace

bool seqc::isOnnxTextSyntax(StringRef text) {
  return Parser(text).startsWith('<');
}

bool seqc::parseOnnxText(StringRef text, onnxpb::ModelProto &model,
                         std::string &error) {
  Parser parser(text);
  if (parser.parseModel(model))
    return true;
  error = parser.error;
  return false;
}
