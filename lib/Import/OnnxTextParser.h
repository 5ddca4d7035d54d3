//===- OnnxTextParser.h - ONNX's textual syntax to a ModelProto -*- C++ -*-===//
//
// The syntax onnx.printer writes and onnx.parser reads:
//
//   <ir_version: 10, opset_import: ["" : 22]>
//   tiny (float[seq, 2, 3] X) => (float[] Y)
//      <float[1, 8, 3] W = {...}, int64[1] axes = {1}>
//   {
//      [node_name] Y, Y_h = LSTM <hidden_size: int = 2> (X, W, R, "", "", h0)
//   }
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_IMPORT_ONNXTEXTPARSER_H
#define SEQC_LIB_IMPORT_ONNXTEXTPARSER_H

#include "onnx-ml.pb.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace seqc {

/// True when `text` looks like ONNX's textual syntax rather than protobuf's
/// text format (it starts with '<', after comments).
bool isOnnxTextSyntax(llvm::StringRef text);

/// Parses a model; on failure returns false with "line L:C: what" in `error`.
bool parseOnnxText(llvm::StringRef text, ::onnx::ModelProto &model,
                   std::string &error);

} // namespace seqc

#endif // SEQC_LIB_IMPORT_ONNXTEXTPARSER_H
