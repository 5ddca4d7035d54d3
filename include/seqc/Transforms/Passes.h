//===- Passes.h - seqc passes that are not conversions ----------*- C++ -*-===//

#ifndef SEQC_TRANSFORMS_PASSES_H
#define SEQC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace seqc {

#define GEN_PASS_DECL
#include "seqc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "seqc/Transforms/Passes.h.inc"

/// Suffix of the shape function seqc-create-kernel-abi adds.
inline constexpr llvm::StringLiteral kShapesSuffix = "_shapes";
/// The shape function stores, after the output dims: the number (from 1) of
/// the first failing run-time check or 0, and the two sizes it compared.
inline constexpr int64_t kNumStatusSlots = 3;
/// Module attribute: the run-time checks' messages, in status order.
inline constexpr llvm::StringLiteral kRuntimeChecksAttr = "seqc.runtime_checks";
/// Function attribute: the kernel returns an i32 seqc_status.
inline constexpr llvm::StringLiteral kKernelAttr = "seqc.kernel";
/// The kernel's status when an allocation fails (SEQC_ERROR_OUT_OF_MEMORY).
inline constexpr int32_t kOutOfMemoryStatus = 3;
/// On a parallel loop's outlined body and on the call that runs it: the
/// body's env starts with an i32 that a failed allocation sets to 1.
inline constexpr llvm::StringLiteral kOutOfMemoryFlagAttr =
    "seqc.out_of_memory_flag";
/// Whether `op` allocates, or runs a body that may (kOutOfMemoryFlagAttr).
bool mayRunOutOfMemory(mlir::Operation *op);
/// On the declaration of a kernel Halide generates when the model's object
/// is built (seqc-vectorize-matmul, kernels=halide): {k, scalar_init}.
inline constexpr llvm::StringLiteral kHalideMatmulAttrName =
    "seqc.halide_matmul";
/// Function attribute the C-interface wrappers are generated for.
inline constexpr llvm::StringLiteral kCInterfaceAttr = "llvm.emit_c_interface";

/// The model function `name` of `module`, checked to be a defined function
/// of one block; emits an error and returns null otherwise.
mlir::func::FuncOp lookupModelFunction(mlir::ModuleOp module,
                                       llvm::StringRef name);

} // namespace seqc

#endif // SEQC_TRANSFORMS_PASSES_H
