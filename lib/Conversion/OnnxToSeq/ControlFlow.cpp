//===- ControlFlow.cpp - ONNX If to scf.if, Scan to seq.recurrence --------===//
//
// The branches move into an scf.if as they are; their ops are lowered where
// they stand. A branch value whose type is more static than the If's result
// (the importer joins the branches' types) is cast on the way out.
//
// A Scan body becomes a seq.recurrence body the same way. The recurrence
// steps along dimension 0 in one direction: scan inputs are transposed to
// put their axis first and reversed where their direction differs from the
// recurrence's (the first input's); the stacked outputs are reversed and
// transposed back to their own directions and axes.
//
// A counted Loop (a trip count, and a condition that stays true) becomes a
// seq.recurrence with a time index, as a Scan does. Any other Loop becomes
// an scf.while over (iteration, condition, loop-carried values, scan outputs
// so far); each step's scan outputs are inserted at
// their row of [max_trip_count, ...] tensors, cut to the rows filled when
// a condition stops the loop early. Scan outputs therefore need a trip
// count.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "dialects/seq/SeqOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace seqc;

namespace {

struct IfLowering : OpConversionPattern<onnx::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value flag = extractScalar(rewriter, loc, adaptor.getCond());
    auto ifOp = scf::IfOp::create(rewriter, loc, op.getResultTypes(), flag,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// Dimension `from` of `x` moved to position `to`, the others in order.
Value moveDimension(OpBuilder &b, Location loc, Value x, int64_t from,
                    int64_t to) {
  if (from == to)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  perm.erase(perm.begin() + from);
  perm.insert(perm.begin() + to, from);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : perm)
    sizes.push_back(tensor::getMixedSize(b, loc, x, d));
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, x, init, perm).getResult()[0];
}

/// `x` reversed along dimension 0.
Value reverseFront(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Value init = tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, x),
                                       type.getElementType());
  Value last = arith::SubIOp::create(b, loc, tensor::DimOp::create(b, loc, x, 0),
                                     arith::ConstantIndexOp::create(b, loc, 1));
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, init,
             AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext()),
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange) {
               SmallVector<Value> indices;
               for (int64_t d = 0; d < type.getRank(); ++d)
                 indices.push_back(linalg::IndexOp::create(nb, nl, d));
               indices[0] = arith::SubIOp::create(nb, nl, last, indices[0]);
               linalg::YieldOp::create(
                   nb, nl, tensor::ExtractOp::create(nb, nl, x, indices).getResult());
             })
      .getResult(0);
}

struct ScanLowering : OpConversionPattern<onnx::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    unsigned numStates = op.getNumStates();
    auto yield = cast<onnx::YieldOp>(op.getBody().front().getTerminator());
    auto normalize = [](int64_t axis, int64_t rank) {
      return axis < 0 ? axis + rank : axis;
    };
    int64_t direction = onnx::ScanOp::getEntry(op.getScanInputDirections(), 0, 0);

    SmallVector<Value> inputs;
    for (auto [i, input] : llvm::enumerate(adaptor.getScanInputs())) {
      int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
      Value steps = moveDimension(
          rewriter, loc, input,
          normalize(onnx::ScanOp::getEntry(op.getScanInputAxes(), i, 0), rank), 0);
      if (onnx::ScanOp::getEntry(op.getScanInputDirections(), i, 0) != direction)
        steps = reverseFront(rewriter, loc, steps);
      inputs.push_back(steps);
    }
    // The stacked outputs' destinations, [steps, step shape...].
    OpFoldResult numSteps = tensor::getMixedSize(rewriter, loc, inputs[0], 0);
    SmallVector<Value> outs;
    for (auto [k, value] :
         llvm::enumerate(yield.getOutputs().drop_front(numStates))) {
      auto step = cast<RankedTensorType>(value.getType());
      if (!step.hasStaticShape())
        return op.emitOpError("step output ")
               << k << " has the shape " << step
               << ", which is only known inside the loop; give the model's "
                  "inputs static shapes (--input-shape)";
      SmallVector<OpFoldResult> sizes = {numSteps};
      for (int64_t size : step.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      outs.push_back(
          tensor::EmptyOp::create(rewriter, loc, sizes, step.getElementType()));
    }
    auto recurrence = seq::RecurrenceOp::create(
        rewriter, loc,
        direction ? seq::Direction::reverse : seq::Direction::forward,
        adaptor.getInits(), inputs, outs, /*lengths=*/Value(),
        /*withTimeIndex=*/false, /*bodyBuilder=*/nullptr);
    Block &body = recurrence.getBodyBlock();
    rewriter.mergeBlocks(&op.getBody().front(), &body, body.getArguments());

    SmallVector<Value> results(recurrence.getFinalStates());
    for (auto [k, stacked] : llvm::enumerate(recurrence.getStackedOutputs())) {
      Value output = stacked;
      if (onnx::ScanOp::getEntry(op.getScanOutputDirections(), k, 0) != direction)
        output = reverseFront(rewriter, loc, output);
      auto type = cast<RankedTensorType>(op.getResult(numStates + k).getType());
      output = moveDimension(
          rewriter, loc, output, 0,
          normalize(onnx::ScanOp::getEntry(op.getScanOutputAxes(), k, 0),
                    type.getRank()));
      if (output.getType() != type)
        output = tensor::CastOp::create(rewriter, loc, type, output);
      results.push_back(output);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Whether `v` is a constant whose elements are all true (or non-zero).
bool isConstantTrue(Value v) {
  std::optional<SmallVector<int64_t>> values = onnx::getConstantInts(v);
  return values && llvm::all_of(*values, [](int64_t x) { return x != 0; });
}

/// A counted Loop: a trip count, and a condition that stays true (absent or
/// constant true on entry and passed through or constant true by the body),
/// so that it runs exactly max(M, 0) iterations. (Its loop-carried values
/// must also keep static sizes: CountedLoopLowering.)
bool isCountedLoop(onnx::LoopOp op) {
  if (!op.getMaxTripCount())
    return false;
  Block &body = op.getBody().front();
  Value next = cast<onnx::YieldOp>(body.getTerminator()).getOutputs()[0];
  if (isConstantTrue(next))
    return true;
  return next == body.getArgument(1) &&
         (!op.getCond() || isConstantTrue(op.getCond()));
}

/// The body's Gathers of row `i` (the iteration number) of a ranked tensor
/// from outside the loop, along axis 0.
SmallVector<onnx::GatherOp> findRowReads(onnx::LoopOp op) {
  Block &body = op.getBody().front();
  Value iteration = body.getArgument(0);
  SmallVector<onnx::GatherOp> reads;
  for (Operation &nested : body) {
    auto gather = dyn_cast<onnx::GatherOp>(nested);
    if (!gather || gather.getIndices() != iteration)
      continue;
    auto data = dyn_cast<RankedTensorType>(gather.getData().getType());
    if (!data || data.getRank() < 1 ||
        !isa<RankedTensorType>(gather.getType()) ||
        !gather.getData().getParentRegion()->isProperAncestor(&op.getBody()))
      continue;
    int64_t axis = gather.getAxis() < 0 ? gather.getAxis() + data.getRank()
                                        : gather.getAxis();
    if (axis == 0)
      reads.push_back(gather);
  }
  return reads;
}

/// A counted Loop as a seq.recurrence over its iterations: the loop-carried
/// values are the states, the iteration number the time index, and the scan
/// outputs the stacked step outputs, so that the sequence passes see it
/// (a linear update becomes a scan). A loop without scan outputs stacks one
/// unset byte per step, which gives the recurrence its length (a slice of
/// size 0 would be out of bounds at offset 0).
struct CountedLoopLowering : OpConversionPattern<onnx::LoopOp> {
  CountedLoopLowering(MLIRContext *ctx)
      : OpConversionPattern(ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(onnx::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isCountedLoop(op))
      return failure();
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto yield = cast<onnx::YieldOp>(op.getBody().front().getTerminator());
    unsigned numCarried = adaptor.getInits().size();
    auto steps = yield.getOutputs().drop_front(1 + numCarried);
    // A state keeps its shape; a loop-carried value may change its sizes
    // from one iteration to the next (a growing sequence): only values whose
    // sizes are static and the same on entry and on each step are states.
    for (auto [value, init] : llvm::zip(
             yield.getOutputs().slice(1, numCarried), adaptor.getInits())) {
      auto valueType = dyn_cast<RankedTensorType>(value.getType());
      auto initType = dyn_cast<RankedTensorType>(init.getType());
      if (!valueType || !initType || !initType.hasStaticShape() ||
          valueType.getShape() != initType.getShape() ||
          valueType.getElementType() != initType.getElementType())
        return failure(); // an scf.while (LoopLowering)
    }
    for (Value step : steps)
      if (!cast<RankedTensorType>(step.getType()).hasStaticShape())
        return failure(); // LoopLowering says why

    // Iterations: max(M, 0), with room for the stacked outputs checked.
    Value trips = arith::IndexCastOp::create(
        b, loc, b.getIndexType(), extractScalar(b, loc, adaptor.getMaxTripCount()));
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    trips = arith::MaxSIOp::create(b, loc, trips, zero);
    if (!steps.empty())
      checkCondition(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, trips,
                                arith::ConstantIndexOp::create(b, loc, 1 << 30)),
          "Loop's max_trip_count is above 2^30, too many rows to reserve for "
          "its scan outputs");
    SmallVector<Value> outs;
    auto stacked = [&](RankedTensorType step) {
      SmallVector<OpFoldResult> sizes = {trips};
      for (int64_t size : step.getShape())
        sizes.push_back(b.getIndexAttr(size));
      return tensor::EmptyOp::create(b, loc, sizes, step.getElementType());
    };
    for (Value step : steps)
      outs.push_back(stacked(cast<RankedTensorType>(step.getType())));
    auto lengthOnly = RankedTensorType::get({1}, b.getI8Type());
    if (steps.empty())
      outs.push_back(stacked(lengthOnly));

    // `for i: x = X[i]`: row i of a tensor from outside is step i of its
    // first `trips` rows, a step input (which the sequence passes see as
    // they see a Scan's: hoisted projections, coefficients over all steps).
    SmallVector<onnx::GatherOp> rowReads = findRowReads(op);
    SmallVector<Value> inputs;
    for (onnx::GatherOp gather : rowReads) {
      Value data = rewriter.getRemappedValue(gather.getData());
      Value rows = tensor::DimOp::create(b, loc, data, 0);
      checkCondition(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, trips, rows),
          "Gather indices out of range: the Loop's iteration number reaches "
          "past the rows of the data");
      auto type = cast<RankedTensorType>(data.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, data);
      SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
      sizes[0] = trips;
      inputs.push_back(tensor::ExtractSliceOp::create(b, loc, data, offsets,
                                                      sizes, strides));
    }
    auto recurrence = seq::RecurrenceOp::create(
        b, loc, seq::Direction::forward, adaptor.getInits(), inputs, outs,
        /*lengths=*/Value(), /*withTimeIndex=*/true, /*bodyBuilder=*/nullptr);
    Block &body = recurrence.getBodyBlock();
    b.setInsertionPointToStart(&body);
    // The body's iteration number and condition: int64 and bool scalars.
    Value iteration = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, b.getI64Type()),
        ValueRange{arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                              recurrence.getTimeArg())});
    Value alwaysTrue = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, b.getI1Type()),
        ValueRange{arith::ConstantIntOp::create(b, loc, 1, 1)});
    SmallVector<Value> bodyArgs = {iteration, alwaysTrue};
    llvm::append_range(bodyArgs, recurrence.getStateArgs());
    rewriter.mergeBlocks(&op.getBody().front(), &body, bodyArgs);
    for (auto [gather, step] :
         llvm::zip(rowReads, recurrence.getStepInputArgs())) {
      b.setInsertionPoint(gather);
      Type type = gather.getType();
      rewriter.replaceOp(gather, step.getType() == type
                                     ? Value(step)
                                     : tensor::CastOp::create(b, loc, type, step)
                                           .getResult());
    }

    b.setInsertionPoint(yield);
    SmallVector<Value> yielded;
    for (auto [value, init] : llvm::zip(yield.getOutputs().slice(1, numCarried),
                                        adaptor.getInits()))
      yielded.push_back(value.getType() == init.getType()
                            ? value
                            : tensor::CastOp::create(b, loc, init.getType(), value)
                                  .getResult());
    llvm::append_range(yielded, steps);
    if (steps.empty())
      yielded.push_back(tensor::EmptyOp::create(b, loc, lengthOnly.getShape(),
                                                lengthOnly.getElementType()));
    rewriter.replaceOpWithNewOp<seq::YieldOp>(yield, yielded);
    b.setInsertionPointAfter(recurrence);

    SmallVector<Value> results;
    for (auto [value, type] :
         llvm::zip(recurrence.getResults(), op.getResultTypes()))
      results.push_back(value.getType() == type
                            ? Value(value)
                            : tensor::CastOp::create(b, loc, type, value)
                                  .getResult());
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct LoopLowering : OpConversionPattern<onnx::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto yield = cast<onnx::YieldOp>(op.getBody().front().getTerminator());
    unsigned numCarried = adaptor.getInits().size();
    auto steps = yield.getOutputs().drop_front(1 + numCarried);
    if (!steps.empty() && !adaptor.getMaxTripCount())
      return op.emitOpError("stacks scan outputs only with a max_trip_count, "
                            "which bounds their size before the loop runs");
    for (auto [i, pair] : llvm::enumerate(llvm::zip(
             yield.getOutputs().slice(1, numCarried), adaptor.getInits()))) {
      auto [value, init] = pair;
      if (failed(verifyCompatibleShape(value.getType(), init.getType())) ||
          getElementTypeOrSelf(value) != getElementTypeOrSelf(init))
        return op.emitOpError("loop-carried value ")
               << i << " enters as " << init.getType() << " and leaves as "
               << value.getType() << ": a value that changes its shape "
               << "across iterations is not supported";
    }
    auto scalar = [&](Value tensor) { return extractScalar(b, loc, tensor); };
    Value trips = adaptor.getMaxTripCount()
                      ? arith::IndexCastOp::create(
                            b, loc, b.getIndexType(),
                            scalar(adaptor.getMaxTripCount()))
                            .getResult()
                      : arith::ConstantIndexOp::create(
                            b, loc, std::numeric_limits<int64_t>::max())
                            .getResult();
    if (!steps.empty())
      checkCondition(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, trips,
                                arith::ConstantIndexOp::create(b, loc, 1 << 30)),
          "Loop's max_trip_count is negative or above 2^30, too many rows to "
          "reserve for its scan outputs");
    Value cond = adaptor.getCond()
                     ? scalar(adaptor.getCond())
                     : arith::ConstantIntOp::create(b, loc, 1, 1).getResult();

    // The stacked scan outputs: [max_trip_count, step shape...].
    SmallVector<Value> stacks;
    for (auto [k, step] : llvm::enumerate(steps)) {
      auto type = cast<RankedTensorType>(step.getType());
      if (!type.hasStaticShape())
        return op.emitOpError("scan output ")
               << k << " has the shape " << type
               << ", which is only known inside the loop; give the model's "
                  "inputs static shapes (--input-shape)";
      SmallVector<OpFoldResult> sizes = {trips};
      for (int64_t size : type.getShape())
        sizes.push_back(b.getIndexAttr(size));
      stacks.push_back(
          tensor::EmptyOp::create(b, loc, sizes, type.getElementType()));
    }
    SmallVector<Value> inits = {arith::ConstantIndexOp::create(b, loc, 0), cond};
    llvm::append_range(inits, adaptor.getInits());
    llvm::append_range(inits, stacks);
    TypeRange types = ValueRange(inits).getTypes();
    SmallVector<Location> locs(inits.size(), loc);
    auto loop = scf::WhileOp::create(b, loc, types, inits);
    {
      OpBuilder::InsertionGuard guard(b);
      Block *before = b.createBlock(&loop.getBefore(), {}, types, locs);
      Value more = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                before->getArgument(0), trips),
          before->getArgument(1));
      scf::ConditionOp::create(b, loc, more, before->getArguments());
    }
    Block *after = b.createBlock(&loop.getAfter(), {}, types, locs);
    // The body's iteration number and condition are int64 and bool scalars.
    Value iteration = after->getArgument(0);
    Value iterationTensor = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, b.getI64Type()),
        ValueRange{arith::IndexCastOp::create(b, loc, b.getI64Type(), iteration)});
    Value condTensor = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, b.getI1Type()),
        ValueRange{after->getArgument(1)});
    SmallVector<Value> bodyArgs = {iterationTensor, condTensor};
    llvm::append_range(bodyArgs,
                       after->getArguments().slice(2, numCarried));
    rewriter.mergeBlocks(&op.getBody().front(), after, bodyArgs);

    // The step: next condition and values, scan outputs into their rows.
    b.setInsertionPoint(yield);
    SmallVector<Value> next = {
        arith::AddIOp::create(b, loc, iteration,
                              arith::ConstantIndexOp::create(b, loc, 1)),
        scalar(yield.getOutputs()[0])};
    for (auto [value, init] : llvm::zip(yield.getOutputs().slice(1, numCarried),
                                        adaptor.getInits()))
      next.push_back(value.getType() == init.getType()
                         ? value
                         : tensor::CastOp::create(b, loc, init.getType(), value)
                               .getResult());
    for (auto [k, step] : llvm::enumerate(steps)) {
      Value stack = after->getArgument(2 + numCarried + k);
      auto type = cast<RankedTensorType>(step.getType());
      SmallVector<OpFoldResult> offsets(type.getRank() + 1, b.getIndexAttr(0));
      offsets[0] = iteration;
      SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1)};
      for (int64_t size : type.getShape())
        sizes.push_back(b.getIndexAttr(size));
      SmallVector<OpFoldResult> strides(type.getRank() + 1, b.getIndexAttr(1));
      next.push_back(tensor::InsertSliceOp::create(b, loc, step, stack, offsets,
                                                   sizes, strides));
    }
    rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, next);
    b.setInsertionPointAfter(loop);

    SmallVector<Value> results(
        loop.getResults().drop_front(2).take_front(numCarried));
    Value count = loop.getResult(0);
    for (auto [k, stack] :
         llvm::enumerate(loop.getResults().drop_front(2 + numCarried))) {
      Type type = op.getResult(numCarried + k).getType();
      // The rows the iterations filled (fewer than reserved when the
      // condition stopped the loop).
      if (adaptor.getCond()) {
        auto stackType = cast<RankedTensorType>(stack.getType());
        SmallVector<OpFoldResult> offsets(stackType.getRank(), b.getIndexAttr(0)),
            sizes = tensor::getMixedSizes(b, loc, stack),
            strides(stackType.getRank(), b.getIndexAttr(1));
        sizes[0] = count;
        stack = cast<OpResult>(
            tensor::ExtractSliceOp::create(b, loc, stack, offsets, sizes, strides)
                .getResult());
      }
      results.push_back(stack.getType() == type
                            ? Value(stack)
                            : tensor::CastOp::create(b, loc, type, stack)
                                  .getResult());
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// An If branch's outputs, or a Scan (recurrence) step's states and
/// outputs, cast to the types the parent expects.
struct YieldLowering : OpConversionPattern<onnx::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *parent = op->getParentOp();
    SmallVector<Type> types;
    if (auto recurrence = dyn_cast<seq::RecurrenceOp>(parent)) {
      llvm::append_range(types, recurrence.getInits().getTypes());
      for (Value out : recurrence.getOuts())
        types.push_back(seq::RecurrenceOp::getStepType(out.getType()));
    } else {
      llvm::append_range(types, parent->getResultTypes());
    }
    SmallVector<Value> outputs;
    for (auto [value, type] : llvm::zip(adaptor.getOutputs(), types)) {
      outputs.push_back(value.getType() == type
                            ? value
                            : tensor::CastOp::create(rewriter, op.getLoc(),
                                                     type, value)
                                  .getResult());
    }
    if (isa<seq::RecurrenceOp>(parent))
      rewriter.replaceOpWithNewOp<seq::YieldOp>(op, outputs);
    else
      rewriter.replaceOpWithNewOp<scf::YieldOp>(op, outputs);
    return success();
  }
};

/// The declared sizes checked at run time, then the value cast to them.
struct RefineShapeLowering : OpConversionPattern<onnx::RefineShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::RefineShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    RankedTensorType type = getStorageTensorType(op.getOutput());
    for (auto [d, size] : llvm::enumerate(type.getShape()))
      if (!ShapedType::isDynamic(size))
        checkSizesEqual(rewriter, loc,
                        tensor::getMixedSize(rewriter, loc, input, d),
                        rewriter.getIndexAttr(size),
                        "dimension " + Twine(d) +
                            " of a subgraph output differs from the size "
                            "the model declares");
    rewriter.replaceOpWithNewOp<tensor::CastOp>(op, type, input);
    return success();
  }
};

/// A run-time check that always fails, then empty results: the branch is
/// never run past the check.
struct BranchErrorLowering : OpConversionPattern<onnx::BranchErrorOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::BranchErrorOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value never = arith::ConstantIntOp::create(rewriter, loc, 0, 1);
    checkCondition(rewriter, loc, never, op.getMessage());
    SmallVector<Value> results;
    for (Type t : op.getResultTypes()) {
      auto type = cast<RankedTensorType>(t);
      SmallVector<Value> zeros(type.getNumDynamicDims(),
                               arith::ConstantIndexOp::create(rewriter, loc, 0));
      results.push_back(tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                                type.getElementType(), zeros));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::populateControlFlowPatterns(RewritePatternSet &patterns) {
  patterns.add<IfLowering, ScanLowering, CountedLoopLowering, LoopLowering,
               YieldLowering, RefineShapeLowering, BranchErrorLowering>(
      patterns.getContext());
}
