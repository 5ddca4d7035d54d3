//===- Activations.cpp - Scalar IR of the recurrent-op activations
//---------===//
//
// The one table of every activation ONNX's LSTM/GRU/RNN accept; the cell
// bodies call it for f, g and h. Formulas are those of the ONNX operators of
// the same name.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using seqc::onnx::ActivationKind;

Value seqc::buildActivation(OpBuilder &b, Location loc,
                            const onnx::Activation &act, Value x) {
  Type type = x.getType();
  auto constant = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  };
  auto mul = [&](Value l, Value r) -> Value {
    return arith::MulFOp::create(b, loc, l, r);
  };
  auto add = [&](Value l, Value r) -> Value {
    return arith::AddFOp::create(b, loc, l, r);
  };
  auto select = [&](arith::CmpFPredicate pred, Value l, Value r, Value t,
                    Value f) -> Value {
    Value cond = arith::CmpFOp::create(b, loc, pred, l, r);
    return arith::SelectOp::create(b, loc, cond, t, f);
  };
  Value zero = constant(0.0), one = constant(1.0);
  switch (act.kind) {
  case ActivationKind::Relu:
    return select(arith::CmpFPredicate::OGT, x, zero, x, zero);
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::Sigmoid: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one, add(one, e));
  }
  case ActivationKind::Affine:
    return add(mul(constant(act.alpha), x), constant(act.beta));
  case ActivationKind::LeakyRelu:
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  mul(constant(act.alpha), x));
  case ActivationKind::ThresholdedRelu:
    return select(arith::CmpFPredicate::OGT, x, constant(act.alpha), x, zero);
  case ActivationKind::ScaledTanh:
    return mul(constant(act.alpha),
               math::TanhOp::create(b, loc, mul(constant(act.beta), x)));
  case ActivationKind::HardSigmoid: {
    Value y = add(mul(constant(act.alpha), x), constant(act.beta));
    y = arith::MinimumFOp::create(b, loc, y, one);
    return arith::MaximumFOp::create(b, loc, y, zero);
  }
  case ActivationKind::Elu: {
    Value em1 =
        arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), one);
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  mul(constant(act.alpha), em1));
  }
  case ActivationKind::Softsign:
    return arith::DivFOp::create(b, loc, x,
                                 add(one, math::AbsFOp::create(b, loc, x)));
  case ActivationKind::Softplus:
    return math::LogOp::create(b, loc,
                               add(one, math::ExpOp::create(b, loc, x)));
  }
  llvm_unreachable("unknown activation");
}
