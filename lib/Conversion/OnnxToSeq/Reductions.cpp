//===- Reductions.cpp - ONNX Reduce* ops to linalg.generic ----------------===//
//
// One pattern for the ten Reduce* ops: a linalg.generic over the input whose
// reduced dimensions are reduction iterators, with the op's element map
// (|x|, x^2, e^x) and combiner in its body, then the op's final map (mean,
// sqrt, log) and, with keepdims, a reshape that puts the 1s back.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
/// `isUnsigned`: integers ordered as unsigned (bools and ONNX's unsigned
/// types, held in signless storage).
TypedAttr identity(OpBuilder &b, Type type, Combine combine, bool isUnsigned) {
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
  switch (combine) {
  case Combine::Add:
    return b.getIntegerAttr(type, 0);
  case Combine::Mul:
    return b.getIntegerAttr(type, 1);
  case Combine::Max:
    return b.getIntegerAttr(type, isUnsigned ? APInt::getMinValue(width)
                                             : APInt::getSignedMinValue(width));
  case Combine::Min:
    return b.getIntegerAttr(type, isUnsigned ? APInt::getMaxValue(width)
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
                   Value x, bool isUnsigned) {
  bool isFloat = isa<FloatType>(x.getType());
  switch (combine) {
  case Combine::Add:
    return isFloat ? Value(arith::AddFOp::create(b, loc, acc, x))
                   : Value(arith::AddIOp::create(b, loc, acc, x));
  case Combine::Mul:
    return isFloat ? Value(arith::MulFOp::create(b, loc, acc, x))
                   : Value(arith::MulIOp::create(b, loc, acc, x));
  case Combine::Max:
    return seqc::buildMaximum(b, loc, acc, x, isUnsigned);
  case Combine::Min:
    return seqc::buildMinimum(b, loc, acc, x, isUnsigned);
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
    auto resultType = seqc::getStorageTensorType(op.getReduced());
    Type onnxType = getElementTypeOrSelf(op.getData());
    bool isUnsigned = onnxType.isUnsignedInteger() || onnxType.isInteger(1);
    Type elementType = inType.getElementType();
    if (!isa<FloatType>(elementType) && !kind.integers)
      return op->emitOpError("is not defined for element type ")
             << elementType;
    if (op.getAxes() && !seqc::onnx::getConstantInts(op.getAxes())) {
      if (op.getNoopWithEmptyAxes() &&
          cast<RankedTensorType>(adaptor.getAxes().getType()).getDimSize(0) ==
              0) {
        rewriter.replaceOp(op, data);
        return success();
      }
      rewriter.replaceOp(op, reduceOverRuntimeAxes(b, loc, data,
                                                   adaptor.getAxes(),
                                                   resultType, op.getKeepdims(),
                                                   isUnsigned));
      return success();
    }
    FailureOr<SmallVector<int64_t>> axes = seqc::onnx::getReducedAxes(
        seqc::onnx::OpError(op), inType.getRank(), op.getAxes(),
        op.getNoopWithEmptyAxes() != 0);
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
        b, loc, identity(b, elementType, kind.combine, isUnsigned));
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
                  nb, nl, applyCombine(nb, nl, kind.combine, args[1], x, isUnsigned));
            })
            .getResult(0);

    if (kind.finish != Finish::None) {
      Value n = arith::ConstantIndexOp::create(b, loc, 1);
      for (int64_t a : *axes)
        n = arith::MulIOp::create(
            b, loc, n, getValueOrCreateConstantIndexOp(b, loc, inSizes[a]));
      reduced = finish(b, loc, reduced, n);
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


  /// The op's final map (mean over `count` elements, sqrt, log) applied to
  /// every element of `reduced`.
  Value finish(OpBuilder &b, Location loc, Value reduced, Value count) const {
    Type elementType = getElementTypeOrSelf(reduced);
    Value n = arith::SIToFPOp::create(
        b, loc, elementType,
        arith::IndexCastOp::create(b, loc, b.getI64Type(), count));
    return seqc::buildElementwise(
        b, loc, reduced.getType(), reduced,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = args[0];
          switch (kind.finish) {
          case Finish::Mean:
            v = arith::DivFOp::create(nb, nl, v, n);
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

  /// Axes known only at run time. Dimension d is reduced when an axis names
  /// it; the result with kept dimensions has size 1 there. Each of its
  /// elements loops over the R elements it reduces: r's mixed-radix digits,
  /// with radix size[d] on reduced dimensions and 1 elsewhere, are added to
  /// the output index. Without keepdims the reduced 1s are then dropped.
  Value reduceOverRuntimeAxes(OpBuilder &b, Location loc, Value data,
                              Value axes, RankedTensorType resultType,
                              bool keepdims, bool isUnsigned) const {
    auto inType = cast<RankedTensorType>(data.getType());
    Type elementType = inType.getElementType();
    int64_t rank = inType.getRank();
    int64_t numAxes = cast<RankedTensorType>(axes.getType()).getDimSize(0);
    auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
    SmallVector<Value> reduced(rank, arith::ConstantIntOp::create(
                                         b, loc, numAxes == 0 ? 1 : 0, 1));
    for (int64_t i = 0; i < numAxes; ++i) {
      Value axis = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, axes, ValueRange{c(i)}));
      Value negative =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis, c(0));
      axis = arith::SelectOp::create(
          b, loc, negative, arith::AddIOp::create(b, loc, axis, c(rank)), axis);
      seqc::checkCondition(
          b, loc,
          arith::AndIOp::create(
              b, loc,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, axis,
                                    c(0)),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis,
                                    c(rank))),
          "an axis is out of range");
      for (int64_t d = 0; d < rank; ++d)
        reduced[d] = arith::OrIOp::create(
            b, loc, reduced[d],
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, axis,
                                  c(d)));
    }
    SmallVector<Value> sizes, radix, keptSizes;
    Value total = c(1);
    for (int64_t d = 0; d < rank; ++d) {
      sizes.push_back(tensor::DimOp::create(b, loc, data, d));
      radix.push_back(
          arith::SelectOp::create(b, loc, reduced[d], sizes[d], c(1)));
      keptSizes.push_back(
          arith::SelectOp::create(b, loc, reduced[d], c(1), sizes[d]));
      total = arith::MulIOp::create(b, loc, total, radix[d]);
    }
    auto keptType = RankedTensorType::get(
        SmallVector<int64_t>(rank, ShapedType::kDynamic), elementType);
    Value empty = tensor::EmptyOp::create(b, loc, keptType.getShape(),
                                          elementType, keptSizes);
    Value start = arith::ConstantOp::create(
        b, loc, identity(b, elementType, kind.combine, isUnsigned));
    Value kept =
        linalg::GenericOp::create(
            b, loc, keptType, ValueRange{}, empty,
            SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange) {
              SmallVector<Value> out;
              for (int64_t d = 0; d < rank; ++d)
                out.push_back(linalg::IndexOp::create(nb, nl, d));
              auto loop = scf::ForOp::create(
                  nb, nl, arith::ConstantIndexOp::create(nb, nl, 0), total,
                  arith::ConstantIndexOp::create(nb, nl, 1), ValueRange{start},
                  [&](OpBuilder &lb, Location ll, Value r, ValueRange acc) {
                    SmallVector<Value> index(rank);
                    for (int64_t d = rank - 1; d >= 0; --d) {
                      Value digit = arith::RemUIOp::create(lb, ll, r, radix[d]);
                      r = arith::DivUIOp::create(lb, ll, r, radix[d]);
                      index[d] = arith::AddIOp::create(lb, ll, out[d], digit);
                    }
                    Value x = tensor::ExtractOp::create(lb, ll, data, index);
                    scf::YieldOp::create(
                        lb, ll,
                        applyCombine(lb, ll, kind.combine, acc[0],
                                     applyMap(lb, ll, kind.map, x), isUnsigned));
                  });
              linalg::YieldOp::create(nb, nl, loop.getResult(0));
            })
            .getResult(0);
    if (kind.finish != Finish::None)
      kept = finish(b, loc, kept, total);
    if (keepdims)
      return tensor::CastOp::create(b, loc, resultType, kept);
    // The sizes of the kept dimensions, in order: output dimension j is the
    // j-th dimension not reduced.
    SmallVector<OpFoldResult> outSizes;
    for (int64_t j = 0; j < resultType.getRank(); ++j) {
      Value size = c(1), seen = c(0);
      for (int64_t d = 0; d < rank; ++d) {
        Value isJth = arith::AndIOp::create(
            b, loc,
            arith::XOrIOp::create(b, loc, reduced[d],
                                  arith::ConstantIntOp::create(b, loc, 1, 1)),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, seen,
                                  c(j)));
        size = arith::SelectOp::create(b, loc, isJth, sizes[d], size);
        seen = arith::SelectOp::create(
            b, loc, reduced[d], seen, arith::AddIOp::create(b, loc, seen, c(1)));
      }
      outSizes.push_back(size);
    }
    return seqc::reshapeTo(b, loc, kept, resultType, outSizes);
  }

  ReduceKind kind;
};

template <typename ReduceOp>
void add(RewritePatternSet &patterns, ReduceKind kind) {
  patterns.add<ReduceLowering<ReduceOp>>(patterns.getContext(), kind);
}

/// ArgMax / ArgMin: one linalg.generic with two outputs, the best value so
/// far and its index, reducing along `axis`. Ties keep the first index, or
/// the last with select_last_index; NaN wins, as in numpy.
template <typename ArgOp>
struct ArgLowering : OpConversionPattern<ArgOp> {
  using OpConversionPattern<ArgOp>::OpConversionPattern;
  static constexpr bool isMax = std::is_same_v<ArgOp, seqc::onnx::ArgMaxOp>;

  LogicalResult
  matchAndRewrite(ArgOp op, typename ArgOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    auto resultType = seqc::getStorageTensorType(op.getReduced());
    Type onnxType = getElementTypeOrSelf(op.getData());
    bool isUnsigned = onnxType.isUnsignedInteger() || onnxType.isInteger(1);
    Type elt = inType.getElementType();
    int64_t rank = inType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool last = op.getSelectLastIndex() != 0;
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, data);
    SmallVector<OpFoldResult> outSizes;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d != axis) {
        outSizes.push_back(sizes[d]);
        outExprs.push_back(b.getAffineDimExpr(d));
      }
    }
    Combine combine = isMax ? Combine::Min : Combine::Max; // the worst value
    Value worst = arith::ConstantOp::create(b, loc, identity(b, elt, combine, isUnsigned));
    Value bestInit = tensor::EmptyOp::create(b, loc, outSizes, elt);
    Value best = linalg::FillOp::create(b, loc, worst, bestInit).getResult(0);
    Value none = arith::ConstantIntOp::create(b, loc, -1, 64);
    Value indexInit = tensor::EmptyOp::create(b, loc, outSizes, b.getI64Type());
    Value index = linalg::FillOp::create(b, loc, none, indexInit).getResult(0);
    auto outMap = AffineMap::get(rank, 0, outExprs, b.getContext());
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{best.getType(), index.getType()}, data,
        ValueRange{best, index},
        SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank), outMap, outMap},
        iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value x = args[0], current = args[1], at = args[2];
          Value i = arith::IndexCastOp::create(
              nb, nl, nb.getI64Type(), linalg::IndexOp::create(nb, nl, axis));
          Value better, equal;
          if (isa<FloatType>(elt)) {
            auto strict = isMax ? arith::CmpFPredicate::OGT
                                : arith::CmpFPredicate::OLT;
            // NaN beats everything but an earlier NaN.
            Value isNaN = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO,
                                                x, x);
            Value hadNaN = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::UNO, current, current);
            better = arith::OrIOp::create(
                nb, nl, arith::CmpFOp::create(nb, nl, strict, x, current),
                arith::AndIOp::create(
                    nb, nl, isNaN,
                    arith::XOrIOp::create(
                        nb, nl, hadNaN,
                        arith::ConstantIntOp::create(nb, nl, 1, 1))));
            equal = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, x,
                                          current);
          } else {
            auto strict = isUnsigned ? (isMax ? arith::CmpIPredicate::ugt
                                              : arith::CmpIPredicate::ult)
                                     : (isMax ? arith::CmpIPredicate::sgt
                                              : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(nb, nl, strict, x, current);
            equal = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, x,
                                          current);
          }
          // The first element always takes the place of the start value.
          Value first = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                              at, arith::ConstantIntOp::create(
                                                      nb, nl, 0, 64));
          Value take = arith::OrIOp::create(nb, nl, better, first);
          if (last)
            take = arith::OrIOp::create(nb, nl, take, equal);
          linalg::YieldOp::create(
              nb, nl,
              ValueRange{arith::SelectOp::create(nb, nl, take, x, current),
                         arith::SelectOp::create(nb, nl, take, i, at)});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims()) {
      SmallVector<OpFoldResult> kept(sizes);
      kept[axis] = b.getIndexAttr(1);
      result = seqc::reshapeTo(b, loc, result, resultType, kept);
    } else if (result.getType() != resultType) {
      result = tensor::CastOp::create(b, loc, resultType, result);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void seqc::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ArgLowering<seqc::onnx::ArgMaxOp>,
               ArgLowering<seqc::onnx::ArgMinOp>>(patterns.getContext());
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
