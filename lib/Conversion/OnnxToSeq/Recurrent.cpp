//===- Recurrent.cpp - ONNX LSTM/GRU/RNN to seq.recurrence ----------------===//
//
// One lowering for the three ops. Per direction it takes the cell's weights
// in the layout the body multiplies by (RecurrentWeights: constants when the
// model's weights are), builds one seq.recurrence over the time-major input
// whose body is the cell (linalg.matmul into the gate pre-activations, then
// the gate math as linalg.generic over [batch, hidden]) and whose step
// outputs go straight into that direction's slice of Y, then assembles
// Y_h / Y_c (and a batch-major Y) in the requested layout. Only `buildCell`
// differs between the ops, and it is written from the ONNX equations.
// `sequence_lens` becomes the recurrence's `lengths`: what they mean is
// seq-expand-lengths' business.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "RecurrentWeights.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;
using onnx::Activation;
using onnx::CellDescriptor;
using onnx::CellKind;

namespace {

struct CellConfig {
  const CellDescriptor &cell;
  int64_t hidden;
  std::optional<double> clip;
  bool inputForget;
  bool linearBeforeReset;
};

/// Emits the scalar gate math; one instance per linalg.generic body.
class ScalarCellMath {
public:
  ScalarCellMath(OpBuilder &b, Location loc, const CellConfig &config,
                 ArrayRef<Activation> activations)
      : b(b), loc(loc), config(config), activations(activations) {}

  Value add(Value l, Value r) { return arith::AddFOp::create(b, loc, l, r); }
  Value mul(Value l, Value r) { return arith::MulFOp::create(b, loc, l, r); }
  Value sub(Value l, Value r) { return arith::SubFOp::create(b, loc, l, r); }
  Value one(Type t) {
    return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, 1.0));
  }
  /// Activation number `i` of this direction after ONNX's clip.
  Value act(unsigned i, Value x) {
    if (config.clip) {
      Type t = x.getType();
      Value hi =
          arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, *config.clip));
      Value lo = arith::ConstantOp::create(b, loc, t,
                                           b.getFloatAttr(t, -*config.clip));
      x = arith::MaximumFOp::create(
          b, loc, arith::MinimumFOp::create(b, loc, x, hi), lo);
    }
    return buildActivation(b, loc, activations[i], x);
  }
  /// The activation without clip (LSTM's h applies to the cell state).
  Value actNoClip(unsigned i, Value x) {
    return buildActivation(b, loc, activations[i], x);
  }

private:
  OpBuilder &b;
  Location loc;
  const CellConfig &config;
  ArrayRef<Activation> activations;
};

/// `acc + lhs * rhs` as linalg.matmul ([B, K] x [K, N] -> [B, N]).
Value matmulAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value acc) {
  return linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs}, acc)
      .getResult(0);
}

/// Broadcasts a [N] vector to [batch, N], batch taken from `like`.
Value broadcastRows(OpBuilder &b, Location loc, Value vector, Value like) {
  auto vt = cast<RankedTensorType>(vector.getType());
  Value init = tensor::EmptyOp::create(
      b, loc,
      SmallVector<OpFoldResult>{tensor::getMixedSize(b, loc, like, 0),
                                b.getIndexAttr(vt.getDimSize(0))},
      vt.getElementType());
  return linalg::BroadcastOp::create(b, loc, vector, init, ArrayRef<int64_t>{0})
      .getResult()[0];
}

/// Builds the body of one step and returns (next states..., step output).
SmallVector<Value> buildCell(OpBuilder &b, Location loc,
                             const CellConfig &config,
                             const DirectionWeights &w, ValueRange states,
                             Value xt) {
  int64_t hidden = config.hidden;
  Value h = states[0];
  auto stateType = cast<RankedTensorType>(h.getType());
  // x_t W^T + bias for `count` gates from `first`: everything that depends
  // on the input only (its batch size too, so that it can leave the loop as
  // one product over all steps).
  int64_t numGates = config.cell.numGates;
  auto project = [&](int64_t first, int64_t count) {
    Value wT = w.wT, bias = w.bias;
    if (count != numGates) {
      wT = sliceAlong(b, loc, wT, 1, first * hidden, count * hidden);
      bias = sliceAlong(b, loc, bias, 0, first * hidden, count * hidden);
    }
    return matmulAccumulate(b, loc, xt, wT, broadcastRows(b, loc, bias, xt));
  };
  auto gate = [&](Value all, unsigned g) {
    return sliceAlong(b, loc, all, 1, g * hidden, hidden);
  };
  auto pointwise =
      [&](ValueRange operands, unsigned numResults,
          function_ref<SmallVector<Value>(ScalarCellMath &, ValueRange)> math) {
        SmallVector<Type> types(numResults, stateType);
        return buildElementwise(
            b, loc, types, operands,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              ScalarCellMath m(nb, nl, config, w.activations);
              return math(m, args);
            });
      };

  switch (config.cell.kind) {
  case CellKind::RNN: {
    // H = f(x W^T + h R^T + Wb + Rb)
    Value pre = matmulAccumulate(b, loc, h, w.rT, project(0, numGates));
    Value next = pointwise({pre}, 1, [](ScalarCellMath &m, ValueRange a) {
      return SmallVector<Value>{m.act(0, a[0])};
    })[0];
    return {next, next};
  }
  case CellKind::LSTM: {
    // Gates [i, o, f, c]; peepholes [i, o, f] read the cell state.
    Value c = states[1];
    Value pre = matmulAccumulate(b, loc, h, w.rT, project(0, numGates));
    SmallVector<Value> operands = {gate(pre, 0), gate(pre, 1), gate(pre, 2),
                                   gate(pre, 3), c};
    bool peep = static_cast<bool>(w.peepholes);
    if (peep)
      for (unsigned p = 0; p < 3; ++p)
        operands.push_back(
            sliceAlong(b, loc, w.peepholes, 0, p * hidden, hidden));
    bool inputForget = config.inputForget;
    SmallVector<Value> next =
        pointwise(operands, 2, [&](ScalarCellMath &m, ValueRange a) {
          Value cPrev = a[4];
          Value gi = a[0], go = a[1], gf = a[2], gc = a[3];
          if (peep) {
            gi = m.add(gi, m.mul(a[5], cPrev));
            gf = m.add(gf, m.mul(a[7], cPrev));
          }
          Value i = m.act(0, gi);
          Value f = inputForget ? m.sub(m.one(gi.getType()), i) : m.act(0, gf);
          Value cNew = m.add(m.mul(f, cPrev), m.mul(i, m.act(1, gc)));
          if (peep)
            go = m.add(go, m.mul(a[6], cNew));
          Value o = m.act(0, go);
          Value hNew = m.mul(o, m.actNoClip(2, cNew));
          return SmallVector<Value>{hNew, cNew};
        });
    return {next[0], next[1], next[0]};
  }
  case CellKind::GRU: {
    // Gates [z, r, h]. The recurrent product of the z and r gates is always
    // summed with x W^T; the h gate's depends on linear_before_reset. The
    // input projections of [z, r] and of h are separate tensors, each
    // accumulated into in place (slices of one would make bufferization
    // copy it: it cannot tell that writing one slice leaves the other).
    Value rTzr = sliceAlong(b, loc, w.rT, 1, 0, 2 * hidden);
    Value rTh = sliceAlong(b, loc, w.rT, 1, 2 * hidden, hidden);
    Value preZR = matmulAccumulate(b, loc, h, rTzr, project(0, 2));
    Value xh = project(2, 1);
    if (config.linearBeforeReset) {
      // h~ = g(x Wh^T + Wbh + r * (h Rh^T + Rbh))
      Value hr = matmulAccumulate(b, loc, h, rTh,
                                  broadcastRows(b, loc, w.rbHidden, h));
      Value next = pointwise({gate(preZR, 0), gate(preZR, 1), xh, hr, h}, 1,
                             [](ScalarCellMath &m, ValueRange a) {
                               Value z = m.act(0, a[0]), r = m.act(0, a[1]);
                               Value hTilde =
                                   m.act(1, m.add(a[2], m.mul(r, a[3])));
                               Value keep = m.mul(z, a[4]);
                               Value update =
                                   m.mul(m.sub(m.one(z.getType()), z), hTilde);
                               return SmallVector<Value>{m.add(update, keep)};
                             })[0];
      return {next, next};
    }
    // h~ = g(x Wh^T + Wbh + Rbh + (r * h) Rh^T): the reset gate must be
    // known before the h gate's matmul, so the math comes in two parts.
    SmallVector<Value> zr =
        pointwise({gate(preZR, 0), gate(preZR, 1), h}, 2,
                  [](ScalarCellMath &m, ValueRange a) {
                    Value z = m.act(0, a[0]), r = m.act(0, a[1]);
                    return SmallVector<Value>{z, m.mul(r, a[2])};
                  });
    Value preH = matmulAccumulate(b, loc, zr[1], rTh, xh);
    Value next =
        pointwise({zr[0], preH, h}, 1, [](ScalarCellMath &m, ValueRange a) {
          Value hTilde = m.act(1, a[1]);
          Value keep = m.mul(a[0], a[2]);
          Value update = m.mul(m.sub(m.one(a[0].getType()), a[0]), hTilde);
          return SmallVector<Value>{m.add(update, keep)};
        })[0];
    return {next, next};
  }
  }
  llvm_unreachable("unknown cell");
}

struct RecurrentLowering : ConversionPattern {
  RecurrentLowering(StringRef opName, MLIRContext *ctx)
      : ConversionPattern(opName, 1, ctx) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    const CellDescriptor &cell = *onnx::getCellDescriptor(op);
    Location loc = op->getLoc();
    OpBuilder &b = rewriter;

    // The converted value of an operand the op names.
    auto converted = [&](Value original) -> Value {
      if (original)
        for (OpOperand &use : op->getOpOperands())
          if (use.get() == original)
            return operands[use.getOperandNumber()];
      return Value();
    };
    onnx::RecurrentOperands named = onnx::getRecurrentOperands(op);
    onnx::RecurrentAttributes attrs = onnx::getRecurrentAttributes(op);
    Value x = converted(named.X);
    auto xType = cast<RankedTensorType>(x.getType());
    Type elt = xType.getElementType();
    bool batchMajor = attrs.batchMajor;
    StringRef direction = attrs.direction;
    unsigned numDirections = attrs.numDirections;
    auto yType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t hidden = yType.getDimSize(3);
    if (ShapedType::isDynamic(hidden))
      return op->emitOpError("hidden_size must be known at compile time (set "
                             "the attribute or give R a static shape)");
    FailureOr<SmallVector<Activation>> activations =
        onnx::resolveActivations(op, numDirections);
    if (failed(activations))
      return failure();
    CellConfig config{cell, hidden, attrs.clip, attrs.inputForget != 0,
                      attrs.linearBeforeReset != 0};

    // The recurrence runs time-major: X as [T, batch, input].
    Value xs = batchMajor ? buildTranspose(b, loc, x, {1, 0, 2}) : x;
    OpFoldResult seqLen = tensor::getMixedSize(b, loc, xs, 0);
    OpFoldResult batch = tensor::getMixedSize(b, loc, xs, 1);
    int64_t gates = cell.numGates * hidden;
    auto stateType = RankedTensorType::get(
        {cast<RankedTensorType>(xs.getType()).getDimSize(1), hidden}, elt);
    SmallVector<OpFoldResult> stateSizes = {batch, b.getIndexAttr(hidden)};

    // Every operand's sizes, as far as they are only known at run time.
    OpFoldResult inputSize = tensor::getMixedSize(b, loc, xs, 2);
    auto expectSizes = [&](Value v, ArrayRef<OpFoldResult> expected,
                           StringRef name) {
      if (!v)
        return;
      for (auto [d, size] : llvm::enumerate(expected))
        checkSizesEqual(b, loc, tensor::getMixedSize(b, loc, v, d), size,
                        name + " dimension " + Twine(d) +
                            " does not match X and hidden_size");
    };
    OpFoldResult dirs = b.getIndexAttr(numDirections);
    expectSizes(converted(named.W), {dirs, b.getIndexAttr(gates), inputSize},
                "W");
    expectSizes(converted(named.R),
                {dirs, b.getIndexAttr(gates), b.getIndexAttr(hidden)}, "R");
    expectSizes(converted(named.B), {dirs, b.getIndexAttr(2 * gates)}, "B");
    expectSizes(converted(named.P), {dirs, b.getIndexAttr(3 * hidden)}, "P");
    expectSizes(converted(named.sequenceLens), {batch}, "sequence_lens");
    for (auto [state, name] :
         {std::pair<Value, StringRef>{named.initialH, "initial_h"},
          {named.initialC, "initial_c"}})
      expectSizes(
          converted(state),
          batchMajor
              ? ArrayRef<OpFoldResult>{batch, dirs, b.getIndexAttr(hidden)}
              : ArrayRef<OpFoldResult>{dirs, batch, b.getIndexAttr(hidden)},
          name);

    Value lengths = converted(named.sequenceLens);
    if (lengths)
      checkValuesInRange(b, loc, lengths, b.getIndexAttr(0), seqLen,
                         "sequence_lens must lie in [0, sequence length]");
    RecurrentWeightInputs weights{converted(named.W), converted(named.R),
                                  converted(named.B), converted(named.P)};
    SmallVector<Value> initialStates = {converted(named.initialH),
                                        converted(named.initialC)};
    initialStates.resize(cell.numStates);

    // Time-major Y is filled in place, direction by direction; batch-major
    // Y is assembled from the per-direction outputs after the loop.
    Value yAll;
    if (!batchMajor)
      yAll = tensor::EmptyOp::create(
          b, loc,
          SmallVector<OpFoldResult>{seqLen, dirs, batch,
                                    b.getIndexAttr(hidden)},
          elt);
    SmallVector<Value> stackedY;
    SmallVector<SmallVector<Value>> finalStates(cell.numStates);
    int64_t perDirectionActs = cell.defaultActivations.size();
    for (unsigned d = 0; d < numDirections; ++d) {
      DirectionWeights w = prepareDirectionWeights(
          b, loc, weights, d, cell.numGates, hidden, config.linearBeforeReset);
      w.activations =
          ArrayRef(*activations).slice(d * perDirectionActs, perDirectionActs);

      SmallVector<Value> inits;
      for (Value initial : initialStates) {
        if (!initial) {
          inits.push_back(buildFilled(b, loc, stateType, stateSizes, 0.0));
          continue;
        }
        // Direction d's [batch, hidden], sized by X's batch (the checks
        // above hold initial_h to it): later passes then know the states
        // have the steps' rows.
        int64_t dirAxis = batchMajor ? 1 : 0;
        SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes(3, b.getIndexAttr(1));
        SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
        offsets[dirAxis] = b.getIndexAttr(d);
        sizes[1 - dirAxis] = batch;
        sizes[2] = b.getIndexAttr(hidden);
        auto sliceType =
            tensor::ExtractSliceOp::inferCanonicalRankReducedResultType(
                2, cast<RankedTensorType>(initial.getType()), sizes);
        Value s = tensor::ExtractSliceOp::create(b, loc, sliceType, initial,
                                                 offsets, sizes, strides);
        if (s.getType() != stateType)
          s = tensor::CastOp::create(b, loc, stateType, s);
        inits.push_back(s);
      }

      // Y's steps are written in place: for the time-major layout into this
      // direction's slice of Y itself.
      Value outs = yAll ? extractAlong(b, loc, yAll, 1, d)
                        : tensor::EmptyOp::create(
                              b, loc,
                              SmallVector<OpFoldResult>{seqLen, batch,
                                                        b.getIndexAttr(hidden)},
                              elt);
      bool reverse = direction == "reverse" || d == 1;
      auto recurrence = seq::RecurrenceOp::create(
          b, loc, reverse ? seq::Direction::reverse : seq::Direction::forward,
          inits, ValueRange{xs}, ValueRange{outs}, lengths,
          /*withTimeIndex=*/false,
          [&](OpBuilder &nb, Location nl, Value, ValueRange states,
              ValueRange stepInputs) {
            return buildCell(nb, nl, config, w, states, stepInputs[0]);
          });
      for (unsigned s = 0; s < cell.numStates; ++s)
        finalStates[s].push_back(recurrence.getFinalStates()[s]);
      Value stacked = recurrence.getStackedOutputs()[0];
      if (yAll)
        yAll = insertAlong(b, loc, stacked, yAll, 1, d);
      else
        stackedY.push_back(stacked);
    }

    // Y: [T, dirs, batch, hidden] (layout 1: [batch, T, dirs, hidden]);
    // states: [dirs, batch, hidden] (layout 1: [batch, dirs, hidden]).
    auto assemble = [&](ArrayRef<Value> parts, RankedTensorType type,
                        int64_t dirAxis, ArrayRef<int64_t> perm) -> Value {
      SmallVector<OpFoldResult> partSizes =
          tensor::getMixedSizes(b, loc, parts[0]);
      SmallVector<OpFoldResult> permuted;
      for (int64_t p : perm)
        permuted.push_back(partSizes[p]);
      SmallVector<OpFoldResult> sizes = permuted;
      sizes.insert(sizes.begin() + dirAxis, b.getIndexAttr(numDirections));
      Value result =
          tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
      for (auto [d, part] : llvm::enumerate(parts)) {
        Value p = llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))
                      ? part
                      : buildTranspose(b, loc, part, perm);
        SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
        offsets[dirAxis] = b.getIndexAttr(d);
        SmallVector<OpFoldResult> insertSizes = permuted;
        insertSizes.insert(insertSizes.begin() + dirAxis, b.getIndexAttr(1));
        SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
        result = tensor::InsertSliceOp::create(b, loc, p, result, offsets,
                                               insertSizes, strides);
      }
      if (result.getType() != type)
        result = tensor::CastOp::create(b, loc, type, result);
      return result;
    };
    SmallVector<Value> results;
    if (yAll)
      results.push_back(yAll.getType() == yType
                            ? yAll
                            : tensor::CastOp::create(b, loc, yType, yAll));
    else
      results.push_back(
          assemble(stackedY, yType, 2, ArrayRef<int64_t>{1, 0, 2}));
    for (unsigned s = 0; s < cell.numStates; ++s)
      results.push_back(
          assemble(finalStates[s],
                   cast<RankedTensorType>(op->getResult(1 + s).getType()),
                   batchMajor ? 1 : 0, ArrayRef<int64_t>{0, 1}));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::populateRecurrentPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (StringRef name :
       {onnx::LSTMOp::getOperationName(), onnx::GRUOp::getOperationName(),
        onnx::RNNOp::getOperationName()})
    patterns.add<RecurrentLowering>(name, ctx);
}
