//===- FuzzTarget.h - one fuzz input through seqc's compiler ----*- C++ -*-===//
//
// What every libFuzzer target of seqc does with an input: import it as the
// file `fileName` names (its extension picks the format), then run the pass
// pipelines `seqc` runs down to the LLVM dialect and describe the C interface
// the header would have. Diagnostics are swallowed: an input the compiler
// refuses is a normal outcome; a crash, hang or sanitizer report is a bug.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_TEST_FUZZ_FUZZTARGET_H
#define SEQC_TEST_FUZZ_FUZZTARGET_H

#include "llvm/ADT/StringRef.h"

namespace seqc::fuzz {

enum class Depth {
  /// Import only: parsing, the importer's checks, ONNX verifiers.
  Import,
  /// Import, then every pipeline down to the LLVM dialect and the header.
  Compile,
};

void compileModel(llvm::StringRef bytes, llvm::StringRef fileName,
                  Depth depth);

} // namespace seqc::fuzz

#endif // SEQC_TEST_FUZZ_FUZZTARGET_H
