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

DftShape seqc::onnx::getDftShape(DFTOp::Adaptor op, RankedTensorType type,
                                 int64_t axis, std::optional<int64_t> length) {
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

LogicalResult DFTOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type || type.getRank() < 2)
    return error("dft_c1: the input must be [..., signal, 1 or 2], "
                 "found ")
           << adaptor.getInput().getType();
  int64_t rank = type.getRank(), last = type.getDimSize(rank - 1);
  if (last != kDynamic && last != 1 && last != 2)
    return error("dft_c1: the last dimension (real and imaginary "
                 "parts) must be 1 or 2, found ")
           << last;
  std::optional<int64_t> length;
  if (adaptor.getDftLength()) {
    length = getConstantInt64(adaptor.getDftLength());
    if (!length)
      length = kDynamic;
    else if (*length < 1)
      return error("dft_c2: dft_length must be positive, found ") << *length;
  }
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = adaptor.getInverse() && adaptor.getOnesided() ? 1 : 2;
  std::optional<int64_t> axis = adaptor.getAxis()
                                    ? getConstantInt64(adaptor.getAxis())
                                    : std::optional<int64_t>(-2);
  if (!axis) {
    // Any of the signal dimensions may change.
    for (int64_t d = 0; d + 1 < rank; ++d)
      shape[d] = kDynamic;
  } else {
    int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (a < 0 || a >= rank - 1)
      return error("dft_c3: axis ")
             << *axis << " is out of range for rank " << rank
             << " (the last dimension holds the complex parts)";
    shape[a] = getDftShape(adaptor, type, a, length).bins;
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult STFTOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto type = dyn_cast<RankedTensorType>(adaptor.getSignal().getType());
  if (!type || type.getRank() != 3 ||
      (!type.isDynamicDim(2) && type.getDimSize(2) != 1 &&
       type.getDimSize(2) != 2))
    return error("stft_c1: the signal must be [batch, length, 1 or 2], "
                 "found ")
           << adaptor.getSignal().getType();
  std::optional<int64_t> length;
  if (adaptor.getFrameLength()) {
    length = getConstantInt64(adaptor.getFrameLength());
  } else if (adaptor.getWindow()) {
    auto window = dyn_cast<RankedTensorType>(adaptor.getWindow().getType());
    if (!window || window.getRank() != 1)
      return error("stft_c2: the window must be 1-D, found ")
             << adaptor.getWindow().getType();
    length = window.getDimSize(0);
  } else {
    return error("stft_c2: needs a window or a frame_length");
  }
  std::optional<int64_t> step = getConstantInt64(adaptor.getFrameStep());
  if ((length && *length != kDynamic && *length < 1) || (step && *step < 1))
    return error("stft_c3: frame_length and frame_step must be "
                 "positive");
  int64_t frames = kDynamic, bins = kDynamic;
  if (length && *length != kDynamic) {
    bins = adaptor.getOnesided() ? *length / 2 + 1 : *length;
    if (step && !type.isDynamicDim(1))
      frames = type.getDimSize(1) < *length
                   ? 0
                   : (type.getDimSize(1) - *length) / *step + 1;
  }
  types.push_back(RankedTensorType::get({type.getDimSize(0), frames, bins, 2},
                                        type.getElementType()));
  return success();
}

LogicalResult seqc::onnx::inferWindow(const OpError &error, Value size,
                                      int64_t dataType,
                                      SmallVectorImpl<Type> &types) {
  Type elt = getElementType(error.getContext(), dataType);
  if (!elt || !isa<FloatType>(elt))
    return error("window_c1: output_datatype ")
           << dataType << " is not a float type seqc supports";
  std::optional<int64_t> count = getConstantInt64(size);
  if (count && *count < 0)
    return error("window_c2: size must not be negative, found ") << *count;
  types.push_back(RankedTensorType::get({count ? *count : kDynamic}, elt));
  return success();
}
LogicalResult MelWeightMatrixOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  Type elt = getElementType(context, adaptor.getOutputDatatype());
  if (!elt || getStorageElementType(elt) != elt)
    return error("melweightmatrix_c1: output_datatype ")
           << adaptor.getOutputDatatype() << " is not a type seqc computes in";
  for (Value v : {adaptor.getNumMelBins(), adaptor.getDftLength(),
                  adaptor.getSampleRate()})
    if (!isa<IntegerType>(getElementTypeOrSelf(v)))
      return error("melweightmatrix_c2: num_mel_bins, dft_length and "
                   "sample_rate must be integers");
  for (Value v : {adaptor.getLowerEdgeHertz(), adaptor.getUpperEdgeHertz()})
    if (!isa<FloatType>(getElementTypeOrSelf(v)))
      return error("melweightmatrix_c3: the edge frequencies must be "
                   "floats");
  std::optional<int64_t> mels = getConstantInt64(adaptor.getNumMelBins());
  std::optional<int64_t> length = getConstantInt64(adaptor.getDftLength());
  if ((mels && *mels < 0) || (length && *length < 0))
    return error("melweightmatrix_c4: num_mel_bins and dft_length must "
                 "not be negative");
  types.push_back(RankedTensorType::get(
      {length ? *length / 2 + 1 : kDynamic, mels ? *mels : kDynamic}, elt));
  return success();
}
