//===- RuntimeChecks.cpp - Size agreements checked when the model runs
//-----===//

#include "RuntimeChecks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
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
      checkSizesEqual(b, loc, size, sizes[offset + d],
                      "input " + Twine(index) + " dimension " + Twine(d) +
                          " does not match the broadcast result (dynamic "
                          "sizes broadcast only when equal)");
    }
  }
}
