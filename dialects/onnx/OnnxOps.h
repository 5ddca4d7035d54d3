//===- OnnxOps.h - ONNX operators -------------------------------*- C++ -*-===//

#ifndef SEQC_DIALECTS_ONNX_ONNXOPS_H
#define SEQC_DIALECTS_ONNX_ONNXOPS_H

#include "dialects/onnx/OnnxDialect.h"
#include "dialects/onnx/OnnxTypes.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace seqc::onnx {

/// The highest tensor rank seqc compiles. ONNX sets no limit, but each
/// dimension becomes a loop, a header array entry and a descriptor field:
/// rank 64 compiles in under a second, rank 1,000 took 100 s (LLVM on a
/// 1,000-deep loop nest), and real models stay below 8 (numpy stops at 64).
inline constexpr int64_t kMaxRank = 64;
/// How a shape rule reports that an op's operands or attributes do not fit:
/// at the op's location, worded as the verifier words it ("'onnx.Reshape' op
/// reshape_c6: ..."). The rules run from InferTypeOpInterface, where there is
/// only a location and the op's name, and from the lowerings, which read the
/// same rules from an existing op.
class OpError {
public:
  OpError(mlir::MLIRContext *context, std::optional<mlir::Location> loc,
          llvm::StringRef opName)
      : context(context), loc(loc), opName(opName) {}
  explicit OpError(mlir::Operation *op)
      : OpError(op->getContext(), op->getLoc(), op->getName().getStringRef()) {}
  /// Starts the error; the caller streams the rest of the message into it.
  mlir::InFlightDiagnostic operator()(const llvm::Twine &message = {}) const;
  mlir::MLIRContext *getContext() const { return context; }

private:
  mlir::MLIRContext *context;
  std::optional<mlir::Location> loc;
  llvm::StringRef opName;
};

/// Result types are compatible when they agree in element type and rank and
/// their sizes where both are static: a type inferred after an operand
/// became a constant may know more than the type the op was built with.
bool areCompatibleResultTypes(mlir::TypeRange inferred, mlir::TypeRange actual);
} // namespace seqc::onnx

#include "dialects/onnx/OnnxInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.h.inc"

namespace seqc::onnx {
/// The values of `v` when it is a constant integer tensor (an onnx.Constant or
/// anything else that folds to one), widened to int64.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value v);
/// The same for a constant already in hand (a folder's operand), null or not.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Attribute a);

/// Transpose's permutation: `perm`, or the reversed dimensions without it.
llvm::SmallVector<int64_t> getPermutation(TransposeOp::Adaptor op,
                                          int64_t rank);

/// The dimensions [first, second) that Shape returns for an input of rank
/// `rank`, its `start` and `end` counted from the back when negative and
/// clamped into [0, rank].
std::pair<int64_t, int64_t> getShapeRange(ShapeOp::Adaptor op, int64_t rank);

/// What an ONNX Slice reads along every dimension of its input: the first
/// index, the step and the number of indices read (dynamic where the input
/// dimension is).
struct SliceWindow {
  llvm::SmallVector<int64_t> starts, steps, sizes;
};
/// Applies Slice's rules to constant `starts`, `ends`, `axes` and `steps` on
/// an input of shape `shape`: absent axes are the leading dimensions, absent
/// steps are 1, negative bounds count from the end and every bound is
/// clamped. Fails on invalid parameters, with a message through `emitError`
/// when one is given.
llvm::FailureOr<SliceWindow>
resolveSlice(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> starts,
             llvm::ArrayRef<int64_t> ends,
             std::optional<llvm::ArrayRef<int64_t>> axes,
             std::optional<llvm::ArrayRef<int64_t>> steps,
             llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// The value of an onnx.Constant as one elements attribute, whichever of its
/// value attributes is set.
mlir::ElementsAttr getConstantValue(ConstantOp::Adaptor op,
                                    mlir::MLIRContext *context);
inline mlir::ElementsAttr getConstantValue(ConstantOp op) {
  return getConstantValue(op, op.getContext());
}

/// The MLIR element type of an ONNX TensorProto data type, or null when seqc
/// has none. Signed integers are signless (`i8`), unsigned ones `ui8`; INT4 is
/// `i4`, FLOAT8E4M3FN `f8E4M3FN` and so on.
mlir::Type getElementType(mlir::MLIRContext *context, int64_t onnxType);
/// The TensorProto data type of an element type; 0 when it has none.
int32_t getDataType(mlir::Type type);

/// The type seqc computes on and stores an element type as, once lowered
/// below the onnx dialect: unsigned integers become signless ones of their
/// width; INT4/UINT4/INT2/UINT2 and the 8- and 4-bit float formats one byte
/// (`i8`) holding their bits in the low bits, upper bits zero (as ml_dtypes
/// and the generated C API hold them). Other types are their own storage.
mlir::Type getStorageElementType(mlir::Type type);
/// getStorageElementType applied to a shaped type's elements (or a scalar).
mlir::Type getStorageType(mlir::Type type);

/// The axes a Reduce* op reduces, sorted and non-negative: `axes`' constant
/// values, or every axis when there are none (no axis with
/// noop_with_empty_axes). Fails, through `error`, when `axes` is not a
/// constant or names an axis twice or out of range.
llvm::FailureOr<llvm::SmallVector<int64_t>>
getReducedAxes(const OpError &error, int64_t rank, mlir::Value axes,
               bool noopWithEmptyAxes);
/// A Reduce* op's result type.
mlir::LogicalResult inferReduce(const OpError &error, mlir::Value data,
                                mlir::Value axes, int64_t keepdims,
                                int64_t noopWithEmptyAxes,
                                llvm::SmallVectorImpl<mlir::Type> &types);

/// The elementwise ops' type rules (ODS wires them into each op's
/// inferReturnTypes):
/// the result is the input's type;
mlir::LogicalResult inferSameType(const OpError &error,
                                  mlir::ValueRange operands,
                                  llvm::SmallVectorImpl<mlir::Type> &types);
/// the inputs broadcast numpy-style, the element type the first input's;
mlir::LogicalResult inferBroadcast(const OpError &error,
                                   mlir::ValueRange operands,
                                   llvm::SmallVectorImpl<mlir::Type> &types);
/// the same, with a bool (i1) result: comparisons;
mlir::LogicalResult
inferBroadcastToBool(const OpError &error, mlir::ValueRange operands,
                     llvm::SmallVectorImpl<mlir::Type> &types);
/// the input's shape, bool;
mlir::LogicalResult
inferSameShapeBool(const OpError &error, mlir::ValueRange operands,
                   llvm::SmallVectorImpl<mlir::Type> &types);
/// Where: the three inputs broadcast, X's element type;
mlir::LogicalResult inferWhere(const OpError &error, mlir::ValueRange operands,
                               llvm::SmallVectorImpl<mlir::Type> &types);
/// The run-time half of the shape rules (ReifyRankedShapedTypeOpInterface,
/// ShapeReification.cpp), which the lowering also builds its outputs with:
/// the sizes of `operands` broadcast numpy-style to `type` (static sizes
/// from the type; a dynamic one from the first operand whose size is not 1
/// there);
llvm::SmallVector<mlir::OpFoldResult>
reifyBroadcastSizes(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::RankedTensorType type, mlir::ValueRange operands);
/// every result of `op` has its operands' broadcast sizes (elementwise ops);
mlir::LogicalResult
reifyBroadcastResult(mlir::OpBuilder &b, mlir::Operation *op,
                     mlir::ReifiedRankedShapedTypeDims &shapes);
/// every result of `op` has the sizes of `source`;
mlir::LogicalResult reifySameSizes(mlir::OpBuilder &b, mlir::Operation *op,
                                   mlir::Value source,
                                   mlir::ReifiedRankedShapedTypeDims &shapes);
/// Gather's: data[:axis], indices' sizes, data[axis + 1:];
llvm::SmallVector<mlir::OpFoldResult>
reifyGatherSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value data,
                 mlir::Value indices, int64_t axis);
/// MatMul's (numpy.matmul) for a result of type `type`;
llvm::SmallVector<mlir::OpFoldResult>
reifyMatMulSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                 mlir::Value rhs, mlir::RankedTensorType type);
/// a Reduce* op's (fails when the axes are read at run time).
mlir::LogicalResult reifyReduce(mlir::OpBuilder &b, mlir::Operation *op,
                                mlir::Value data, mlir::Value axes,
                                bool keepdims, bool noopWithEmptyAxes,
                                mlir::ReifiedRankedShapedTypeDims &shapes);

/// every input has the first one's element type;
mlir::LogicalResult verifySameElementTypes(mlir::Operation *op);
/// Where: a bool condition, X and Y of one element type.
mlir::LogicalResult verifyWhere(mlir::Operation *op);


/// Where a Conv's kernel or a pooling window sits: per spatial dimension,
/// the window size, the stride, the dilation and the padding before and
/// after. auto_pad SAME_* is resolved here, which needs the input's spatial
/// sizes to be static. With ceil_mode the output size rounds up, as long as
/// the last window starts inside the input or its leading padding.
struct ConvGeometry {
  llvm::SmallVector<int64_t> kernel, strides, dilations, padsBegin, padsEnd;
  bool ceilMode = false;
  /// The output size of spatial dimension `i` for input size `size`
  /// (dynamic stays dynamic).
  int64_t outputSize(unsigned i, int64_t size) const;
};
/// The geometry of `op` for its operand types; fails, through `error`, when
/// the attributes do not fit the input.
llvm::FailureOr<ConvGeometry> getConvGeometry(ConvOp::Adaptor op,
                                              const OpError &error);
llvm::FailureOr<ConvGeometry> getPoolGeometry(MaxPoolOp::Adaptor op,
                                              const OpError &error);
llvm::FailureOr<ConvGeometry> getPoolGeometry(AveragePoolOp::Adaptor op,
                                              const OpError &error);

/// The run-time output size of spatial dimension `i` (dimension `dim` of
/// `x`) under window `g`: ConvGeometry::outputSize as IR, never below 0
/// (ShapeReification.cpp; Conv and the pooling lowerings size their outputs
/// with it).
mlir::OpFoldResult reifyWindowOutputSize(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::Value x, unsigned dim,
                                         const ConvGeometry &g, unsigned i);

/// ConvTranspose's geometry: each input element spreads over a window of
/// the output at stride `strides`; the full output of input size D is
/// strides * (D - 1) + fullExtra, of which padsBegin and padsEnd are cut
/// off (negative pads, from output_shape or SAME_*, extend it with zeros).
struct ConvTransposeGeometry {
  llvm::SmallVector<int64_t> kernel, strides, dilations, outputPadding,
      padsBegin, padsEnd;
  int64_t fullExtra(unsigned i) const {
    return dilations[i] * (kernel[i] - 1) + 1 + outputPadding[i];
  }
  /// The output size of spatial dimension `i` (dynamic stays dynamic).
  int64_t outputSize(unsigned i, int64_t size) const;
};
llvm::FailureOr<ConvTransposeGeometry>
getConvTransposeGeometry(ConvTransposeOp::Adaptor op, const OpError &error);

/// What Resize does along each dimension of X.
struct ResizeGeometry {
  /// Whether the dimension is resized (listed in `axes`, or any without).
  llvm::SmallVector<bool> resized;
  /// Its position in scales, sizes and roi (-1 when not resized).
  llvm::SmallVector<int64_t> inputIndex;
  /// The output size, dynamic when known only at run time.
  llvm::SmallVector<int64_t> sizes;
  /// The scale, when known at compile time.
  llvm::SmallVector<std::optional<double>> scales;
  /// tf_crop_and_resize's region, as fractions of the input (0 and 1),
  /// unless it is read from roi at run time.
  llvm::SmallVector<double> roiStart, roiEnd;
  bool roiAtRunTime = false;
  /// The output size comes from `scales` (else from `sizes`).
  bool fromScales = false;
};
llvm::FailureOr<ResizeGeometry> getResizeGeometry(ResizeOp::Adaptor op,
                                                  const OpError &error);

/// DFT's transform along one axis: what the lowering builds for each axis
/// value.
struct DftShape {
  /// The transform length N and the number of output bins (dynamic when
  /// known only at run time); output components: 2, or 1 for an irfft.
  int64_t length, bins, components;
};
/// The shape DFT gives along `axis` (non-negative, below rank - 1) of its
/// input `type`, `length` being dft_length's constant value (or dynamic, or
/// nullopt without dft_length).
DftShape getDftShape(DFTOp::Adaptor op, mlir::RankedTensorType type,
                     int64_t axis, std::optional<int64_t> length);
/// The windows' (HannWindow and the others) type rule: `size` elements of
/// `output_datatype`.
mlir::LogicalResult inferWindow(const OpError &error, mlir::Value size,
                                int64_t dataType,
                                llvm::SmallVectorImpl<mlir::Type> &types);
/// A scalar int64 input's constant value (0-D or one element).
std::optional<int64_t> getConstantInt64(mlir::Value v);

/// Pad's pads as [begin..., end...] over every dimension of the data
/// (expanded from `axes`), when `pads` and `axes` are constants.
std::optional<llvm::SmallVector<int64_t>> getConstantPads(PadOp::Adaptor op,
                                                          const OpError &error);
/// The dimensions Pad pads, sorted as `axes` lists them and non-negative
/// (every dimension without `axes`); fails when `axes` is not a constant or
/// out of range.
llvm::FailureOr<llvm::SmallVector<int64_t>> getPadAxes(PadOp::Adaptor op,
                                                       const OpError &error);

/// Split's part sizes along its axis: `split`'s values, or equal parts (the
/// last one smaller); dynamic where not known at compile time.
llvm::FailureOr<llvm::SmallVector<int64_t>> getSplitSizes(SplitOp::Adaptor op,
                                                          const OpError &error);
/// Split's number of outputs: `split`'s static length, else num_outputs
/// (the importer sets it for the opsets before 18, from the node).
std::optional<int64_t> getNumSplitOutputs(SplitOp::Adaptor op);

/// Einsum's equation resolved against its operands' ranks: one label per
/// dimension of each input and of the output. An ellipsis becomes labels
/// '0'..'9' (aligned on the right, as broadcasting does); without "->" the
/// output is the ellipsis, then the labels used once, sorted.
struct EinsumLabels {
  llvm::SmallVector<std::string> inputs;
  std::string output;
};
llvm::FailureOr<EinsumLabels> getEinsumLabels(EinsumOp::Adaptor op,
                                              const OpError &error);
} // namespace seqc::onnx

#endif // SEQC_DIALECTS_ONNX_ONNXOPS_H
