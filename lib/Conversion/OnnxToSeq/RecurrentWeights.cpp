//===- RecurrentWeights.cpp - W, R, B, P in the layout the cell reads -----===//
//
// ONNX stores a recurrent op's weights per direction, with gates stacked
// along the rows ([num_directions, gates*hidden, K]) and two biases per
// gate. The cell multiplies by the transposed matrices and adds one fused
// bias. Preparing that layout is the same arithmetic whether it runs at
// compile time on constants (the usual case: weights are initializers, or
// computed from them and folded) or on every call for weights that are model
// inputs; it is written once, over two sets of operations.
//
//===----------------------------------------------------------------------===//

#include "RecurrentWeights.h"
#include "TensorBuilders.h"

#include "dialects/onnx/ConstantTensors.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace seqc;

namespace {

/// The weight arithmetic as tensor ops, for weights known only at run time.
struct RuntimeOps {
  OpBuilder &b;
  Location loc;
  Type elementType;

  /// Direction `d` of a [num_directions, ...] tensor, that axis dropped.
  Value direction(Value v, unsigned d) { return extractAlong(b, loc, v, 0, d); }
  Value transpose(Value v) { return buildTranspose(b, loc, v, {1, 0}); }
  /// v[offset : offset + size] of a vector.
  Value slice(Value v, int64_t offset, int64_t size) {
    return sliceAlong(b, loc, v, 0, offset, size);
  }
  Value zeros(int64_t size) {
    return buildFilled(b, loc, RankedTensorType::get({size}, elementType), {},
                       0.0);
  }
  Value concat(Value l, Value r) {
    auto type = RankedTensorType::get(
        {cast<RankedTensorType>(l.getType()).getDimSize(0) +
         cast<RankedTensorType>(r.getType()).getDimSize(0)},
        elementType);
    return tensor::ConcatOp::create(b, loc, type, 0, ValueRange{l, r});
  }
  Value add(Value l, Value r) {
    return buildElementwise(b, loc, l.getType(), {l, r},
                            [](OpBuilder &nb, Location nl, ValueRange a) {
                              return SmallVector<Value>{
                                  arith::AddFOp::create(nb, nl, a[0], a[1])};
                            })[0];
  }
  Value materialize(Value v) { return v; }
};

/// The same arithmetic on constants, done now; its results become
/// arith.constant tensors.
struct CompileTimeOps {
  OpBuilder &b;
  Location loc;
  Type elementType;

  DenseElementsAttr direction(DenseElementsAttr v, unsigned d) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> starts(type.getRank(), 0), shape(type.getShape());
    starts[0] = d;
    shape[0] = 1;
    return onnx::sliceElements(v, starts, SmallVector<int64_t>(shape.size(), 1),
                               shape)
        .reshape(type.clone(type.getShape().drop_front()));
  }
  DenseElementsAttr transpose(DenseElementsAttr v) {
    return onnx::transposeElements(v, {1, 0});
  }
  DenseElementsAttr slice(DenseElementsAttr v, int64_t offset, int64_t size) {
    return onnx::sliceElements(v, {offset}, {1}, {size});
  }
  DenseElementsAttr zeros(int64_t size) {
    return DenseElementsAttr::get(RankedTensorType::get({size}, elementType),
                                  b.getZeroAttr(elementType));
  }
  DenseElementsAttr concat(DenseElementsAttr l, DenseElementsAttr r) {
    return onnx::concatElements({l, r}, 0);
  }
  /// Rounded as arith.addf rounds, so the sum is the one the run-time
  /// path computes.
  DenseElementsAttr add(DenseElementsAttr l, DenseElementsAttr r) {
    auto sum = [](APFloat x, const APFloat &y) {
      x.add(y, APFloat::rmNearestTiesToEven);
      return x;
    };
    if (l.isSplat() && r.isSplat())
      return DenseElementsAttr::get(l.getType(),
                                    ArrayRef(sum(l.getSplatValue<APFloat>(),
                                                 r.getSplatValue<APFloat>())));
    SmallVector<APFloat> values;
    for (auto [x, y] :
         llvm::zip_equal(l.getValues<APFloat>(), r.getValues<APFloat>()))
      values.push_back(sum(x, y));
    return DenseElementsAttr::get(l.getType(), values);
  }
  Value materialize(DenseElementsAttr v) {
    return arith::ConstantOp::create(b, loc, v);
  }
};

} // namespace

/// The fused bias of one direction from its B row `bd` ([2*gates]: Wb then
/// Rb): Wb + Rb, and second, for GRU with linear_before_reset, the h gate's
/// Rb, which the cell applies inside r * (...) and so is kept out of the sum.
template <typename Ops, typename Tensor>
static std::pair<Value, Value> fuseBias(Ops &ops, Tensor bd, int64_t gates,
                                        int64_t hidden,
                                        bool linearBeforeReset) {
  Tensor wb = ops.slice(bd, 0, gates);
  Tensor rb = ops.slice(bd, gates, gates);
  Value rbHidden;
  if (linearBeforeReset) {
    rbHidden = ops.materialize(ops.slice(rb, 2 * hidden, hidden));
    Tensor zeros = ops.zeros(hidden);
    Tensor rbZR = ops.slice(rb, 0, 2 * hidden);
    rb = ops.concat(rbZR, zeros);
  }
  return {ops.materialize(ops.add(wb, rb)), rbHidden};
}

DirectionWeights seqc::prepareDirectionWeights(OpBuilder &b, Location loc,
                                               const RecurrentWeightInputs &in,
                                               unsigned d, int64_t numGates,
                                               int64_t hidden,
                                               bool linearBeforeReset) {
  Type elementType = getElementTypeOrSelf(in.W);
  RuntimeOps runtime{b, loc, elementType};
  CompileTimeOps compileTime{b, loc, elementType};
  // Each input is prepared at compile time when it is a constant.
  auto prepare = [&](Value input, auto compute) {
    DenseIntOrFPElementsAttr value;
    if (matchPattern(input, m_Constant(&value)))
      return compute(compileTime, DenseElementsAttr(value));
    return compute(runtime, input);
  };
  auto matrix = [&](auto &ops, auto weights) {
    return ops.materialize(ops.transpose(ops.direction(weights, d)));
  };
  int64_t gates = numGates * hidden;
  auto bias = [&](auto &ops, auto biases) {
    return fuseBias(ops, ops.direction(biases, d), gates, hidden,
                    linearBeforeReset);
  };

  DirectionWeights w;
  w.wT = prepare(in.W, matrix);
  w.rT = prepare(in.R, matrix);
  // Without B the biases are zeros, known now.
  std::tie(w.bias, w.rbHidden) =
      in.B ? prepare(in.B, bias)
           : fuseBias(compileTime, compileTime.zeros(2 * gates), gates, hidden,
                      linearBeforeReset);
  if (in.P)
    w.peepholes = prepare(in.P, [&](auto &ops, auto peepholes) {
      return ops.materialize(ops.direction(peepholes, d));
    });
  return w;
}
