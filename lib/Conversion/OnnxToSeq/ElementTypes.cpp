//===- ElementTypes.cpp - ONNX element types below the onnx dialect -------===//
//
// LLVM has no 8- or 4-bit float types and our CPUs no instructions for them:
// the conversions to and from them are integer and float arithmetic on their
// bits, written once for every format from its parameters.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <optional>

using namespace mlir;

RankedTensorType seqc::getStorageTensorType(Value value) {
  return cast<RankedTensorType>(onnx::getStorageType(value.getType()));
}

TypedAttr seqc::convertToStorage(ElementsAttr attr) {
  Type element = attr.getElementType();
  Type storage = onnx::getStorageElementType(element);
  if (storage == element)
    return attr;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return {};
  unsigned width = storage.getIntOrFloatBitWidth();
  if (isa<FloatType>(element))
    return dense.mapValues(storage, [&](const APFloat &v) {
      return v.bitcastToAPInt().zext(width);
    });
  return dense.mapValues(storage,
                         [&](const APInt &v) { return v.zext(width); });
}

Value seqc::buildMaximum(OpBuilder &b, Location loc, Value x, Value y,
                         bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value seqc::buildMinimum(OpBuilder &b, Location loc, Value x, Value y,
                         bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

namespace {

/// ONNX's 8- and 4-bit float formats but E8M0: sign, exponent and mantissa
/// fields, and how each spends its special encodings.
struct SmallFloat {
  unsigned expBits, manBits;
  int bias;
  double maxFinite;
  int64_t maxCode; // maxFinite's bits, sign clear
  enum Special {
    IEEE, // all-ones exponent: infinities and NaNs (E5M2)
    FN,   // S.1111.111 is NaN, no infinities (E4M3FN)
    UZ,   // 0x80 is the one NaN, no -0, no infinities (the FNUZ formats)
    None  // no NaN, no infinity (E2M1)
  } special;
};

std::optional<SmallFloat> getSmallFloat(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return SmallFloat{4, 3, 7, 448, 0x7E, SmallFloat::FN};
  if (isa<Float8E4M3FNUZType>(type))
    return SmallFloat{4, 3, 8, 240, 0x7F, SmallFloat::UZ};
  if (isa<Float8E5M2Type>(type))
    return SmallFloat{5, 2, 15, 57344, 0x7B, SmallFloat::IEEE};
  if (isa<Float8E5M2FNUZType>(type))
    return SmallFloat{5, 2, 16, 57344, 0x7F, SmallFloat::UZ};
  if (isa<Float4E2M1FNType>(type))
    return SmallFloat{2, 1, 1, 6, 0x7, SmallFloat::None};
  return std::nullopt;
}

/// Scalar arithmetic on i32/i64 bit patterns and their float types.
struct Bits {
  OpBuilder &b;
  Location loc;

  Value i(Type type, int64_t v) {
    return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
  }
  Value f(Type type, double v) {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  Value shl(Value x, int64_t n) {
    return arith::ShLIOp::create(b, loc, x, i(x.getType(), n));
  }
  Value shr(Value x, int64_t n) {
    return arith::ShRUIOp::create(b, loc, x, i(x.getType(), n));
  }
  Value andI(Value x, int64_t mask) {
    return arith::AndIOp::create(b, loc, x, i(x.getType(), mask));
  }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t n) {
    return arith::AddIOp::create(b, loc, x, i(x.getType(), n));
  }
  Value eq(Value x, int64_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x,
                                 i(x.getType(), v));
  }
  Value ne(Value x, int64_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 i(x.getType(), v));
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value bitcast(Type type, Value x) {
    return arith::BitcastOp::create(b, loc, type, x);
  }
};

/// A small float's bits (the low bits of `bits`, an i8) as an f32: exact.
Value decodeSmallFloat(OpBuilder &builder, Location loc, Value bits,
                       const SmallFloat &fmt) {
  Bits k{builder, loc};
  Type i32 = builder.getI32Type(), f32 = builder.getF32Type();
  unsigned E = fmt.expBits, M = fmt.manBits;
  Value x = arith::ExtUIOp::create(builder, loc, i32, bits);
  Value sign = k.ne(k.andI(k.shr(x, E + M), 1), 0);
  Value exp = k.andI(k.shr(x, M), (1 << E) - 1);
  Value man = k.andI(x, (1 << M) - 1);
  // Normal: the exponent rebiased, the mantissa at f32's top bits.
  Value normal = k.bitcast(
      f32, k.orI(k.shl(k.add(exp, 127 - fmt.bias), 23), k.shl(man, 23 - M)));
  // Subnormal: mantissa * 2^(1 - bias - M).
  Value subnormal = arith::MulFOp::create(
      builder, loc, arith::UIToFPOp::create(builder, loc, f32, man),
      k.f(f32, std::ldexp(1.0, 1 - fmt.bias - (int)M)));
  Value magnitude = k.select(k.eq(exp, 0), subnormal, normal);
  Value expAllOnes = k.eq(exp, (1 << E) - 1);
  Value isNaN;
  switch (fmt.special) {
  case SmallFloat::IEEE:
    magnitude = k.select(expAllOnes, k.f(f32, INFINITY), magnitude);
    isNaN = arith::AndIOp::create(builder, loc, expAllOnes, k.ne(man, 0));
    break;
  case SmallFloat::FN:
    isNaN = k.eq(k.andI(x, 0x7F), 0x7F);
    break;
  case SmallFloat::UZ:
    isNaN = k.eq(x, 0x80);
    break;
  case SmallFloat::None:
    isNaN = k.i(builder.getI1Type(), 0);
    break;
  }
  // The sign applies to NaN too (ml_dtypes keeps it).
  magnitude = k.select(isNaN, k.f(f32, NAN), magnitude);
  return k.select(sign, arith::NegFOp::create(builder, loc, magnitude),
                  magnitude);
}

/// `value` (f32 or f64) rounded to nearest even into a small float: its
/// bits in an i8. Out of range gives the largest finite value when
/// `saturate` (always for E2M1, which has no infinity or NaN), else infinity
/// or NaN as the format has them.
Value encodeSmallFloat(OpBuilder &builder, Location loc, Value value,
                       const SmallFloat &fmt, bool saturate) {
  Bits k{builder, loc};
  auto floatType = cast<FloatType>(value.getType());
  bool isF64 = floatType.isF64();
  Type intType = builder.getIntegerType(isF64 ? 64 : 32);
  unsigned srcMan = isF64 ? 52 : 23, width = isF64 ? 64 : 32;
  int srcBias = isF64 ? 1023 : 127;
  int E = fmt.expBits, M = fmt.manBits, minExp = 1 - fmt.bias;

  Value bits = k.bitcast(intType, value);
  Value sign = k.shr(bits, width - 1);
  Value magnitude = math::AbsFOp::create(builder, loc, value);
  // The spacing of the format's values around `magnitude`: 2^(e - M) where
  // e is magnitude's exponent, at least the smallest normal one.
  Value exp = arith::MaxSIOp::create(
      builder, loc,
      k.add(k.shr(k.bitcast(intType, magnitude), srcMan), -srcBias),
      k.i(intType, minExp));
  Value spacing =
      k.bitcast(floatType, k.shl(k.add(exp, srcBias - M), srcMan));
  // Scaling by a power of two is exact: this rounds only once.
  Value rounded = arith::MulFOp::create(
      builder, loc,
      math::RoundEvenOp::create(
          builder, loc,
          arith::DivFOp::create(builder, loc, magnitude, spacing)),
      spacing);
  Value roundedBits = k.bitcast(intType, rounded);
  Value normalCode =
      k.orI(k.shl(k.add(k.shr(roundedBits, srcMan), fmt.bias - srcBias), M),
            k.andI(k.shr(roundedBits, srcMan - M), (1 << M) - 1));
  Value subnormalCode = arith::FPToUIOp::create(
      builder, loc, intType,
      arith::MulFOp::create(builder, loc, rounded,
                            k.f(floatType, std::ldexp(1.0, M - minExp))));
  Value isNormal =
      arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OGE, rounded,
                            k.f(floatType, std::ldexp(1.0, minExp)));
  Value code = k.select(isNormal, normalCode, subnormalCode);

  int64_t signBit = int64_t(1) << (E + M);
  int64_t overflowCode = fmt.maxCode;
  if (!saturate && fmt.special == SmallFloat::IEEE)
    overflowCode = ((int64_t(1) << E) - 1) << M; // infinity
  else if (!saturate && fmt.special == SmallFloat::FN)
    overflowCode = signBit - 1; // S.1111.111
  else if (!saturate && fmt.special == SmallFloat::UZ)
    overflowCode = signBit; // 0x80, whatever the sign
  Value overflow =
      arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OGT, rounded,
                            k.f(floatType, fmt.maxFinite));
  code = k.select(overflow, k.i(intType, overflowCode), code);

  Value signed_ = k.orI(code, k.shl(sign, E + M));
  if (fmt.special == SmallFloat::UZ) // no -0
    signed_ = k.select(k.eq(code, 0), code, signed_);
  // NaN: the format's NaN; E2M1 has none, and takes -0 for +NaN, +0 for
  // -NaN, as ml_dtypes (the ONNX reference) does.
  Value nanCode;
  if (fmt.special == SmallFloat::UZ)
    nanCode = k.i(intType, signBit);
  else if (fmt.special == SmallFloat::None)
    nanCode = arith::XOrIOp::create(builder, loc, k.i(intType, signBit),
                                    k.shl(sign, E + M));
  else
    nanCode = k.orI(k.i(intType, signBit - 1), k.shl(sign, E + M));
  Value isNaN = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UNO,
                                      value, value);
  Value result = k.select(isNaN, nanCode, signed_);
  return arith::TruncIOp::create(builder, loc, builder.getI8Type(), result);
}

/// E8M0 (a biased exponent, no sign or mantissa, 0xFF is NaN) as an f32.
Value decodeE8M0(OpBuilder &builder, Location loc, Value bits) {
  Bits k{builder, loc};
  Type i32 = builder.getI32Type(), f32 = builder.getF32Type();
  Value x = arith::ExtUIOp::create(builder, loc, i32, bits);
  // 2^-127 is an f32 subnormal.
  Value value = k.bitcast(
      f32, k.select(k.eq(x, 0), k.i(i32, 0x00400000), k.shl(x, 23)));
  return k.select(k.eq(x, 0xFF), k.f(f32, NAN), value);
}

/// An f32 to E8M0, rounding as ONNX's reference does (onnx.numpy_helper.
/// to_float8e8m0: the exponent field, moved up by the bits below it).
Value encodeE8M0(OpBuilder &builder, Location loc, Value value,
                 const seqc::CastOptions &options) {
  Bits k{builder, loc};
  Type i32 = builder.getI32Type();
  Value bits = k.bitcast(i32, value);
  Value exp = k.andI(k.shr(bits, 23), 0xFF);
  Value roundUp;
  if (options.roundMode == "nearest") {
    Value guard = k.ne(k.andI(bits, 0x400000), 0);
    Value rest = arith::OrIOp::create(
        builder, loc, k.ne(k.andI(bits, 0x3FFFFF), 0), k.ne(exp, 0));
    roundUp = arith::AndIOp::create(builder, loc, guard, rest);
  } else if (options.roundMode == "up") {
    roundUp = k.ne(k.andI(bits, 0x7FFFFF), 0);
  } else {
    roundUp = k.i(builder.getI1Type(), 0);
  }
  if (options.saturate)
    roundUp = arith::AndIOp::create(builder, loc, roundUp, k.ne(exp, 0xFE));
  Value rounded = arith::AddIOp::create(
      builder, loc, exp, arith::ExtUIOp::create(builder, loc, i32, roundUp));
  Value result = k.select(k.eq(exp, 0xFF), k.i(i32, 0xFF), rounded);
  return arith::TruncIOp::create(builder, loc, builder.getI8Type(), result);
}

enum class Kind { Bool, Signed, Unsigned, Float };

/// A float resized to the float type `to`.
Value resizeFloat(OpBuilder &b, Location loc, Value x, Type to) {
  unsigned from = x.getType().getIntOrFloatBitWidth(),
           width = to.getIntOrFloatBitWidth();
  if (x.getType() == to)
    return x;
  // bfloat16 converts only from and to f32 (arith-expand's patterns): other
  // widths go through f32, as do f16 <-> bf16.
  Type f32 = b.getF32Type();
  if ((to.isBF16() || x.getType().isBF16() || from == width) &&
      !to.isF32() && !x.getType().isF32()) {
    x = resizeFloat(b, loc, x, f32);
    from = 32;
  }
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}
/// An integer resized to the signless `to`, extended by its `kind`.
Value resizeInteger(OpBuilder &b, Location loc, Value x, Kind kind, Type to) {
  unsigned from = x.getType().getIntOrFloatBitWidth(),
           width = to.getIntOrFloatBitWidth();
  if (from == width)
    return x;
  if (from > width)
    return arith::TruncIOp::create(b, loc, to, x);
  if (kind == Kind::Signed)
    return arith::ExtSIOp::create(b, loc, to, x);
  return arith::ExtUIOp::create(b, loc, to, x);
}
Value toFloat(OpBuilder &b, Location loc, Value x, Kind kind, Type to) {
  if (kind == Kind::Float)
    return resizeFloat(b, loc, x, to);
  if (kind == Kind::Signed)
    return arith::SIToFPOp::create(b, loc, to, x);
  return arith::UIToFPOp::create(b, loc, to, x);
}

} // namespace

Value seqc::castElement(OpBuilder &b, Location loc, Value value, Type from,
                        Type to, const CastOptions &options) {
  if (from == to)
    return value;
  Bits k{b, loc};
  Type f32 = b.getF32Type();

  // The input as a number: a float, or an integer with its signedness (the
  // narrow integers sign-extended into their byte when signed).
  Kind kind = Kind::Float;
  Value x = value;
  if (std::optional<SmallFloat> fmt = getSmallFloat(from)) {
    x = decodeSmallFloat(b, loc, value, *fmt);
  } else if (isa<Float8E8M0FNUType>(from)) {
    x = decodeE8M0(b, loc, value);
  } else if (auto integer = dyn_cast<IntegerType>(from)) {
    unsigned width = integer.getWidth();
    kind = width == 1             ? Kind::Bool
           : integer.isUnsigned() ? Kind::Unsigned
                                  : Kind::Signed;
    if (width > 1 && width < 8 && kind == Kind::Signed)
      x = arith::ShRSIOp::create(b, loc, k.shl(value, 8 - width),
                                 k.i(value.getType(), 8 - width));
  }

  if (to.isInteger(1)) {
    if (kind == Kind::Float)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   k.f(x.getType(), 0));
    return k.ne(x, 0);
  }
  if (std::optional<SmallFloat> fmt = getSmallFloat(to)) {
    Type work = kind == Kind::Float && x.getType().isF64() ? x.getType() : f32;
    return encodeSmallFloat(b, loc, toFloat(b, loc, x, kind, work), *fmt,
                            options.saturate ||
                                fmt->special == SmallFloat::None);
  }
  if (isa<Float8E8M0FNUType>(to))
    return encodeE8M0(b, loc, toFloat(b, loc, x, kind, f32), options);
  if (isa<FloatType>(to))
    return toFloat(b, loc, x, kind, to);

  auto integer = cast<IntegerType>(to);
  unsigned width = integer.getWidth();
  Type storage = onnx::getStorageElementType(to);
  if (width < 8) {
    // Into the byte, then only the format's bits kept.
    Value narrow;
    if (kind == Kind::Float) {
      Type ft = x.getType();
      bool isSigned = integer.isSignless();
      double lo = isSigned ? -std::ldexp(1.0, width - 1) : 0,
             hi = isSigned ? std::ldexp(1.0, width - 1) - 1
                           : std::ldexp(1.0, width) - 1;
      Value t = math::TruncOp::create(b, loc, x);
      Value inRange = arith::AndIOp::create(
          b, loc,
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, t,
                                k.f(ft, lo)),
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, t,
                                k.f(ft, hi)));
      narrow = arith::FPToSIOp::create(b, loc, storage,
                                       k.select(inRange, t, k.f(ft, 0)));
    } else {
      narrow = resizeInteger(b, loc, x, kind, storage);
    }
    return k.andI(narrow, (1 << width) - 1);
  }
  if (kind != Kind::Float)
    return resizeInteger(b, loc, x, kind, storage);
  // Float to a wide integer: out of range is undefined in ONNX; through
  // i64 it at least wraps the way an integer cast would.
  if (width == 64)
    return integer.isUnsigned()
               ? Value(arith::FPToUIOp::create(b, loc, storage, x))
               : Value(arith::FPToSIOp::create(b, loc, storage, x));
  Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
  return arith::TruncIOp::create(b, loc, storage, wide);
}
