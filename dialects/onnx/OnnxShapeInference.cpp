//===- OnnxShapeInference.cpp - Result types of the ONNX operators
//---------===//
//
// ONNX's type and shape inference, one InferTypeOpInterface
// `inferReturnTypes` per op. The importer calls it right after an op is
// created and has passed its own checks, and op verification calls it again
// to check the result types. Values that decide a shape (Reshape's shape,
// Squeeze's axes, Slice's bounds) are read when they are constants, and
// otherwise the affected dimensions become dynamic.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/RecurrentCells.h"

#include "mlir/IR/Matchers.h"
#include <cmath>
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

InFlightDiagnostic OpError::operator()(const Twine &message) const {
  // Type inference without a location (a speculative caller) still fails;
  // its message then has no place to point at.
  return emitError(loc.value_or(UnknownLoc::get(context)))
         << "'" << opName << "' op " << message;
}

bool seqc::onnx::areCompatibleResultTypes(TypeRange inferred,
                                          TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  return llvm::all_of(llvm::zip(inferred, actual), [](auto pair) {
    auto [a, b] = pair;
    if (!isa<ShapedType>(a) || !isa<ShapedType>(b))
      return bool(joinValueTypes(a, b));
    return getElementTypeOrSelf(a) == getElementTypeOrSelf(b) &&
           succeeded(verifyCompatibleShape(a, b));
  });
}

std::optional<SmallVector<int64_t>> seqc::onnx::getConstantInts(Attribute a) {
  auto attr = dyn_cast_if_present<DenseIntElementsAttr>(a);
  if (!attr)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &i : attr.getValues<APInt>())
    values.push_back(i.getSExtValue());
  return values;
}

std::optional<SmallVector<int64_t>> seqc::onnx::getConstantInts(Value v) {
  Attribute attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return getConstantInts(attr);
}

/// The ranked type of `v`, or an error at `op` naming the operand.
static FailureOr<RankedTensorType> getRankedType(const OpError &error, Value v,
                                                 StringRef what) {
  if (auto type = dyn_cast<RankedTensorType>(v.getType()))
    return type;
  return error() << what << " must have a known rank, found " << v.getType();
}

/// Normalises a possibly negative axis; fails when out of range.
static FailureOr<int64_t> normalizeAxis(const OpError &error, int64_t axis,
                                        int64_t rank) {
  if (axis < -rank || axis >= rank)
    return error() << "axis " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

/// Multidirectional (numpy) broadcasting of two shapes. A dynamic dimension
/// against a static one other than 1 takes the static size; the generated
/// code checks the dynamic one at run time.
static FailureOr<SmallVector<int64_t>> broadcastShapes(const OpError &error,
                                                       ArrayRef<int64_t> a,
                                                       ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == 1)
      result[i] = db;
    else if (db == 1)
      result[i] = da;
    else if (da == kDynamic)
      result[i] = db;
    else if (db == kDynamic || da == db)
      result[i] = da;
    else
      return error("broadcast_c1: dimensions ")
             << da << " and " << db << " cannot be broadcast together";
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Recurrent ops
//===----------------------------------------------------------------------===//

/// LSTM, GRU and RNN: Y is [seq, dirs, batch, hidden] (batch first with
/// layout 1) and each of the `numStates` states [dirs, batch, hidden].
template <typename Adaptor>
static LogicalResult inferRecurrent(const OpError &error, Adaptor op,
                                    unsigned numStates,
                                    SmallVectorImpl<Type> &resultTypes) {
  FailureOr<RankedTensorType> x = getRankedType(error, op.getX(), "X");
  if (failed(x))
    return failure();
  auto xType = *x;
  if (xType.getRank() != 3)
    return error("recurrent_c1: X must be 3-D, found ") << xType;
  bool batchMajor = op.getLayout() != 0;
  int64_t seqLen = xType.getDimSize(batchMajor ? 1 : 0);
  int64_t batch = xType.getDimSize(batchMajor ? 0 : 1);
  int64_t dirs = op.getDirection() == "bidirectional" ? 2 : 1;
  int64_t hidden = kDynamic;
  if (op.getHiddenSize())
    hidden = *op.getHiddenSize();
  else if (auto r = dyn_cast<RankedTensorType>(op.getR().getType());
           r && r.getRank() == 3)
    hidden = r.getDimSize(2);
  Type elt = xType.getElementType();
  auto y = batchMajor
               ? RankedTensorType::get({batch, seqLen, dirs, hidden}, elt)
               : RankedTensorType::get({seqLen, dirs, batch, hidden}, elt);
  auto state = batchMajor ? RankedTensorType::get({batch, dirs, hidden}, elt)
                          : RankedTensorType::get({dirs, batch, hidden}, elt);
  resultTypes.push_back(y);
  resultTypes.append(numStates, state);
  return success();
}

LogicalResult LSTMOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferRecurrent(error, adaptor, 2, types);
}
LogicalResult GRUOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferRecurrent(error, adaptor, 1, types);
}
LogicalResult RNNOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferRecurrent(error, adaptor, 1, types);
}

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(getConstantValue(adaptor, context).getShapedType());
  return success();
}

LogicalResult IdentityOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<bool> drop(rank, false);
  if (adaptor.getAxes()) {
    std::optional<SmallVector<int64_t>> axes =
        getConstantInts(adaptor.getAxes());
    if (!axes) {
      // Axes read at run time: their number gives the rank, no size is known.
      auto axesType = dyn_cast<RankedTensorType>(adaptor.getAxes().getType());
      if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0) ||
          axesType.getDimSize(0) > rank)
        return error("squeeze_c2: axes must be a constant or a 1-D "
                     "tensor of static size, found ")
               << adaptor.getAxes().getType();
      types.push_back(RankedTensorType::get(
          SmallVector<int64_t>(rank - axesType.getDimSize(0), kDynamic),
          type->getElementType()));
      return success();
    }
    for (int64_t axis : *axes) {
      FailureOr<int64_t> a = normalizeAxis(error, axis, rank);
      if (failed(a))
        return failure();
      if (type->getDimSize(*a) != 1 && !type->isDynamicDim(*a))
        return error("squeeze_c3: dimension ")
               << *a << " has size " << type->getDimSize(*a) << ", not 1";
      drop[*a] = true;
    }
  } else {
    for (int64_t i = 0; i < rank; ++i) {
      if (type->isDynamicDim(i))
        return error("squeeze_c2: without axes, dimension ")
               << i << " must be static";
      drop[i] = type->getDimSize(i) == 1;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      shape.push_back(type->getDimSize(i));
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(type))
    return failure();
  std::optional<SmallVector<int64_t>> axes = getConstantInts(adaptor.getAxes());
  if (!axes) {
    // Axes read at run time: their number gives the rank, no size is known.
    auto axesType = dyn_cast<RankedTensorType>(adaptor.getAxes().getType());
    if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0))
      return error("unsqueeze_c2: axes must be a constant or a 1-D "
                   "tensor of static size, found ")
             << adaptor.getAxes().getType();
    // Found by seqc-GraphFuzzer: an axes input declared of size INT64_MAX.
    if (axesType.getDimSize(0) > kMaxRank - type->getRank())
      return error("unsqueeze: a result of rank above ")
             << kMaxRank << " is not supported";
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(type->getRank() + axesType.getDimSize(0),
                             kDynamic),
        type->getElementType()));
    return success();
  }
  int64_t rank = type->getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(error, axis, rank);
    if (failed(a))
      return failure();
    if (inserted[*a])
      return error("unsqueeze_c3: axis ") << axis << " repeats";
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  unsigned next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : type->getDimSize(next++));
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(type))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t from : getPermutation(adaptor, type->getRank()))
    shape.push_back(type->getDimSize(from));
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

SmallVector<int64_t> seqc::onnx::getPermutation(TransposeOp::Adaptor op,
                                                int64_t rank) {
  if (ArrayAttr perm = op.getPermAttr())
    return llvm::map_to_vector(
        perm, [](Attribute a) { return cast<IntegerAttr>(a).getInt(); });
  return llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  auto shapeType = dyn_cast<RankedTensorType>(adaptor.getShape().getType());
  if (!shapeType || shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return error("expand_c1: the shape input must be 1-D with a static "
                 "size, found ")
           << adaptor.getShape().getType();
  if (shapeType.getDimSize(0) > kMaxRank)
    return error("expand: a result of rank ")
           << shapeType.getDimSize(0) << " (above " << kMaxRank
           << ") is not supported";
  SmallVector<int64_t> requested(shapeType.getDimSize(0), kDynamic);
  if (std::optional<SmallVector<int64_t>> values =
          getConstantInts(adaptor.getShape()))
    requested = *values;
  // A requested size known only at run time takes the input's size where
  // that is static and not 1.
  int64_t rank = std::max<int64_t>(type->getRank(), requested.size());
  SmallVector<int64_t> known(requested);
  for (int64_t i = 0; i < (int64_t)requested.size(); ++i) {
    int64_t j = i - (rank - type->getRank());
    if (requested[i] == kDynamic && j >= 0 && type->getDimSize(j) != 1)
      known[i] = type->getDimSize(j);
  }
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(error, type->getShape(), known);
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, type->getElementType()));
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), axis = adaptor.getAxis();
  if (axis < -rank || axis > rank)
    return error("flatten_c1: axis ")
           << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  // Found by seqc-GraphFuzzer: the product of declared sizes overflowed.
  bool overflow = false;
  auto product = [&](ArrayRef<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims)
      if (d == kDynamic || n == kDynamic)
        n = kDynamic;
      else
        overflow |= llvm::MulOverflow(n, d, n);
    return n;
  };
  ArrayRef<int64_t> shape = type->getShape();
  int64_t outer = product(shape.take_front(axis)),
          inner = product(shape.drop_front(axis));
  if (overflow)
    return error("flatten: the flattened sizes of ")
           << *type << " do not fit in int64";
  types.push_back(RankedTensorType::get(
      {outer, inner},
      type->getElementType()));
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  auto shapeType = dyn_cast<RankedTensorType>(adaptor.getShape().getType());
  if (failed(type))
    return failure();
  if (!shapeType || shapeType.isDynamicDim(0))
    return error("reshape_c2: the shape input must have a static size");
  // Found by seqc-GraphFuzzer: a shape input declared of size INT64_MAX.
  if (shapeType.getDimSize(0) > kMaxRank)
    return error("reshape: a result of rank ")
           << shapeType.getDimSize(0) << " (above " << kMaxRank
           << ") is not supported";
  std::optional<SmallVector<int64_t>> requested =
      getConstantInts(adaptor.getShape());
  if (!requested) {
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(shapeType.getDimSize(0), kDynamic),
        type->getElementType()));
    return success();
  }
  SmallVector<int64_t> shape;
  int64_t inferredAt = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*requested)) {
    if (d == 0 && !adaptor.getAllowzero()) {
      if ((int64_t)i >= type->getRank())
        return error("reshape_c3: 0 at position ")
               << i << " copies a dimension the rank-" << type->getRank()
               << " input lacks";
      d = type->getDimSize(i);
    } else if (d == -1) {
      if (inferredAt >= 0)
        return error("reshape_c4: at most one dimension may be -1");
      inferredAt = i;
    } else if (d < 0) {
      return error("reshape_c5: invalid dimension ") << d;
    }
    shape.push_back(d);
    if (d == -1)
      continue;
    // Found by seqc-ImportFuzzer: a product of requested sizes beyond int64.
    if (d == kDynamic || known == kDynamic)
      known = kDynamic;
    else if (llvm::MulOverflow(known, d, known))
      return error("reshape: the requested shape has more than 2^63 elements");
  }
  if (inferredAt >= 0) {
    int64_t total = type->hasStaticShape() ? type->getNumElements() : kDynamic;
    if (total != kDynamic && known != kDynamic) {
      if (known == 0 || total % known != 0)
        return error("reshape_c6: cannot reshape ")
               << total << " elements into the requested shape";
      shape[inferredAt] = total / known;
    } else {
      shape[inferredAt] = kDynamic;
    }
  } else if (type->hasStaticShape() && known != kDynamic &&
             known != type->getNumElements()) {
    return error("reshape_c6: cannot reshape ")
           << type->getNumElements() << " elements into " << known;
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> first =
      getRankedType(error, adaptor.getInputs()[0], "inputs");
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  int64_t axis =
      adaptor.getAxis() < 0 ? adaptor.getAxis() + rank : adaptor.getAxis();
  SmallVector<int64_t> shape(first->getShape());
  shape[axis] = 0;
  for (Value v : adaptor.getInputs()) {
    FailureOr<RankedTensorType> type = getRankedType(error, v, "inputs");
    if (failed(type))
      return failure();
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = type->getDimSize(i);
      if (i == axis) {
        if (shape[i] == kDynamic || d == kDynamic)
          shape[i] = kDynamic;
        else if (llvm::AddOverflow(shape[i], d, shape[i]))
          return error("concat: the result's size overflows int64");
      } else if (shape[i] == kDynamic) {
        shape[i] = d;
      } else if (d != kDynamic && d != shape[i]) {
        return error("concat_c4: dimension ")
               << i << " differs between inputs: " << shape[i] << " vs " << d;
      }
    }
  }
  types.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  std::optional<SmallVector<int64_t>> starts =
      getConstantInts(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends = getConstantInts(adaptor.getEnds());
  std::optional<SmallVector<int64_t>> axes;
  std::optional<SmallVector<int64_t>> steps;
  if (adaptor.getAxes())
    axes = getConstantInts(adaptor.getAxes());
  if (adaptor.getSteps())
    steps = getConstantInts(adaptor.getSteps());
  SmallVector<int64_t> shape(type->getShape());
  // One start, end, axis and step per sliced axis, at most one per
  // dimension (found by seqc-GraphFuzzer: starts declared of size 2^31 - 1,
  // read at run time, indexed past the rank in the lowering).
  for (auto [name, operand] :
       {std::pair<StringRef, Value>{"starts", adaptor.getStarts()},
        {"ends", adaptor.getEnds()},
        {"axes", adaptor.getAxes()},
        {"steps", adaptor.getSteps()}}) {
    auto operandType =
        operand ? dyn_cast<RankedTensorType>(operand.getType()) : nullptr;
    if (operandType &&
        (operandType.getRank() != 1 || operandType.getDimSize(0) > rank))
      return error("slice_c4: ")
             << name << " must be 1-D with at most " << rank
             << " values, found " << operandType;
  }
  // As many of each (found by seqc-GraphFuzzer: one axis for three starts
  // read at run time; the lowering read axes past their end).
  int64_t length = kDynamic;
  for (Value operand : {adaptor.getStarts(), adaptor.getEnds(),
                        adaptor.getAxes(), adaptor.getSteps()}) {
    auto operandType =
        operand ? dyn_cast<RankedTensorType>(operand.getType()) : nullptr;
    if (!operandType || operandType.isDynamicDim(0))
      continue;
    if (length != kDynamic && operandType.getDimSize(0) != length)
      return error("slice_c4: starts, ends, axes and steps must have the "
                   "same length, found ")
             << length << " and " << operandType.getDimSize(0);
    length = operandType.getDimSize(0);
  }
  if (!starts || !ends || (adaptor.getAxes() && !axes) ||
      (adaptor.getSteps() && !steps)) {
    // Bounds known only at run time: every sliced axis becomes dynamic.
    if (!axes && adaptor.getAxes())
      shape.assign(rank, kDynamic);
    else if (axes)
      for (auto [i, a] : llvm::enumerate(*axes)) {
        FailureOr<int64_t> axis = normalizeAxis(error, a, rank);
        if (failed(axis))
          return failure();
        for (int64_t earlier : ArrayRef(*axes).take_front(i))
          if ((earlier < 0 ? earlier + rank : earlier) == *axis)
            return error() << "slice_c5: axis " << *axis << " repeats";
        shape[*axis] = kDynamic;
      }
    else
      shape.assign(rank, kDynamic);
    types.push_back(RankedTensorType::get(shape, type->getElementType()));
    return success();
  }
  FailureOr<SliceWindow> window = resolveSlice(
      type->getShape(), *starts, *ends, axes, steps, [&] { return error(); });
  if (failed(window))
    return failure();
  types.push_back(RankedTensorType::get(window->sizes, type->getElementType()));
  return success();
}

FailureOr<SliceWindow>
seqc::onnx::resolveSlice(ArrayRef<int64_t> shape, ArrayRef<int64_t> starts,
                         ArrayRef<int64_t> ends,
                         std::optional<ArrayRef<int64_t>> axes,
                         std::optional<ArrayRef<int64_t>> steps,
                         function_ref<InFlightDiagnostic()> emitError) {
  auto fail = [&](const Twine &message) {
    if (emitError)
      emitError() << message;
    return failure();
  };
  size_t count = starts.size();
  if (ends.size() != count || (axes && axes->size() != count) ||
      (steps && steps->size() != count))
    return fail("slice_c2: starts, ends, axes and steps must have the same "
                "length");
  int64_t rank = shape.size();
  SliceWindow window{SmallVector<int64_t>(rank, 0),
                     SmallVector<int64_t>(rank, 1),
                     SmallVector<int64_t>(shape)};
  SmallVector<bool> sliced(rank, false);
  for (size_t i = 0; i < count; ++i) {
    int64_t axis = axes ? (*axes)[i] : i;
    if (axis < -rank || axis >= rank)
      return fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
    if (axis < 0)
      axis += rank;
    if (sliced[axis])
      return fail("slice_c5: axis " + Twine(axis) + " repeats");
    sliced[axis] = true;
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0)
      return fail("slice_c3: steps must not be 0");
    window.steps[axis] = step;
    int64_t dim = shape[axis];
    if (dim == kDynamic)
      continue;
    // Negative bounds count from the end; then the start is clamped into
    // [0, dim] (positive steps) or [0, dim-1] (negative ones), the end into
    // [0, dim] or [-1, dim-1].
    auto clamp = [&](int64_t v, bool isEnd) {
      if (v < 0)
        v += dim;
      if (step > 0)
        return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, isEnd ? -1 : 0, dim - 1);
    };
    int64_t start = clamp(starts[i], false), end = clamp(ends[i], true);
    int64_t extent = step > 0 ? end - start : start - end;
    // |step| as unsigned: -INT64_MIN does not fit in int64_t.
    uint64_t stride = step > 0 ? step : -static_cast<uint64_t>(step);
    window.starts[axis] = start;
    window.sizes[axis] = extent <= 0 ? 0 : 1 + (extent - 1) / stride;
  }
  return window;
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(error, adaptor.getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  int64_t axis = adaptor.getAxis() < 0 ? adaptor.getAxis() + data->getRank()
                                       : adaptor.getAxis();
  SmallVector<int64_t> shape(data->getShape().take_front(axis));
  llvm::append_range(shape, indices->getShape());
  llvm::append_range(shape, data->getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data->getElementType()));
  return success();
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(data))
    return failure();
  auto [start, end] = getShapeRange(adaptor, data->getRank());
  types.push_back(RankedTensorType::get({std::max<int64_t>(end - start, 0)},
                                        IntegerType::get(context, 64)));
  return success();
}

std::pair<int64_t, int64_t> seqc::onnx::getShapeRange(ShapeOp::Adaptor op,
                                                      int64_t rank) {
  auto clampIndex = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  return {op.getStart() ? clampIndex(*op.getStart()) : 0,
          op.getEnd() ? clampIndex(*op.getEnd()) : rank};
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> a = getRankedType(error, adaptor.getA(), "A");
  FailureOr<RankedTensorType> b = getRankedType(error, adaptor.getB(), "B");
  if (failed(a) || failed(b))
    return failure();
  // numpy.matmul: 1-D operands are promoted to matrices, then dropped again.
  SmallVector<int64_t> sa(a->getShape()), sb(b->getShape());
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  if (vecA)
    sa.insert(sa.begin(), 1);
  if (vecB)
    sb.push_back(1);
  int64_t k1 = sa.back(), k2 = sb[sb.size() - 2];
  if (k1 != kDynamic && k2 != kDynamic && k1 != k2)
    return error("matmul_c2: contraction dimensions differ: ")
           << k1 << " vs " << k2;
  FailureOr<SmallVector<int64_t>> batch = broadcastShapes(
      error, ArrayRef(sa).drop_back(2), ArrayRef(sb).drop_back(2));
  if (failed(batch))
    return failure();
  SmallVector<int64_t> shape = *batch;
  if (!vecA)
    shape.push_back(sa[sa.size() - 2]);
  if (!vecB)
    shape.push_back(sb.back());
  types.push_back(RankedTensorType::get(shape, a->getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto a = cast<RankedTensorType>(adaptor.getA().getType());
  auto b = cast<RankedTensorType>(adaptor.getB().getType());
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t k1 = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (k1 != kDynamic && k2 != kDynamic && k1 != k2)
    return error("gemm_c2: contraction dimensions differ: ")
           << k1 << " vs " << k2;
  if (adaptor.getC()) {
    FailureOr<RankedTensorType> c = getRankedType(error, adaptor.getC(), "C");
    if (failed(c))
      return failure();
    FailureOr<SmallVector<int64_t>> shape =
        broadcastShapes(error, {m, n}, c->getShape());
    if (failed(shape))
      return failure();
    if (shape->size() != 2)
      return error("gemm_c3: C must be unidirectionally broadcastable "
                   "to [M, N]");
  }
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult seqc::onnx::inferBroadcast(const OpError &error,
                                         ValueRange operands,
                                         SmallVectorImpl<Type> &types) {
  if (operands.empty())
    return error("needs at least one input");
  SmallVector<int64_t> shape;
  Type elementType;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    FailureOr<RankedTensorType> type =
        getRankedType(error, operand, ("input " + Twine(i)).str());
    if (failed(type))
      return failure();
    if (i == 0) {
      shape.assign(type->getShape().begin(), type->getShape().end());
      elementType = type->getElementType();
      continue;
    }
    FailureOr<SmallVector<int64_t>> broadcast =
        broadcastShapes(error, shape, type->getShape());
    if (failed(broadcast))
      return failure();
    shape = *broadcast;
  }
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult seqc::onnx::inferBroadcastToBool(const OpError &error,
                                               ValueRange operands,
                                               SmallVectorImpl<Type> &types) {
  if (failed(inferBroadcast(error, operands, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(IntegerType::get(error.getContext(), 1));
  return success();
}

LogicalResult seqc::onnx::inferWhere(const OpError &error, ValueRange operands,
                                     SmallVectorImpl<Type> &types) {
  if (operands.size() != 3)
    return error("where_c1: needs a condition, X and Y");
  if (failed(inferBroadcast(error, operands, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(getElementTypeOrSelf(operands[1]));
  return success();
}

LogicalResult seqc::onnx::inferSameShapeBool(const OpError &error,
                                             ValueRange operands,
                                             SmallVectorImpl<Type> &types) {
  if (failed(inferSameType(error, operands, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(IntegerType::get(error.getContext(), 1));
  return success();
}

FailureOr<SmallVector<int64_t>>
seqc::onnx::getReducedAxes(const OpError &error, int64_t rank, Value axes,
                           bool noopWithEmptyAxes) {
  SmallVector<int64_t> requested;
  if (axes) {
    std::optional<SmallVector<int64_t>> values = getConstantInts(axes);
    if (!values)
      return error("reduce_c1: axes must be a constant");
    requested = *values;
  }
  if (requested.empty()) {
    if (noopWithEmptyAxes)
      return SmallVector<int64_t>();
    return llvm::to_vector(llvm::seq<int64_t>(0, rank));
  }
  SmallVector<int64_t> reduced;
  for (int64_t a : requested) {
    FailureOr<int64_t> axis = normalizeAxis(error, a, rank);
    if (failed(axis))
      return failure();
    if (llvm::is_contained(reduced, *axis))
      return error("reduce_c2: axis ") << a << " repeats";
    reduced.push_back(*axis);
  }
  llvm::sort(reduced);
  return reduced;
}

LogicalResult seqc::onnx::inferReduce(const OpError &error, Value data,
                                      Value axes, int64_t keepdims,
                                      int64_t noopWithEmptyAxes,
                                      SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(error, data, "data");
  if (failed(type))
    return failure();
  // Axes read at run time: the rank is known from how many there are (none
  // repeat), the sizes are not.
  if (axes && !getConstantInts(axes)) {
    auto axesType = dyn_cast<RankedTensorType>(axes.getType());
    if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0))
      return error("reduce_c1: axes read at run time must be a 1-D "
                   "tensor of static length, found ")
             << axes.getType();
    int64_t count = axesType.getDimSize(0);
    // No axis repeats: at most one per dimension (found by seqc-GraphFuzzer:
    // with keepdims, 2^31 axes reached the lowering, one loop each).
    if (count > type->getRank())
      return error("reduce_c2: ")
             << count << " axes for a rank-" << type->getRank() << " input";
    if (count == 0 && noopWithEmptyAxes) {
      types.push_back(*type);
      return success();
    }
    int64_t rank = keepdims || count == 0 ? (keepdims ? type->getRank() : 0)
                                          : type->getRank() - count;
    if (rank < 0)
      return error("reduce_c2: ")
             << count << " axes for a rank-" << type->getRank() << " input";
    types.push_back(RankedTensorType::get(SmallVector<int64_t>(rank, kDynamic),
                                          type->getElementType()));
    return success();
  }
  FailureOr<SmallVector<int64_t>> reduced =
      getReducedAxes(error, type->getRank(), axes, noopWithEmptyAxes != 0);
  if (failed(reduced))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(type->getShape())) {
    if (!llvm::is_contained(*reduced, (int64_t)i))
      shape.push_back(d);
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult ConstantOfShapeOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto shapeType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!shapeType || shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return error("constantofshape_c2: the shape input must be 1-D with "
                 "a static size, found ")
           << adaptor.getInput().getType();
  if (shapeType.getDimSize(0) > kMaxRank)
    return error("constantofshape: a result of rank ")
           << shapeType.getDimSize(0) << " (above " << kMaxRank
           << ") is not supported";
  Type elementType =
      adaptor.getValueAttr()
          ? adaptor.getValueAttr().getShapedType().getElementType()
          : Float32Type::get(context);
  SmallVector<int64_t> shape(shapeType.getDimSize(0), kDynamic);
  if (std::optional<SmallVector<int64_t>> dims =
          getConstantInts(adaptor.getInput())) {
    for (int64_t d : *dims)
      if (d < 0)
        return error("constantofshape_c3: negative dimension ") << d;
    shape = *dims;
  }
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

/// The constant scalar `v` as a double, when it is one.
static std::optional<double> getConstantScalar(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto elements = dyn_cast<DenseElementsAttr>(attr);
  if (!elements || elements.getNumElements() != 1)
    return std::nullopt;
  if (isa<FloatType>(elements.getElementType()))
    return (*elements.getValues<APFloat>().begin()).convertToDouble();
  return (double)(*elements.getValues<APInt>().begin()).getSExtValue();
}

LogicalResult RangeOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  for (Value v : {adaptor.getStart(), adaptor.getLimit(), adaptor.getDelta()}) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() != 0)
      return error("range_c2: start, limit and delta must be scalars, "
                   "found ")
             << v.getType();
  }
  int64_t size = kDynamic;
  std::optional<double> start = getConstantScalar(adaptor.getStart()),
                        limit = getConstantScalar(adaptor.getLimit()),
                        delta = getConstantScalar(adaptor.getDelta());
  if (start && limit && delta) {
    if (*delta == 0)
      return error("range_c3: delta must not be 0");
    size = std::max<int64_t>(
        0, (int64_t)std::ceil((*limit - *start) / *delta));
  }
  types.push_back(
      RankedTensorType::get({size}, getElementTypeOrSelf(adaptor.getStart())));
  return success();
}

LogicalResult CastOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  Type to = getElementType(context, adaptor.getTo());
  if (!to)
    return error("cast_c1: unsupported target type ") << adaptor.getTo();
  if (isa<StringType>(to) || isa<StringType>(type->getElementType()))
    return error("cast_c1: casts to and from strings are not supported");
  types.push_back(type->clone(to));
  return success();
}

LogicalResult BitCastOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  Type to = getElementType(context, adaptor.getTo());
  Type from = type->getElementType();
  // A bool is a byte here, as in numpy and the C API.
  if (!to || isa<StringType>(to) || isa<StringType>(from))
    return error("bitcast_c1: unsupported target type ") << adaptor.getTo();
  auto width = [](Type t) {
    unsigned w = t.getIntOrFloatBitWidth();
    return w == 1 ? 8u : w;
  };
  if (width(to) != width(from))
    return error("bitcast_c2: ")
           << from << " and " << to << " differ in bit width";
  types.push_back(type->clone(to));
  return success();
}

LogicalResult CastLikeOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  Type to = getElementTypeOrSelf(adaptor.getTargetType());
  if (isa<StringType>(to) || isa<StringType>(type->getElementType()))
    return error("castlike_c1: casts to and from strings are not supported");
  types.push_back(type->clone(to));
  return success();
}

LogicalResult seqc::onnx::inferSameType(const OpError &error,
                                        ValueRange operands,
                                        SmallVectorImpl<Type> &types) {
  if (operands.empty())
    return error("needs an input");
  FailureOr<RankedTensorType> type = getRankedType(error, operands[0], "input");
  if (failed(type))
    return failure();
  types.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and padding
//===----------------------------------------------------------------------===//

int64_t ConvGeometry::outputSize(unsigned i, int64_t size) const {
  if (size == kDynamic)
    return kDynamic;
  int64_t span = dilations[i] * (kernel[i] - 1) + 1;
  int64_t padded = size + padsBegin[i] + padsEnd[i];
  if (padded < span)
    return 0;
  int64_t out = (padded - span + (ceilMode ? strides[i] - 1 : 0)) / strides[i] + 1;
  if (ceilMode && (out - 1) * strides[i] >= size + padsBegin[i])
    --out;
  return out;
}

/// A window attribute of `size` values into `out`; `fallback` for each when
/// the attribute is absent.
static LogicalResult readWindowList(const OpError &error,
                                    std::optional<ArrayAttr> attr,
                                    StringRef name, unsigned size,
                                    int64_t fallback,
                                    SmallVectorImpl<int64_t> &out) {
  if (!attr) {
    out.assign(size, fallback);
    return success();
  }
  if (attr->size() != size)
    return error("window_c2: ")
           << name << " has " << attr->size() << " values, expected " << size;
  // Found by seqc-GraphFuzzer: values near the int64 limits overflowed the
  // window arithmetic. No real window comes near 2^32.
  constexpr int64_t kMaxWindowValue = int64_t(1) << 32;
  for (Attribute a : *attr) {
    int64_t v = cast<IntegerAttr>(a).getInt();
    if (v > kMaxWindowValue || v < -kMaxWindowValue)
      return error("window: ") << name << " value " << v << " is out of range";
    out.push_back(v);
  }
  return success();
}

/// The window of `op` (Conv, MaxPool, AveragePool) over input `xType`;
/// `kernel` is the window's size per spatial dimension.
static FailureOr<ConvGeometry> getWindowGeometry(
    const OpError &error, RankedTensorType xType, ArrayRef<int64_t> kernel,
    std::optional<ArrayAttr> strides, std::optional<ArrayAttr> dilations,
    std::optional<ArrayAttr> padList, StringRef autoPad, bool ceilMode) {
  unsigned spatial = xType.getRank() - 2;
  ConvGeometry g;
  g.kernel.assign(kernel.begin(), kernel.end());
  g.ceilMode = ceilMode;
  auto readList = [&](std::optional<ArrayAttr> attr, StringRef name,
                      unsigned size, int64_t fallback,
                      SmallVectorImpl<int64_t> &out) {
    return readWindowList(error, attr, name, size, fallback, out);
  };
  SmallVector<int64_t> pads;
  if (g.kernel.size() != spatial)
    return error("window_c2: kernel_shape has ")
           << g.kernel.size() << " values, expected " << spatial;
  if (failed(readList(strides, "strides", spatial, 1, g.strides)) ||
      failed(readList(dilations, "dilations", spatial, 1, g.dilations)) ||
      failed(readList(padList, "pads", 2 * spatial, 0, pads)))
    return failure();
  for (unsigned i = 0; i < spatial; ++i)
    if (g.kernel[i] < 1 || g.strides[i] < 1 || g.dilations[i] < 1 ||
        pads[i] < 0 || pads[i + spatial] < 0)
      return error("window_c3: kernel sizes, strides and dilations "
                   "must be positive and pads non-negative");
  // Found by seqc-GraphFuzzer: a spatial size of INT64_MAX overflowed
  // size + pads. Sizes and the dilated kernel's span up to 2^61 keep every
  // step of the window arithmetic inside int64.
  constexpr int64_t kMaxWindowExtent = int64_t(1) << 61;
  for (unsigned i = 0; i < spatial; ++i) {
    int64_t span, size = xType.getDimSize(i + 2);
    if (llvm::MulOverflow(g.dilations[i], g.kernel[i] - 1, span) ||
        span >= kMaxWindowExtent)
      return error("window: the dilated kernel of spatial dimension ")
             << i << " is too large";
    if (size != kDynamic && size > kMaxWindowExtent)
      return error("window: spatial dimension ")
             << i + 2 << " of size " << size << " is too large";
  }
  g.padsBegin.assign(pads.begin(), pads.begin() + spatial);
  g.padsEnd.assign(pads.begin() + spatial, pads.end());
  if (autoPad == "VALID") {
    g.padsBegin.assign(spatial, 0);
    g.padsEnd.assign(spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t size = xType.getDimSize(i + 2);
      if (size == kDynamic)
        return error("window_c4: auto_pad ")
               << autoPad << " needs static spatial sizes, dimension " << i + 2
               << " is dynamic";
      int64_t out = (size + g.strides[i] - 1) / g.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * g.strides[i] + g.dilations[i] * (g.kernel[i] - 1) +
                 1 - size);
      int64_t small = total / 2, large = total - small;
      g.padsBegin[i] = autoPad == "SAME_UPPER" ? small : large;
      g.padsEnd[i] = total - g.padsBegin[i];
    }
  } else if (autoPad != "NOTSET") {
    return error("window_c4: unknown auto_pad '") << autoPad << "'";
  }
  return g;
}

FailureOr<ConvGeometry> seqc::onnx::getConvGeometry(ConvOp::Adaptor op,
                                                    const OpError &error) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  return getWindowGeometry(error, xType, wType.getShape().drop_front(2),
                           op.getStrides(), op.getDilations(), op.getPads(),
                           op.getAutoPad(), /*ceilMode=*/false);
}

template <typename Adaptor>
static FailureOr<ConvGeometry> getPoolGeometryOf(Adaptor op,
                                                 const OpError &error) {
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType || xType.getRank() < 3)
    return error("pool_c1: X must be [N, C, D...], found ")
           << op.getX().getType();
  SmallVector<int64_t> kernel;
  for (Attribute a : op.getKernelShape())
    kernel.push_back(cast<IntegerAttr>(a).getInt());
  return getWindowGeometry(error, xType, kernel, op.getStrides(),
                           op.getDilations(), op.getPads(), op.getAutoPad(),
                           op.getCeilMode() != 0);
}

FailureOr<ConvGeometry> seqc::onnx::getPoolGeometry(MaxPoolOp::Adaptor op,
                                                    const OpError &error) {
  return getPoolGeometryOf(op, error);
}
FailureOr<ConvGeometry> seqc::onnx::getPoolGeometry(AveragePoolOp::Adaptor op,
                                                    const OpError &error) {
  return getPoolGeometryOf(op, error);
}

/// MaxPool and AveragePool: [N, C, O...].
template <typename Adaptor>
static LogicalResult inferPool(const OpError &error, Adaptor op,
                               SmallVectorImpl<Type> &types,
                               unsigned numResults) {
  FailureOr<ConvGeometry> g = getPoolGeometry(op, error);
  if (failed(g))
    return failure();
  auto xType = cast<RankedTensorType>(op.getX().getType());
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  for (unsigned i = 0; i + 2 < xType.getRank(); ++i)
    shape.push_back(g->outputSize(i, xType.getDimSize(i + 2)));
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  if (numResults == 2)
    types.push_back(
        RankedTensorType::get(shape, IntegerType::get(error.getContext(), 64)));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferPool(error, adaptor, types, 2);
}
LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferPool(error, adaptor, types, 1);
}

/// Global pooling: [N, C, 1...].
static LogicalResult inferGlobalPool(const OpError &error, Value x,
                                     SmallVectorImpl<Type> &types) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  if (!xType || xType.getRank() < 3)
    return error("pool_c1: X must be [N, C, D...], found ") << x.getType();
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  shape.append(xType.getRank() - 2, 1);
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  return success();
}
LogicalResult GlobalAveragePoolOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferGlobalPool(error, adaptor.getX(), types);
}
LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferGlobalPool(error, adaptor.getX(), types);
}

/// ArgMax and ArgMin: the input's shape without (or with 1 at) `axis`,
/// int64.
static LogicalResult inferArg(const OpError &error, Value data, int64_t axis,
                              bool keepdims, SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(error, data, "data");
  if (failed(type))
    return failure();
  FailureOr<int64_t> a = normalizeAxis(error, axis, type->getRank());
  if (failed(a))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type->getRank(); ++d)
    if (d != *a)
      shape.push_back(type->getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  types.push_back(
      RankedTensorType::get(shape, IntegerType::get(error.getContext(), 64)));
  return success();
}
LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferArg(error, adaptor.getData(), adaptor.getAxis(),
                  adaptor.getKeepdims() != 0, types);
}
LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  return inferArg(error, adaptor.getData(), adaptor.getAxis(),
                  adaptor.getKeepdims() != 0, types);
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto xType = cast<RankedTensorType>(adaptor.getX().getType());
  auto wType = cast<RankedTensorType>(adaptor.getW().getType());
  FailureOr<ConvGeometry> g = getConvGeometry(adaptor, error);
  if (failed(g))
    return failure();
  SmallVector<int64_t> shape = {xType.getDimSize(0), wType.getDimSize(0)};
  for (unsigned i = 0; i + 2 < xType.getRank(); ++i)
    shape.push_back(g->outputSize(i, xType.getDimSize(i + 2)));
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  return success();
}

int64_t ConvTransposeGeometry::outputSize(unsigned i, int64_t size) const {
  if (size == kDynamic)
    return kDynamic;
  return strides[i] * (size - 1) + fullExtra(i) - padsBegin[i] - padsEnd[i];
}

FailureOr<ConvTransposeGeometry>
seqc::onnx::getConvTransposeGeometry(ConvTransposeOp::Adaptor op,
                                     const OpError &error) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  unsigned spatial = xType.getRank() - 2;
  ConvTransposeGeometry g;
  llvm::append_range(g.kernel, wType.getShape().drop_front(2));
  SmallVector<int64_t> pads;
  if (failed(readWindowList(error, op.getStrides(), "strides", spatial, 1,
                            g.strides)) ||
      failed(readWindowList(error, op.getDilations(), "dilations", spatial, 1,
                            g.dilations)) ||
      failed(readWindowList(error, op.getOutputPadding(), "output_padding",
                            spatial, 0, g.outputPadding)) ||
      failed(readWindowList(error, op.getPads(), "pads", 2 * spatial, 0, pads)))
    return failure();
  for (unsigned i = 0; i < spatial; ++i)
    if (g.strides[i] < 1 || g.dilations[i] < 1 || g.outputPadding[i] < 0 ||
        pads[i] < 0 || pads[i + spatial] < 0)
      return error("convtranspose_c3: strides and dilations must be "
                   "positive, pads and output_padding non-negative");
  // Found by seqc-GraphFuzzer: a kernel of INT64_MAX overflowed the output
  // size. strides * (size - 1) + the dilated kernel + output_padding must
  // stay within 2^61 (no real output comes near).
  for (unsigned i = 0; i < spatial; ++i) {
    int64_t size = xType.getDimSize(i + 2), span, grown, full;
    if (size == kDynamic)
      size = 1;
    if (llvm::MulOverflow(g.dilations[i], g.kernel[i] - 1, span) ||
        llvm::MulOverflow(g.strides[i], size - 1, grown) ||
        llvm::AddOverflow(grown, span, full) ||
        full > (int64_t(1) << 61) - g.outputPadding[i])
      return error("convtranspose: the output of spatial dimension ")
             << i << " would be too large";
  }
  g.padsBegin.assign(pads.begin(), pads.begin() + spatial);
  g.padsEnd.assign(pads.begin() + spatial, pads.end());

  StringRef autoPad = op.getAutoPad();
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return error("window_c4: unknown auto_pad '") << autoPad << "'";
  if (autoPad == "VALID") {
    g.padsBegin.assign(spatial, 0);
    g.padsEnd.assign(spatial, 0);
  }
  // output_shape, or SAME_*'s input size x stride, fixes the total padding;
  // SAME_UPPER puts the smaller half first, anything else the larger.
  SmallVector<int64_t> outputShape;
  if (std::optional<ArrayAttr> shape = op.getOutputShape()) {
    if (failed(readWindowList(error, shape, "output_shape", shape->size(), 0,
                              outputShape)))
      return failure();
    // Early exporters wrote [N, C, D...].
    if (outputShape.size() == spatial + 2)
      outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
    if (outputShape.size() != spatial)
      return error("convtranspose_c2: output_shape has ")
             << shape->size() << " values, expected " << spatial;
  }
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!outputShape.empty() || same) {
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t size = xType.getDimSize(i + 2);
      int64_t total;
      if (!outputShape.empty()) {
        if (size == kDynamic)
          return error("convtranspose_c4: output_shape needs static "
                       "spatial sizes, dimension ")
                 << i + 2 << " is dynamic";
        total = g.strides[i] * (size - 1) + g.fullExtra(i) - outputShape[i];
      } else {
        // size x stride: the input size cancels out.
        total = g.fullExtra(i) - g.strides[i];
      }
      // Halves rounded down, also below zero (ONNX's reference).
      int64_t small = llvm::divideFloorSigned(total, 2), large = total - small;
      g.padsBegin[i] = autoPad == "SAME_UPPER" ? small : large;
      g.padsEnd[i] = total - g.padsBegin[i];
    }
  }
  return g;
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto xType = cast<RankedTensorType>(adaptor.getX().getType());
  auto wType = cast<RankedTensorType>(adaptor.getW().getType());
  FailureOr<ConvTransposeGeometry> g = getConvTransposeGeometry(adaptor, error);
  if (failed(g))
    return failure();
  SmallVector<int64_t> shape = {xType.getDimSize(0),
                                wType.getDimSize(1) * adaptor.getGroup()};
  for (unsigned i = 0; i + 2 < xType.getRank(); ++i) {
    int64_t size = g->outputSize(i, xType.getDimSize(i + 2));
    if (size != kDynamic && size < 0)
      return error("convtranspose_c3: the pads leave a negative output "
                   "size in spatial dimension ")
             << i;
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  return success();
}

FailureOr<SmallVector<int64_t>> seqc::onnx::getPadAxes(PadOp::Adaptor op,
                                                       const OpError &error) {
  int64_t rank = cast<RankedTensorType>(op.getData().getType()).getRank();
  SmallVector<int64_t> axes;
  if (!op.getAxes()) {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
    return axes;
  }
  std::optional<SmallVector<int64_t>> values = getConstantInts(op.getAxes());
  if (!values)
    return error("pad_c3: axes must be a constant");
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : *values) {
    FailureOr<int64_t> a = normalizeAxis(error, axis, rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return error("pad_c3: axis ") << axis << " repeats";
    seen[*a] = true;
    axes.push_back(*a);
  }
  return axes;
}

std::optional<SmallVector<int64_t>>
seqc::onnx::getConstantPads(PadOp::Adaptor op, const OpError &error) {
  if (op.getAxes() && !getConstantInts(op.getAxes()))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> pads = getConstantInts(op.getPads());
  FailureOr<SmallVector<int64_t>> axes = getPadAxes(op, error);
  if (!pads || failed(axes) || pads->size() != 2 * axes->size())
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(op.getData().getType()).getRank();
  SmallVector<int64_t> all(2 * rank, 0);
  for (auto [i, axis] : llvm::enumerate(*axes)) {
    all[axis] = (*pads)[i];
    all[axis + rank] = (*pads)[i + axes->size()];
  }
  return all;
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  auto type = cast<RankedTensorType>(adaptor.getData().getType());
  // Axes read at run time: any dimension may be padded.
  if (adaptor.getAxes() && !getConstantInts(adaptor.getAxes())) {
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(type.getRank(), kDynamic), type.getElementType()));
    return success();
  }
  FailureOr<SmallVector<int64_t>> axes = getPadAxes(adaptor, error);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape(type.getRank(), kDynamic);
  if (std::optional<SmallVector<int64_t>> pads =
          getConstantPads(adaptor, error)) {
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (type.isDynamicDim(i))
        continue;
      if (llvm::AddOverflow(type.getDimSize(i), (*pads)[i], shape[i]) ||
          llvm::AddOverflow(shape[i], (*pads)[i + type.getRank()], shape[i]))
        return error("pad: the size of dimension ") << i << " overflows int64";
      if (shape[i] < 0)
        return error("pad_c4: dimension ")
               << i << " of size " << type.getDimSize(i)
               << " is cropped below 0";
    }
  } else {
    // Dimensions the pads do not touch keep their size.
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (!llvm::is_contained(*axes, i))
        shape[i] = type.getDimSize(i);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult SizeOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

LogicalResult LayerNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type = getRankedType(error, adaptor.getX(), "X");
  if (failed(type))
    return failure();
  FailureOr<int64_t> axis =
      normalizeAxis(error, adaptor.getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  Type elt = type->getElementType();
  if (!isa<FloatType>(elt))
    return error("layernormalization_c1: X must be floating-point, found ")
           << elt;
  // Scale and B broadcast to the normalized dimensions [axis, rank) (found
  // by seqc-GraphFuzzer: a Scale of higher rank made invalid indexing maps).
  ArrayRef<int64_t> normalized = type->getShape().drop_front(*axis);
  for (auto [name, operand] :
       {std::pair<StringRef, Value>{"Scale", adaptor.getScale()},
        {"B", adaptor.getB()}}) {
    auto operandType =
        operand ? dyn_cast<RankedTensorType>(operand.getType()) : nullptr;
    if (!operandType)
      continue;
    bool fits = operandType.getRank() <= (int64_t)normalized.size();
    for (int64_t i = 1; fits && i <= operandType.getRank(); ++i) {
      int64_t have = operandType.getDimSize(operandType.getRank() - i),
              want = normalized[normalized.size() - i];
      fits = have == 1 || have == want || ShapedType::isDynamic(have) ||
             ShapedType::isDynamic(want);
    }
    if (!fits)
      return error("layernormalization_c2: ")
             << name << " " << operandType
             << " does not broadcast to the normalized dimensions of X "
             << *type;
  }
  Type stash = elt.isF64() || adaptor.getStashType() != 1
                   ? elt
                   : Float32Type::get(context);
  SmallVector<int64_t> statsShape(type->getShape());
  for (int64_t d = *axis; d < type->getRank(); ++d)
    statsShape[d] = 1;
  types.push_back(*type);
  types.append(2, RankedTensorType::get(statsShape, stash));
  return success();
}

LogicalResult BatchNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type = getRankedType(error, adaptor.getX(), "X");
  if (failed(type))
    return failure();
  if (type->getRank() < 2)
    return error("batchnormalization_c2: X must be [N, C, ...], found ")
           << *type;
  types.push_back(*type);
  types.append(2, adaptor.getInputMean().getType());
  return success();
}

LogicalResult InstanceNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  if (type->getRank() < 3)
    return error("instancenormalization_c1: input must be [N, C, D...], "
                 "found ")
           << *type;
  types.push_back(*type);
  return success();
}

LogicalResult ClipOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  for (Value bound : {adaptor.getMin(), adaptor.getMax()}) {
    auto type = bound ? dyn_cast<RankedTensorType>(bound.getType()) : nullptr;
    if (bound &&
        (!type || type.getRank() != 0 ||
         type.getElementType() != getElementTypeOrSelf(adaptor.getInput())))
      return error("clip_c1: min and max must be scalars of the "
                   "input's element type, found ")
             << bound.getType();
  }
  return inferSameType(error, adaptor.getInput(), types);
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  // ratio: one float; training_mode: one bool.
  auto isScalarOf = [](Value v, auto isElement) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.getRank() <= 1 &&
           (type.getRank() == 0 || type.getDimSize(0) == 1) &&
           isElement(type.getElementType());
  };
  if (Value ratio = adaptor.getRatio();
      ratio && !isScalarOf(ratio, [](Type t) { return isa<FloatType>(t); }))
    return error("dropout_c1: ratio must be one float, found ")
           << ratio.getType();
  if (Value mode = adaptor.getTrainingMode();
      mode && !isScalarOf(mode, [](Type t) { return t.isInteger(1); }))
    return error("dropout_c1: training_mode must be one bool, found ")
           << mode.getType();
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(type))
    return failure();
  types.push_back(*type);
  types.push_back(type->clone(IntegerType::get(context, 1)));
  return success();
}

//===----------------------------------------------------------------------===//
// Indexing, tiling and rearranging
//===----------------------------------------------------------------------===//

LogicalResult TileOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  SmallVector<int64_t> shape(type->getRank(), kDynamic);
  if (std::optional<SmallVector<int64_t>> repeats =
          getConstantInts(adaptor.getRepeats())) {
    if ((int64_t)repeats->size() != type->getRank())
      return error("tile_c1: repeats has ")
             << repeats->size() << " values for rank " << type->getRank();
    for (int64_t d = 0; d < type->getRank(); ++d) {
      if ((*repeats)[d] < 0)
        return error("tile_c2: negative repeat ") << (*repeats)[d];
      // Found by seqc-ImportFuzzer: sizes times repeats past int64.
      if (!type->isDynamicDim(d) &&
          llvm::MulOverflow(type->getDimSize(d), (*repeats)[d], shape[d]))
        return error("tile: the size of dimension ") << d << " overflows int64";
    }
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

std::optional<int64_t> seqc::onnx::getNumSplitOutputs(SplitOp::Adaptor op) {
  if (Value split = op.getSplit()) {
    auto type = dyn_cast<RankedTensorType>(split.getType());
    if (type && type.getRank() == 1 && !type.isDynamicDim(0))
      return type.getDimSize(0);
    return std::nullopt;
  }
  return op.getNumOutputs();
}

FailureOr<SmallVector<int64_t>>
seqc::onnx::getSplitSizes(SplitOp::Adaptor op, const OpError &error) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  int64_t axis = op.getAxis() < 0 ? op.getAxis() + type.getRank() : op.getAxis();
  int64_t size = type.getDimSize(axis);
  std::optional<int64_t> numParts = getNumSplitOutputs(op);
  if (!numParts || *numParts < 1)
    return error("split_c1: needs a 1-D split of static length or a positive "
                 "num_outputs");
  int64_t parts = *numParts;
  if (Value split = op.getSplit()) {
    std::optional<SmallVector<int64_t>> sizes = getConstantInts(split);
    if (op.getNumOutputs() && *op.getNumOutputs() != parts)
      return error("split_c1: num_outputs is ")
             << *op.getNumOutputs() << " for " << parts << " split sizes";
    if (!sizes)
      return SmallVector<int64_t>(parts, kDynamic);
    int64_t total = 0;
    for (int64_t s : *sizes) {
      if (s < 0)
        return error("split_c2: negative size ") << s;
      if (llvm::AddOverflow(total, s, total))
        return error("split: the sizes add up past int64");
    }
    if (size != kDynamic && total != size)
      return error("split_c2: the sizes add up to ")
             << total << ", the dimension is " << size;
    return *sizes;
  }
  if (size == kDynamic)
    return SmallVector<int64_t>(parts, kDynamic);
  // Equal parts, the last one smaller when the size does not divide.
  int64_t part = size / parts + (size % parts != 0);
  SmallVector<int64_t> sizes;
  for (int64_t i = 0, left = size; i < parts; ++i, left -= part)
    sizes.push_back(std::max<int64_t>(0, std::min(part, left)));
  return sizes;
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type =
      getRankedType(error, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  if (failed(normalizeAxis(error, adaptor.getAxis(), type->getRank())))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes = getSplitSizes(adaptor, error);
  if (failed(sizes))
    return failure();
  int64_t axis = adaptor.getAxis() < 0 ? adaptor.getAxis() + type->getRank()
                                       : adaptor.getAxis();
  for (int64_t s : *sizes) {
    SmallVector<int64_t> shape(type->getShape());
    shape[axis] = s;
    types.push_back(RankedTensorType::get(shape, type->getElementType()));
  }
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(error, adaptor.getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  if (data->getRank() != indices->getRank())
    return error("gatherelements_c1: data and indices must have one "
                 "rank, found ")
           << *data << " and " << *indices;
  if (failed(normalizeAxis(error, adaptor.getAxis(), data->getRank())))
    return failure();
  types.push_back(indices->clone(data->getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(error, adaptor.getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  int64_t b = adaptor.getBatchDims();
  // Found by seqc-GraphFuzzer: rank-0 indices were read before the check.
  int64_t k = indices->getRank() < 1
                  ? kDynamic
                  : indices->getDimSize(indices->getRank() - 1);
  if (k == kDynamic || b < 0 ||
      b >= std::min(data->getRank(), indices->getRank()) ||
      k > data->getRank() - b)
    return error("gathernd_c1: indices ") << *indices << " and batch_dims " << b
                                          << " do not fit data " << *data;
  SmallVector<int64_t> shape(indices->getShape().drop_back());
  llvm::append_range(shape, data->getShape().drop_front(b + k));
  types.push_back(RankedTensorType::get(shape, data->getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(data) ||
      failed(normalizeAxis(error, adaptor.getAxis(), data->getRank())))
    return failure();
  types.push_back(*data);
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> data =
      getRankedType(error, adaptor.getData(), "data");
  if (failed(data))
    return failure();
  types.push_back(*data);
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> indices =
      getRankedType(error, adaptor.getIndices(), "indices");
  FailureOr<RankedTensorType> values =
      getRankedType(error, adaptor.getValues(), "values");
  if (failed(indices) || failed(values))
    return failure();
  int64_t rank = indices->getRank() + 1;
  FailureOr<int64_t> axis = normalizeAxis(error, adaptor.getAxis(), rank);
  if (failed(axis))
    return failure();
  int64_t depth = kDynamic;
  if (std::optional<double> d = getConstantScalar(adaptor.getDepth())) {
    if (*d < 1)
      return error("onehot_c1: depth must be positive, found ") << *d;
    depth = (int64_t)*d;
  }
  SmallVector<int64_t> shape(indices->getShape());
  shape.insert(shape.begin() + *axis, depth);
  types.push_back(RankedTensorType::get(shape, values->getElementType()));
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type = getRankedType(error, adaptor.getX(), "x");
  if (failed(type))
    return failure();
  // The axis may be read at run time; a constant one is checked here.
  if (std::optional<double> axis = getConstantScalar(adaptor.getAxis()))
    if (failed(normalizeAxis(error, (int64_t)*axis, type->getRank())))
      return failure();
  types.push_back(*type);
  return success();
}

/// DepthToSpace (toSpace) and SpaceToDepth: [N, C, H, W] with C divided by
/// blocksize^2 and H, W multiplied by blocksize, or the reverse.
static LogicalResult inferBlockRearrange(const OpError &error, Value input,
                                         int64_t block, bool toSpace,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(error, input, "input");
  if (failed(type))
    return failure();
  if (type->getRank() != 4 || block < 1)
    return error("blocks_c1: input must be [N, C, H, W] and "
                 "blocksize positive");
  auto scale = [&](int64_t d, bool up, int64_t factor) -> FailureOr<int64_t> {
    if (d == kDynamic)
      return kDynamic;
    if (up)
      return d * factor;
    if (d % factor != 0)
      return error("blocks_c2: dimension ")
             << d << " is not a multiple of " << factor;
    return d / factor;
  };
  ArrayRef<int64_t> s = type->getShape();
  FailureOr<int64_t> c = scale(s[1], !toSpace, block * block),
                     h = scale(s[2], toSpace, block),
                     w = scale(s[3], toSpace, block);
  if (failed(c) || failed(h) || failed(w))
    return failure();
  types.push_back(
      RankedTensorType::get({s[0], *c, *h, *w}, type->getElementType()));
  return success();
}
LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *context,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  if (adaptor.getMode() != "DCR" && adaptor.getMode() != "CRD")
    return error("depthtospace_c1: unknown mode '") << adaptor.getMode() << "'";
  return inferBlockRearrange(error, adaptor.getInput(), adaptor.getBlocksize(),
                             true, types);
}
LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *context,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  if (adaptor.getMode() != "DCR" && adaptor.getMode() != "CRD")
    return error("spacetodepth_c1: unknown mode '") << adaptor.getMode() << "'";
  return inferBlockRearrange(error, adaptor.getInput(), adaptor.getBlocksize(),
                             false, types);
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<RankedTensorType> type = getRankedType(error, adaptor.getX(), "X");
  if (failed(type))
    return failure();
  FailureOr<int64_t> axis =
      normalizeAxis(error, adaptor.getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(type->getShape());
  shape[*axis] = kDynamic;
  if (std::optional<SmallVector<int64_t>> k = getConstantInts(adaptor.getK())) {
    if (k->size() != 1 || (*k)[0] < 0)
      return error("topk_c1: K must be one non-negative value");
    if (type->getDimSize(*axis) != kDynamic && (*k)[0] > type->getDimSize(*axis))
      return error("topk_c1: K = ")
             << (*k)[0] << " exceeds the axis size " << type->getDimSize(*axis);
    shape[*axis] = (*k)[0];
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

FailureOr<EinsumLabels> seqc::onnx::getEinsumLabels(EinsumOp::Adaptor op,
                                                    const OpError &error) {
  std::string equation;
  for (char ch : op.getEquation())
    if (ch != ' ')
      equation.push_back(ch);
  StringRef text(equation);
  auto [lhs, rhs] = text.split("->");
  bool explicitOutput = text.contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != op.getInputs().size())
    return error("einsum_c1: the equation has ")
           << terms.size() << " inputs, the node " << op.getInputs().size();
  // The ellipsis covers the same number of dimensions everywhere it is
  // broadcast: the most any input gives it.
  int64_t ellipsisRank = 0;
  for (auto [term, input] : llvm::zip(terms, op.getInputs())) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type)
      return error("einsum_c1: inputs must have known ranks");
    size_t pos = term.find("...");
    int64_t letters = term.size() - (pos == StringRef::npos ? 0 : 3);
    if (pos == StringRef::npos ? letters != type.getRank()
                               : letters > type.getRank())
      return error("einsum_c2: subscripts '")
             << term << "' do not fit an input of rank " << type.getRank();
    if (pos != StringRef::npos)
      ellipsisRank = std::max(ellipsisRank, type.getRank() - letters);
  }
  if (ellipsisRank > 10)
    return error("einsum_c2: an ellipsis of more than 10 dimensions");
  auto expand = [&](StringRef term, int64_t rank) {
    std::string labels;
    size_t pos = term.find("...");
    if (pos == StringRef::npos)
      return term.str();
    int64_t count = rank - (int64_t)(term.size() - 3);
    labels = term.substr(0, pos).str();
    for (int64_t i = ellipsisRank - count; i < ellipsisRank; ++i)
      labels.push_back('0' + i);
    labels += term.substr(pos + 3).str();
    return labels;
  };
  EinsumLabels result;
  for (auto [term, input] : llvm::zip(terms, op.getInputs())) {
    std::string labels =
        expand(term, cast<RankedTensorType>(input.getType()).getRank());
    for (char ch : labels)
      if (!llvm::isAlpha(ch) && !llvm::isDigit(ch))
        return error("einsum_c2: invalid subscript '") << ch << "'";
    result.inputs.push_back(labels);
  }
  if (explicitOutput) {
    if (rhs.contains("...")) {
      std::string out = rhs.substr(0, rhs.find("...")).str();
      for (int64_t i = 0; i < ellipsisRank; ++i)
        out.push_back('0' + i);
      out += rhs.substr(rhs.find("...") + 3).str();
      result.output = out;
    } else {
      result.output = rhs.str();
    }
  } else {
    for (int64_t i = 0; i < ellipsisRank; ++i)
      result.output.push_back('0' + i);
    std::string once;
    for (char ch = 'A'; ch <= 'z'; ++ch) {
      if (!llvm::isAlpha(ch))
        continue;
      int count = 0;
      for (const std::string &labels : result.inputs)
        count += llvm::count(labels, ch);
      if (count == 1)
        once.push_back(ch);
    }
    result.output += once;
  }
  for (char ch : result.output) {
    if (llvm::count(result.output, ch) != 1)
      return error("einsum_c3: output label '") << ch << "' repeats";
    if (llvm::none_of(result.inputs, [&](const std::string &labels) {
          return labels.find(ch) != std::string::npos;
        }))
      return error("einsum_c3: output label '") << ch << "' is in no input";
  }
  return result;
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<EinsumLabels> labels = getEinsumLabels(adaptor, error);
  if (failed(labels))
    return failure();
  // A label's size: static where an input gives it other than a broadcast 1.
  auto sizeOf = [&](char label) {
    int64_t size = kDynamic;
    bool sawOne = false, sawDynamic = false;
    for (auto [labels, input] :
         llvm::zip(labels->inputs, adaptor.getInputs())) {
      auto type = cast<RankedTensorType>(input.getType());
      for (auto [i, ch] : llvm::enumerate(labels)) {
        if (ch != label)
          continue;
        int64_t d = type.getDimSize(i);
        if (d == 1)
          sawOne = true;
        else if (d == kDynamic)
          sawDynamic = true;
        else
          size = d;
      }
    }
    return size == kDynamic && sawOne && !sawDynamic ? (int64_t)1 : size;
  };
  SmallVector<int64_t> shape;
  for (char ch : labels->output)
    shape.push_back(sizeOf(ch));
  types.push_back(RankedTensorType::get(
      shape, getElementTypeOrSelf(adaptor.getInputs().front())));
  return success();
}

//===----------------------------------------------------------------------===//
// Control flow: result types from the bodies
//===----------------------------------------------------------------------===//

/// The onnx.yield ending `region`'s block; null while the body is being
/// built.
static YieldOp getYield(Region &region) {
  if (region.empty() || region.front().empty())
    return nullptr;
  return dyn_cast<YieldOp>(region.front().back());
}

LogicalResult IfOp::inferReturnTypes(MLIRContext *context,
                                     std::optional<Location> loc,
                                     Adaptor adaptor,
                                     SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  YieldOp thenYield = getYield(adaptor.getThenBranch()),
          elseYield = getYield(adaptor.getElseBranch());
  if (!thenYield || !elseYield)
    return error("if_c2: a branch does not end in onnx.yield");
  ValueRange thenValues = thenYield.getOutputs(),
             elseValues = elseYield.getOutputs();
  if (thenValues.size() != elseValues.size())
    return error("if_c2: the branches yield ")
           << thenValues.size() << " and " << elseValues.size() << " values";
  // Each result joins the branches' types: a size they disagree on is
  // dynamic.
  for (auto [i, values] : llvm::enumerate(llvm::zip(thenValues, elseValues))) {
    Type joined = joinValueTypes(std::get<0>(values).getType(),
                                 std::get<1>(values).getType());
    if (!joined)
      return error("if_c2: output ")
             << i << " is " << std::get<0>(values).getType()
             << " in then_branch and " << std::get<1>(values).getType()
             << " in else_branch";
    types.push_back(joined);
  }
  return success();
}

LogicalResult ScanOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  ValueRange inits = adaptor.getInits(), inputs = adaptor.getScanInputs();
  YieldOp yield = getYield(adaptor.getBody());
  if (!yield)
    return error("scan_c1: the body does not end in onnx.yield");
  if (inputs.empty())
    return error("scan_c1: needs at least one scan input");
  if (yield.getOutputs().size() < inits.size())
    return error("scan_c1: the body yields ")
           << yield.getOutputs().size() << " values for " << inits.size()
           << " states";
  // The number of steps: the first scan input's size along its axis.
  auto entry = [](std::optional<ArrayAttr> list, unsigned i) -> int64_t {
    return list && i < list->size() ? cast<IntegerAttr>((*list)[i]).getInt()
                                    : 0;
  };
  auto first = dyn_cast<RankedTensorType>(inputs.front().getType());
  int64_t inputAxis = entry(adaptor.getScanInputAxes(), 0);
  if (!first || inputAxis < -first.getRank() || inputAxis >= first.getRank())
    return error("scan_c2: scan input 0 has no axis ")
           << inputAxis << ": " << inputs.front().getType();
  int64_t steps =
      first.getDimSize(inputAxis < 0 ? inputAxis + first.getRank() : inputAxis);
  // The states keep their types; each step output is stacked along its axis.
  llvm::append_range(types, inits.getTypes());
  for (auto [k, value] :
       llvm::enumerate(yield.getOutputs().drop_front(inits.size()))) {
    auto step = dyn_cast<RankedTensorType>(value.getType());
    int64_t axis = entry(adaptor.getScanOutputAxes(), k);
    int64_t rank = step ? step.getRank() + 1 : 0;
    if (!step || axis < -rank || axis >= rank)
      return error("scan_c2: scan output ")
             << k << " has no axis " << axis << ": " << value.getType();
    SmallVector<int64_t> shape(step.getShape());
    shape.insert(shape.begin() + (axis < 0 ? axis + rank : axis), steps);
    types.push_back(RankedTensorType::get(shape, step.getElementType()));
  }
  return success();
}

LogicalResult LoopOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  ValueRange inits = adaptor.getInits();
  YieldOp yield = getYield(adaptor.getBody());
  if (!yield)
    return error("loop_c1: the body does not end in onnx.yield");
  if (yield.getOutputs().size() < inits.size() + 1)
    return error("loop_c1: the body yields ")
           << yield.getOutputs().size() << " values for the condition and "
           << inits.size() << " loop-carried values";
  // The loop-carried values have their body arguments' types (their initial
  // values', or for a sequence what every iteration may make of it); the
  // scan outputs are stacked along a new first dimension, as long as the
  // iterations: dynamic.
  Block &body = adaptor.getBody().front();
  for (auto [i, init] : llvm::enumerate(inits))
    types.push_back(body.getNumArguments() == inits.size() + 2
                        ? body.getArgument(i + 2).getType()
                        : init.getType());
  for (Value step : yield.getOutputs().drop_front(1 + inits.size())) {
    auto type = dyn_cast<RankedTensorType>(step.getType());
    if (!type)
      return error("loop_c2: a scan output has no known rank: ")
             << step.getType();
    SmallVector<int64_t> shape = {kDynamic};
    llvm::append_range(shape, type.getShape());
    types.push_back(RankedTensorType::get(shape, type.getElementType()));
  }
  return success();
}
