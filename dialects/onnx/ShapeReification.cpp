//===- ShapeReification.cpp - Result sizes of the ONNX operators at run time
//===//
//
// ReifyRankedShapedTypeOpInterface for the onnx ops whose result sizes are a
// function of their operands' sizes: the run-time half of a shape rule
// whose compile-time half is the op's inferReturnTypes. The lowering builds
// its output tensors from the same functions, so both agree by
// construction.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamicSize = ShapedType::kDynamic;

/// One dimension of a numpy broadcast of operand sizes `candidates`: the
/// result's own size when static; else a static candidate other than 1;
/// else the first candidate whose run-time size is not 1 (the others are 1
/// there, or equal: the lowering checks which); 1 when there is none.
static OpFoldResult broadcastDim(OpBuilder &b, Location loc, int64_t result,
                                 ArrayRef<OpFoldResult> candidates) {
  if (!ShapedType::isDynamic(result))
    return b.getIndexAttr(result);
  Value size;
  for (OpFoldResult candidate : candidates) {
    if (std::optional<int64_t> known = getConstantIntValue(candidate)) {
      if (*known != 1)
        return b.getIndexAttr(*known);
      continue;
    }
    Value dim = cast<Value>(candidate);
    if (!size) {
      size = dim;
      continue;
    }
    Value isOne =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size,
                              arith::ConstantIndexOp::create(b, loc, 1));
    size = arith::SelectOp::create(b, loc, isOne, dim, size);
  }
  return size ? OpFoldResult(size) : b.getIndexAttr(1);
}

SmallVector<OpFoldResult> seqc::onnx::reifyBroadcastSizes(OpBuilder &b,
                                                          Location loc,
                                                          RankedTensorType type,
                                                          ValueRange operands) {
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < rank; ++i) {
    // Operand sizes are read only where the result's size is dynamic.
    SmallVector<OpFoldResult> candidates;
    for (Value operand : operands) {
      int64_t j =
          i - (rank - cast<RankedTensorType>(operand.getType()).getRank());
      if (type.isDynamicDim(i) && j >= 0)
        candidates.push_back(tensor::getMixedSize(b, loc, operand, j));
    }
    sizes.push_back(broadcastDim(b, loc, type.getDimSize(i), candidates));
  }
  return sizes;
}

LogicalResult
seqc::onnx::reifyBroadcastResult(OpBuilder &b, Operation *op,
                                 ReifiedRankedShapedTypeDims &shapes) {
  for (Type type : op->getResultTypes())
    shapes.push_back(reifyBroadcastSizes(
        b, op->getLoc(), cast<RankedTensorType>(type), op->getOperands()));
  return success();
}

LogicalResult seqc::onnx::reifySameSizes(OpBuilder &b, Operation *op,
                                         Value source,
                                         ReifiedRankedShapedTypeDims &shapes) {
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    shapes.push_back(tensor::getMixedSizes(b, op->getLoc(), source));
  return success();
}

LogicalResult
TransposeOp::reifyResultShapes(OpBuilder &b,
                               ReifiedRankedShapedTypeDims &shapes) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, getLoc(), getData());
  SmallVector<int64_t> perm = getPermutation(*this, sizes.size());
  shapes.emplace_back();
  for (int64_t from : perm)
    shapes.back().push_back(sizes[from]);
  return success();
}

LogicalResult ConcatOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  Location loc = getLoc();
  auto type = cast<RankedTensorType>(getConcatResult().getType());
  int64_t axis = getAxis() < 0 ? getAxis() + type.getRank() : getAxis();
  // Off the axis every input has the result's size: take the first's.
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, loc, getInputs().front());
  if (!type.isDynamicDim(axis)) {
    sizes[axis] = b.getIndexAttr(type.getDimSize(axis));
  } else {
    Value total = arith::ConstantIndexOp::create(b, loc, 0);
    for (Value input : getInputs())
      total = b.createOrFold<arith::AddIOp>(
          loc, total,
          getValueOrCreateConstantIndexOp(
              b, loc, tensor::getMixedSize(b, loc, input, axis)));
    sizes[axis] = total;
  }
  shapes.push_back(sizes);
  return success();
}

/// A Reduce* op's sizes: the data's, without (or with 1 at) the reduced
/// axes; not known here when the axes are read at run time.
LogicalResult seqc::onnx::reifyReduce(OpBuilder &b, Operation *op, Value data,
                                      Value axes, bool keepdims,
                                      bool noopWithEmptyAxes,
                                      ReifiedRankedShapedTypeDims &shapes) {
  if (axes && !getConstantInts(axes))
    return failure();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, op->getLoc(), data);
  FailureOr<SmallVector<int64_t>> reduced =
      getReducedAxes(OpError(op), sizes.size(), axes, noopWithEmptyAxes);
  if (failed(reduced))
    return failure();
  shapes.emplace_back();
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (!llvm::is_contained(*reduced, (int64_t)i))
      shapes.back().push_back(size);
    else if (keepdims)
      shapes.back().push_back(b.getIndexAttr(1));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult
SqueezeOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &shapes) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, getLoc(), getData());
  int64_t rank = sizes.size();
  SmallVector<bool> drop(rank, false);
  if (getAxes()) {
    std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
    if (!axes)
      return failure(); // read at run time: not known before
    for (int64_t axis : *axes)
      drop[axis < 0 ? axis + rank : axis] = true;
  } else {
    // Without axes the verified input has every size static.
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = getConstantIntValue(sizes[d]) == 1;
  }
  shapes.emplace_back();
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shapes.back().push_back(sizes[d]);
  return success();
}

LogicalResult
UnsqueezeOp::reifyResultShapes(OpBuilder &b,
                               ReifiedRankedShapedTypeDims &shapes) {
  std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
  if (!axes)
    return failure();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, getLoc(), getData());
  int64_t rank = sizes.size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes)
    inserted[axis < 0 ? axis + rank : axis] = true;
  shapes.emplace_back();
  for (int64_t d = 0, next = 0; d < rank; ++d)
    shapes.back().push_back(inserted[d] ? b.getIndexAttr(1) : sizes[next++]);
  return success();
}

/// The product of `sizes`, folded where they are constants.
static OpFoldResult product(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes) {
  OpFoldResult result = b.getIndexAttr(1);
  for (OpFoldResult size : sizes) {
    std::optional<int64_t> x = getConstantIntValue(result),
                           y = getConstantIntValue(size);
    if (x && y)
      result = b.getIndexAttr(*x * *y);
    else
      result = b.createOrFold<arith::MulIOp>(
          loc, getValueOrCreateConstantIndexOp(b, loc, result),
          getValueOrCreateConstantIndexOp(b, loc, size));
  }
  return result;
}

LogicalResult
FlattenOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &shapes) {
  Location loc = getLoc();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, getInput());
  int64_t rank = sizes.size();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  shapes.push_back({product(b, loc, ArrayRef(sizes).take_front(axis)),
                    product(b, loc, ArrayRef(sizes).drop_front(axis))});
  return success();
}

SmallVector<OpFoldResult> seqc::onnx::reifyGatherSizes(OpBuilder &b,
                                                       Location loc, Value data,
                                                       Value indices,
                                                       int64_t axis) {
  SmallVector<OpFoldResult> dataSizes = tensor::getMixedSizes(b, loc, data);
  if (axis < 0)
    axis += dataSizes.size();
  // data[:axis], then indices' shape, then data[axis + 1:].
  SmallVector<OpFoldResult> sizes(ArrayRef(dataSizes).take_front(axis));
  llvm::append_range(sizes, tensor::getMixedSizes(b, loc, indices));
  llvm::append_range(sizes, ArrayRef(dataSizes).drop_front(axis + 1));
  return sizes;
}

LogicalResult GatherOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  shapes.push_back(
      reifyGatherSizes(b, getLoc(), getData(), getIndices(), getAxis()));
  return success();
}

SmallVector<OpFoldResult> seqc::onnx::reifyMatMulSizes(OpBuilder &b,
                                                       Location loc, Value lhs,
                                                       Value rhs,
                                                       RankedTensorType type) {
  // numpy.matmul: a vector operand is a matrix whose extra dimension the
  // result drops again. Operand sizes are read only where the result's size
  // is dynamic.
  int64_t rankA = cast<RankedTensorType>(lhs.getType()).getRank(),
          rankB = cast<RankedTensorType>(rhs.getType()).getRank();
  bool vecA = rankA == 1, vecB = rankB == 1;
  int64_t batchRank = type.getRank() - (vecA ? 0 : 1) - (vecB ? 0 : 1);
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i)) {
      sizes.push_back(b.getIndexAttr(type.getDimSize(i)));
      continue;
    }
    if (i < batchRank) {
      // Batch dimensions broadcast, aligned on the right.
      SmallVector<OpFoldResult> candidates;
      for (auto [v, rank, vec] :
           {std::tuple(lhs, rankA, vecA), std::tuple(rhs, rankB, vecB)}) {
        int64_t d = i - (batchRank - (rank - (vec ? 1 : 2)));
        if (!vec && d >= 0)
          candidates.push_back(tensor::getMixedSize(b, loc, v, d));
      }
      sizes.push_back(broadcastDim(b, loc, kDynamicSize, candidates));
    } else if (i == batchRank && !vecA) {
      sizes.push_back(tensor::getMixedSize(b, loc, lhs, rankA - 2)); // M
    } else {
      sizes.push_back(tensor::getMixedSize(b, loc, rhs, rankB - 1)); // N
    }
  }
  return sizes;
}

LogicalResult MatMulOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  shapes.push_back(reifyMatMulSizes(b, getLoc(), getA(), getB(),
                                    cast<RankedTensorType>(getY().getType())));
  return success();
}

//===----------------------------------------------------------------------===//
// Windows and reductions along an axis
//===----------------------------------------------------------------------===//

OpFoldResult seqc::onnx::reifyWindowOutputSize(OpBuilder &b, Location loc,
                                               Value x, unsigned dim,
                                               const ConvGeometry &g,
                                               unsigned i) {
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(g.outputSize(i, type.getDimSize(dim)));
  // ConvGeometry::outputSize, on the run-time size.
  auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  Value size = tensor::DimOp::create(b, loc, x, dim);
  int64_t span = g.dilations[i] * (g.kernel[i] - 1) + 1;
  Value room = arith::SubIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, size, c(g.padsBegin[i] + g.padsEnd[i])),
      c(span));
  Value rounded =
      g.ceilMode
          ? Value(arith::AddIOp::create(b, loc, room, c(g.strides[i] - 1)))
          : room;
  Value out = arith::AddIOp::create(
      b, loc, arith::DivSIOp::create(b, loc, rounded, c(g.strides[i])), c(1));
  if (g.ceilMode) {
    // The last window must start inside the input or its leading padding.
    Value lastStart = arith::MulIOp::create(
        b, loc, arith::SubIOp::create(b, loc, out, c(1)), c(g.strides[i]));
    Value beyond = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, lastStart,
        arith::AddIOp::create(b, loc, size, c(g.padsBegin[i])));
    out = arith::SelectOp::create(
        b, loc, beyond, arith::SubIOp::create(b, loc, out, c(1)), out);
  }
  Value empty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, room, c(0));
  return arith::SelectOp::create(b, loc, empty, c(0), out).getResult();
}

/// [N, channels, window outputs...] for each of `op`'s `numResults` results.
static void reifyWindowed(OpBuilder &b, Operation *op, Value x,
                          OpFoldResult channels, const ConvGeometry &g,
                          unsigned numResults,
                          ReifiedRankedShapedTypeDims &shapes) {
  Location loc = op->getLoc();
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, x, 0),
                                     channels};
  unsigned rank = cast<RankedTensorType>(x.getType()).getRank();
  for (unsigned i = 0; i + 2 < rank; ++i)
    sizes.push_back(reifyWindowOutputSize(b, loc, x, i + 2, g, i));
  shapes.append(numResults, sizes);
}

LogicalResult ConvOp::reifyResultShapes(OpBuilder &b,
                                        ReifiedRankedShapedTypeDims &shapes) {
  FailureOr<ConvGeometry> g = getConvGeometry(*this, OpError(*this));
  if (failed(g))
    return failure();
  reifyWindowed(b, *this, getX(), tensor::getMixedSize(b, getLoc(), getW(), 0),
                *g, 1, shapes);
  return success();
}

/// MaxPool (values and indices) and AveragePool: [N, C, window outputs...].
template <typename PoolOp>
static LogicalResult reifyPool(OpBuilder &b, PoolOp op,
                               ReifiedRankedShapedTypeDims &shapes) {
  FailureOr<ConvGeometry> g = getPoolGeometry(op, OpError(op));
  if (failed(g))
    return failure();
  reifyWindowed(b, op, op.getX(),
                tensor::getMixedSize(b, op.getLoc(), op.getX(), 1), *g,
                op->getNumResults(), shapes);
  return success();
}
LogicalResult
MaxPoolOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &shapes) {
  return reifyPool(b, *this, shapes);
}
LogicalResult
AveragePoolOp::reifyResultShapes(OpBuilder &b,
                                 ReifiedRankedShapedTypeDims &shapes) {
  return reifyPool(b, *this, shapes);
}

/// Global pooling: [N, C, 1...].
static LogicalResult reifyGlobalPool(OpBuilder &b, Operation *op, Value x,
                                     ReifiedRankedShapedTypeDims &shapes) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, op->getLoc(), x);
  for (unsigned d = 2; d < sizes.size(); ++d)
    sizes[d] = b.getIndexAttr(1);
  shapes.push_back(sizes);
  return success();
}
LogicalResult
GlobalAveragePoolOp::reifyResultShapes(OpBuilder &b,
                                       ReifiedRankedShapedTypeDims &shapes) {
  return reifyGlobalPool(b, *this, getX(), shapes);
}
LogicalResult
GlobalMaxPoolOp::reifyResultShapes(OpBuilder &b,
                                   ReifiedRankedShapedTypeDims &shapes) {
  return reifyGlobalPool(b, *this, getX(), shapes);
}

/// ArgMax and ArgMin: the data's sizes without (or with 1 at) the axis.
static LogicalResult reifyArg(OpBuilder &b, Operation *op, Value data,
                              int64_t axis, bool keepdims,
                              ReifiedRankedShapedTypeDims &shapes) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, op->getLoc(), data);
  if (axis < 0)
    axis += sizes.size();
  if (keepdims)
    sizes[axis] = b.getIndexAttr(1);
  else
    sizes.erase(sizes.begin() + axis);
  shapes.push_back(sizes);
  return success();
}
LogicalResult ArgMaxOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  return reifyArg(b, *this, getData(), getAxis(), getKeepdims() != 0, shapes);
}
LogicalResult ArgMinOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  return reifyArg(b, *this, getData(), getAxis(), getKeepdims() != 0, shapes);
}
