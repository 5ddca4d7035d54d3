//===- ConstantTensors.cpp - Data movement on constant tensors ------------===//
//
// Each operation lists where every result element comes from (an input and
// a flat index in it), in the result's row-major order; one function copies
// the raw storage of those elements into the result.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/ConstantTensors.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace seqc::onnx;

namespace {
/// Called once per result element: the input it comes from and its flat
/// index in that input.
using EmitFn = function_ref<void(unsigned input, int64_t index)>;
} // namespace

/// A dense attribute of `type` whose elements `visit` names, in order.
static DenseElementsAttr buildElements(RankedTensorType type,
                                       ArrayRef<DenseElementsAttr> inputs,
                                       function_ref<void(EmitFn)> visit) {
  if (inputs.empty() ||
      !llvm::all_of(inputs, llvm::IsaPred<DenseIntOrFPElementsAttr>))
    return {};
  if (type.getNumElements() != 0 &&
      llvm::all_of(inputs, [&](DenseElementsAttr a) {
        return a.isSplat() && a.getRawData() == inputs[0].getRawData();
      }))
    return DenseElementsAttr(inputs[0]).resizeSplat(type);

  // i1 is stored one bit per element: move it as bytes.
  Type elementType = type.getElementType();
  if (elementType.isInteger(1)) {
    auto byte = IntegerType::get(type.getContext(), 8);
    SmallVector<DenseElementsAttr> bytes;
    for (DenseElementsAttr a : inputs)
      bytes.push_back(cast<DenseIntElementsAttr>(a).mapValues(
          byte, [](const APInt &v) { return v.zext(8); }));
    auto moved = cast<DenseIntElementsAttr>(
        buildElements(type.clone(byte), bytes, visit));
    return moved.mapValues(elementType,
                           [](const APInt &v) { return v.trunc(1); });
  }

  struct Storage {
    ArrayRef<char> data;
    size_t width;
    bool splat;
  };
  SmallVector<Storage> storages;
  for (DenseElementsAttr a : inputs) {
    ArrayRef<char> raw = a.getRawData();
    int64_t n = a.getNumElements();
    bool splat = a.isSplat();
    storages.push_back(
        {raw, splat || n == 0 ? raw.size() : raw.size() / n, splat});
  }
  SmallVector<char> data;
  visit([&](unsigned input, int64_t index) {
    const Storage &s = storages[input];
    const char *element = s.data.data() + (s.splat ? 0 : index * s.width);
    data.append(element, element + s.width);
  });
  return DenseElementsAttr::getFromRawBuffer(type, data);
}

/// Emits `offset + sum(i_d * strides[d])` of input 0 for every index
/// (i_0, ...) of `shape`, in row-major order.
static void visitStrided(ArrayRef<int64_t> shape, int64_t offset,
                         ArrayRef<int64_t> strides, EmitFn emit) {
  if (ShapedType::getNumElements(shape) == 0)
    return;
  int64_t rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  int64_t flat = offset;
  for (;;) {
    emit(0, flat);
    int64_t d = rank - 1;
    for (; d >= 0; --d) {
      flat += strides[d];
      if (++index[d] < shape[d])
        break;
      flat -= strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

DenseElementsAttr seqc::onnx::sliceElements(DenseElementsAttr source,
                                            ArrayRef<int64_t> starts,
                                            ArrayRef<int64_t> steps,
                                            ArrayRef<int64_t> shape) {
  auto type = dyn_cast<RankedTensorType>(source.getType());
  if (!type || starts.size() != shape.size() || steps.size() != shape.size() ||
      type.getRank() != static_cast<int64_t>(shape.size()) ||
      llvm::any_of(shape, [](int64_t s) { return s < 0; }))
    return {};
  RankedTensorType resultType = type.clone(shape);
  if (resultType.getNumElements() == 0)
    return buildElements(resultType, source, [](EmitFn) {});
  SmallVector<int64_t> sourceStrides = computeStrides(type.getShape());
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  for (auto [d, size] : llvm::enumerate(shape)) {
    // The first and the last index read must lie in the source.
    int64_t dim = type.getDimSize(d), last;
    if (starts[d] < 0 || starts[d] >= dim ||
        llvm::MulOverflow(size - 1, steps[d], last) ||
        llvm::AddOverflow(last, starts[d], last) || last < 0 || last >= dim)
      return {};
    offset += starts[d] * sourceStrides[d];
    strides.push_back(size > 1 ? steps[d] * sourceStrides[d] : 0);
  }
  return buildElements(resultType, source, [&](EmitFn emit) {
    visitStrided(shape, offset, strides, emit);
  });
}

DenseElementsAttr seqc::onnx::transposeElements(DenseElementsAttr source,
                                                ArrayRef<int64_t> perm) {
  auto type = dyn_cast<RankedTensorType>(source.getType());
  if (!type || type.getRank() != static_cast<int64_t>(perm.size()) ||
      !isPermutationVector(perm))
    return {};
  SmallVector<int64_t> sourceStrides = computeStrides(type.getShape());
  SmallVector<int64_t> shape, strides;
  for (int64_t p : perm) {
    shape.push_back(type.getDimSize(p));
    strides.push_back(sourceStrides[p]);
  }
  return buildElements(type.clone(shape), source, [&](EmitFn emit) {
    visitStrided(shape, 0, strides, emit);
  });
}

DenseElementsAttr seqc::onnx::concatElements(ArrayRef<DenseElementsAttr> inputs,
                                             int64_t axis) {
  if (inputs.empty())
    return {};
  auto first = dyn_cast<RankedTensorType>(inputs[0].getType());
  if (!first || axis < 0 || axis >= first.getRank())
    return {};
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (DenseElementsAttr a : inputs) {
    auto type = dyn_cast<RankedTensorType>(a.getType());
    if (!type || type.getRank() != first.getRank() ||
        type.getElementType() != first.getElementType())
      return {};
    for (int64_t d = 0; d < first.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != first.getDimSize(d))
        return {};
    shape[axis] += type.getDimSize(axis);
  }
  int64_t outer = ShapedType::getNumElements(ArrayRef(shape).take_front(axis));
  int64_t inner =
      ShapedType::getNumElements(ArrayRef(shape).drop_front(axis + 1));
  return buildElements(first.clone(shape), inputs, [&](EmitFn emit) {
    for (int64_t o = 0; o < outer; ++o) {
      for (auto [k, a] : llvm::enumerate(inputs)) {
        int64_t chunk =
            cast<RankedTensorType>(a.getType()).getDimSize(axis) * inner;
        for (int64_t j = 0; j < chunk; ++j)
          emit(k, o * chunk + j);
      }
    }
  });
}

DenseElementsAttr seqc::onnx::gatherElements(DenseElementsAttr source,
                                             int64_t axis,
                                             ArrayRef<int64_t> indices,
                                             ArrayRef<int64_t> indicesShape) {
  auto type = dyn_cast<RankedTensorType>(source.getType());
  if (!type || axis < 0 || axis >= type.getRank() ||
      ShapedType::getNumElements(indicesShape) !=
          static_cast<int64_t>(indices.size()))
    return {};
  int64_t dim = type.getDimSize(axis);
  if (llvm::any_of(indices, [&](int64_t i) { return i < 0 || i >= dim; }))
    return {};
  SmallVector<int64_t> shape(type.getShape().take_front(axis));
  llvm::append_range(shape, indicesShape);
  llvm::append_range(shape, type.getShape().drop_front(axis + 1));
  int64_t outer = ShapedType::getNumElements(type.getShape().take_front(axis));
  int64_t inner =
      ShapedType::getNumElements(type.getShape().drop_front(axis + 1));
  return buildElements(type.clone(shape), source, [&](EmitFn emit) {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t index : indices)
        for (int64_t i = 0; i < inner; ++i)
          emit(0, (o * dim + index) * inner + i);
  });
}
