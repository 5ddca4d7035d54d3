//===- OnnxShapeInference.cpp - Result types of the ONNX operators
//---------===//
//
// ONNX's type and shape inference, one `inferResultTypes` per op. The importer
// calls it right after an op is created and verified; values that decide a
// shape (Reshape's shape, Squeeze's axes, Slice's bounds) are read when they
// are constants, and otherwise the affected dimensions become dynamic.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/RecurrentCells.h"

#include "mlir/IR/Matchers.h"
#include <cmath>
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

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
static FailureOr<RankedTensorType> getRankedType(Operation *op, Value v,
                                                 StringRef what) {
  if (auto type = dyn_cast<RankedTensorType>(v.getType()))
    return type;
  return op->emitOpError() << what << " must have a known rank, found "
                           << v.getType();
}

/// Normalises a possibly negative axis; fails when out of range.
static FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis,
                                        int64_t rank) {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << "axis " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

/// Multidirectional (numpy) broadcasting of two shapes. A dynamic dimension
/// against a static one other than 1 takes the static size; the generated
/// code checks the dynamic one at run time.
static FailureOr<SmallVector<int64_t>>
broadcastShapes(Operation *op, ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
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
      return op->emitOpError("broadcast_c1: dimensions ")
             << da << " and " << db << " cannot be broadcast together";
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Recurrent ops
//===----------------------------------------------------------------------===//

static LogicalResult inferRecurrent(Operation *op,
                                    SmallVectorImpl<Type> &resultTypes) {
  const CellDescriptor &cell = *getCellDescriptor(op);
  RecurrentAttributes attrs = getRecurrentAttributes(op);
  RecurrentOperands operands = getRecurrentOperands(op);
  auto xType = cast<RankedTensorType>(operands.X.getType());
  bool batchMajor = attrs.batchMajor;
  int64_t seqLen = xType.getDimSize(batchMajor ? 1 : 0);
  int64_t batch = xType.getDimSize(batchMajor ? 0 : 1);
  int64_t dirs = attrs.numDirections;
  int64_t hidden = kDynamic;
  if (attrs.hiddenSize)
    hidden = *attrs.hiddenSize;
  else if (auto r = dyn_cast<RankedTensorType>(operands.R.getType()))
    hidden = r.getDimSize(2);
  Type elt = xType.getElementType();
  auto y = batchMajor
               ? RankedTensorType::get({batch, seqLen, dirs, hidden}, elt)
               : RankedTensorType::get({seqLen, dirs, batch, hidden}, elt);
  auto state = batchMajor ? RankedTensorType::get({batch, dirs, hidden}, elt)
                          : RankedTensorType::get({dirs, batch, hidden}, elt);
  resultTypes.push_back(y);
  resultTypes.append(cell.numStates, state);
  return success();
}

LogicalResult LSTMOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, types);
}
LogicalResult GRUOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, types);
}
LogicalResult RNNOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, types);
}

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(getConstantValue(*this).getShapedType());
  return success();
}

LogicalResult IdentityOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(getInput().getType());
  return success();
}

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<bool> drop(rank, false);
  if (getAxes()) {
    std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
    if (!axes) {
      // Axes read at run time: their number gives the rank, no size is known.
      auto axesType = dyn_cast<RankedTensorType>(getAxes().getType());
      if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0) ||
          axesType.getDimSize(0) > rank)
        return emitOpError("squeeze_c2: axes must be a constant or a 1-D "
                           "tensor of static size, found ")
               << getAxes().getType();
      types.push_back(RankedTensorType::get(
          SmallVector<int64_t>(rank - axesType.getDimSize(0), kDynamic),
          type->getElementType()));
      return success();
    }
    for (int64_t axis : *axes) {
      FailureOr<int64_t> a = normalizeAxis(*this, axis, rank);
      if (failed(a))
        return failure();
      if (type->getDimSize(*a) != 1 && !type->isDynamicDim(*a))
        return emitOpError("squeeze_c3: dimension ")
               << *a << " has size " << type->getDimSize(*a) << ", not 1";
      drop[*a] = true;
    }
  } else {
    for (int64_t i = 0; i < rank; ++i) {
      if (type->isDynamicDim(i))
        return emitOpError("squeeze_c2: without axes, dimension ")
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

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  if (failed(type))
    return failure();
  std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
  if (!axes) {
    // Axes read at run time: their number gives the rank, no size is known.
    auto axesType = dyn_cast<RankedTensorType>(getAxes().getType());
    if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0))
      return emitOpError("unsqueeze_c2: axes must be a constant or a 1-D "
                         "tensor of static size, found ")
             << getAxes().getType();
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(type->getRank() + axesType.getDimSize(0),
                             kDynamic),
        type->getElementType()));
    return success();
  }
  int64_t rank = type->getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(*this, axis, rank);
    if (failed(a))
      return failure();
    if (inserted[*a])
      return emitOpError("unsqueeze_c3: axis ") << axis << " repeats";
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  unsigned next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : type->getDimSize(next++));
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  if (failed(type))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t from : getPermutation(*this))
    shape.push_back(type->getDimSize(from));
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

SmallVector<int64_t> seqc::onnx::getPermutation(TransposeOp op) {
  if (ArrayAttr perm = op.getPermAttr())
    return llvm::map_to_vector(
        perm, [](Attribute a) { return cast<IntegerAttr>(a).getInt(); });
  int64_t rank = cast<RankedTensorType>(op.getData().getType()).getRank();
  return llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
}

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  auto shapeType = dyn_cast<RankedTensorType>(getShape().getType());
  if (!shapeType || shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return emitOpError("expand_c1: the shape input must be 1-D with a static "
                       "size, found ")
           << getShape().getType();
  SmallVector<int64_t> requested(shapeType.getDimSize(0), kDynamic);
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(getShape()))
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
      broadcastShapes(*this, type->getShape(), known);
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, type->getElementType()));
  return success();
}

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError("flatten_c1: axis ")
           << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  auto product = [&](ArrayRef<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims)
      n = (d == kDynamic || n == kDynamic) ? kDynamic : n * d;
    return n;
  };
  ArrayRef<int64_t> shape = type->getShape();
  types.push_back(RankedTensorType::get(
      {product(shape.take_front(axis)), product(shape.drop_front(axis))},
      type->getElementType()));
  return success();
}

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  auto shapeType = dyn_cast<RankedTensorType>(getShape().getType());
  if (failed(type))
    return failure();
  if (!shapeType || shapeType.isDynamicDim(0))
    return emitOpError("reshape_c2: the shape input must have a static size");
  std::optional<SmallVector<int64_t>> requested = getConstantInts(getShape());
  if (!requested) {
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(shapeType.getDimSize(0), kDynamic),
        type->getElementType()));
    return success();
  }
  SmallVector<int64_t> shape;
  int64_t inferredAt = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*requested)) {
    if (d == 0 && !getAllowzero()) {
      if ((int64_t)i >= type->getRank())
        return emitOpError("reshape_c3: 0 at position ")
               << i << " copies a dimension the rank-" << type->getRank()
               << " input lacks";
      d = type->getDimSize(i);
    } else if (d == -1) {
      if (inferredAt >= 0)
        return emitOpError("reshape_c4: at most one dimension may be -1");
      inferredAt = i;
    } else if (d < 0) {
      return emitOpError("reshape_c5: invalid dimension ") << d;
    }
    shape.push_back(d);
    if (d != -1)
      known = d == kDynamic || known == kDynamic ? kDynamic : known * d;
  }
  if (inferredAt >= 0) {
    int64_t total = type->hasStaticShape() ? type->getNumElements() : kDynamic;
    if (total != kDynamic && known != kDynamic) {
      if (known == 0 || total % known != 0)
        return emitOpError("reshape_c6: cannot reshape ")
               << total << " elements into the requested shape";
      shape[inferredAt] = total / known;
    } else {
      shape[inferredAt] = kDynamic;
    }
  } else if (type->hasStaticShape() && known != kDynamic &&
             known != type->getNumElements()) {
    return emitOpError("reshape_c6: cannot reshape ")
           << type->getNumElements() << " elements into " << known;
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> first =
      getRankedType(*this, getInputs()[0], "inputs");
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  SmallVector<int64_t> shape(first->getShape());
  shape[axis] = 0;
  for (Value v : getInputs()) {
    FailureOr<RankedTensorType> type = getRankedType(*this, v, "inputs");
    if (failed(type))
      return failure();
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = type->getDimSize(i);
      if (i == axis) {
        shape[i] =
            shape[i] == kDynamic || d == kDynamic ? kDynamic : shape[i] + d;
      } else if (shape[i] == kDynamic) {
        shape[i] = d;
      } else if (d != kDynamic && d != shape[i]) {
        return emitOpError("concat_c4: dimension ")
               << i << " differs between inputs: " << shape[i] << " vs " << d;
      }
    }
  }
  types.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  std::optional<SmallVector<int64_t>> starts = getConstantInts(getStarts());
  std::optional<SmallVector<int64_t>> ends = getConstantInts(getEnds());
  std::optional<SmallVector<int64_t>> axes;
  std::optional<SmallVector<int64_t>> steps;
  if (getAxes())
    axes = getConstantInts(getAxes());
  if (getSteps())
    steps = getConstantInts(getSteps());
  SmallVector<int64_t> shape(type->getShape());
  if (!starts || !ends || (getAxes() && !axes) || (getSteps() && !steps)) {
    // Bounds known only at run time: every sliced axis becomes dynamic.
    if (!axes && getAxes())
      shape.assign(rank, kDynamic);
    else if (axes)
      for (int64_t a : *axes) {
        FailureOr<int64_t> axis = normalizeAxis(*this, a, rank);
        if (failed(axis))
          return failure();
        shape[*axis] = kDynamic;
      }
    else
      shape.assign(rank, kDynamic);
    types.push_back(RankedTensorType::get(shape, type->getElementType()));
    return success();
  }
  FailureOr<SliceWindow> window =
      resolveSlice(type->getShape(), *starts, *ends, axes, steps,
                   [&] { return emitOpError(); });
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

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  int64_t axis = getAxis() < 0 ? getAxis() + data->getRank() : getAxis();
  SmallVector<int64_t> shape(data->getShape().take_front(axis));
  llvm::append_range(shape, indices->getShape());
  llvm::append_range(shape, data->getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data->getElementType()));
  return success();
}

LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  if (failed(data))
    return failure();
  auto [start, end] = getShapeRange(*this, data->getRank());
  types.push_back(RankedTensorType::get({std::max<int64_t>(end - start, 0)},
                                        IntegerType::get(getContext(), 64)));
  return success();
}

std::pair<int64_t, int64_t> seqc::onnx::getShapeRange(ShapeOp op,
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

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> a = getRankedType(*this, getA(), "A");
  FailureOr<RankedTensorType> b = getRankedType(*this, getB(), "B");
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
    return emitOpError("matmul_c2: contraction dimensions differ: ")
           << k1 << " vs " << k2;
  FailureOr<SmallVector<int64_t>> batch = broadcastShapes(
      *this, ArrayRef(sa).drop_back(2), ArrayRef(sb).drop_back(2));
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

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto a = cast<RankedTensorType>(getA().getType());
  auto b = cast<RankedTensorType>(getB().getType());
  int64_t m = a.getDimSize(getTransA() ? 1 : 0);
  int64_t k1 = a.getDimSize(getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(getTransB() ? 0 : 1);
  if (k1 != kDynamic && k2 != kDynamic && k1 != k2)
    return emitOpError("gemm_c2: contraction dimensions differ: ")
           << k1 << " vs " << k2;
  if (getC()) {
    FailureOr<RankedTensorType> c = getRankedType(*this, getC(), "C");
    if (failed(c))
      return failure();
    FailureOr<SmallVector<int64_t>> shape =
        broadcastShapes(*this, {m, n}, c->getShape());
    if (failed(shape))
      return failure();
    if (shape->size() != 2)
      return emitOpError("gemm_c3: C must be unidirectionally broadcastable "
                         "to [M, N]");
  }
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult seqc::onnx::inferBroadcast(Operation *op,
                                         SmallVectorImpl<Type> &types) {
  if (op->getNumOperands() == 0)
    return op->emitOpError("needs at least one input");
  SmallVector<int64_t> shape;
  Type elementType;
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    FailureOr<RankedTensorType> type =
        getRankedType(op, operand, ("input " + Twine(i)).str());
    if (failed(type))
      return failure();
    if (i == 0) {
      shape.assign(type->getShape().begin(), type->getShape().end());
      elementType = type->getElementType();
      continue;
    }
    FailureOr<SmallVector<int64_t>> broadcast =
        broadcastShapes(op, shape, type->getShape());
    if (failed(broadcast))
      return failure();
    shape = *broadcast;
  }
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult
seqc::onnx::inferBroadcastToBool(Operation *op, SmallVectorImpl<Type> &types) {
  if (failed(inferBroadcast(op, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(IntegerType::get(op->getContext(), 1));
  return success();
}

LogicalResult seqc::onnx::inferWhere(Operation *op,
                                     SmallVectorImpl<Type> &types) {
  if (failed(inferBroadcast(op, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(getElementTypeOrSelf(op->getOperand(1)));
  return success();
}

LogicalResult seqc::onnx::inferSameShapeBool(Operation *op,
                                             SmallVectorImpl<Type> &types) {
  if (failed(inferSameType(op, types)))
    return failure();
  auto type = cast<RankedTensorType>(types.back());
  types.back() = type.clone(IntegerType::get(op->getContext(), 1));
  return success();
}

FailureOr<SmallVector<int64_t>>
seqc::onnx::getReducedAxes(Operation *op, int64_t rank, Value axes,
                           bool noopWithEmptyAxes) {
  SmallVector<int64_t> requested;
  if (axes) {
    std::optional<SmallVector<int64_t>> values = getConstantInts(axes);
    if (!values)
      return op->emitOpError("reduce_c1: axes must be a constant");
    requested = *values;
  }
  if (requested.empty()) {
    if (noopWithEmptyAxes)
      return SmallVector<int64_t>();
    return llvm::to_vector(llvm::seq<int64_t>(0, rank));
  }
  SmallVector<int64_t> reduced;
  for (int64_t a : requested) {
    FailureOr<int64_t> axis = normalizeAxis(op, a, rank);
    if (failed(axis))
      return failure();
    if (llvm::is_contained(reduced, *axis))
      return op->emitOpError("reduce_c2: axis ") << a << " repeats";
    reduced.push_back(*axis);
  }
  llvm::sort(reduced);
  return reduced;
}

LogicalResult seqc::onnx::inferReduce(Operation *op, Value data, Value axes,
                                      int64_t keepdims,
                                      int64_t noopWithEmptyAxes,
                                      SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(op, data, "data");
  if (failed(type))
    return failure();
  // Axes read at run time: the rank is known from how many there are (none
  // repeat), the sizes are not.
  if (axes && !getConstantInts(axes)) {
    auto axesType = dyn_cast<RankedTensorType>(axes.getType());
    if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0))
      return op->emitOpError("reduce_c1: axes read at run time must be a 1-D "
                             "tensor of static length, found ")
             << axes.getType();
    int64_t count = axesType.getDimSize(0);
    if (count == 0 && noopWithEmptyAxes) {
      types.push_back(*type);
      return success();
    }
    int64_t rank = keepdims || count == 0 ? (keepdims ? type->getRank() : 0)
                                          : type->getRank() - count;
    if (rank < 0)
      return op->emitOpError("reduce_c2: ")
             << count << " axes for a rank-" << type->getRank() << " input";
    types.push_back(RankedTensorType::get(SmallVector<int64_t>(rank, kDynamic),
                                          type->getElementType()));
    return success();
  }
  FailureOr<SmallVector<int64_t>> reduced =
      getReducedAxes(op, type->getRank(), axes, noopWithEmptyAxes != 0);
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

LogicalResult
ConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto shapeType = dyn_cast<RankedTensorType>(getInput().getType());
  if (!shapeType || shapeType.getRank() != 1 || shapeType.isDynamicDim(0))
    return emitOpError("constantofshape_c2: the shape input must be 1-D with "
                       "a static size, found ")
           << getInput().getType();
  Type elementType = getValueAttr()
                         ? getValueAttr().getShapedType().getElementType()
                         : Float32Type::get(getContext());
  SmallVector<int64_t> shape(shapeType.getDimSize(0), kDynamic);
  if (std::optional<SmallVector<int64_t>> dims = getConstantInts(getInput())) {
    for (int64_t d : *dims)
      if (d < 0)
        return emitOpError("constantofshape_c3: negative dimension ") << d;
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

LogicalResult RangeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() != 0)
      return emitOpError("range_c2: start, limit and delta must be scalars, "
                         "found ")
             << v.getType();
  }
  int64_t size = kDynamic;
  std::optional<double> start = getConstantScalar(getStart()),
                        limit = getConstantScalar(getLimit()),
                        delta = getConstantScalar(getDelta());
  if (start && limit && delta) {
    if (*delta == 0)
      return emitOpError("range_c3: delta must not be 0");
    size = std::max<int64_t>(
        0, (int64_t)std::ceil((*limit - *start) / *delta));
  }
  types.push_back(
      RankedTensorType::get({size}, getElementTypeOrSelf(getStart())));
  return success();
}

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  Type to = getElementType(getContext(), getTo());
  if (!to)
    return emitOpError("cast_c1: unsupported target type ") << getTo();
  types.push_back(type->clone(to));
  return success();
}

LogicalResult BitCastOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  Type to = getElementType(getContext(), getTo());
  Type from = type->getElementType();
  // A bool is a byte here, as in numpy and the C API.
  auto width = [](Type t) {
    unsigned w = t.getIntOrFloatBitWidth();
    return w == 1 ? 8u : w;
  };
  if (!to)
    return emitOpError("bitcast_c1: unsupported target type ") << getTo();
  if (width(to) != width(from))
    return emitOpError("bitcast_c2: ")
           << from << " and " << to << " differ in bit width";
  types.push_back(type->clone(to));
  return success();
}

LogicalResult CastLikeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  types.push_back(type->clone(getElementTypeOrSelf(getTargetType())));
  return success();
}

LogicalResult seqc::onnx::inferSameType(Operation *op,
                                        SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type =
      getRankedType(op, op->getOperand(0), "input");
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
static LogicalResult readWindowList(Operation *op,
                                    std::optional<ArrayAttr> attr,
                                    StringRef name, unsigned size,
                                    int64_t fallback,
                                    SmallVectorImpl<int64_t> &out) {
  if (!attr) {
    out.assign(size, fallback);
    return success();
  }
  if (attr->size() != size)
    return op->emitOpError("window_c2: ")
           << name << " has " << attr->size() << " values, expected " << size;
  for (Attribute a : *attr)
    out.push_back(cast<IntegerAttr>(a).getInt());
  return success();
}

/// The window of `op` (Conv, MaxPool, AveragePool) over input `xType`;
/// `kernel` is the window's size per spatial dimension.
static FailureOr<ConvGeometry>
getWindowGeometry(Operation *op, RankedTensorType xType,
                  ArrayRef<int64_t> kernel, std::optional<ArrayAttr> strides,
                  std::optional<ArrayAttr> dilations,
                  std::optional<ArrayAttr> padList, StringRef autoPad,
                  bool ceilMode) {
  unsigned spatial = xType.getRank() - 2;
  ConvGeometry g;
  g.kernel.assign(kernel.begin(), kernel.end());
  g.ceilMode = ceilMode;
  auto readList = [&](std::optional<ArrayAttr> attr, StringRef name,
                      unsigned size, int64_t fallback,
                      SmallVectorImpl<int64_t> &out) {
    return readWindowList(op, attr, name, size, fallback, out);
  };
  SmallVector<int64_t> pads;
  if (g.kernel.size() != spatial)
    return op->emitOpError("window_c2: kernel_shape has ")
           << g.kernel.size() << " values, expected " << spatial;
  if (failed(readList(strides, "strides", spatial, 1, g.strides)) ||
      failed(readList(dilations, "dilations", spatial, 1, g.dilations)) ||
      failed(readList(padList, "pads", 2 * spatial, 0, pads)))
    return failure();
  for (unsigned i = 0; i < spatial; ++i)
    if (g.kernel[i] < 1 || g.strides[i] < 1 || g.dilations[i] < 1 ||
        pads[i] < 0 || pads[i + spatial] < 0)
      return op->emitOpError("window_c3: kernel sizes, strides and dilations "
                             "must be positive and pads non-negative");
  g.padsBegin.assign(pads.begin(), pads.begin() + spatial);
  g.padsEnd.assign(pads.begin() + spatial, pads.end());
  if (autoPad == "VALID") {
    g.padsBegin.assign(spatial, 0);
    g.padsEnd.assign(spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t size = xType.getDimSize(i + 2);
      if (size == kDynamic)
        return op->emitOpError("window_c4: auto_pad ")
               << autoPad << " needs static spatial sizes, dimension "
               << i + 2 << " is dynamic";
      int64_t out = (size + g.strides[i] - 1) / g.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * g.strides[i] + g.dilations[i] * (g.kernel[i] - 1) +
                 1 - size);
      int64_t small = total / 2, large = total - small;
      g.padsBegin[i] = autoPad == "SAME_UPPER" ? small : large;
      g.padsEnd[i] = total - g.padsBegin[i];
    }
  } else if (autoPad != "NOTSET") {
    return op->emitOpError("window_c4: unknown auto_pad '") << autoPad << "'";
  }
  return g;
}

FailureOr<ConvGeometry> seqc::onnx::getConvGeometry(ConvOp op) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  return getWindowGeometry(op, xType, wType.getShape().drop_front(2),
                           op.getStrides(), op.getDilations(), op.getPads(),
                           op.getAutoPad(), /*ceilMode=*/false);
}

template <typename PoolOp>
static FailureOr<ConvGeometry> getPoolGeometryOf(PoolOp op) {
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType || xType.getRank() < 3)
    return op.emitOpError("pool_c1: X must be [N, C, D...], found ")
           << op.getX().getType();
  SmallVector<int64_t> kernel;
  for (Attribute a : op.getKernelShape())
    kernel.push_back(cast<IntegerAttr>(a).getInt());
  return getWindowGeometry(op, xType, kernel, op.getStrides(),
                           op.getDilations(), op.getPads(), op.getAutoPad(),
                           op.getCeilMode() != 0);
}

FailureOr<ConvGeometry> seqc::onnx::getPoolGeometry(Operation *op) {
  if (auto max = dyn_cast<MaxPoolOp>(op))
    return getPoolGeometryOf(max);
  return getPoolGeometryOf(cast<AveragePoolOp>(op));
}

/// MaxPool and AveragePool: [N, C, O...].
static LogicalResult inferPool(Operation *op, SmallVectorImpl<Type> &types,
                               unsigned numResults) {
  FailureOr<ConvGeometry> g = getPoolGeometry(op);
  if (failed(g))
    return failure();
  auto xType = cast<RankedTensorType>(op->getOperand(0).getType());
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  for (unsigned i = 0; i + 2 < xType.getRank(); ++i)
    shape.push_back(g->outputSize(i, xType.getDimSize(i + 2)));
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  if (numResults == 2)
    types.push_back(RankedTensorType::get(shape, IntegerType::get(
                                                     op->getContext(), 64)));
  return success();
}

LogicalResult MaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferPool(*this, types, 2);
}
LogicalResult AveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferPool(*this, types, 1);
}

/// Global pooling: [N, C, 1...].
static LogicalResult inferGlobalPool(Operation *op,
                                     SmallVectorImpl<Type> &types) {
  auto xType = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  if (!xType || xType.getRank() < 3)
    return op->emitOpError("pool_c1: X must be [N, C, D...], found ")
           << op->getOperand(0).getType();
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  shape.append(xType.getRank() - 2, 1);
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  return success();
}
LogicalResult
GlobalAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferGlobalPool(*this, types);
}
LogicalResult GlobalMaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferGlobalPool(*this, types);
}

/// ArgMax and ArgMin: the input's shape without (or with 1 at) `axis`,
/// int64.
static LogicalResult inferArg(Operation *op, int64_t axis, bool keepdims,
                              SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type =
      getRankedType(op, op->getOperand(0), "data");
  if (failed(type))
    return failure();
  FailureOr<int64_t> a = normalizeAxis(op, axis, type->getRank());
  if (failed(a))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type->getRank(); ++d)
    if (d != *a)
      shape.push_back(type->getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  types.push_back(
      RankedTensorType::get(shape, IntegerType::get(op->getContext(), 64)));
  return success();
}
LogicalResult ArgMaxOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferArg(*this, getAxis(), getKeepdims() != 0, types);
}
LogicalResult ArgMinOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferArg(*this, getAxis(), getKeepdims() != 0, types);
}

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto xType = cast<RankedTensorType>(getX().getType());
  auto wType = cast<RankedTensorType>(getW().getType());
  FailureOr<ConvGeometry> g = getConvGeometry(*this);
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
seqc::onnx::getConvTransposeGeometry(ConvTransposeOp op) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  unsigned spatial = xType.getRank() - 2;
  ConvTransposeGeometry g;
  llvm::append_range(g.kernel, wType.getShape().drop_front(2));
  SmallVector<int64_t> pads;
  if (failed(readWindowList(op, op.getStrides(), "strides", spatial, 1,
                            g.strides)) ||
      failed(readWindowList(op, op.getDilations(), "dilations", spatial, 1,
                            g.dilations)) ||
      failed(readWindowList(op, op.getOutputPadding(), "output_padding",
                            spatial, 0, g.outputPadding)) ||
      failed(readWindowList(op, op.getPads(), "pads", 2 * spatial, 0, pads)))
    return failure();
  for (unsigned i = 0; i < spatial; ++i)
    if (g.strides[i] < 1 || g.dilations[i] < 1 || g.outputPadding[i] < 0 ||
        pads[i] < 0 || pads[i + spatial] < 0)
      return op.emitOpError("convtranspose_c3: strides and dilations must be "
                            "positive, pads and output_padding non-negative");
  g.padsBegin.assign(pads.begin(), pads.begin() + spatial);
  g.padsEnd.assign(pads.begin() + spatial, pads.end());

  StringRef autoPad = op.getAutoPad();
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return op.emitOpError("window_c4: unknown auto_pad '") << autoPad << "'";
  if (autoPad == "VALID") {
    g.padsBegin.assign(spatial, 0);
    g.padsEnd.assign(spatial, 0);
  }
  // output_shape, or SAME_*'s input size x stride, fixes the total padding;
  // SAME_UPPER puts the smaller half first, anything else the larger.
  SmallVector<int64_t> outputShape;
  if (std::optional<ArrayAttr> shape = op.getOutputShape()) {
    for (Attribute a : *shape)
      outputShape.push_back(cast<IntegerAttr>(a).getInt());
    // Early exporters wrote [N, C, D...].
    if (outputShape.size() == spatial + 2)
      outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
    if (outputShape.size() != spatial)
      return op.emitOpError("convtranspose_c2: output_shape has ")
             << shape->size() << " values, expected " << spatial;
  }
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!outputShape.empty() || same) {
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t size = xType.getDimSize(i + 2);
      int64_t total;
      if (!outputShape.empty()) {
        if (size == kDynamic)
          return op.emitOpError("convtranspose_c4: output_shape needs static "
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

LogicalResult ConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto xType = cast<RankedTensorType>(getX().getType());
  auto wType = cast<RankedTensorType>(getW().getType());
  FailureOr<ConvTransposeGeometry> g = getConvTransposeGeometry(*this);
  if (failed(g))
    return failure();
  SmallVector<int64_t> shape = {xType.getDimSize(0),
                                wType.getDimSize(1) * getGroup()};
  for (unsigned i = 0; i + 2 < xType.getRank(); ++i) {
    int64_t size = g->outputSize(i, xType.getDimSize(i + 2));
    if (size != kDynamic && size < 0)
      return emitOpError("convtranspose_c3: the pads leave a negative output "
                         "size in spatial dimension ")
             << i;
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, xType.getElementType()));
  return success();
}

FailureOr<SmallVector<int64_t>> seqc::onnx::getPadAxes(PadOp op) {
  int64_t rank = cast<RankedTensorType>(op.getData().getType()).getRank();
  SmallVector<int64_t> axes;
  if (!op.getAxes()) {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
    return axes;
  }
  std::optional<SmallVector<int64_t>> values = getConstantInts(op.getAxes());
  if (!values)
    return op.emitOpError("pad_c3: axes must be a constant");
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : *values) {
    FailureOr<int64_t> a = normalizeAxis(op, axis, rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return op.emitOpError("pad_c3: axis ") << axis << " repeats";
    seen[*a] = true;
    axes.push_back(*a);
  }
  return axes;
}

std::optional<SmallVector<int64_t>> seqc::onnx::getConstantPads(PadOp op) {
  if (op.getAxes() && !getConstantInts(op.getAxes()))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> pads = getConstantInts(op.getPads());
  FailureOr<SmallVector<int64_t>> axes = getPadAxes(op);
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

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(getData().getType());
  // Axes read at run time: any dimension may be padded.
  if (getAxes() && !getConstantInts(getAxes())) {
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(type.getRank(), kDynamic), type.getElementType()));
    return success();
  }
  FailureOr<SmallVector<int64_t>> axes = getPadAxes(*this);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape(type.getRank(), kDynamic);
  if (std::optional<SmallVector<int64_t>> pads = getConstantPads(*this)) {
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (type.isDynamicDim(i))
        continue;
      shape[i] = type.getDimSize(i) + (*pads)[i] + (*pads)[i + type.getRank()];
      if (shape[i] < 0)
        return emitOpError("pad_c4: dimension ")
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

LogicalResult SizeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, IntegerType::get(getContext(), 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

LogicalResult
LayerNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getX(), "X");
  if (failed(type))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  Type elt = type->getElementType();
  if (!isa<FloatType>(elt))
    return emitOpError("layernormalization_c1: X must be floating-point, found ")
           << elt;
  Type stash = elt.isF64() || getStashType() != 1
                   ? elt
                   : Float32Type::get(getContext());
  SmallVector<int64_t> statsShape(type->getShape());
  for (int64_t d = *axis; d < type->getRank(); ++d)
    statsShape[d] = 1;
  types.push_back(*type);
  types.append(2, RankedTensorType::get(statsShape, stash));
  return success();
}

LogicalResult
BatchNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getX(), "X");
  if (failed(type))
    return failure();
  if (type->getRank() < 2)
    return emitOpError("batchnormalization_c2: X must be [N, C, ...], found ")
           << *type;
  types.push_back(*type);
  types.append(2, getInputMean().getType());
  return success();
}

LogicalResult
InstanceNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  if (type->getRank() < 3)
    return emitOpError("instancenormalization_c1: input must be [N, C, D...], "
                       "found ")
           << *type;
  types.push_back(*type);
  return success();
}

LogicalResult ClipOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  for (Value bound : {getMin(), getMax()}) {
    auto type = bound ? dyn_cast<RankedTensorType>(bound.getType()) : nullptr;
    if (bound && (!type || type.getRank() != 0 ||
                  type.getElementType() != getElementTypeOrSelf(getInput())))
      return emitOpError("clip_c1: min and max must be scalars of the "
                         "input's element type, found ")
             << bound.getType();
  }
  return inferSameType(*this, types);
}

LogicalResult DropoutOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (Value mode = getTrainingMode()) {
    std::optional<double> training = getConstantScalar(mode);
    if (!training || *training != 0)
      return emitOpError("dropout_c1: training_mode must be a constant false: "
                         "seqc compiles inference");
  }
  FailureOr<RankedTensorType> type = getRankedType(*this, getData(), "data");
  if (failed(type))
    return failure();
  types.push_back(*type);
  types.push_back(type->clone(IntegerType::get(getContext(), 1)));
  return success();
}

//===----------------------------------------------------------------------===//
// Indexing, tiling and rearranging
//===----------------------------------------------------------------------===//

LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  SmallVector<int64_t> shape(type->getRank(), kDynamic);
  if (std::optional<SmallVector<int64_t>> repeats =
          getConstantInts(getRepeats())) {
    if ((int64_t)repeats->size() != type->getRank())
      return emitOpError("tile_c1: repeats has ")
             << repeats->size() << " values for rank " << type->getRank();
    for (int64_t d = 0; d < type->getRank(); ++d) {
      if ((*repeats)[d] < 0)
        return emitOpError("tile_c2: negative repeat ") << (*repeats)[d];
      if (!type->isDynamicDim(d))
        shape[d] = type->getDimSize(d) * (*repeats)[d];
    }
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
}

FailureOr<SmallVector<int64_t>> seqc::onnx::getSplitSizes(SplitOp op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  int64_t axis = op.getAxis() < 0 ? op.getAxis() + type.getRank() : op.getAxis();
  int64_t size = type.getDimSize(axis);
  int64_t parts = op.getNumResults();
  if (Value split = op.getSplit()) {
    std::optional<SmallVector<int64_t>> sizes = getConstantInts(split);
    if (!sizes)
      return SmallVector<int64_t>(parts, kDynamic);
    if ((int64_t)sizes->size() != parts)
      return op.emitOpError("split_c1: split has ")
             << sizes->size() << " sizes for " << parts << " outputs";
    int64_t total = 0;
    for (int64_t s : *sizes) {
      if (s < 0)
        return op.emitOpError("split_c2: negative size ") << s;
      total += s;
    }
    if (size != kDynamic && total != size)
      return op.emitOpError("split_c2: the sizes add up to ")
             << total << ", the dimension is " << size;
    return *sizes;
  }
  if (op.getNumOutputs() && *op.getNumOutputs() != parts)
    return op.emitOpError("split_c1: num_outputs is ")
           << *op.getNumOutputs() << " for " << parts << " outputs";
  if (size == kDynamic)
    return SmallVector<int64_t>(parts, kDynamic);
  // Equal parts; with num_outputs (opset 18) the last one may be smaller.
  int64_t part = (size + parts - 1) / parts;
  if (!op.getNumOutputs() && size % parts != 0)
    return op.emitOpError("split_c3: dimension ")
           << size << " does not split into " << parts << " equal parts";
  SmallVector<int64_t> sizes;
  for (int64_t i = 0, left = size; i < parts; ++i, left -= part)
    sizes.push_back(std::max<int64_t>(0, std::min(part, left)));
  return sizes;
}

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getInput(), "input");
  if (failed(type))
    return failure();
  if (failed(normalizeAxis(*this, getAxis(), type->getRank())))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes = getSplitSizes(*this);
  if (failed(sizes))
    return failure();
  int64_t axis = getAxis() < 0 ? getAxis() + type->getRank() : getAxis();
  for (int64_t s : *sizes) {
    SmallVector<int64_t> shape(type->getShape());
    shape[axis] = s;
    types.push_back(RankedTensorType::get(shape, type->getElementType()));
  }
  return success();
}

LogicalResult GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  if (data->getRank() != indices->getRank())
    return emitOpError("gatherelements_c1: data and indices must have one "
                       "rank, found ")
           << *data << " and " << *indices;
  if (failed(normalizeAxis(*this, getAxis(), data->getRank())))
    return failure();
  types.push_back(indices->clone(data->getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  FailureOr<RankedTensorType> indices =
      getRankedType(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  int64_t b = getBatchDims();
  int64_t k = indices->getDimSize(indices->getRank() - 1);
  if (indices->getRank() < 1 || k == kDynamic || b < 0 ||
      b >= std::min(data->getRank(), indices->getRank()) ||
      b + k > data->getRank())
    return emitOpError("gathernd_c1: indices ")
           << *indices << " and batch_dims " << b << " do not fit data "
           << *data;
  SmallVector<int64_t> shape(indices->getShape().drop_back());
  llvm::append_range(shape, data->getShape().drop_front(b + k));
  types.push_back(RankedTensorType::get(shape, data->getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  if (failed(data) || failed(normalizeAxis(*this, getAxis(), data->getRank())))
    return failure();
  types.push_back(*data);
  return success();
}

LogicalResult ScatterNDOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> data = getRankedType(*this, getData(), "data");
  if (failed(data))
    return failure();
  types.push_back(*data);
  return success();
}

LogicalResult OneHotOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> indices =
      getRankedType(*this, getIndices(), "indices");
  FailureOr<RankedTensorType> values = getRankedType(*this, getValues(), "values");
  if (failed(indices) || failed(values))
    return failure();
  int64_t rank = indices->getRank() + 1;
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), rank);
  if (failed(axis))
    return failure();
  int64_t depth = kDynamic;
  if (std::optional<double> d = getConstantScalar(getDepth())) {
    if (*d < 1)
      return emitOpError("onehot_c1: depth must be positive, found ") << *d;
    depth = (int64_t)*d;
  }
  SmallVector<int64_t> shape(indices->getShape());
  shape.insert(shape.begin() + *axis, depth);
  types.push_back(RankedTensorType::get(shape, values->getElementType()));
  return success();
}

LogicalResult CumSumOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getX(), "x");
  if (failed(type))
    return failure();
  // The axis may be read at run time; a constant one is checked here.
  if (std::optional<double> axis = getConstantScalar(getAxis()))
    if (failed(normalizeAxis(*this, (int64_t)*axis, type->getRank())))
      return failure();
  types.push_back(*type);
  return success();
}

/// DepthToSpace (toSpace) and SpaceToDepth: [N, C, H, W] with C divided by
/// blocksize^2 and H, W multiplied by blocksize, or the reverse.
static LogicalResult inferBlockRearrange(Operation *op, Value input,
                                         int64_t block, bool toSpace,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(op, input, "input");
  if (failed(type))
    return failure();
  if (type->getRank() != 4 || block < 1)
    return op->emitOpError("blocks_c1: input must be [N, C, H, W] and "
                           "blocksize positive");
  auto scale = [&](int64_t d, bool up, int64_t factor) -> FailureOr<int64_t> {
    if (d == kDynamic)
      return kDynamic;
    if (up)
      return d * factor;
    if (d % factor != 0)
      return op->emitOpError("blocks_c2: dimension ")
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
LogicalResult DepthToSpaceOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError("depthtospace_c1: unknown mode '") << getMode() << "'";
  return inferBlockRearrange(*this, getInput(), getBlocksize(), true, types);
}
LogicalResult SpaceToDepthOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError("spacetodepth_c1: unknown mode '") << getMode() << "'";
  return inferBlockRearrange(*this, getInput(), getBlocksize(), false, types);
}

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> type = getRankedType(*this, getX(), "X");
  if (failed(type))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), type->getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(type->getShape());
  shape[*axis] = kDynamic;
  if (std::optional<SmallVector<int64_t>> k = getConstantInts(getK())) {
    if (k->size() != 1 || (*k)[0] < 0)
      return emitOpError("topk_c1: K must be one non-negative value");
    if (type->getDimSize(*axis) != kDynamic && (*k)[0] > type->getDimSize(*axis))
      return emitOpError("topk_c1: K = ")
             << (*k)[0] << " exceeds the axis size " << type->getDimSize(*axis);
    shape[*axis] = (*k)[0];
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(getContext(), 64)));
  return success();
}

FailureOr<EinsumLabels> seqc::onnx::getEinsumLabels(EinsumOp op) {
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
    return op.emitOpError("einsum_c1: the equation has ")
           << terms.size() << " inputs, the node " << op.getInputs().size();
  // The ellipsis covers the same number of dimensions everywhere it is
  // broadcast: the most any input gives it.
  int64_t ellipsisRank = 0;
  for (auto [term, input] : llvm::zip(terms, op.getInputs())) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type)
      return op.emitOpError("einsum_c1: inputs must have known ranks");
    size_t pos = term.find("...");
    int64_t letters = term.size() - (pos == StringRef::npos ? 0 : 3);
    if (pos == StringRef::npos ? letters != type.getRank()
                               : letters > type.getRank())
      return op.emitOpError("einsum_c2: subscripts '")
             << term << "' do not fit an input of rank " << type.getRank();
    if (pos != StringRef::npos)
      ellipsisRank = std::max(ellipsisRank, type.getRank() - letters);
  }
  if (ellipsisRank > 10)
    return op.emitOpError("einsum_c2: an ellipsis of more than 10 dimensions");
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
        return op.emitOpError("einsum_c2: invalid subscript '") << ch << "'";
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
      return op.emitOpError("einsum_c3: output label '") << ch << "' repeats";
    if (llvm::none_of(result.inputs, [&](const std::string &labels) {
          return labels.find(ch) != std::string::npos;
        }))
      return op.emitOpError("einsum_c3: output label '")
             << ch << "' is in no input";
  }
  return result;
}

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<EinsumLabels> labels = getEinsumLabels(*this);
  if (failed(labels))
    return failure();
  // A label's size: static where an input gives it other than a broadcast 1.
  auto sizeOf = [&](char label) {
    int64_t size = kDynamic;
    bool sawOne = false, sawDynamic = false;
    for (auto [labels, input] : llvm::zip(labels->inputs, getInputs())) {
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
      shape, getElementTypeOrSelf(getInputs().front())));
  return success();
}
