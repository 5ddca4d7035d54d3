//===- Pad.cpp - ONNX Pad to linalg ---------------------------------------===//
//
// Every mode is one linalg.generic over the output that reads the input at a
// computed index: along each dimension, output index o reads i = o - begin,
// mapped into [0, size) by the mode:
//
//   constant  i itself, or the constant value when outside
//   edge      clamp(i, 0, size - 1)
//   wrap      i mod size (of what negative pads leave)
//   reflect   i mod 2(size - 1), folded back above size - 1
//
// Negative pads crop with the same formula. Pads known at compile time give
// static shapes; pads read at run time work the same way.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// i mod n in [0, n), for n > 0.
Value positiveMod(OpBuilder &b, Location loc, Value i, Value n) {
  Value r = arith::RemSIOp::create(b, loc, i, n);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  return arith::SelectOp::create(b, loc, negative,
                                 arith::AddIOp::create(b, loc, r, n), r);
}

struct PadLowering : OpConversionPattern<onnx::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto type = getStorageTensorType(op.getOutput());
    int64_t rank = dataType.getRank();
    StringRef mode = op.getMode();
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    auto readIndex = [&](Value tensor, int64_t i) -> Value {
      Value v = tensor::ExtractOp::create(rewriter, loc, tensor, ValueRange{c(i)});
      return arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                        v);
    };

    // begin[d] and end[d] for every dimension, constants where known.
    SmallVector<OpFoldResult> begins(rank, rewriter.getIndexAttr(0)),
        ends(rank, rewriter.getIndexAttr(0));
    if (std::optional<SmallVector<int64_t>> known =
            onnx::getConstantPads(op, onnx::OpError(op))) {
      for (int64_t d = 0; d < rank; ++d) {
        begins[d] = rewriter.getIndexAttr((*known)[d]);
        ends[d] = rewriter.getIndexAttr((*known)[d + rank]);
      }
    } else if (!op.getAxes() || onnx::getConstantInts(op.getAxes())) {
      FailureOr<SmallVector<int64_t>> axes =
          onnx::getPadAxes(op, onnx::OpError(op));
      if (failed(axes))
        return failure();
      Value pads = adaptor.getPads();
      int64_t numAxes = axes->size();
      checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, pads, 0),
                      rewriter.getIndexAttr(2 * numAxes), "pads' length");
      for (auto [i, axis] : llvm::enumerate(*axes)) {
        begins[axis] = readIndex(pads, i);
        ends[axis] = readIndex(pads, i + numAxes);
      }
    } else {
      // Axes read at run time: dimension d takes the pads of every listed
      // axis that names it (negative axes count from the back), 0 otherwise.
      Value pads = adaptor.getPads(), axesValues = adaptor.getAxes();
      auto axesType = cast<RankedTensorType>(axesValues.getType());
      if (axesType.isDynamicDim(0))
        return op.emitOpError("needs the number of axes known at compile time");
      int64_t numAxes = axesType.getDimSize(0);
      checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, pads, 0),
                      rewriter.getIndexAttr(2 * numAxes), "pads' length");
      SmallVector<Value> begin(rank, c(0)), end(rank, c(0));
      for (int64_t i = 0; i < numAxes; ++i) {
        Value axis = readIndex(axesValues, i);
        Value negative = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::slt, axis, c(0));
        axis = arith::SelectOp::create(
            rewriter, loc, negative,
            arith::AddIOp::create(rewriter, loc, axis, c(rank)), axis);
        checkCondition(
            rewriter, loc,
            arith::AndIOp::create(
                rewriter, loc,
                arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                      axis, c(0)),
                arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                      axis, c(rank))),
            "an axis is out of range");
        Value b = readIndex(pads, i), e = readIndex(pads, i + numAxes);
        for (int64_t d = 0; d < rank; ++d) {
          Value here = arith::CmpIOp::create(
              rewriter, loc, arith::CmpIPredicate::eq, axis, c(d));
          begin[d] = arith::SelectOp::create(rewriter, loc, here, b, begin[d]);
          end[d] = arith::SelectOp::create(rewriter, loc, here, e, end[d]);
        }
      }
      for (int64_t d = 0; d < rank; ++d) {
        begins[d] = begin[d];
        ends[d] = end[d];
      }
    }

    // Output sizes: size + begin + end, never below 0.
    SmallVector<OpFoldResult> sizes;
    SmallVector<Value> inputSizes;
    for (int64_t d = 0; d < rank; ++d) {
      Value size = tensor::DimOp::create(rewriter, loc, data, d);
      inputSizes.push_back(size);
      if (!type.isDynamicDim(d)) {
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        continue;
      }
      Value total = arith::AddIOp::create(
          rewriter, loc, size,
          arith::AddIOp::create(
              rewriter, loc,
              getValueOrCreateConstantIndexOp(rewriter, loc, begins[d]),
              getValueOrCreateConstantIndexOp(rewriter, loc, ends[d])));
      checkCondition(rewriter, loc,
                     arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::sge, total,
                                           c(0)),
                     "negative pads crop dimension " + Twine(d) + " below 0");
      sizes.push_back(total);
    }
    // Outside the constant mode, a padded dimension must have elements to
    // repeat.
    if (mode != "constant") {
      for (int64_t d = 0; d < rank; ++d) {
        std::optional<int64_t> b = getConstantIntValue(begins[d]),
                               e = getConstantIntValue(ends[d]);
        if (b && e && *b <= 0 && *e <= 0)
          continue;
        checkCondition(rewriter, loc,
                       arith::CmpIOp::create(rewriter, loc,
                                             arith::CmpIPredicate::sgt,
                                             inputSizes[d], c(0)),
                       mode + " padding of the empty dimension " + Twine(d));
      }
    }

    Type elt = type.getElementType();
    Value fill;
    if (Value value = adaptor.getConstantValue()) {
      auto valueType = cast<RankedTensorType>(value.getType());
      SmallVector<Value> zeros(valueType.getRank(), c(0));
      fill = tensor::ExtractOp::create(rewriter, loc, value, zeros);
    } else {
      fill = arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(elt));
    }

    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < rank; ++d)
      if (type.isDynamicDim(d))
        dynamicSizes.push_back(cast<Value>(sizes[d]));
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), elt,
                                          dynamicSizes);
    SmallVector<Value> beginValues;
    for (OpFoldResult b : begins)
      beginValues.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, b));
    // wrap repeats what the crops keep, [lo, hi): the begin crop shifts it,
    // the end crop shortens it; padding needs it non-empty.
    SmallVector<Value> wrapLo(rank), wrapKept(rank);
    if (mode == "wrap") {
      for (int64_t d = 0; d < rank; ++d) {
        Value end = getValueOrCreateConstantIndexOp(rewriter, loc, ends[d]);
        Value zero = c(0);
        wrapLo[d] = arith::MaxSIOp::create(
            rewriter, loc, zero,
            arith::SubIOp::create(rewriter, loc, zero, beginValues[d]));
        Value hi = arith::SubIOp::create(
            rewriter, loc, inputSizes[d],
            arith::MaxSIOp::create(
                rewriter, loc, zero,
                arith::SubIOp::create(rewriter, loc, zero, end)));
        Value kept = arith::SubIOp::create(rewriter, loc, hi, wrapLo[d]);
        std::optional<int64_t> b = getConstantIntValue(begins[d]),
                               e = getConstantIntValue(ends[d]);
        if (!(b && e && *b <= 0 && *e <= 0))
          checkCondition(rewriter, loc,
                         arith::CmpIOp::create(rewriter, loc,
                                               arith::CmpIPredicate::sgt, kept,
                                               zero),
                         "wrap padding of dimension " + Twine(d) +
                             ", cropped to nothing");
        // Never a modulo by 0, even where the check above has failed.
        wrapKept[d] = arith::MaxSIOp::create(rewriter, loc, c(1), kept);
      }
    }
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          Value inside;
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          for (int64_t d = 0; d < rank; ++d) {
            Value o = linalg::IndexOp::create(b, l, d);
            std::optional<int64_t> begin = getConstantIntValue(begins[d]),
                                   end = getConstantIntValue(ends[d]);
            if (begin == 0 && end == 0) {
              indices.push_back(o);
              continue;
            }
            Value i = arith::SubIOp::create(b, l, o, beginValues[d]);
            Value size = inputSizes[d];
            Value last = arith::SubIOp::create(b, l, size, one);
            Value clamped = arith::MaxSIOp::create(
                b, l, zero, arith::MinSIOp::create(b, l, i, last));
            if (mode == "constant") {
              Value ok = arith::AndIOp::create(
                  b, l,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, i,
                                        zero),
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i,
                                        size));
              inside = inside ? arith::AndIOp::create(b, l, inside, ok) : ok;
              indices.push_back(clamped);
            } else if (mode == "edge") {
              indices.push_back(clamped);
            } else if (mode == "wrap") {
              Value shifted = arith::SubIOp::create(
                  b, l, o, arith::MaxSIOp::create(b, l, zero, beginValues[d]));
              indices.push_back(arith::AddIOp::create(
                  b, l, wrapLo[d], positiveMod(b, l, shifted, wrapKept[d])));
            } else { // reflect
              Value period = arith::MaxSIOp::create(
                  b, l, one, arith::MulIOp::create(
                                 b, l, last,
                                 arith::ConstantIndexOp::create(b, l, 2)));
              Value r = positiveMod(b, l, i, period);
              Value back = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::sgt, r, last);
              indices.push_back(arith::SelectOp::create(
                  b, l, back, arith::SubIOp::create(b, l, period, r), r));
            }
          }
          if (!inside) {
            linalg::YieldOp::create(
                b, l, tensor::ExtractOp::create(b, l, data, indices).getResult());
            return;
          }
          // A branch, not a select: an empty input has no element to read.
          auto branch = scf::IfOp::create(
              b, l, inside,
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(
                    tb, tl,
                    tensor::ExtractOp::create(tb, tl, data, indices)
                        .getResult());
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, fill);
              });
          linalg::YieldOp::create(b, l, branch.getResult(0));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void seqc::populatePadPatterns(RewritePatternSet &patterns) {
  patterns.add<PadLowering>(patterns.getContext());
}
