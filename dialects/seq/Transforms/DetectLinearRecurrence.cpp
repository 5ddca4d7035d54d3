//===- DetectLinearRecurrence.cpp - Linear state updates as linear scans --===//
//
// minGRU, diagonal state-space models and linear attention update their
// state as h' = a ⊙ h + b with a and b computed from the step's inputs
// alone. Such a recurrence is an associative scan: its steps need not wait
// for each other. This pass proves the form from the body and splits the
// recurrence into what does not need the state (a and b for every step),
// seq.linear_scan, and the step outputs read from the scanned states.
//
// The proof is a walk over the body in order. Every value is either
// state-free or depends on exactly one state h linearly, as A ⊙ h + B. An op
// that a state reaches must keep that form: a cast, or an elementwise
// linalg.generic whose scalar code only adds and subtracts such values,
// negates them, scales them by state-free values or selects between them by
// a state-free condition. The rewrite then evaluates the body once with
// every such value replaced by its pair (A, B), which are state-free.
//
//===----------------------------------------------------------------------===//

#include "TensorMath.h"

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"

#include <limits>

namespace seqc::seq {
#define GEN_PASS_DEF_SEQDETECTLINEARRECURRENCE
#include "dialects/seq/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

/// The ops of scalar code that keep a value linear in the state.
bool isLinearScalarOp(Operation *op) {
  return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
             arith::NegFOp, arith::AddIOp, arith::SubIOp, arith::MulIOp,
             arith::SelectOp>(op);
}

/// The proof. Each body value is state-free, linear in one state, or
/// opaque: depending on the states some other way, which is fine only
/// downstream of the updated states (what step outputs read of them).
/// Fails with the reason, naming the op.
class LinearityCheck {
public:
  explicit LinearityCheck(RecurrenceOp op) : op(op) {}

  LogicalResult run() {
    for (auto [i, arg] : llvm::enumerate(op.getStateArgs()))
      stateOf[arg] = i;
    for (Operation &nested : op.getBodyBlock().without_terminator()) {
      check(&nested);
      if (!reason.empty())
        return failure();
    }
    YieldOp yield = op.getYield();
    for (auto [i, next] : llvm::enumerate(yield.getNextStates())) {
      if (auto it = opaque.find(next); it != opaque.end())
        return refuse(it->second);
      auto it = stateOf.find(next);
      if (it != stateOf.end() && it->second != i)
        return refuse("the update of state " + Twine(i) + " reads state " +
                      Twine(it->second));
      nextStates.try_emplace(next, i);
    }
    for (auto [k, output] : llvm::enumerate(yield.getStepOutputs()))
      if (failed(collectReadout(output, k)))
        return failure();
    return success();
  }

  /// Whether `nested` computes values linear in a state.
  bool isLinear(Operation *nested) const {
    return nested->getNumResults() != 0 &&
           stateOf.contains(nested->getResult(0));
  }
  /// The state a linear value depends on.
  std::optional<unsigned> getState(Value v) const {
    auto it = stateOf.find(v);
    return it == stateOf.end() ? std::nullopt : std::optional(it->second);
  }
  /// Whether `nested` depends on the states other than linearly.
  bool isOpaque(Operation *nested) const {
    return nested->getNumResults() != 0 &&
           opaque.contains(nested->getResult(0));
  }

  /// Each updated state's value, with its state.
  llvm::DenseMap<Value, unsigned> nextStates;
  /// The body ops the step outputs need besides the updated states.
  llvm::SmallPtrSet<Operation *, 16> readoutOps;
  std::string reason;

private:
  LogicalResult refuse(const Twine &message) {
    reason = message.str();
    return failure();
  }

  static std::string describe(Operation *op) {
    std::string text = "'" + op->getName().getStringRef().str() + "'";
    if (auto name = dyn_cast<NameLoc>(op->getLoc()))
      text += " (" + name.getName().str() + ")";
    return text;
  }

  void check(Operation *nested) {
    // The shape of a linear value does not depend on the states.
    if (auto dim = dyn_cast<tensor::DimOp>(nested);
        dim && stateOf.contains(dim.getSource()))
      return;
    std::optional<unsigned> state;
    std::optional<std::string> why;
    for (Value v : readValues(nested)) {
      if (auto it = opaque.find(v); it != opaque.end()) {
        why = it->second;
        break;
      }
      auto it = stateOf.find(v);
      if (it == stateOf.end())
        continue;
      if (state && *state != it->second)
        why = "states " + std::to_string(*state) + " and " +
              std::to_string(it->second) + " meet in " + describe(nested);
      state = it->second;
    }
    if (!state && !why)
      return;
    // An op without results that reads the states (a check, a store) is
    // not part of any value the rewrite could recompute.
    if (nested->getNumResults() == 0) {
      reason = "the states reach " + describe(nested) + ", which has no results";
      return;
    }
    if (!why) {
      std::string what = "state " + std::to_string(*state);
      if (auto generic = dyn_cast<linalg::GenericOp>(nested))
        why = checkGeneric(generic, what);
      else if (!isa<tensor::CastOp>(nested))
        why = what + " reaches " + describe(nested) +
              ", which is not elementwise arithmetic";
    }
    for (Value result : nested->getResults()) {
      if (why)
        opaque[result] = *why;
      else
        stateOf[result] = *state;
    }
  }

  /// Why `generic`, which reads `what` (a state), is not linear in it.
  std::optional<std::string> checkGeneric(linalg::GenericOp generic,
                                          const std::string &what) {
    std::string where = describe(generic);
    if (!generic.hasPureTensorSemantics() ||
        generic.getNumReductionLoops() != 0)
      return what + " reaches " + where + ", which reduces";
    llvm::SmallPtrSet<Value, 8> linear;
    for (OpOperand &operand : generic->getOpOperands()) {
      if (!stateOf.contains(operand.get()))
        continue;
      if (generic.isDpsInit(&operand))
        return what + " is the destination of " + where;
      if (!generic.getMatchingIndexingMap(&operand).isIdentity())
        return what + " enters " + where +
               " through a broadcast or transposition";
      linear.insert(generic.getMatchingBlockArgument(&operand));
    }
    for (OpOperand &init : generic.getDpsInitsMutable())
      if (!generic.getMatchingIndexingMap(&init).isIdentity())
        return where + " writes a transposed result";
    for (Operation &scalar : generic.getRegion().front().without_terminator()) {
      if (llvm::none_of(readValues(&scalar),
                        [&](Value v) { return linear.contains(v); }))
        continue;
      std::string name = "'" + scalar.getName().getStringRef().str() + "'";
      if (!isLinearScalarOp(&scalar))
        return what + " reaches " + name + " in " + where + ": not linear";
      if (isa<arith::MulFOp, arith::MulIOp>(scalar) &&
          linear.contains(scalar.getOperand(0)) &&
          linear.contains(scalar.getOperand(1)))
        return what + " is multiplied by itself in " + where;
      if (isa<arith::DivFOp>(scalar) && linear.contains(scalar.getOperand(1)))
        return what + " is a divisor in " + where;
      if (isa<arith::SelectOp>(scalar) && linear.contains(scalar.getOperand(0)))
        return what + " decides a select in " + where;
      linear.insert(scalar.getResult(0));
    }
    return std::nullopt;
  }

  /// The ops output `k` needs, down to the updated states and state-free
  /// values; fails if it reads a state before its update.
  LogicalResult collectReadout(Value output, unsigned k) {
    SmallVector<Value> work = {output};
    llvm::SmallPtrSet<Value, 16> seen;
    while (!work.empty()) {
      Value v = work.pop_back_val();
      if (!seen.insert(v).second || nextStates.contains(v))
        continue;
      if (auto arg = dyn_cast<BlockArgument>(v)) {
        if (arg.getOwner() == &op.getBodyBlock() && stateOf.contains(arg))
          return refuse("step output " + Twine(k) + " reads state " +
                        Twine(stateOf[arg]) + " before its update");
        continue;
      }
      Operation *def = v.getDefiningOp();
      if (!op.getBody().isAncestor(def->getParentRegion()))
        continue;
      readoutOps.insert(def);
      llvm::append_range(work, readValues(def));
    }
    return success();
  }

  RecurrenceOp op;
  /// The state a linear body value depends on.
  llvm::DenseMap<Value, unsigned> stateOf;
  /// Why each opaque value is not linear.
  llvm::DenseMap<Value, std::string> opaque;
};

/// A value linear in one state h: A ⊙ h + B. A null A is 1 and a null B is
/// 0, so that a state itself is {null, null}.
struct LinearForm {
  Value a, b;
};

/// Builds the state-free evaluation of a checked body: every state-free op
/// cloned, every linear value as its pair (A, B).
class CoefficientBuilder {
public:
  CoefficientBuilder(OpBuilder &b, IRMapping &mapping,
                     const LinearityCheck &check)
      : b(b), mapping(mapping), check(check) {}

  /// State-free ops are all cloned; what only the readout needs is dead
  /// here and goes.
  void run(RecurrenceOp op) {
    for (BlockArgument arg : op.getStateArgs())
      forms[arg] = {};
    for (Operation &nested : op.getBodyBlock().without_terminator()) {
      if (check.isOpaque(&nested))
        continue;
      if (auto dim = dyn_cast<tensor::DimOp>(nested);
          dim && forms.contains(dim.getSource())) {
        // The shape of a linear value: that of its coefficients, or of its
        // state's initial value.
        LinearForm form = forms.lookup(dim.getSource());
        Value shaped = form.a   ? form.a
                       : form.b ? form.b
                                : op.getInits()[*check.getState(dim.getSource())];
        mapping.map(dim.getResult(),
                    tensor::DimOp::create(b, dim.getLoc(), shaped,
                                          mapping.lookupOrDefault(dim.getIndex()))
                        .getResult());
        continue;
      }
      if (!check.isLinear(&nested)) {
        b.clone(nested, mapping);
        continue;
      }
      if (auto castOp = dyn_cast<tensor::CastOp>(nested)) {
        LinearForm form = forms.lookup(castOp.getSource());
        auto castTo = [&](Value v) -> Value {
          return v ? tensor::CastOp::create(b, castOp.getLoc(),
                                            castOp.getType(), v)
                         .getResult()
                   : Value();
        };
        forms[castOp.getResult()] = {castTo(form.a), castTo(form.b)};
        continue;
      }
      buildGeneric(cast<linalg::GenericOp>(nested));
    }
  }

  /// The pair of `v` (a linear value), or {0, v} for a state-free one.
  LinearForm formOf(Value v) {
    auto it = forms.find(v);
    if (it != forms.end())
      return it->second;
    return {zerosLike(mapping.lookupOrDefault(v)),
            mapping.lookupOrDefault(v)};
  }

  /// `v`'s type and shape, filled with 0 or 1.
  Value filledLike(Value like, int64_t value) {
    return buildFilledTensor(
        b, like.getLoc(), tensor::getMixedSizes(b, like.getLoc(), like),
        getElementTypeOrSelf(like), value);
  }

private:
  Value zerosLike(Value v) { return filledLike(v, 0); }

  /// Scalar code: a value linear in the state, as {A, B}; null B is 0.
  struct ScalarForm {
    Value a, b;
  };

  void buildGeneric(linalg::GenericOp generic) {
    Location loc = generic.getLoc();
    Block &oldBlock = generic.getRegion().front();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    // Where each old block argument's new arguments are: index of A (or -1),
    // index of B (or -1), or of the plain value.
    struct ArgSource {
      bool linear;
      int a = -1, b = -1, plain = -1;
    };
    SmallVector<ArgSource> sources;
    for (OpOperand *operand : generic.getDpsInputOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(operand);
      auto it = forms.find(operand->get());
      if (it == forms.end()) {
        sources.push_back({false, -1, -1, (int)inputs.size()});
        inputs.push_back(mapping.lookupOrDefault(operand->get()));
        maps.push_back(map);
        continue;
      }
      ArgSource source{true};
      if (it->second.a) {
        source.a = inputs.size();
        inputs.push_back(it->second.a);
        maps.push_back(map);
      }
      if (it->second.b) {
        source.b = inputs.size();
        inputs.push_back(it->second.b);
        maps.push_back(map);
      }
      sources.push_back(source);
    }
    // An old destination the scalar code reads is an input here.
    for (OpOperand &init : generic.getDpsInitsMutable()) {
      ArgSource source{false};
      if (!generic.getMatchingBlockArgument(&init).use_empty()) {
        source.plain = inputs.size();
        inputs.push_back(mapping.lookupOrDefault(init.get()));
        maps.push_back(generic.getMatchingIndexingMap(&init));
      }
      sources.push_back(source);
    }
    SmallVector<Value> inits;
    for (OpOperand &init : generic.getDpsInitsMutable()) {
      Value like = mapping.lookupOrDefault(init.get());
      for (int i = 0; i < 2; ++i) {
        inits.push_back(tensor::EmptyOp::create(
            b, loc, tensor::getMixedSizes(b, loc, like),
            getElementTypeOrSelf(like)));
        maps.push_back(generic.getMatchingIndexingMap(&init));
      }
    }
    auto pairs = linalg::GenericOp::create(
        b, loc, ValueRange(inits).getTypes(), inputs, inits, maps,
        generic.getIteratorTypesArray(),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          IRMapping scalars;
          DenseMap<Value, ScalarForm> linear;
          for (auto [oldArg, source] :
               llvm::zip(oldBlock.getArguments(), sources)) {
            if (!source.linear) {
              if (source.plain >= 0)
                scalars.map(oldArg, args[source.plain]);
              continue;
            }
            Value one = source.a >= 0 ? args[source.a]
                                      : constant(nb, nl, oldArg.getType(), 1);
            linear[oldArg] = {one,
                              source.b >= 0 ? args[source.b] : Value()};
          }
          for (Operation &scalar : oldBlock.without_terminator()) {
            if (llvm::none_of(scalar.getOperands(), [&](Value v) {
                  return linear.contains(v);
                })) {
              nb.clone(scalar, scalars);
              continue;
            }
            linear[scalar.getResult(0)] =
                linearScalar(nb, nl, &scalar, linear, scalars);
          }
          SmallVector<Value> yielded;
          for (Value v : oldBlock.getTerminator()->getOperands()) {
            auto it = linear.find(v);
            if (it == linear.end()) {
              Value plain = scalars.lookupOrDefault(v);
              yielded.push_back(constant(nb, nl, plain.getType(), 0));
              yielded.push_back(plain);
              continue;
            }
            yielded.push_back(it->second.a);
            yielded.push_back(it->second.b
                                  ? it->second.b
                                  : constant(nb, nl, v.getType(), 0));
          }
          linalg::YieldOp::create(nb, nl, yielded);
        });
    // A coefficient that is the constant 1 (a sum) or 0 (no offset) is left
    // implicit; the unused result then goes away.
    Operation *yield = pairs.getRegion().front().getTerminator();
    for (auto [i, result] : llvm::enumerate(generic.getResults())) {
      Value a = pairs.getResult(2 * i), b = pairs.getResult(2 * i + 1);
      if (matchPattern(yield->getOperand(2 * i), m_OneFloat()) ||
          matchPattern(yield->getOperand(2 * i), m_One()))
        a = Value();
      if (matchPattern(yield->getOperand(2 * i + 1), m_AnyZeroFloat()) ||
          matchPattern(yield->getOperand(2 * i + 1), m_Zero()))
        b = Value();
      forms[result] = {a, b};
    }
  }

  static Value constant(OpBuilder &b, Location loc, Type type, int64_t value) {
    TypedAttr attr = isa<FloatType>(type)
                         ? TypedAttr(b.getFloatAttr(type, value))
                         : TypedAttr(b.getIntegerAttr(type, value));
    return arith::ConstantOp::create(b, loc, attr);
  }

  /// The {A, B} of one checked scalar op (LinearityCheck::checkGeneric).
  static ScalarForm linearScalar(OpBuilder &b, Location loc, Operation *op,
                                 DenseMap<Value, ScalarForm> &linear,
                                 IRMapping &scalars) {
    Type type = op->getResult(0).getType();
    bool isFloat = isa<FloatType>(type);
    auto add = [&](Value x, Value y) -> Value {
      if (!x)
        return y;
      if (!y)
        return x;
      return isFloat ? arith::AddFOp::create(b, loc, x, y).getResult()
                     : arith::AddIOp::create(b, loc, x, y).getResult();
    };
    auto neg = [&](Value x) -> Value {
      if (!x)
        return x;
      return isFloat ? arith::NegFOp::create(b, loc, x).getResult()
                     : arith::SubIOp::create(b, loc, constant(b, loc, type, 0),
                                             x)
                           .getResult();
    };
    auto sub = [&](Value x, Value y) -> Value {
      if (!y)
        return x;
      if (!x)
        return neg(y);
      return isFloat ? arith::SubFOp::create(b, loc, x, y).getResult()
                     : arith::SubIOp::create(b, loc, x, y).getResult();
    };
    auto mul = [&](Value x, Value y) -> Value {
      if (!x)
        return x;
      return isFloat ? arith::MulFOp::create(b, loc, x, y).getResult()
                     : arith::MulIOp::create(b, loc, x, y).getResult();
    };
    // An operand's form: linear, or {null, value} for a state-free one.
    auto formOf = [&](Value v) -> ScalarForm {
      auto it = linear.find(v);
      if (it != linear.end())
        return it->second;
      return {Value(), scalars.lookupOrDefault(v)};
    };
    auto isLinear = [&](Value v) { return linear.contains(v); };
    auto orZero = [&](Value v) { return v ? v : constant(b, loc, type, 0); };

    if (isa<arith::AddFOp, arith::AddIOp>(op)) {
      ScalarForm x = formOf(op->getOperand(0)), y = formOf(op->getOperand(1));
      return {add(x.a, y.a), add(x.b, y.b)};
    }
    if (isa<arith::SubFOp, arith::SubIOp>(op)) {
      ScalarForm x = formOf(op->getOperand(0)), y = formOf(op->getOperand(1));
      return {sub(x.a, y.a), sub(x.b, y.b)};
    }
    if (isa<arith::NegFOp>(op)) {
      ScalarForm x = formOf(op->getOperand(0));
      return {neg(x.a), neg(x.b)};
    }
    if (isa<arith::MulFOp, arith::MulIOp>(op)) {
      bool firstLinear = isLinear(op->getOperand(0));
      ScalarForm x = formOf(op->getOperand(firstLinear ? 0 : 1));
      Value scale = formOf(op->getOperand(firstLinear ? 1 : 0)).b;
      // The state-free factor on the side it was on: the same rounding.
      auto scaled = [&](Value v) -> Value {
        if (!v)
          return v;
        return firstLinear ? mul(v, scale) : mul(scale, v);
      };
      return {scaled(x.a), scaled(x.b)};
    }
    if (auto div = dyn_cast<arith::DivFOp>(op)) {
      ScalarForm x = formOf(div.getLhs());
      Value divisor = scalars.lookupOrDefault(div.getRhs());
      auto divide = [&](Value v) -> Value {
        return v ? arith::DivFOp::create(b, loc, v, divisor).getResult()
                 : Value();
      };
      return {divide(x.a), divide(x.b)};
    }
    auto select = cast<arith::SelectOp>(op);
    Value cond = scalars.lookupOrDefault(select.getCondition());
    ScalarForm x = formOf(select.getTrueValue()),
               y = formOf(select.getFalseValue());
    auto pick = [&](Value u, Value v) -> Value {
      if (!u && !v)
        return Value();
      return arith::SelectOp::create(b, loc, cond, orZero(u), orZero(v));
    };
    return {pick(x.a, y.a), pick(x.b, y.b)};
  }

  OpBuilder &b;
  IRMapping &mapping;
  const LinearityCheck &check;
  DenseMap<Value, LinearForm> forms;
};

/// Empty `[T, ...]` destinations for step values of `types`, T = `steps`.
SmallVector<Value> stackedEmpties(OpBuilder &b, Location loc,
                                  OpFoldResult steps, ArrayRef<Value> like) {
  SmallVector<Value> empties;
  for (Value v : like) {
    SmallVector<OpFoldResult> sizes = {steps};
    llvm::append_range(sizes, tensor::getMixedSizes(b, loc, v));
    empties.push_back(tensor::EmptyOp::create(b, loc, sizes,
                                              getElementTypeOrSelf(v)));
  }
  return empties;
}

/// `value` cast to `type` if it differs.
Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  return value.getType() == type
             ? value
             : tensor::CastOp::create(b, loc, type, value).getResult();
}

/// The largest matrix state (rank 2 or more) among `op`'s, in elements;
/// dynamic sizes count as unbounded.
int64_t largestMatrixState(RecurrenceOp op) {
  int64_t largest = 0;
  for (Value init : op.getInits()) {
    auto type = cast<RankedTensorType>(init.getType());
    if (type.getRank() < 2)
      continue;
    largest = std::max(largest, type.hasStaticShape()
                                    ? type.getNumElements()
                                    : std::numeric_limits<int64_t>::max());
  }
  return largest;
}

/// Rewrites `op` into coefficients, scans and readout if the proof holds;
/// otherwise a remark on `op` says why not.
void detect(RewriterBase &rewriter, RecurrenceOp op, int64_t maxMatrixState) {
  if (op.getLengths()) {
    op.emitRemark("not a linear recurrence: it has per-sequence lengths");
    return;
  }
  LinearityCheck check(op);
  if (failed(check.run())) {
    op.emitRemark("not a linear recurrence: ") << check.reason;
    return;
  }
  if (int64_t largest = largestMatrixState(op);
      maxMatrixState > 0 && largest > maxMatrixState) {
    op.emitRemark("linear, left step by step: a matrix state of ")
        << (largest == std::numeric_limits<int64_t>::max()
                ? std::string("dynamic size")
                : std::to_string(largest) + " elements")
        << " would be kept for every step (more than " << maxMatrixState
        << "; the chunkwise form is not implemented)";
    return;
  }

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  OpFoldResult steps =
      tensor::getMixedSize(rewriter, loc, op.getTimeSource(), 0);
  unsigned numStates = op.getNumStates();
  size_t numInputs = op.getInputs().size();

  // 1. The coefficients of every state at every step: a recurrence without
  // states (a map over time).
  SmallVector<Value> coefficientOuts;
  for (Value init : op.getInits())
    for (int i = 0; i < 2; ++i)
      coefficientOuts.push_back(stackedEmpties(rewriter, loc, steps, init)[0]);
  SmallVector<bool> hasCoefficient(numStates, true);
  auto coefficients = RecurrenceOp::create(
      rewriter, loc, op.getDirection(), ValueRange(), op.getInputs(),
      coefficientOuts, Value(), op.getTimeIndex(),
      [&](OpBuilder &b, Location l, Value t, ValueRange,
          ValueRange stepArgs) -> SmallVector<Value> {
        IRMapping mapping;
        if (t)
          mapping.map(op.getTimeArg(), t);
        mapping.map(op.getStepInputArgs(), stepArgs);
        CoefficientBuilder builder(b, mapping, check);
        builder.run(op);
        SmallVector<Value> yielded;
        for (auto [i, next] : llvm::enumerate(op.getYield().getNextStates())) {
          LinearForm form = builder.formOf(next);
          hasCoefficient[i] = static_cast<bool>(form.a);
          Value init = op.getInits()[i];
          yielded.push_back(castTo(
              b, l, form.a ? form.a : builder.filledLike(init, 1),
              init.getType()));
          yielded.push_back(castTo(
              b, l, form.b ? form.b : builder.filledLike(init, 0),
              init.getType()));
        }
        return yielded;
      });

  // 2. One scan per state.
  bool needStates = !op.getOuts().empty();
  SmallVector<Value> results, allStates;
  for (auto [i, init] : llvm::enumerate(op.getInits())) {
    Value a = hasCoefficient[i] ? coefficients.getResult(2 * i) : Value();
    Value outs =
        needStates ? stackedEmpties(rewriter, loc, steps, init)[0] : Value();
    SmallVector<Type> types = {init.getType()};
    if (outs)
      types.push_back(outs.getType());
    auto scan = LinearScanOp::create(rewriter, loc, types, op.getDirection(),
                                     a, coefficients.getResult(2 * i + 1),
                                     init, outs);
    results.push_back(scan.getFinalState());
    if (outs)
      allStates.push_back(scan.getStates());
  }

  // 3. The step outputs from the updated states: again a map over time.
  if (needStates) {
    SmallVector<Value> inputs(op.getInputs());
    llvm::append_range(inputs, allStates);
    auto readout = RecurrenceOp::create(
        rewriter, loc, op.getDirection(), ValueRange(), inputs, op.getOuts(),
        Value(), op.getTimeIndex(),
        [&](OpBuilder &b, Location, Value t, ValueRange,
            ValueRange stepArgs) -> SmallVector<Value> {
          IRMapping mapping;
          if (t)
            mapping.map(op.getTimeArg(), t);
          mapping.map(op.getStepInputArgs(), stepArgs.take_front(numInputs));
          ValueRange updated = stepArgs.drop_front(numInputs);
          for (auto [next, i] : check.nextStates)
            mapping.map(next, updated[i]);
          for (Operation &nested : op.getBodyBlock().without_terminator())
            if (check.readoutOps.contains(&nested))
              b.clone(nested, mapping);
          SmallVector<Value> yielded;
          for (Value output : op.getYield().getStepOutputs())
            yielded.push_back(mapping.lookupOrDefault(output));
          return yielded;
        });
    llvm::append_range(results, readout.getResults());
  }
  op.emitRemark("linear recurrence: ")
      << numStates << " state(s) run as seq.linear_scan";
  rewriter.replaceOp(op, results);
}

struct SeqDetectLinearRecurrence
    : seqc::seq::impl::SeqDetectLinearRecurrenceBase<
          SeqDetectLinearRecurrence> {
  using SeqDetectLinearRecurrenceBase::SeqDetectLinearRecurrenceBase;

  void runOnOperation() override {
    // Inner recurrences first (a walk visits them first).
    SmallVector<RecurrenceOp> recurrences;
    getOperation()->walk([&](RecurrenceOp op) {
      if (op.getNumStates() != 0)
        recurrences.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (RecurrenceOp op : recurrences)
      detect(rewriter, op, maxMatrixState);
    // The maps over time it made, and any others, over all steps at once;
    // the coefficients left implicit (a = 1, b = 0) go.
    RewritePatternSet patterns(&getContext());
    populateLiftStatelessRecurrencePatterns(patterns);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
