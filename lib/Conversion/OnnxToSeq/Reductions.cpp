//===- Reductions.cpp - ONNX Reduce* ops to linalg.generic ----------------===//
//
// One pattern for the ten Reduce* ops: a linalg.generic over the input whose
// reduced dimensions are reduction iterators, with the op's element map
// (|x|, x^2, e^x) and combiner in its body, then the op's final map (mean,
// sqrt, log) and, with keepdims, a reshape that puts the 1s back.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;

namespace {

enum class Combine { Add, Mul, Max, Min };
enum class Map { None, Abs, Square, Exp };
enum class Finish { None, Mean, Sqrt, Log };

struct ReduceKind {
  Map map;
  Combine combine;
  Finish finish;
  bool integers; // whether ONNX defines the op on integers
};

/// The combiner's identity: what a reduction over no element gives.
TypedAttr identity(OpBuilder &b, Type type, Combine combine) {
  if (auto f = dyn_cast<FloatType>(type)) {
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    switch (combine) {
    case Combine::Add:
      return b.getFloatAttr(type, 0.0);
    case Combine::Mul:
      return b.getFloatAttr(type, 1.0);
    case Combine::Max:
      return b.getFloatAttr(type, APFloat::getInf(sem, /*Negative=*/true));
    case Combine::Min:
      return b.getFloatAttr(type, APFloat::getInf(sem, /*Negative=*/false));
    }
  }
  unsigned width = type.getIntOrFloatBitWidth();
  bool isBool = width == 1; // ordered false < true, not as signed i1
  switch (combine) {
  case Combine::Add:
    return b.getIntegerAttr(type, 0);
  case Combine::Mul:
    return b.getIntegerAttr(type, 1);
  case Combine::Max:
    return b.getIntegerAttr(type, isBool ? APInt(1, 0)
                                         : APInt::getSignedMinValue(width));
  case Combine::Min:
    return b.getIntegerAttr(type, isBool ? APInt(1, 1)
                                         : APInt::getSignedMaxValue(width));
  }
  llvm_unreachable("unknown combiner");
}

Value applyMap(OpBuilder &b, Location loc, Map map, Value x) {
  bool isFloat = isa<FloatType>(x.getType());
  switch (map) {
  case Map::None:
    return x;
  case Map::Abs:
    return isFloat ? Value(math::AbsFOp::create(b, loc, x))
                   : Value(math::AbsIOp::create(b, loc, x));
  case Map::Square:
    return isFloat ? Value(arith::MulFOp::create(b, loc, x, x))
                   : Value(arith::MulIOp::create(b, loc, x, x));
  case Map::Exp:
    return math::ExpOp::create(b, loc, x);
  }
  llvm_unreachable("unknown map");
}

Value applyCombine(OpBuilder &b, Location loc, Combine combine, Value acc,
                   Value x) {
  if (isa<FloatType>(x.getType())) {
    switch (combine) {
    case Combine::Add:
      return arith::AddFOp::create(b, loc, acc, x);
    case Combine::Mul:
      return arith::MulFOp::create(b, loc, acc, x);
    case Combine::Max:
      return arith::MaximumFOp::create(b, loc, acc, x);
    case Combine::Min:
      return arith::MinimumFOp::create(b, loc, acc, x);
    }
  }
  bool isBool = x.getType().isInteger(1);
  switch (combine) {
  case Combine::Add:
    return arith::AddIOp::create(b, loc, acc, x);
  case Combine::Mul:
    return arith::MulIOp::create(b, loc, acc, x);
  case Combine::Max:
    return isBool ? Value(arith::MaxUIOp::create(b, loc, acc, x))
                  : Value(arith::MaxSIOp::create(b, loc, acc, x));
  case Combine::Min:
    return isBool ? Value(arith::MinUIOp::create(b, loc, acc, x))
                  : Value(arith::MinSIOp::create(b, loc, acc, x));
  }
  llvm_unreachable("unknown combiner");
}

template <typename ReduceOp>
struct ReduceLowering : OpConversionPattern<ReduceOp> {
  ReduceLowering(MLIRContext *ctx, ReduceKind kind)
      : OpConversionPattern<ReduceOp>(ctx), kind(kind) {}

  LogicalResult
  matchAndRewrite(ReduceOp op, typename ReduceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    auto resultType = cast<RankedTensorType>(op.getReduced().getType());
    Type elementType = inType.getElementType();
    if (!isa<FloatType>(elementType) && !kind.integers)
      return op->emitOpError("is not defined for element type ")
             << elementType;
    if (elementType.isBF16())
      return op->emitOpError(seqc::kNoBF16Arithmetic);
    FailureOr<SmallVector<int64_t>> axes = seqc::onnx::getReducedAxes(
        op, inType.getRank(), op.getAxes(), op.getNoopWithEmptyAxes() != 0);
    if (failed(axes))
      return failure();
    if (axes->empty()) { // noop_with_empty_axes: the input as it is
      rewriter.replaceOp(op, data);
      return success();
    }

    // The generic: identity map in, reduced dimensions dropped out.
    int64_t rank = inType.getRank();
    SmallVector<OpFoldResult> inSizes = tensor::getMixedSizes(b, loc, data);
    SmallVector<OpFoldResult> outSizes;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t i = 0; i < rank; ++i) {
      bool isReduced = llvm::is_contained(*axes, i);
      iterators.push_back(isReduced ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (!isReduced) {
        outSizes.push_back(inSizes[i]);
        outExprs.push_back(b.getAffineDimExpr(i));
      }
    }
    Value start = arith::ConstantOp::create(
        b, loc, identity(b, elementType, kind.combine));
    Value empty = tensor::EmptyOp::create(b, loc, outSizes, elementType);
    Value init = linalg::FillOp::create(b, loc, start, empty).getResult(0);
    auto outMap = AffineMap::get(rank, 0, outExprs, b.getContext());
    Value reduced =
        linalg::GenericOp::create(
            b, loc, init.getType(), data, init,
            {b.getMultiDimIdentityMap(rank), outMap}, iterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value x = applyMap(nb, nl, kind.map, args[0]);
              linalg::YieldOp::create(
                  nb, nl, applyCombine(nb, nl, kind.combine, args[1], x));
            })
            .getResult(0);

    if (kind.finish != Finish::None) {
      Value count;
      if (kind.finish == Finish::Mean) {
        Value n = arith::ConstantIndexOp::create(b, loc, 1);
        for (int64_t a : *axes)
          n = arith::MulIOp::create(
              b, loc, n, getValueOrCreateConstantIndexOp(b, loc, inSizes[a]));
        count = arith::SIToFPOp::create(
            b, loc, elementType,
            arith::IndexCastOp::create(b, loc, b.getI64Type(), n));
      }
      reduced = seqc::buildElementwise(
          b, loc, reduced.getType(), reduced,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value v = args[0];
            switch (kind.finish) {
            case Finish::Mean:
              v = arith::DivFOp::create(nb, nl, v, count);
              break;
            case Finish::Sqrt:
              v = math::SqrtOp::create(nb, nl, v);
              break;
            case Finish::Log:
              v = math::LogOp::create(nb, nl, v);
              break;
            case Finish::None:
              break;
            }
            return SmallVector<Value>{v};
          })[0];
    }

    if (op.getKeepdims()) {
      SmallVector<OpFoldResult> keptSizes;
      for (int64_t i = 0; i < rank; ++i)
        keptSizes.push_back(llvm::is_contained(*axes, i) ? b.getIndexAttr(1)
                                                         : inSizes[i]);
      reduced = seqc::reshapeTo(b, loc, reduced, resultType, keptSizes);
    }
    rewriter.replaceOp(op, reduced);
    return success();
  }

  ReduceKind kind;
};

template <typename ReduceOp>
void add(RewritePatternSet &patterns, ReduceKind kind) {
  patterns.add<ReduceLowering<ReduceOp>>(patterns.getContext(), kind);
}

} // namespace

void seqc::populateReductionPatterns(RewritePatternSet &patterns) {
  using namespace seqc::onnx;
  add<ReduceSumOp>(patterns, {Map::None, Combine::Add, Finish::None, true});
  add<ReduceMeanOp>(patterns, {Map::None, Combine::Add, Finish::Mean, false});
  add<ReduceMaxOp>(patterns, {Map::None, Combine::Max, Finish::None, true});
  add<ReduceMinOp>(patterns, {Map::None, Combine::Min, Finish::None, true});
  add<ReduceProdOp>(patterns, {Map::None, Combine::Mul, Finish::None, true});
  add<ReduceL1Op>(patterns, {Map::Abs, Combine::Add, Finish::None, true});
  add<ReduceL2Op>(patterns, {Map::Square, Combine::Add, Finish::Sqrt, false});
  add<ReduceSumSquareOp>(patterns,
                         {Map::Square, Combine::Add, Finish::None, true});
  add<ReduceLogSumOp>(patterns, {Map::None, Combine::Add, Finish::Log, false});
  add<ReduceLogSumExpOp>(patterns,
                         {Map::Exp, Combine::Add, Finish::Log, false});
}
