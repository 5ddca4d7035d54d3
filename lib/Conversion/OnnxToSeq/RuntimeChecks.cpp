//===- RuntimeChecks.cpp - Size agreements checked when the model runs
//-----===//

#include "RuntimeChecks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

/// "node 'name': " for a location that names an ONNX node.
static std::string nodePrefix(Location loc) {
  std::string prefix;
  loc->walk([&](Location l) {
    if (auto named = dyn_cast<NameLoc>(l)) {
      prefix = "node '" + named.getName().str() + "': ";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return prefix;
}

void seqc::checkCondition(OpBuilder &b, Location loc, Value condition,
                          const Twine &what) {
  cf::AssertOp::create(b, loc, condition, nodePrefix(loc) + what.str());
}

void seqc::checkSizesEqual(OpBuilder &b, Location loc, OpFoldResult actual,
                           OpFoldResult expected, const Twine &what) {
  std::optional<int64_t> a = getConstantIntValue(actual);
  std::optional<int64_t> e = getConstantIntValue(expected);
  if (a && e)
    return;
  Value lhs = getValueOrCreateConstantIndexOp(b, loc, actual);
  Value rhs = getValueOrCreateConstantIndexOp(b, loc, expected);
  Value same =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, rhs);
  cf::AssertOp::create(b, loc, same, nodePrefix(loc) + what.str());
}

void seqc::checkAll(OpBuilder &b, Location loc, Value holds,
                    const Twine &what) {
  auto type = cast<RankedTensorType>(holds.getType());
  Value init = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, b.getI1Type()),
      ValueRange{arith::ConstantIntOp::create(b, loc, 1, 1)});
  auto reduce = linalg::ReduceOp::create(
      b, loc, holds, init,
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank())),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(
            nb, nl,
            arith::AndIOp::create(nb, nl, args[0], args[1]).getResult());
      });
  checkCondition(
      b, loc,
      tensor::ExtractOp::create(b, loc, reduce.getResult(0), ValueRange{}),
      what);
}

/// The minimum or maximum of all elements of an integer tensor, as an index.
static Value reduceToIndex(OpBuilder &b, Location loc, Value values,
                           bool maximum) {
  auto type = cast<RankedTensorType>(values.getType());
  Type elt = type.getElementType();
  unsigned width = elt.getIntOrFloatBitWidth();
  APInt start = maximum ? APInt::getSignedMinValue(width)
                        : APInt::getSignedMaxValue(width);
  Value init = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, elt),
      ValueRange{arith::ConstantOp::create(b, loc, elt,
                                           b.getIntegerAttr(elt, start))});
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  auto reduce = linalg::ReduceOp::create(
      b, loc, values, init, dims,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value r = maximum ? arith::MaxSIOp::create(nb, nl, args[0], args[1])
                                .getResult()
                          : arith::MinSIOp::create(nb, nl, args[0], args[1])
                                .getResult();
        linalg::YieldOp::create(nb, nl, r);
      });
  Value scalar = tensor::ExtractOp::create(b, loc, reduce.getResult(0),
                                           ValueRange{});
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), scalar);
}

void seqc::checkValuesInRange(OpBuilder &b, Location loc, Value values,
                              OpFoldResult low, OpFoldResult high,
                              const Twine &what) {
  Value lowest = reduceToIndex(b, loc, values, /*maximum=*/false);
  Value highest = reduceToIndex(b, loc, values, /*maximum=*/true);
  Value lo = getValueOrCreateConstantIndexOp(b, loc, low);
  Value hi = getValueOrCreateConstantIndexOp(b, loc, high);
  cf::AssertOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, lowest, lo),
      nodePrefix(loc) + what.str() + ": a value is below the smallest allowed");
  cf::AssertOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, highest, hi),
      nodePrefix(loc) + what.str() + ": a value is above the largest allowed");
}

void seqc::checkBroadcast(OpBuilder &b, Location loc,
                          ArrayRef<OpFoldResult> sizes, ValueRange operands) {
  int64_t rank = sizes.size();
  for (auto [index, v] : llvm::enumerate(operands)) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t offset = rank - type.getRank();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d))
        continue; // static sizes were checked when the types were inferred
      Value size = tensor::DimOp::create(b, loc, v, d);
      Value result = getValueOrCreateConstantIndexOp(b, loc, sizes[offset + d]);
      Value fits = arith::OrIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, result),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size,
                                arith::ConstantIndexOp::create(b, loc, 1)));
      checkCondition(b, loc, fits,
                     "input " + Twine(index) + " dimension " + Twine(d) +
                         " is neither 1 nor the broadcast size");
    }
  }
}

void seqc::checkIndicesInRange(OpBuilder &b, Location loc, Value indices,
                               OpFoldResult size, const Twine &what) {
  Value s = getValueOrCreateConstantIndexOp(b, loc, size);
  Value low = arith::SubIOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0), s);
  Value high = arith::SubIOp::create(
      b, loc, s, arith::ConstantIndexOp::create(b, loc, 1));
  checkValuesInRange(b, loc, indices, low, high, what);
}
