//===- Elementwise.cpp - ONNX elementwise ops to linalg.generic -----------===//
//
// One pattern template, one table: each elementwise ONNX op names its float,
// signed and unsigned integer scalar functions (null where ONNX has no such
// form, or seqc does not support it yet: the op is then refused with its
// node's name).
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using seqc::onnx::ActivationKind;

namespace {

/// The scalar computation of one output element from its inputs' elements.
/// `op` gives the attributes; the result has `resultType`.
using ScalarFn = Value (*)(OpBuilder &, Location, Operation *op,
                           Type resultType, ValueRange args);

Value constantLike(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
  return arith::ConstantOp::create(
      b, loc, type, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

template <typename ArithOp>
Value binary(OpBuilder &b, Location loc, Operation *, Type, ValueRange args) {
  return ArithOp::create(b, loc, args[0], args[1]);
}

// x < 0 ? slope * x : x
Value preluF(OpBuilder &b, Location loc, Operation *, Type type,
             ValueRange args) {
  Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                         args[0], constantLike(b, loc, type, 0));
  return arith::SelectOp::create(
      b, loc, negative, arith::MulFOp::create(b, loc, args[0], args[1]),
      args[0]);
}
Value preluI(OpBuilder &b, Location loc, Operation *, Type type,
             ValueRange args) {
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                         args[0], constantLike(b, loc, type, 0));
  return arith::SelectOp::create(
      b, loc, negative, arith::MulIOp::create(b, loc, args[0], args[1]),
      args[0]);
}

/// The divisor an integer division uses: 1 where the ONNX divisor is 0, or
/// -1 under the most negative dividend (both trap on x86). The run-time
/// check of checkIntegerDivisors reports those cases; the value computed
/// for them is never returned.
Value safeDivisor(OpBuilder &b, Location loc, Type type, Value x, Value d,
                  bool isSigned) {
  Value bad = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d,
                                    constantLike(b, loc, type, 0));
  if (isSigned) {
    unsigned width = type.getIntOrFloatBitWidth();
    Value lowest = arith::ConstantOp::create(
        b, loc, type, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
    bad = arith::OrIOp::create(
        b, loc, bad,
        arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, lowest),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d,
                                  constantLike(b, loc, type, -1))));
  }
  return arith::SelectOp::create(b, loc, bad, constantLike(b, loc, type, 1), d);
}

template <typename ArithOp, bool isSigned>
Value divideInt(OpBuilder &b, Location loc, Operation *, Type type,
                ValueRange args) {
  return ArithOp::create(b, loc, args[0],
                         safeDivisor(b, loc, type, args[0], args[1], isSigned));
}

/// Integer Div and Mod: a constant divisor holding 0 is refused; other
/// divisors are checked when the model runs unless they are constants
/// without 0 (and -1, when signed). `operands` are broadcast to the result.
LogicalResult checkIntegerDivisors(OpBuilder &b, Location loc, Operation *op,
                                   Type type, RankedTensorType resultType,
                                   ValueRange operands) {
  bool isSigned = !type.isUnsignedInteger();
  if (std::optional<SmallVector<int64_t>> divisors =
          seqc::onnx::getConstantInts(op->getOperand(1))) {
    if (llvm::is_contained(*divisors, 0))
      return op->emitOpError("divides by a constant 0");
    if (!isSigned || !llvm::is_contained(*divisors, -1))
      return success();
  }
  Type storage = seqc::onnx::getStorageElementType(type);
  Value valid = seqc::buildElementwise(
      b, loc, resultType.clone(b.getI1Type()), operands,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value d = args[1];
        Value safe = safeDivisor(nb, nl, storage, args[0], d, isSigned);
        return SmallVector<Value>{
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, safe, d)};
      })[0];
  seqc::checkAll(b, loc, valid,
                 "integer division by zero, or of the most negative value "
                 "by -1");
  return success();
}

// fmod = 1 is C's fmod / %; fmod = 0 takes the divisor's sign, as Python's
// % (for floats too, as onnx 1.23's node tests define it).
Value modF(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Value r = arith::RemFOp::create(b, loc, args[0], args[1]);
  if (cast<seqc::onnx::ModOp>(op).getFmod() == 1)
    return r;
  Value zero = constantLike(b, loc, type, 0);
  Value nonZero =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, r, zero);
  Value signsDiffer = arith::XOrIOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, r, zero),
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, args[1], zero));
  return arith::SelectOp::create(
      b, loc, arith::AndIOp::create(b, loc, nonZero, signsDiffer),
      arith::AddFOp::create(b, loc, r, args[1]), r);
}
Value modI(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Value r = arith::RemSIOp::create(
      b, loc, args[0], safeDivisor(b, loc, type, args[0], args[1], true));
  if (cast<seqc::onnx::ModOp>(op).getFmod() == 1)
    return r;
  Value zero = constantLike(b, loc, type, 0);
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value signsDiffer = arith::XOrIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, args[1], zero));
  return arith::SelectOp::create(
      b, loc, arith::AndIOp::create(b, loc, nonZero, signsDiffer),
      arith::AddIOp::create(b, loc, r, args[1]), r);
}

/// Clip: args are the input, then min and max where present.
template <typename MaxOp, typename MinOp>
Value clip(OpBuilder &b, Location loc, Operation *op, Type, ValueRange args) {
  auto clipOp = cast<seqc::onnx::ClipOp>(op);
  Value x = args[0];
  unsigned next = 1;
  if (clipOp.getMin())
    x = MaxOp::create(b, loc, x, args[next++]);
  if (clipOp.getMax())
    x = MinOp::create(b, loc, x, args[next]);
  return x;
}

/// Folds a variadic op's inputs with `ArithOp`.
template <typename ArithOp>
Value reduceAll(OpBuilder &b, Location loc, Operation *, Type,
                ValueRange args) {
  Value acc = args[0];
  for (Value v : args.drop_front())
    acc = ArithOp::create(b, loc, acc, v);
  return acc;
}

Value mean(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Value sum = reduceAll<arith::AddFOp>(b, loc, op, type, args);
  return arith::DivFOp::create(b, loc, sum,
                               constantLike(b, loc, type, args.size()));
}

template <typename MathOp>
Value unary(OpBuilder &b, Location loc, Operation *, Type, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

/// An activation of the recurrent ops' table, with fixed parameters.
template <ActivationKind kind>
Value activation(OpBuilder &b, Location loc, Operation *, Type,
                 ValueRange args) {
  return seqc::buildActivation(b, loc, {kind, 0, 0}, args[0]);
}

float attr(Operation *op, StringRef name) {
  return cast<FloatAttr>(op->getAttr(name)).getValueAsDouble();
}

Value leakyRelu(OpBuilder &b, Location loc, Operation *op, Type,
                ValueRange args) {
  return seqc::buildActivation(
      b, loc, {ActivationKind::LeakyRelu, attr(op, "alpha"), 0}, args[0]);
}
Value elu(OpBuilder &b, Location loc, Operation *op, Type, ValueRange args) {
  return seqc::buildActivation(b, loc,
                               {ActivationKind::Elu, attr(op, "alpha"), 0},
                               args[0]);
}
Value hardSigmoid(OpBuilder &b, Location loc, Operation *op, Type,
                  ValueRange args) {
  return seqc::buildActivation(
      b, loc,
      {ActivationKind::HardSigmoid, attr(op, "alpha"), attr(op, "beta")},
      args[0]);
}
// gamma * (x > 0 ? x : alpha * (e^x - 1))
Value selu(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Value x = args[0];
  Value elu = seqc::buildActivation(
      b, loc, {ActivationKind::Elu, attr(op, "alpha"), 0}, x);
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         constantLike(b, loc, type, 0));
  Value y = arith::SelectOp::create(b, loc, positive, x, elu);
  return arith::MulFOp::create(b, loc,
                               constantLike(b, loc, type, attr(op, "gamma")),
                               y);
}
// x * hardsigmoid(x) with alpha = 1/6, beta = 1/2.
Value hardSwish(OpBuilder &b, Location loc, Operation *, Type,
                ValueRange args) {
  Value gate = seqc::buildActivation(
      b, loc, {ActivationKind::HardSigmoid, 1.0f / 6.0f, 0.5f}, args[0]);
  return arith::MulFOp::create(b, loc, args[0], gate);
}
// x * tanh(softplus(x))
Value mish(OpBuilder &b, Location loc, Operation *, Type, ValueRange args) {
  Value softplus = seqc::buildActivation(
      b, loc, {ActivationKind::Softplus, 0, 0}, args[0]);
  return arith::MulFOp::create(b, loc, args[0],
                               math::TanhOp::create(b, loc, softplus));
}
// 0.5 x (1 + erf(x / sqrt 2)), or with approximate = "tanh"
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
Value gelu(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Value x = args[0];
  auto c = [&](double v) { return constantLike(b, loc, type, v); };
  Value inner;
  if (cast<StringAttr>(op->getAttr("approximate")).getValue() == "tanh") {
    Value cube = arith::MulFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), cube));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, c(std::sqrt(2.0 / M_PI)), poly));
  } else {
    inner = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
  }
  Value half = arith::MulFOp::create(b, loc, c(0.5), x);
  return arith::MulFOp::create(b, loc, half,
                               arith::AddFOp::create(b, loc, c(1.0), inner));
}

Value reciprocal(OpBuilder &b, Location loc, Operation *, Type type,
                 ValueRange args) {
  return arith::DivFOp::create(b, loc, constantLike(b, loc, type, 1),
                               args[0]);
}
Value negI(OpBuilder &b, Location loc, Operation *, Type type,
           ValueRange args) {
  return arith::SubIOp::create(b, loc, constantLike(b, loc, type, 0),
                               args[0]);
}
// 1, -1 or 0; a float that is neither above nor below 0 (0, -0, NaN) stays.
Value sign(OpBuilder &b, Location loc, Operation *, Type type,
           ValueRange args) {
  Value x = args[0], zero = constantLike(b, loc, type, 0);
  bool isFloat = isa<FloatType>(type);
  auto compare = [&](bool below) -> Value {
    if (isFloat)
      return arith::CmpFOp::create(
          b, loc, below ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT,
          x, zero);
    return arith::CmpIOp::create(
        b, loc, below ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sgt,
        x, zero);
  };
  Value y = arith::SelectOp::create(b, loc, compare(true),
                                    constantLike(b, loc, type, -1),
                                    isFloat ? x : zero);
  return arith::SelectOp::create(b, loc, compare(false),
                                 constantLike(b, loc, type, 1), y);
}
// An unsigned value's sign: 1 or 0.
Value signU(OpBuilder &b, Location loc, Operation *, Type type,
            ValueRange args) {
  Value zero = constantLike(b, loc, type, 0);
  Value positive = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                         args[0], zero);
  return arith::SelectOp::create(b, loc, positive,
                                 constantLike(b, loc, type, 1), zero);
}
Value identity(OpBuilder &, Location, Operation *, Type, ValueRange args) {
  return args[0];
}
Value reluI(OpBuilder &b, Location loc, Operation *, Type type,
            ValueRange args) {
  return arith::MaxSIOp::create(b, loc, args[0],
                                constantLike(b, loc, type, 0));
}

template <arith::CmpFPredicate predicate>
Value compareF(OpBuilder &b, Location loc, Operation *, Type,
               ValueRange args) {
  return arith::CmpFOp::create(b, loc, predicate, args[0], args[1]);
}
template <arith::CmpIPredicate predicate>
Value compareI(OpBuilder &b, Location loc, Operation *, Type,
               ValueRange args) {
  return arith::CmpIOp::create(b, loc, predicate, args[0], args[1]);
}
Value isNaN(OpBuilder &b, Location loc, Operation *, Type, ValueRange args) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                               args[0]);
}
Value logicalNot(OpBuilder &b, Location loc, Operation *, Type type,
                 ValueRange args) {
  return arith::XOrIOp::create(b, loc, args[0],
                               arith::ConstantIntOp::create(b, loc, type, 1));
}
Value where(OpBuilder &b, Location loc, Operation *, Type, ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

/// Pow's operand `i` (held in `value`) converted to the float type `type`.
Value powOperandToFloat(OpBuilder &b, Location loc, Operation *op, unsigned i,
                        Value value, Type type) {
  return seqc::castElement(b, loc, value,
                           getElementTypeOrSelf(op->getOperand(i)), type);
}
// A float base: the exponent in the base's type.
Value powF(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  return math::PowFOp::create(
      b, loc, args[0], powOperandToFloat(b, loc, op, 1, args[1], type));
}
// An integer base: computed in f64 (exact while the result fits in 53 bits)
// and truncated toward zero, as integer pow does.
Value powI(OpBuilder &b, Location loc, Operation *op, Type type,
           ValueRange args) {
  Type f64 = b.getF64Type();
  Value power =
      math::PowFOp::create(b, loc, powOperandToFloat(b, loc, op, 0, args[0], f64),
                           powOperandToFloat(b, loc, op, 1, args[1], f64));
  return arith::FPToSIOp::create(b, loc, type, power);
}

/// Strings are pointers to their bytes (i64): the runtime compares them
/// (seqc_rt_string_equal, which convert-onnx-to-seq declares).
Value equalStrings(OpBuilder &b, Location loc, Operation *, Type,
                   ValueRange args) {
  Value same = func::CallOp::create(b, loc, seqc::kStringEqualFunction,
                                    TypeRange{b.getI32Type()}, args)
                   .getResult(0);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, same,
                               arith::ConstantIntOp::create(b, loc, 0, 32));
}

/// The scalar functions of one elementwise op, by the element type of its
/// values: float, signed (and bool) or unsigned integer.
struct ScalarFns {
  ScalarFn floatFn, intFn = nullptr, unsignedFn = nullptr, stringFn = nullptr;
};

/// Lowers `OnnxOp` with the scalar function for the element type of operand
/// `typeOperand` (the values' type: not Where's condition, not Pow's
/// exponent).
template <typename OnnxOp>
struct ElementwiseLowering : OpConversionPattern<OnnxOp> {
  ElementwiseLowering(MLIRContext *ctx, ScalarFns fns, unsigned typeOperand)
      : OpConversionPattern<OnnxOp>(ctx), fns(fns), typeOperand(typeOperand) {}

  LogicalResult
  matchAndRewrite(OnnxOp op, typename OnnxOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = seqc::getStorageTensorType(op->getResult(0));
    Type elementType = type.getElementType();
    Type valueType = getElementTypeOrSelf(op->getOperand(typeOperand));
    ScalarFn fn = isa<FloatType>(valueType)                ? fns.floatFn
                  : valueType.isUnsignedInteger()          ? fns.unsignedFn
                  : isa<seqc::onnx::StringType>(valueType) ? fns.stringFn
                                                           : fns.intFn;
    // The narrow formats have no arithmetic: Cast them first.
    bool narrow = seqc::onnx::getStorageElementType(valueType) != valueType &&
                  !valueType.isUnsignedInteger() &&
                  !isa<seqc::onnx::StringType>(valueType);
    if (!fn || narrow)
      return op->emitOpError("is not defined for element type ") << valueType;
    SmallVector<OpFoldResult> sizes = seqc::onnx::reifyBroadcastSizes(
        rewriter, op.getLoc(), type, adaptor.getOperands());
    seqc::checkBroadcast(rewriter, op.getLoc(), sizes, adaptor.getOperands());
    SmallVector<Value> operands;
    for (Value operand : adaptor.getOperands())
      operands.push_back(seqc::expandRuntimeBroadcast(rewriter, op.getLoc(),
                                                      operand, type, sizes));
    // Integer division traps on a 0 divisor: a status instead.
    if (isa<seqc::onnx::DivOp, seqc::onnx::ModOp>(op) &&
        isa<IntegerType>(valueType) &&
        failed(checkIntegerDivisors(rewriter, op.getLoc(), op, valueType, type,
                                    operands)))
      return failure();
    SmallVector<Value> result = seqc::buildElementwise(
        rewriter, op.getLoc(), type, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return SmallVector<Value>{fn(b, loc, op, elementType, args)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFns fns;
  unsigned typeOperand;
};

/// BitShift: a shift out of [0, width) gives 0, or -1 for a negative value
/// shifted right (the reference's rule; LLVM's shifts would be poison).
template <bool isSigned>
Value bitShift(OpBuilder &b, Location loc, Operation *op, Type type,
               ValueRange args) {
  Value x = args[0], n = args[1], zero = constantLike(b, loc, type, 0);
  Value width = constantLike(b, loc, type, type.getIntOrFloatBitWidth());
  Value outside = arith::CmpIOp::create(
      b, loc, isSigned ? arith::CmpIPredicate::sge : arith::CmpIPredicate::uge,
      n, width);
  if (isSigned)
    outside = arith::OrIOp::create(
        b, loc, outside,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, n, zero));
  bool left = cast<seqc::onnx::BitShiftOp>(op).getDirection() == "LEFT";
  Value shifted, fill = zero;
  if (left) {
    shifted = arith::ShLIOp::create(b, loc, x, n);
  } else if (isSigned) {
    shifted = arith::ShRSIOp::create(b, loc, x, n);
    fill = arith::SelectOp::create(
        b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero),
        constantLike(b, loc, type, -1), zero);
  } else {
    shifted = arith::ShRUIOp::create(b, loc, x, n);
  }
  return arith::SelectOp::create(b, loc, outside, fill, shifted);
}

/// BitCast: the input's bits as the target type (a bool is a byte: 0 or 1
/// out, not zero in).
struct BitCastLowering : OpConversionPattern<seqc::onnx::BitCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(seqc::onnx::BitCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = seqc::getStorageTensorType(op.getOutput());
    Type to = type.getElementType();
    SmallVector<Value> result = seqc::buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          Type from = x.getType();
          if (from == to)
            return SmallVector<Value>{x};
          if (from.isInteger(1))
            return SmallVector<Value>{arith::ExtUIOp::create(b, loc, to, x)};
          if (to.isInteger(1))
            return SmallVector<Value>{arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ne,
                arith::BitcastOp::create(
                    b, loc, b.getIntegerType(from.getIntOrFloatBitWidth()), x),
                constantLike(b, loc, b.getIntegerType(
                                         from.getIntOrFloatBitWidth()),
                             0))};
          return SmallVector<Value>{arith::BitcastOp::create(b, loc, to, x)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Cast and CastLike: the input converted elementwise (CastLike's second
/// input only gives the type).
template <typename CastOp>
struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern<CastOp>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, typename CastOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type from = getElementTypeOrSelf(op.getInput());
    Type to = getElementTypeOrSelf(op.getOutput());
    seqc::CastOptions options{op.getSaturate() != 0, op.getRoundMode()};
    SmallVector<Value> result = seqc::buildElementwise(
        rewriter, op.getLoc(), seqc::getStorageTensorType(op.getOutput()),
        adaptor.getInput(), [&](OpBuilder &b, Location loc, ValueRange args) {
          return SmallVector<Value>{
              seqc::castElement(b, loc, args[0], from, to, options)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OnnxOp>
void add(RewritePatternSet &patterns, ScalarFns fns,
         unsigned typeOperand = 0) {
  patterns.add<ElementwiseLowering<OnnxOp>>(patterns.getContext(), fns,
                                            typeOperand);
}

} // namespace

void seqc::populateElementwisePatterns(RewritePatternSet &patterns) {
  using namespace seqc::onnx;
  // Arithmetic.
  add<AddOp>(patterns, {binary<arith::AddFOp>, binary<arith::AddIOp>,
                        binary<arith::AddIOp>});
  add<SubOp>(patterns, {binary<arith::SubFOp>, binary<arith::SubIOp>,
                        binary<arith::SubIOp>});
  add<MulOp>(patterns, {binary<arith::MulFOp>, binary<arith::MulIOp>,
                        binary<arith::MulIOp>});
  add<DivOp>(patterns, {binary<arith::DivFOp>, divideInt<arith::DivSIOp, true>,
                        divideInt<arith::DivUIOp, false>});
  add<PReluOp>(patterns, {preluF, preluI});
  // Unsigned: both fmod forms are the remainder.
  add<ModOp>(patterns, {modF, modI, divideInt<arith::RemUIOp, false>});
  add<ClipOp>(patterns, {clip<arith::MaximumFOp, arith::MinimumFOp>,
                         clip<arith::MaxSIOp, arith::MinSIOp>,
                         clip<arith::MaxUIOp, arith::MinUIOp>});
  add<PowOp>(patterns, {powF, powI});
  add<MinOp>(patterns, {reduceAll<arith::MinimumFOp>,
                        reduceAll<arith::MinSIOp>, reduceAll<arith::MinUIOp>});
  add<MaxOp>(patterns, {reduceAll<arith::MaximumFOp>,
                        reduceAll<arith::MaxSIOp>, reduceAll<arith::MaxUIOp>});
  add<SumOp>(patterns, {reduceAll<arith::AddFOp>});
  add<MeanOp>(patterns, {mean});
  add<AbsOp>(patterns, {unary<math::AbsFOp>, unary<math::AbsIOp>, identity});
  add<NegOp>(patterns, {unary<arith::NegFOp>, negI});
  add<SignOp>(patterns, {sign, sign, signU});
  add<ReciprocalOp>(patterns, {reciprocal});
  // Comparisons (bool results), logic on bools, selection.
  add<EqualOp>(patterns, {compareF<arith::CmpFPredicate::OEQ>,
                          compareI<arith::CmpIPredicate::eq>,
                          compareI<arith::CmpIPredicate::eq>, equalStrings});
  add<LessOp>(patterns, {compareF<arith::CmpFPredicate::OLT>,
                         compareI<arith::CmpIPredicate::slt>,
                         compareI<arith::CmpIPredicate::ult>});
  add<GreaterOp>(patterns, {compareF<arith::CmpFPredicate::OGT>,
                            compareI<arith::CmpIPredicate::sgt>,
                            compareI<arith::CmpIPredicate::ugt>});
  add<LessOrEqualOp>(patterns, {compareF<arith::CmpFPredicate::OLE>,
                                compareI<arith::CmpIPredicate::sle>,
                                compareI<arith::CmpIPredicate::ule>});
  add<GreaterOrEqualOp>(patterns, {compareF<arith::CmpFPredicate::OGE>,
                                   compareI<arith::CmpIPredicate::sge>,
                                   compareI<arith::CmpIPredicate::uge>});
  add<IsNaNOp>(patterns, {isNaN});
  add<AndOp>(patterns, {nullptr, binary<arith::AndIOp>});
  add<OrOp>(patterns, {nullptr, binary<arith::OrIOp>});
  add<XorOp>(patterns, {nullptr, binary<arith::XOrIOp>});
  add<NotOp>(patterns, {nullptr, logicalNot});
  add<WhereOp>(patterns, {where, where, where}, /*typeOperand=*/1);
  add<BitShiftOp>(patterns, {nullptr, bitShift<true>, bitShift<false>});
  patterns.add<BitCastLowering>(patterns.getContext());
  patterns.add<CastLowering<CastOp>, CastLowering<CastLikeOp>>(
      patterns.getContext());
  // Elementary functions.
  add<ExpOp>(patterns, {unary<math::ExpOp>});
  add<LogOp>(patterns, {unary<math::LogOp>});
  add<SqrtOp>(patterns, {unary<math::SqrtOp>});
  add<ErfOp>(patterns, {unary<math::ErfOp>});
  add<SinOp>(patterns, {unary<math::SinOp>});
  add<CosOp>(patterns, {unary<math::CosOp>});
  add<FloorOp>(patterns, {unary<math::FloorOp>});
  add<CeilOp>(patterns, {unary<math::CeilOp>});
  add<RoundOp>(patterns, {unary<math::RoundEvenOp>});
  // Activations.
  add<SigmoidOp>(patterns, {activation<ActivationKind::Sigmoid>});
  add<TanhOp>(patterns, {activation<ActivationKind::Tanh>});
  add<ReluOp>(patterns, {activation<ActivationKind::Relu>, reluI});
  add<SoftplusOp>(patterns, {activation<ActivationKind::Softplus>});
  add<SoftsignOp>(patterns, {activation<ActivationKind::Softsign>});
  add<LeakyReluOp>(patterns, {leakyRelu});
  add<EluOp>(patterns, {elu});
  add<SeluOp>(patterns, {selu});
  add<HardSigmoidOp>(patterns, {hardSigmoid});
  add<HardSwishOp>(patterns, {hardSwish});
  add<MishOp>(patterns, {mish});
  add<GeluOp>(patterns, {gelu});
}
