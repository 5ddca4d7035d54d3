//===- Dropout.cpp - ONNX Dropout at inference and in training mode -------===//
//
// At inference (no training_mode, or a constant false) Dropout is the data
// and a mask of all true. In training mode it keeps an element when a
// uniform double in [0, 1) is at least `ratio`, and scales the kept ones by
// 1 / (1 - ratio). The doubles come from MT19937 seeded with the `seed`
// attribute (its low 32 bits; 0 without one), two 32-bit draws per double in
// C order, as numpy's RandomState draws them: a seeded Dropout reproduces
// ONNX's reference implementation bit for bit. Each call starts from the
// seed, since the kernels keep no state between calls.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

constexpr int64_t kStateWords = 624;

/// MT19937's state after seeding with `seed` (init_genrand), computed here:
/// the seed is an attribute.
Value buildSeededState(OpBuilder &b, Location loc, uint32_t seed) {
  SmallVector<int32_t> words(kStateWords);
  uint32_t word = seed;
  for (int64_t i = 0; i < kStateWords; ++i) {
    words[i] = static_cast<int32_t>(word);
    word = 1812433253u * (word ^ (word >> 30)) + static_cast<uint32_t>(i + 1);
  }
  auto type = RankedTensorType::get({kStateWords}, b.getI32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<int32_t>(words)));
}

Value i32Const(OpBuilder &b, Location loc, uint32_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                      static_cast<int32_t>(value));
}

/// The next 624 words of the state: MT19937's twist, in place and in
/// order, so that words past 226 read words already twisted (as the
/// reference does).
Value buildTwist(OpBuilder &b, Location loc, Value state) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value words = arith::ConstantIndexOp::create(b, loc, kStateWords);
  auto loop = scf::ForOp::create(
      b, loc, zero, words, one, ValueRange{state},
      [&](OpBuilder &nb, Location nl, Value k, ValueRange args) {
        Value s = args[0];
        auto at = [&](int64_t offset) {
          Value index = arith::RemUIOp::create(
              nb, nl,
              arith::AddIOp::create(
                  nb, nl, k, arith::ConstantIndexOp::create(nb, nl, offset)),
              words);
          return tensor::ExtractOp::create(nb, nl, s, index).getResult();
        };
        Value y = arith::OrIOp::create(
            nb, nl,
            arith::AndIOp::create(nb, nl, at(0), i32Const(nb, nl, 0x80000000u)),
            arith::AndIOp::create(nb, nl, at(1),
                                  i32Const(nb, nl, 0x7fffffffu)));
        Value odd = arith::CmpIOp::create(
            nb, nl, arith::CmpIPredicate::ne,
            arith::AndIOp::create(nb, nl, y, i32Const(nb, nl, 1)),
            i32Const(nb, nl, 0));
        Value magic = arith::SelectOp::create(
            nb, nl, odd, i32Const(nb, nl, 0x9908b0dfu), i32Const(nb, nl, 0));
        Value next = arith::XOrIOp::create(
            nb, nl,
            arith::XOrIOp::create(
                nb, nl, at(397),
                arith::ShRUIOp::create(nb, nl, y, i32Const(nb, nl, 1))),
            magic);
        scf::YieldOp::create(
            nb, nl, tensor::InsertOp::create(nb, nl, next, s, k).getResult());
      });
  return loop.getResult(0);
}

/// MT19937's tempering of one state word.
Value buildTemper(OpBuilder &b, Location loc, Value y) {
  auto shiftXor = [&](Value v, bool left, uint32_t amount, uint32_t mask) {
    Value shifted =
        left ? arith::ShLIOp::create(b, loc, v, i32Const(b, loc, amount))
                   .getResult()
             : arith::ShRUIOp::create(b, loc, v, i32Const(b, loc, amount))
                   .getResult();
    if (mask != 0xffffffffu)
      shifted = arith::AndIOp::create(b, loc, shifted, i32Const(b, loc, mask));
    return arith::XOrIOp::create(b, loc, v, shifted).getResult();
  };
  y = shiftXor(y, false, 11, 0xffffffffu);
  y = shiftXor(y, true, 7, 0x9d2c5680u);
  y = shiftXor(y, true, 15, 0xefc60000u);
  return shiftXor(y, false, 18, 0xffffffffu);
}

/// The 1-D mask of `count` elements: element i kept when its uniform double
/// (words 2i and 2i + 1 of the stream) is >= `ratio` (an f64).
Value buildKeepMask(OpBuilder &b, Location loc, Value count, Value ratio,
                    uint32_t seed) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value two = arith::ConstantIndexOp::create(b, loc, 2);
  Value words = arith::ConstantIndexOp::create(b, loc, kStateWords);
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<OpFoldResult>{count},
                                        b.getI1Type());
  // The state starts used up: the first draw twists it, as in the reference.
  auto loop = scf::ForOp::create(
      b, loc, zero, count, one,
      ValueRange{buildSeededState(b, loc, seed), words, empty},
      [&](OpBuilder &nb, Location nl, Value i, ValueRange args) {
        Value state = args[0], pos = args[1], mask = args[2];
        // 624 is even and each double takes two words: a twist only ever
        // comes before a pair.
        Value usedUp =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, pos, words);
        auto refill = scf::IfOp::create(
            nb, nl, usedUp,
            [&](OpBuilder &tb, Location tl) {
              scf::YieldOp::create(tb, tl,
                                   ValueRange{buildTwist(tb, tl, state), zero});
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, ValueRange{state, pos});
            });
        state = refill.getResult(0);
        pos = refill.getResult(1);
        auto draw = [&](Value index, uint32_t shift) {
          Value word = buildTemper(
              nb, nl, tensor::ExtractOp::create(nb, nl, state, index));
          Value bits =
              arith::ShRUIOp::create(nb, nl, word, i32Const(nb, nl, shift));
          return arith::UIToFPOp::create(nb, nl, nb.getF64Type(), bits)
              .getResult();
        };
        // (a >> 5) * 2^26 + (b >> 6), over 2^53: numpy's random_double.
        Value high = draw(pos, 5);
        Value low = draw(arith::AddIOp::create(nb, nl, pos, one), 6);
        auto f64 = [&](double v) {
          return arith::ConstantFloatOp::create(nb, nl, nb.getF64Type(),
                                                APFloat(v));
        };
        Value uniform = arith::DivFOp::create(
            nb, nl,
            arith::AddFOp::create(
                nb, nl, arith::MulFOp::create(nb, nl, high, f64(67108864.0)),
                low),
            f64(9007199254740992.0));
        Value keep = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGE,
                                           uniform, ratio);
        Value updated = tensor::InsertOp::create(nb, nl, keep, mask, i);
        scf::YieldOp::create(nb, nl,
                             ValueRange{state,
                                        arith::AddIOp::create(nb, nl, pos, two),
                                        updated});
      });
  return loop.getResult(2);
}

/// `v` (a float scalar) converted to the float type `to`.
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth(),
           width = to.getIntOrFloatBitWidth();
  if (v.getType() == to)
    return v;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

struct DropoutLowering : OpConversionPattern<onnx::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto maskType = cast<RankedTensorType>(op.getMask().getType());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, data);
    auto inference = [&](OpBuilder &b, Location l) -> SmallVector<Value> {
      return {data, buildFilled(b, l, maskType, sizes, 1.0)};
    };
    Value mode = adaptor.getTrainingMode();
    Attribute known;
    if (!mode || (matchPattern(op.getTrainingMode(), m_Constant(&known)) &&
                  !*cast<DenseElementsAttr>(known).getValues<bool>().begin())) {
      rewriter.replaceOp(op, inference(rewriter, loc));
      return success();
    }
    if (!isa<FloatType>(dataType.getElementType()))
      return op.emitOpError("in training mode is defined for floats, found ")
             << dataType.getElementType();
    auto training = [&](OpBuilder &b, Location l) -> SmallVector<Value> {
      Type elt = dataType.getElementType();
      Value ratio = adaptor.getRatio() ? extractScalar(b, l, adaptor.getRatio())
                                       : buildScalar(b, l, b.getF32Type(), 0.5);
      Value count = arith::ConstantIndexOp::create(b, l, 1);
      for (OpFoldResult size : sizes)
        count = arith::MulIOp::create(
            b, l, count, getValueOrCreateConstantIndexOp(b, l, size));
      uint32_t seed = static_cast<uint32_t>(op.getSeed().value_or(0));
      Value flat = buildKeepMask(
          b, l, count, convertFloat(b, l, ratio, b.getF64Type()), seed);
      Value mask = reshapeTo(b, l, flat, maskType, sizes);
      // (mask ? x : 0) * (1 / (1 - ratio)), in the data's type.
      Value oneT = buildScalar(b, l, elt, 1.0);
      Value scale = arith::DivFOp::create(
          b, l, oneT,
          arith::SubFOp::create(b, l, oneT, convertFloat(b, l, ratio, elt)));
      Value output =
          buildElementwise(b, l, dataType, {data, mask},
                           [&](OpBuilder &nb, Location nl, ValueRange args) {
                             Value kept = arith::SelectOp::create(
                                 nb, nl, args[1], args[0],
                                 buildScalar(nb, nl, elt, 0.0));
                             return SmallVector<Value>{
                                 arith::MulFOp::create(nb, nl, kept, scale)};
                           })
              .front();
      return {output, mask};
    };
    if (known) {
      rewriter.replaceOp(op, training(rewriter, loc));
      return success();
    }
    // training_mode read at run time.
    auto branch = scf::IfOp::create(
        rewriter, loc, extractScalar(rewriter, loc, mode),
        [&](OpBuilder &b, Location l) {
          scf::YieldOp::create(b, l, training(b, l));
        },
        [&](OpBuilder &b, Location l) {
          scf::YieldOp::create(b, l, inference(b, l));
        });
    rewriter.replaceOp(op, branch.getResults());
    return success();
  }
};

} // namespace

void seqc::populateDropoutPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(patterns.getContext());
}
