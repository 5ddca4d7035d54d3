//===- TensorBuilders.cpp - IR building blocks of the onnx lowering
//--------===//

#include "TensorBuilders.h"
#include "llvm/Support/MathExtras.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

namespace seqc {

/// The indexing map of `operand` inside a broadcast to `resultType`.
static AffineMap getBroadcastMap(RankedTensorType resultType, Value operand) {
  MLIRContext *ctx = operand.getContext();
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t rank = resultType.getRank(), offset = rank - type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    bool broadcast =
        type.getDimSize(i) == 1 && resultType.getDimSize(offset + i) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value expandRuntimeBroadcast(OpBuilder &b, Location loc, Value operand,
                             RankedTensorType type,
                             ArrayRef<OpFoldResult> sizes) {
  auto operandType = cast<RankedTensorType>(operand.getType());
  int64_t rank = operandType.getRank(), offset = type.getRank() - rank;
  // The dimensions that may be 1 while the result's is not (not those
  // whose result size is this operand's own).
  auto isOwnSize = [&](int64_t d) {
    auto value = dyn_cast<Value>(sizes[offset + d]);
    auto dim = value ? value.getDefiningOp<tensor::DimOp>() : nullptr;
    return dim && dim.getSource() == operand && dim.getConstantIndex() == d;
  };
  SmallVector<int64_t> candidates;
  for (int64_t d = 0; d < rank; ++d)
    if (operandType.isDynamicDim(d) && type.getDimSize(offset + d) != 1 &&
        !isOwnSize(d))
      candidates.push_back(d);
  if (candidates.empty())
    return operand;
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value needed;
  SmallVector<OpFoldResult> expandedSizes =
      tensor::getMixedSizes(b, loc, operand);
  for (int64_t d : candidates) {
    Value size = tensor::DimOp::create(b, loc, operand, d);
    Value result = getValueOrCreateConstantIndexOp(b, loc, sizes[offset + d]);
    Value differs =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, size, result);
    needed = needed ? arith::OrIOp::create(b, loc, needed, differs) : differs;
    expandedSizes[d] = result;
  }
  // The result type comes from the branches' yields: the operand's type.
  auto ifOp = scf::IfOp::create(
      b, loc, needed,
      [&](OpBuilder &tb, Location tl) {
        // Read index 0 along every dimension whose size is 1.
        Value init = tensor::EmptyOp::create(tb, tl, expandedSizes,
                                             operandType.getElementType());
        SmallVector<utils::IteratorType> iterators(
            rank, utils::IteratorType::parallel);
        Value expanded =
            linalg::GenericOp::create(
                tb, tl, init.getType(), ValueRange{}, init,
                tb.getMultiDimIdentityMap(rank), iterators,
                [&](OpBuilder &nb, Location nl, ValueRange) {
                  SmallVector<Value> indices;
                  Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
                  for (int64_t d = 0; d < rank; ++d) {
                    Value index = linalg::IndexOp::create(nb, nl, d);
                    if (llvm::is_contained(candidates, d)) {
                      Value isOne = arith::CmpIOp::create(
                          nb, nl, arith::CmpIPredicate::eq,
                          tensor::DimOp::create(nb, nl, operand, d), one);
                      index = arith::SelectOp::create(nb, nl, isOne, zero,
                                                      index);
                    }
                    indices.push_back(index);
                  }
                  linalg::YieldOp::create(
                      nb, nl,
                      tensor::ExtractOp::create(nb, nl, operand, indices)
                          .getResult());
                })
                .getResult(0);
        if (expanded.getType() != operandType)
          expanded = tensor::CastOp::create(tb, tl, operandType, expanded);
        scf::YieldOp::create(tb, tl, expanded);
      },
      [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, operand); });
  return ifOp.getResult(0);
}

SmallVector<Value> buildElementwise(OpBuilder &b, Location loc,
                                    TypeRange resultTypes, ValueRange operands,
                                    ScalarBodyFn body) {
  auto shape = cast<RankedTensorType>(resultTypes.front());
  SmallVector<OpFoldResult> sizes =
      onnx::reifyBroadcastSizes(b, loc, shape, operands);
  SmallVector<Value> inits;
  SmallVector<AffineMap> maps;
  for (Value v : operands)
    maps.push_back(getBroadcastMap(shape, v));
  for (Type t : resultTypes) {
    auto type = cast<RankedTensorType>(t);
    inits.push_back(
        tensor::EmptyOp::create(b, loc, sizes, type.getElementType()));
    maps.push_back(b.getMultiDimIdentityMap(shape.getRank()));
  }
  SmallVector<utils::IteratorType> iterators(shape.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, operands, inits, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        SmallVector<Value> results =
            body(nb, nloc, args.take_front(operands.size()));
        linalg::YieldOp::create(nb, nloc, results);
      });
  return generic.getResults();
}

Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  SmallVector<Value> zeros(rank, arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

Value broadcastTo(OpBuilder &b, Location loc, Value source,
                  RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  SmallVector<AffineMap> maps = {getBroadcastMap(type, source),
                                 b.getMultiDimIdentityMap(type.getRank())};
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), source, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}

Value reshapeTo(OpBuilder &b, Location loc, Value source, RankedTensorType type,
                ArrayRef<OpFoldResult> sizes) {
  if (source.getType() == type)
    return source;
  if (type.getRank() == 0) {
    // To a scalar: every source dimension is 1 (the callers check it at run
    // time when dynamic); tensor.reshape cannot take an empty shape.
    auto sourceType = cast<RankedTensorType>(source.getType());
    auto ones = RankedTensorType::get(
        SmallVector<int64_t>(sourceType.getRank(), 1), type.getElementType());
    if (sourceType != ones)
      source = tensor::CastOp::create(b, loc, ones, source);
    return tensor::CollapseShapeOp::create(b, loc, type, source,
                                           ArrayRef<ReassociationIndices>{});
  }
  SmallVector<Value> dims;
  for (OpFoldResult size : sizes)
    dims.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  Value shape = tensor::FromElementsOp::create(b, loc, dims);
  return tensor::ReshapeOp::create(b, loc, type, source, shape);
}

Value sliceAlong(OpBuilder &b, Location loc, Value source, int64_t axis,
                 int64_t offset, int64_t size) {
  SmallVector<OpFoldResult> offsets,
      sizes = tensor::getMixedSizes(b, loc, source);
  auto type = cast<RankedTensorType>(source.getType());
  offsets.assign(type.getRank(), b.getIndexAttr(0));
  offsets[axis] = b.getIndexAttr(offset);
  sizes[axis] = b.getIndexAttr(size);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, source, offsets, sizes,
                                        strides);
}

namespace {
/// The window of index `index` along `axis` of `shaped` (size 1 there, the
/// whole of every other axis).
struct UnitWindow {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  UnitWindow(OpBuilder &b, Location loc, Value shaped, int64_t axis,
             int64_t index) {
    int64_t rank = cast<RankedTensorType>(shaped.getType()).getRank();
    offsets.assign(rank, b.getIndexAttr(0));
    sizes = tensor::getMixedSizes(b, loc, shaped);
    strides.assign(rank, b.getIndexAttr(1));
    offsets[axis] = b.getIndexAttr(index);
    sizes[axis] = b.getIndexAttr(1);
  }
};
} // namespace

Value extractAlong(OpBuilder &b, Location loc, Value source, int64_t axis,
                   int64_t index) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  UnitWindow window(b, loc, source, axis, index);
  return tensor::ExtractSliceOp::create(b, loc, resultType, source,
                                        window.offsets, window.sizes,
                                        window.strides);
}

Value insertAlong(OpBuilder &b, Location loc, Value source, Value dest,
                  int64_t axis, int64_t index) {
  UnitWindow window(b, loc, dest, axis, index);
  return tensor::InsertSliceOp::create(b, loc, source, dest, window.offsets,
                                       window.sizes, window.strides);
}

Value buildScalar(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
  return arith::ConstantOp::create(
      b, loc, type, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes, double value) {
  // Static sizes come from `type`; `sizes` only has to cover dynamic ones.
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[i]));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType(), dynamicSizes);
  Value scalar = buildScalar(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value buildTranspose(OpBuilder &b, Location loc, Value source,
                     ArrayRef<int64_t> perm) {
  // The identity (every rank-0 permutation among them) moves nothing; MLIR
  // 22's linalg.transpose crashes on rank 0 (found by seqc-GraphFuzzer).
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return source;
  SmallVector<OpFoldResult> inSizes = tensor::getMixedSizes(b, loc, source);
  SmallVector<OpFoldResult> sizes;
  for (int64_t p : perm)
    sizes.push_back(inSizes[p]);
  auto type = cast<RankedTensorType>(source.getType());
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, source, init, perm).getResult()[0];
}

Value toIndex(OpBuilder &b, Location loc, Value v) {
  if (isa<FloatType>(v.getType()))
    v = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value wrapNegative(OpBuilder &b, Location loc, Value i, Value size) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  return arith::SelectOp::create(b, loc, negative,
                                 arith::AddIOp::create(b, loc, i, size), i);
}

} // namespace seqc

std::optional<int64_t> seqc::collapsedSize(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  bool dynamic = false;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d))
      dynamic = true;
    else if (llvm::MulOverflow(product, d, product))
      return std::nullopt;
  }
  return dynamic ? ShapedType::kDynamic : product;
}

DenseElementsAttr seqc::transposeConstantMatrix(DenseElementsAttr data,
                                                int64_t rows, int64_t cols) {
  SmallVector<float> values(data.getValues<float>()), result(values.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      result[c * rows + r] = values[r * cols + c];
  return DenseElementsAttr::get(
      RankedTensorType::get({cols, rows}, data.getType().getElementType()),
      ArrayRef<float>(result));
}
