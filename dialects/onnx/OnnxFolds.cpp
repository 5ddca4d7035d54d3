//===- OnnxFolds.cpp - Folders of the ONNX operators ----------------------===//
//
// Models compute constants from constants: exporters slice, concatenate,
// transpose and reshape initializers into the W, R and B of a recurrent op,
// and read shapes that are known. These folders compute such values at
// compile time so that the lowering sees them as constants.
//
// A folder only produces a value of exactly its op's result type: a result
// with a dynamic shape is never folded, and neither is anything the
// generated code would reject at run time (an index out of range), so that
// the run-time check still reports it.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/ConstantTensors.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace seqc::onnx;

/// The value of a folder's operand when it is a constant of dense elements.
static DenseElementsAttr getDense(Attribute operand) {
  return dyn_cast_if_present<DenseElementsAttr>(operand);
}

/// The type of `op`'s result when its shape is static, or null.
static RankedTensorType getStaticResultType(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

/// `value` when it has exactly `op`'s result type, else nothing.
static OpFoldResult ifResultType(Operation *op, DenseElementsAttr value) {
  if (!value || value.getType() != op->getResult(0).getType())
    return {};
  return value;
}

/// Squeeze, Unsqueeze and Reshape keep the elements in their order: the
/// folded value is `data` with the result's shape, which shape inference
/// computed from the constant axes or shape.
static OpFoldResult foldReshaping(Operation *op, Attribute data) {
  RankedTensorType type = getStaticResultType(op);
  DenseElementsAttr dense = getDense(data);
  if (!type || !dense || dense.getElementType() != type.getElementType() ||
      dense.getNumElements() != type.getNumElements())
    return {};
  return dense.reshape(type);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getConstantValue(*this); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  return getInput();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getAxes() && !adaptor.getAxes())
    return {};
  return foldReshaping(*this, adaptor.getData());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  if (!adaptor.getAxes())
    return {};
  return foldReshaping(*this, adaptor.getData());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (!adaptor.getShape())
    return {};
  return foldReshaping(*this, adaptor.getData());
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = getDense(adaptor.getData());
  if (!data || !getStaticResultType(*this))
    return {};
  return ifResultType(
      *this,
      transposeElements(data, getPermutation(*this, data.getType().getRank())));
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getStaticResultType(*this);
  if (!type)
    return {};
  SmallVector<DenseElementsAttr> inputs;
  for (Attribute input : adaptor.getInputs()) {
    if (!getDense(input))
      return {};
    inputs.push_back(getDense(input));
  }
  int64_t axis = getAxis() < 0 ? getAxis() + type.getRank() : getAxis();
  return ifResultType(*this, concatElements(inputs, axis));
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = getDense(adaptor.getData());
  std::optional<SmallVector<int64_t>> starts =
      getConstantInts(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends = getConstantInts(adaptor.getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  if (getAxes() && !(axes = getConstantInts(adaptor.getAxes())))
    return {};
  if (getSteps() && !(steps = getConstantInts(adaptor.getSteps())))
    return {};
  if (!data || !starts || !ends || !getStaticResultType(*this))
    return {};
  FailureOr<SliceWindow> window =
      resolveSlice(data.getType().getShape(), *starts, *ends, axes, steps,
                   /*emitError=*/nullptr);
  if (failed(window))
    return {};
  return ifResultType(
      *this, sliceElements(data, window->starts, window->steps, window->sizes));
}

/// Gather of a Shape whose gathered dimensions are static folds even when
/// other dimensions are dynamic: models read one dimension this way.
static OpFoldResult foldGatherOfShape(GatherOp op,
                                      DenseIntElementsAttr indices) {
  auto shape = op.getData().getDefiningOp<ShapeOp>();
  RankedTensorType type = getStaticResultType(op);
  auto input = shape ? dyn_cast<RankedTensorType>(shape.getData().getType())
                     : nullptr;
  if (!input || !type)
    return {};
  auto [start, end] = getShapeRange(shape, input.getRank());
  int64_t size = end - start;
  SmallVector<int64_t> dims;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -size || i >= size)
      return {};
    int64_t dim = start + (i < 0 ? i + size : i);
    if (input.isDynamicDim(dim))
      return {};
    dims.push_back(input.getDimSize(dim));
  }
  if (!type.getElementType().isSignlessInteger(64) ||
      type.getNumElements() != (int64_t)dims.size())
    return {};
  return ifResultType(op, DenseElementsAttr::get(type, ArrayRef(dims)));
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = getDense(adaptor.getData());
  auto indices =
      dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getIndices());
  if (!data && indices)
    return foldGatherOfShape(*this, indices);
  if (!data || !indices || !getStaticResultType(*this))
    return {};
  int64_t rank = data.getType().getRank();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  if (axis < 0 || axis >= rank)
    return {};
  // ONNX reads index i < 0 as i + size; one outside [-size, size) is left to
  // the run-time check.
  int64_t size = data.getType().getDimSize(axis);
  SmallVector<int64_t> positions;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -size || i >= size)
      return {};
    positions.push_back(i < 0 ? i + size : i);
  }
  return ifResultType(*this, gatherElements(data, axis, positions,
                                            indices.getType().getShape()));
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto data = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = getStaticResultType(*this);
  if (!data || !type || type.getRank() != 1 ||
      !type.getElementType().isSignlessInteger(64))
    return {};
  // Only the dimensions Shape returns need to be static.
  auto [start, end] = getShapeRange(*this, data.getRank());
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i) {
    if (data.isDynamicDim(i))
      return {};
    dims.push_back(data.getDimSize(i));
  }
  if (type.getDimSize(0) != static_cast<int64_t>(dims.size()))
    return {};
  return DenseElementsAttr::get(type, ArrayRef(dims));
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getData().getType());
  if (!type || !type.hasStaticShape())
    return {};
  return ifResultType(*this,
                      DenseElementsAttr::get(
                          RankedTensorType::get({}, IntegerType::get(
                                                        getContext(), 64)),
                          APInt(64, type.getNumElements())));
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  RankedTensorType type = getStaticResultType(*this);
  if (!type)
    return {};
  if (!getValueAttr())
    return DenseElementsAttr::get(type, Builder(getContext())
                                            .getZeroAttr(type.getElementType()));
  return DenseElementsAttr::get(
      type, *getValueAttr().getValues<Attribute>().begin());
}

/// The elements of a constant as doubles (integers sign-extended, bools
/// 0/1): enough for the shape arithmetic and flags these folders serve.
/// Unsigned and narrow formats are left to the lowering, which knows them.
static std::optional<SmallVector<double>> getNumbers(Attribute attr) {
  DenseElementsAttr dense = getDense(attr);
  if (!dense || getStorageElementType(dense.getElementType()) !=
                    dense.getElementType())
    return std::nullopt;
  SmallVector<double> values;
  if (isa<FloatType>(dense.getElementType())) {
    for (const APFloat &v : dense.getValues<APFloat>())
      values.push_back(v.convertToDouble());
  } else if (dense.getElementType().isInteger(1)) {
    for (bool v : dense.getValues<bool>())
      values.push_back(v);
  } else if (dense.getElementType().isInteger()) {
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back((double)v.getSExtValue());
  } else {
    return std::nullopt;
  }
  return values;
}

/// `values` as elements of `type` (floats rounded, integers truncated
/// toward zero as Cast does, bools non-zero).
static DenseElementsAttr makeElements(RankedTensorType type,
                                      ArrayRef<double> values) {
  Type elt = type.getElementType();
  if (getStorageElementType(elt) != elt)
    return {};
  if (auto floatType = dyn_cast<FloatType>(elt)) {
    SmallVector<APFloat> floats;
    for (double v : values) {
      APFloat f(v);
      bool lost;
      f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
      floats.push_back(f);
    }
    return DenseElementsAttr::get(type, floats);
  }
  if (elt.isInteger(1)) {
    SmallVector<bool> bits;
    for (double v : values)
      bits.push_back(v != 0);
    return DenseElementsAttr::get(type, bits);
  }
  if (!elt.isInteger())
    return {};
  SmallVector<APInt> ints;
  for (double v : values)
    ints.push_back(APInt(elt.getIntOrFloatBitWidth(), (int64_t)v,
                         /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getStaticResultType(*this);
  std::optional<SmallVector<double>> values = getNumbers(adaptor.getInput());
  // Doubles hold every int32 and the int64 sizes shape arithmetic uses.
  if (!type || !values ||
      llvm::any_of(*values, [](double v) { return std::fabs(v) > 0x1p52; }))
    return {};
  // To an integer, Cast truncates toward zero; to bool, non-zero is true.
  Type to = type.getElementType();
  SmallVector<double> converted;
  for (double v : *values)
    converted.push_back(isa<FloatType>(to) || to.isInteger(1) ? v
                                                               : std::trunc(v));
  return makeElements(type, converted);
}

/// An integer Add, Sub, Mul or Div of constants (the shape arithmetic of
/// exported models), elementwise with one side possibly a single element.
/// Floats are left to run time, where they round in their own type.
static OpFoldResult foldIntegerArithmetic(
    Operation *op, Attribute lhs, Attribute rhs,
    llvm::function_ref<std::optional<double>(double, double)> fn) {
  RankedTensorType type = getStaticResultType(op);
  std::optional<SmallVector<double>> a = getNumbers(lhs), b = getNumbers(rhs);
  if (!type || !a || !b || !type.getElementType().isSignlessInteger() ||
      type.getElementType().isInteger(1))
    return {};
  int64_t n = type.getNumElements();
  if (((int64_t)a->size() != n && a->size() != 1) ||
      ((int64_t)b->size() != n && b->size() != 1))
    return {};
  SmallVector<double> results;
  for (int64_t i = 0; i < n; ++i) {
    std::optional<double> r =
        fn((*a)[a->size() == 1 ? 0 : i], (*b)[b->size() == 1 ? 0 : i]);
    // Doubles are exact for the sizes shape arithmetic uses; beyond, on
    // overflow of the element type and for a division by zero, the run
    // time decides.
    unsigned width = type.getElementType().getIntOrFloatBitWidth();
    double limit = std::min(0x1p52, std::ldexp(1.0, width - 1) - 1);
    if (!r || std::fabs(*r) > limit)
      return {};
    results.push_back(*r);
  }
  return makeElements(type, results);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldIntegerArithmetic(*this, adaptor.getA(), adaptor.getB(),
                               [](double a, double b) { return a + b; });
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldIntegerArithmetic(*this, adaptor.getA(), adaptor.getB(),
                               [](double a, double b) { return a - b; });
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldIntegerArithmetic(*this, adaptor.getA(), adaptor.getB(),
                               [](double a, double b) { return a * b; });
}
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldIntegerArithmetic(
      *this, adaptor.getA(), adaptor.getB(),
      [](double a, double b) -> std::optional<double> {
        if (b == 0)
          return std::nullopt;
        return std::trunc(a / b); // integer division truncates
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // 0 - x, with the same limits.
  auto zero = DenseElementsAttr::get(
      RankedTensorType::get({}, getElementTypeOrSelf(getX())),
      Builder(getContext()).getZeroAttr(getElementTypeOrSelf(getX())));
  return foldIntegerArithmetic(*this, zero, adaptor.getX(),
                               [](double a, double b) { return a - b; });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getStaticResultType(*this);
  std::optional<SmallVector<double>> a = getNumbers(adaptor.getA()),
                                     b = getNumbers(adaptor.getB());
  if (!type || !a || !b)
    return {};
  // Equal shapes, or one side a single element.
  int64_t n = type.getNumElements();
  if (((int64_t)a->size() != n && a->size() != 1) ||
      ((int64_t)b->size() != n && b->size() != 1))
    return {};
  SmallVector<double> equal;
  for (int64_t i = 0; i < n; ++i)
    equal.push_back((*a)[a->size() == 1 ? 0 : i] ==
                    (*b)[b->size() == 1 ? 0 : i]);
  return makeElements(type, equal);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getStaticResultType(*this);
  std::optional<SmallVector<double>> x = getNumbers(adaptor.getX());
  if (!type || !x)
    return {};
  SmallVector<double> negated;
  for (double v : *x)
    negated.push_back(v == 0);
  return makeElements(type, negated);
}
