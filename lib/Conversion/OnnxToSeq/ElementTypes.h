//===- ElementTypes.h - ONNX element types below the onnx dialect -*- C++ -*-//
//
// The onnx dialect keeps every ONNX element type distinct: ui8 beside i8,
// i4, f8E4M3FN, f4E2M1FN... Below it, values are held in their storage types
// (seqc::onnx::getStorageType): signless integers and the standard floats.
// These helpers give patterns the storage form of a value's type and convert
// one element between any two ONNX element types, as Cast does.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_CONVERSION_ONNXTOSEQ_ELEMENTTYPES_H
#define SEQC_LIB_CONVERSION_ONNXTOSEQ_ELEMENTTYPES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace seqc {

/// The storage type of `value`'s ranked tensor type.
mlir::RankedTensorType getStorageTensorType(mlir::Value value);

/// `attr` with its elements in their storage type (bits, zero-extended to a
/// byte for the narrow formats); null when it cannot be converted.
mlir::TypedAttr convertToStorage(mlir::ElementsAttr attr);

/// How Cast converts to the 8-bit float formats.
struct CastOptions {
  bool saturate = true;        // out of range: the largest finite value
  llvm::StringRef roundMode = "up"; // FLOAT8E8M0 only: up, down or nearest
};

/// One element `value` (held in the storage type of `from`) converted to
/// ONNX element type `to`, as ONNX Cast does, in the storage type of `to`.
/// Integers convert by their signedness; float to integer truncates toward
/// zero; anything to bool is "not zero"; to INT4/UINT4/INT2/UINT2 from a
/// float, a value out of range gives 0 (as the ONNX reference, through
/// ml_dtypes, does); the 8- and 4-bit floats round to nearest even, with
/// ONNX's saturation rules.
mlir::Value castElement(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value value, mlir::Type from, mlir::Type to,
                        const CastOptions &options = {});

/// The larger (or smaller) of two elements: NaN-propagating for floats,
/// by the integers' signedness otherwise (`isUnsigned` for ONNX's unsigned
/// types and bools, held in signless storage).
mlir::Value buildMaximum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         mlir::Value y, bool isUnsigned);
mlir::Value buildMinimum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         mlir::Value y, bool isUnsigned);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_ONNXTOSEQ_ELEMENTTYPES_H
