//===- EmbeddedFiles.cpp - Build-time files compiled into seqc
//-------------===//
//
// The runtime's bitcode and the shared C types header travel inside the seqc
// binary (.incbin), so an installed seqc needs no data files beside it.
//
//===----------------------------------------------------------------------===//

#include "seqc/Target/Targets.h"

#define SEQC_EMBED(symbol, path)                                               \
  __asm__(".section .rodata,\"a\",@progbits\n"                                 \
          ".balign 16\n"                                                       \
          ".globl " #symbol "_begin\n" #symbol "_begin:\n"                     \
          ".incbin \"" path "\"\n"                                             \
          ".globl " #symbol "_end\n" #symbol "_end:\n"                         \
          ".previous\n");                                                      \
  extern "C" const char symbol##_begin[], symbol##_end[];

SEQC_EMBED(seqc_runtime_bitcode, SEQC_RUNTIME_BITCODE)
SEQC_EMBED(seqc_types_header, SEQC_TYPES_HEADER)

llvm::StringRef seqc::getRuntimeBitcode() {
  return {seqc_runtime_bitcode_begin,
          size_t(seqc_runtime_bitcode_end - seqc_runtime_bitcode_begin)};
}

llvm::StringRef seqc::getRuntimeTypesHeader() {
  return {seqc_types_header_begin,
          size_t(seqc_types_header_end - seqc_types_header_begin)};
}
