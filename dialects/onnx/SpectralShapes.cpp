//===- SpectralShapes.cpp - Result types of DFT, STFT and the windows -----===//

#include "dialects/onnx/OnnxDialect.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

std::optional<int64_t> seqc::onnx::getConstantInt64(Value v) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return values->front();
}

DftShape seqc::onnx::getDftShape(DFTOp op, RankedTensorType type, int64_t axis,
                                 std::optional<int64_t> length) {
  bool inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
  int64_t size = type.getDimSize(axis);
  DftShape shape;
  if (length)
    shape.length = *length;
  else if (size == kDynamic)
    shape.length = kDynamic;
  else // an irfft's one-sided input of M bins is a signal of 2(M - 1)
    shape.length = inverse && onesided ? 2 * (size - 1) : size;
  bool irfft = inverse && onesided;
  shape.bins = shape.length == kDynamic ? kDynamic
               : onesided && !inverse ? shape.length / 2 + 1
                                      : shape.length;
  shape.components = irfft ? 1 : 2;
  return shape;
}

LogicalResult DFTOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type || type.getRank() < 2)
    return emitOpError("dft_c1: the input must be [..., signal, 1 or 2], "
                       "found ")
           << getInput().getType();
  int64_t rank = type.getRank(), last = type.getDimSize(rank - 1);
  if (last != kDynamic && last != 1 && last != 2)
    return emitOpError("dft_c1: the last dimension (real and imaginary "
                       "parts) must be 1 or 2, found ")
           << last;
  std::optional<int64_t> length;
  if (getDftLength()) {
    length = getConstantInt64(getDftLength());
    if (!length)
      length = kDynamic;
    else if (*length < 1)
      return emitOpError("dft_c2: dft_length must be positive, found ")
             << *length;
  }
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = getInverse() && getOnesided() ? 1 : 2;
  std::optional<int64_t> axis =
      getAxis() ? getConstantInt64(getAxis()) : std::optional<int64_t>(-2);
  if (!axis) {
    // Any of the signal dimensions may change.
    for (int64_t d = 0; d + 1 < rank; ++d)
      shape[d] = kDynamic;
  } else {
    int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (a < 0 || a >= rank - 1)
      return emitOpError("dft_c3: axis ")
             << *axis << " is out of range for rank " << rank
             << " (the last dimension holds the complex parts)";
    shape[a] = getDftShape(*this, type, a, length).bins;
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult STFTOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(getSignal().getType());
  if (!type || type.getRank() != 3 ||
      (!type.isDynamicDim(2) && type.getDimSize(2) != 1 &&
       type.getDimSize(2) != 2))
    return emitOpError("stft_c1: the signal must be [batch, length, 1 or 2], "
                       "found ")
           << getSignal().getType();
  std::optional<int64_t> length;
  if (getFrameLength()) {
    length = getConstantInt64(getFrameLength());
  } else if (getWindow()) {
    auto window = dyn_cast<RankedTensorType>(getWindow().getType());
    if (!window || window.getRank() != 1)
      return emitOpError("stft_c2: the window must be 1-D, found ")
             << getWindow().getType();
    length = window.getDimSize(0);
  } else {
    return emitOpError("stft_c2: needs a window or a frame_length");
  }
  std::optional<int64_t> step = getConstantInt64(getFrameStep());
  if ((length && *length != kDynamic && *length < 1) || (step && *step < 1))
    return emitOpError("stft_c3: frame_length and frame_step must be "
                       "positive");
  int64_t frames = kDynamic, bins = kDynamic;
  if (length && *length != kDynamic) {
    bins = getOnesided() ? *length / 2 + 1 : *length;
    if (step && !type.isDynamicDim(1))
      frames = type.getDimSize(1) < *length
                   ? 0
                   : (type.getDimSize(1) - *length) / *step + 1;
  }
  types.push_back(RankedTensorType::get({type.getDimSize(0), frames, bins, 2},
                                        type.getElementType()));
  return success();
}

/// The windows: `size` elements of `output_datatype`.
static LogicalResult inferWindow(Operation *op, Value size, int64_t dataType,
                                 SmallVectorImpl<Type> &types) {
  Type elt = getElementType(op->getContext(), dataType);
  if (!elt || !isa<FloatType>(elt))
    return op->emitOpError("window_c1: output_datatype ")
           << dataType << " is not a float type seqc supports";
  std::optional<int64_t> count = getConstantInt64(size);
  if (count && *count < 0)
    return op->emitOpError("window_c2: size must not be negative, found ")
           << *count;
  types.push_back(RankedTensorType::get({count ? *count : kDynamic}, elt));
  return success();
}
LogicalResult HannWindowOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferWindow(*this, getSize(), getOutputDatatype(), types);
}
LogicalResult HammingWindowOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferWindow(*this, getSize(), getOutputDatatype(), types);
}
LogicalResult
BlackmanWindowOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferWindow(*this, getSize(), getOutputDatatype(), types);
}

LogicalResult MelWeightMatrixOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elt = getElementType(getContext(), getOutputDatatype());
  if (!elt || getStorageElementType(elt) != elt)
    return emitOpError("melweightmatrix_c1: output_datatype ")
           << getOutputDatatype() << " is not a type seqc computes in";
  for (Value v : {getNumMelBins(), getDftLength(), getSampleRate()})
    if (!isa<IntegerType>(getElementTypeOrSelf(v)))
      return emitOpError("melweightmatrix_c2: num_mel_bins, dft_length and "
                         "sample_rate must be integers");
  for (Value v : {getLowerEdgeHertz(), getUpperEdgeHertz()})
    if (!isa<FloatType>(getElementTypeOrSelf(v)))
      return emitOpError("melweightmatrix_c3: the edge frequencies must be "
                         "floats");
  std::optional<int64_t> mels = getConstantInt64(getNumMelBins());
  std::optional<int64_t> length = getConstantInt64(getDftLength());
  if ((mels && *mels < 0) || (length && *length < 0))
    return emitOpError("melweightmatrix_c4: num_mel_bins and dft_length must "
                       "not be negative");
  types.push_back(RankedTensorType::get(
      {length ? *length / 2 + 1 : kDynamic, mels ? *mels : kDynamic}, elt));
  return success();
}
