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
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

std::optional<SmallVector<int64_t>> seqc::onnx::getConstantInts(Value v) {
  DenseIntElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &i : attr.getValues<APInt>())
    values.push_back(i.getSExtValue());
  return values;
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
    if (!axes)
      return emitOpError("squeeze_c2: axes must be a constant");
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
  if (!axes)
    return emitOpError("unsqueeze_c2: axes must be a constant");
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
  int64_t rank = type->getRank();
  for (int64_t i = 0; i < rank; ++i) {
    int64_t from = getPermAttr() ? cast<IntegerAttr>(getPermAttr()[i]).getInt()
                                 : rank - 1 - i;
    shape.push_back(type->getDimSize(from));
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
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
      for (int64_t a : *axes)
        shape[a < 0 ? a + rank : a] = kDynamic;
    else
      shape.assign(rank, kDynamic);
    types.push_back(RankedTensorType::get(shape, type->getElementType()));
    return success();
  }
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < starts->size(); ++i)
      axes->push_back(i);
  }
  if (!steps)
    steps = SmallVector<int64_t>(starts->size(), 1);
  if (ends->size() != starts->size() || axes->size() != starts->size() ||
      steps->size() != starts->size())
    return emitOpError("slice_c2: starts, ends, axes and steps must have the "
                       "same length");
  for (size_t i = 0; i < starts->size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxis(*this, (*axes)[i], rank);
    if (failed(axis))
      return failure();
    int64_t step = (*steps)[i];
    if (step == 0)
      return emitOpError("slice_c3: steps must not be 0");
    int64_t dim = type->getDimSize(*axis);
    if (dim == kDynamic) {
      shape[*axis] = kDynamic;
      continue;
    }
    // ONNX's clamping rules, then the count of visited indices.
    auto clamp = [&](int64_t v, bool isEnd) {
      if (v < 0)
        v += dim;
      if (step > 0)
        return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, isEnd ? -1 : 0, dim - 1);
    };
    int64_t start = clamp((*starts)[i], false), end = clamp((*ends)[i], true);
    int64_t count = step > 0 ? (end - start + step - 1) / step
                             : (start - end + (-step) - 1) / (-step);
    shape[*axis] = std::max<int64_t>(count, 0);
  }
  types.push_back(RankedTensorType::get(shape, type->getElementType()));
  return success();
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
  int64_t rank = data->getRank();
  auto clampIndex = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  int64_t start = getStart() ? clampIndex(*getStart()) : 0;
  int64_t end = getEnd() ? clampIndex(*getEnd()) : rank;
  types.push_back(RankedTensorType::get({std::max<int64_t>(end - start, 0)},
                                        IntegerType::get(getContext(), 64)));
  return success();
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

static LogicalResult inferBinary(Operation *op, SmallVectorImpl<Type> &types) {
  FailureOr<RankedTensorType> a = getRankedType(op, op->getOperand(0), "A");
  FailureOr<RankedTensorType> b = getRankedType(op, op->getOperand(1), "B");
  if (failed(a) || failed(b))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(op, a->getShape(), b->getShape());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, a->getElementType()));
  return success();
}

LogicalResult AddOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  return inferBinary(*this, t);
}
LogicalResult SubOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  return inferBinary(*this, t);
}
LogicalResult MulOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  return inferBinary(*this, t);
}
LogicalResult DivOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  return inferBinary(*this, t);
}

LogicalResult SigmoidOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  t.push_back(getX().getType());
  return success();
}
LogicalResult TanhOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  t.push_back(getX().getType());
  return success();
}
LogicalResult ReluOp::inferResultTypes(SmallVectorImpl<Type> &t) {
  t.push_back(getX().getType());
  return success();
}
