//===- ShapeReification.cpp - Result sizes of the ONNX operators at run time ===//
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

SmallVector<OpFoldResult>
seqc::onnx::reifyBroadcastSizes(OpBuilder &b, Location loc,
                                RankedTensorType type, ValueRange operands) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i)) {
      sizes.push_back(b.getIndexAttr(type.getDimSize(i)));
      continue;
    }
    // An operand with a static size other than 1 decides; otherwise the
    // first operand whose run-time size is not 1 (the others are 1 there,
    // or equal: the lowering checks which).
    std::optional<int64_t> known;
    Value size;
    for (Value v : operands) {
      auto t = cast<RankedTensorType>(v.getType());
      int64_t j = i - (type.getRank() - t.getRank());
      if (j < 0)
        continue;
      if (!t.isDynamicDim(j)) {
        if (t.getDimSize(j) != 1)
          known = t.getDimSize(j);
        continue;
      }
      Value dim = tensor::DimOp::create(b, loc, v, j);
      if (!size) {
        size = dim;
        continue;
      }
      Value isOne =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size,
                                arith::ConstantIndexOp::create(b, loc, 1));
      size = arith::SelectOp::create(b, loc, isOne, dim, size);
    }
    if (known || !size)
      sizes.push_back(b.getIndexAttr(known.value_or(1)));
    else
      sizes.push_back(size);
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

LogicalResult
seqc::onnx::reifySameSizes(OpBuilder &b, Operation *op, Value source,
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
