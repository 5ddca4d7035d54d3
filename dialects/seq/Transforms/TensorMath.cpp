//===- TensorMath.cpp - Elementwise tensor builders of the scan passes ----===//

#include "TensorMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;

Value seqc::seq::buildFilledTensor(OpBuilder &b, Location loc,
                                   ArrayRef<OpFoldResult> sizes,
                                   Type elementType, int64_t value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  TypedAttr attr = isa<FloatType>(elementType)
                       ? TypedAttr(b.getFloatAttr(elementType, value))
                       : TypedAttr(b.getIntegerAttr(elementType, value));
  Value scalar = arith::ConstantOp::create(b, loc, attr);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value seqc::seq::buildElementwise(
    OpBuilder &b, Location loc, Value like, ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  auto type = cast<RankedTensorType>(like.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, like), type.getElementType());
  SmallVector<AffineMap> maps(operands.size() + 1,
                              b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), operands, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, fn(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

Value seqc::seq::buildMul(OpBuilder &b, Location loc, Value a, Value h) {
  if (isa<FloatType>(h.getType()))
    return arith::MulFOp::create(b, loc, a, h);
  return arith::MulIOp::create(b, loc, a, h);
}

Value seqc::seq::buildMulAdd(OpBuilder &b, Location loc, Value a, Value h,
                             Value x) {
  Value scaled = a ? buildMul(b, loc, a, h) : h;
  if (isa<FloatType>(h.getType()))
    return arith::AddFOp::create(b, loc, scaled, x);
  return arith::AddIOp::create(b, loc, scaled, x);
}

SmallVector<Value> seqc::seq::readValues(Operation *op) {
  SmallVector<Value> values(op->getOperands());
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  llvm::append_range(values, captured);
  return values;
}
