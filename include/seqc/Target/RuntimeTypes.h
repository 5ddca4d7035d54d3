//===- RuntimeTypes.h - LLVM types of the runtime's C structs ---*- C++ -*-===//
//
// The tables CInterface.cpp writes into a model are read by C code as the
// structs of seqc/Runtime/SeqcTypes.h and SeqcRuntime.h. These are the LLVM
// types of those structs, field for field; test/unit/RuntimeTypesTest.cpp
// checks their offsets and sizes against the C compiler's.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_TARGET_RUNTIMETYPES_H
#define SEQC_TARGET_RUNTIMETYPES_H

#include "llvm/IR/DerivedTypes.h"

namespace seqc {

/// seqc_tensor_info {name, elem_type, rank, dims, dim_names, data_offset,
/// shape_offset}
llvm::StructType *getTensorInfoType(llvm::LLVMContext &ctx);

/// seqc_model_info {abi_version, num_inputs, num_outputs, name, inputs,
/// outputs, inputs_size, outputs_size}
llvm::StructType *getModelInfoType(llvm::LLVMContext &ctx);

/// seqc_model_desc {info, run, shapes, num_output_dims, check_messages}
llvm::StructType *getModelDescType(llvm::LLVMContext &ctx);

} // namespace seqc

#endif // SEQC_TARGET_RUNTIMETYPES_H
