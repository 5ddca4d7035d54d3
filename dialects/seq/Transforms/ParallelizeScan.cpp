//===- ParallelizeScan.cpp - seq.linear_scan, step by step or chunked -----===//
//
// Step by step, a linear scan is a recurrence whose step is one multiply-add
// per state element: a chain of dependent FMAs, and a loop iteration per
// step however narrow the state. Chunked, the same steps run as
//
//   1. local scans: the time axis cut into C chunks of L steps, each scanned
//      from zero while also multiplying up its coefficients (P); the chunks
//      advance side by side, so one step works on C times the state
//      (independent FMA chains, vector lanes), and the threads take shares
//      of the chunks (an scf.forall);
//   2. the carries: C steps of the same recurrence over the chunks' ends,
//      giving the state that enters each chunk;
//   3. a fix-up, fully parallel: h_t = local_t + P_t * carry-in of t's chunk.
//
// The chunks are C*L = T - (T mod C) steps, read in place (a step of the
// local scans is a strided slice: every chunk's step); the last T mod C
// steps run step by step, after the chunks (forward) or before (reverse).
//
//===----------------------------------------------------------------------===//

#include "TensorMath.h"

#include "dialects/seq/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQPARALLELIZESCAN
#include "dialects/seq/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

/// The initial state: `init`, or zeros of the state's shape.
Value initialState(OpBuilder &b, Location loc, LinearScanOp op) {
  if (Value init = op.getInit())
    return init;
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, loc, op.getB());
  return buildFilledTensor(b, loc, ArrayRef(sizes).drop_front(),
                           op.getStateType().getElementType(), 0);
}

/// One step of the scan: a_t * h + x_t, `step` being (a_t, x_t), or (x_t)
/// without coefficients.
Value buildScanStep(OpBuilder &b, Location loc, Value h, ValueRange step,
                    bool hasA) {
  SmallVector<Value> operands = {h};
  llvm::append_range(operands, step);
  return buildElementwise(
      b, loc, h, operands, [&](OpBuilder &eb, Location el, ValueRange v) {
        return hasA ? buildMulAdd(eb, el, v[1], v[0], v[2])
                    : buildMulAdd(eb, el, Value(), v[0], v[1]);
      });
}

/// Steps `a`, `x` ([T, S...]; `a` may be null: 1) scanned one after the
/// other from `init`: a recurrence whose step is h = a_t * h + x_t. With
/// `dest` ([T, S...]) also every state. Returns the final state, then the
/// states.
SmallVector<Value> buildSequentialScan(OpBuilder &b, Location loc,
                                       Direction direction, Value a, Value x,
                                       Value init, Value dest) {
  SmallVector<Value> inputs;
  if (a)
    inputs.push_back(a);
  inputs.push_back(x);
  SmallVector<Value> outs;
  if (dest)
    outs.push_back(dest);
  auto recurrence = RecurrenceOp::create(
      b, loc, direction, init, inputs, outs, /*lengths=*/Value(),
      /*withTimeIndex=*/false,
      [&](OpBuilder &nb, Location nl, Value, ValueRange states,
          ValueRange steps) -> SmallVector<Value> {
        Value next = buildScanStep(nb, nl, states[0], steps, /*hasA=*/a != nullptr);
        SmallVector<Value> yielded = {next};
        if (dest)
          yielded.push_back(next);
        return yielded;
      });
  return recurrence.getResults();
}

/// The scan as a recurrence: h = a_t * h + b_t at each step.
SmallVector<Value> lowerSequential(OpBuilder &b, Location loc,
                                   LinearScanOp op) {
  return buildSequentialScan(b, loc, op.getDirection(), op.getA(), op.getB(),
                             initialState(b, loc, op), op.getOuts());
}

/// Rows [offset, offset + size) of `x` ([T, S...]): a view.
Value rowsOf(OpBuilder &b, Location loc, Value x, OpFoldResult offset,
             OpFoldResult size) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[0] = offset;
  sizes[0] = size;
  return tensor::ExtractSliceOp::create(b, loc, x, offsets, sizes, strides);
}

/// Step `l` of each of the `chunks` chunks of `length` steps that `rows`
/// ([chunks * length, S...]) holds: [chunks, S...], a strided view.
Value stepOfChunks(OpBuilder &b, Location loc, Value rows, Value chunks,
                   Value length, Value l) {
  auto type = cast<RankedTensorType>(rows.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, rows);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  offsets[0] = l;
  sizes[0] = chunks;
  strides[0] = length;
  return tensor::ExtractSliceOp::create(b, loc, rows, offsets, sizes, strides);
}

/// The local scans from zero of the `chunks` chunks of `length` steps in
/// `xRows` (and `aRows`; [chunks * length, S...]), side by side: step l reads
/// step l of every chunk. Returns every chunk's last state [chunks, S...],
/// with coefficients its product of a, and with `withStates` the states
/// [length, chunks, S...] (and the products).
SmallVector<Value> buildLocalScans(OpBuilder &b, Location loc,
                                   Direction direction, Value aRows,
                                   Value xRows, Value chunks, Value length,
                                   bool withStates) {
  auto type = cast<RankedTensorType>(xRows.getType());
  Type elt = type.getElementType();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, xRows);
  SmallVector<OpFoldResult> rowSizes = {chunks};
  llvm::append_range(rowSizes, ArrayRef(sizes).drop_front());
  SmallVector<OpFoldResult> localSizes = {length, chunks};
  llvm::append_range(localSizes, ArrayRef(sizes).drop_front());
  SmallVector<Value> inits = {buildFilledTensor(b, loc, rowSizes, elt, 0)};
  if (aRows)
    inits.push_back(buildFilledTensor(b, loc, rowSizes, elt, 1));
  SmallVector<Value> outs;
  // Without states to keep, one unset byte per step gives the length.
  auto lengthOnly = RankedTensorType::get({1}, b.getI8Type());
  if (withStates) {
    for (size_t i = 0; i < inits.size(); ++i)
      outs.push_back(tensor::EmptyOp::create(b, loc, localSizes, elt));
  } else {
    outs.push_back(tensor::EmptyOp::create(
        b, loc, ArrayRef<OpFoldResult>{length, b.getIndexAttr(1)},
        b.getI8Type()));
  }
  auto local = RecurrenceOp::create(
      b, loc, direction, inits, ValueRange(), outs, /*lengths=*/Value(),
      /*withTimeIndex=*/true,
      [&](OpBuilder &nb, Location nl, Value l, ValueRange states,
          ValueRange) -> SmallVector<Value> {
        Value h = states[0];
        Value xs = stepOfChunks(nb, nl, xRows, chunks, length, l);
        SmallVector<Value> next;
        if (aRows) {
          Value as = stepOfChunks(nb, nl, aRows, chunks, length, l);
          next.push_back(buildElementwise(
              nb, nl, h, {as, h, xs},
              [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMulAdd(eb, el, v[0], v[1], v[2]);
              }));
          next.push_back(buildElementwise(
              nb, nl, h, {as, states[1]},
              [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMul(eb, el, v[0], v[1]);
              }));
        } else {
          next.push_back(buildElementwise(
              nb, nl, h, {h, xs}, [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMulAdd(eb, el, Value(), v[0], v[1]);
              }));
        }
        SmallVector<Value> yielded(next);
        if (withStates)
          llvm::append_range(yielded, next);
        else
          yielded.push_back(tensor::EmptyOp::create(
              nb, nl, lengthOnly.getShape(), lengthOnly.getElementType()));
        return yielded;
      });
  SmallVector<Value> results(local.getResults().take_front(inits.size()));
  if (withStates)
    llvm::append_range(results,
                       local.getResults().slice(inits.size(), inits.size()));
  return results;
}

/// Rows [start, start + count) of `v` along `dim`: offsets, sizes, strides.
struct RowRange {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  RowRange(OpBuilder &b, Location loc, Value v, int64_t dim, Value start,
           Value count) {
    int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
    offsets.assign(rank, b.getIndexAttr(0));
    offsets[dim] = start;
    sizes = tensor::getMixedSizes(b, loc, v);
    sizes[dim] = count;
    strides.assign(rank, b.getIndexAttr(1));
  }
};

/// The chunked scan of the first C*L steps of `a`, `x` (see the file
/// comment), from `start`. Returns the final state, then (with `withStates`)
/// the states [C*L, S...].
SmallVector<Value> buildChunkedScan(OpBuilder &b, Location loc,
                                    Direction direction, Value a, Value x,
                                    Value start, Value chunks, Value length,
                                    bool withStates) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> stateSizes =
      llvm::to_vector(ArrayRef(tensor::getMixedSizes(b, loc, x)).drop_front());
  SmallVector<OpFoldResult> rowSizes = {chunks};
  llvm::append_range(rowSizes, stateSizes);

  // 1. The local scans, on the threads: each share of the chunks scans its
  // rows (one share where the call has one thread).
  Value threads = ParallelWidthOp::create(b, loc);
  Value perShare = arith::CeilDivSIOp::create(
      b, loc, chunks, arith::MinSIOp::create(b, loc, threads, chunks));
  Value shares = arith::CeilDivSIOp::create(b, loc, chunks, perShare);
  SmallVector<Value> dests;
  SmallVector<int64_t> rowDims; // each destination's chunk dimension
  size_t numLocal = a ? 2 : 1;
  for (size_t i = 0; i < numLocal; ++i) {
    dests.push_back(tensor::EmptyOp::create(b, loc, rowSizes, elt));
    rowDims.push_back(0);
  }
  if (withStates) {
    SmallVector<OpFoldResult> localSizes = {length, chunks};
    llvm::append_range(localSizes, stateSizes);
    for (size_t i = 0; i < numLocal; ++i) {
      dests.push_back(tensor::EmptyOp::create(b, loc, localSizes, elt));
      rowDims.push_back(1);
    }
  }
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{OpFoldResult(shares)}, dests,
      std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(forall.getBody());
    Value first =
        arith::MulIOp::create(b, loc, forall.getInductionVar(0), perShare);
    Value count = arith::MinSIOp::create(
        b, loc, perShare, arith::SubIOp::create(b, loc, chunks, first));
    // The share's chunks: its rows of steps, contiguous.
    Value firstStep = arith::MulIOp::create(b, loc, first, length);
    Value steps = arith::MulIOp::create(b, loc, count, length);
    auto shareOf = [&](Value v) -> Value {
      return v ? rowsOf(b, loc, v, firstStep, steps) : v;
    };
    SmallVector<Value> parts =
        buildLocalScans(b, loc, direction, shareOf(a), shareOf(x), count,
                        length, withStates);
    // Where each part goes (sizes computed here: the terminator holds only
    // the inserts).
    SmallVector<RowRange> ranges;
    for (auto [dest, dim] : llvm::zip(forall.getRegionIterArgs(), rowDims))
      ranges.emplace_back(b, loc, dest, dim, first, count);
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    for (auto [part, dest, rows] :
         llvm::zip(parts, forall.getRegionIterArgs(), ranges))
      tensor::ParallelInsertSliceOp::create(b, loc, part, dest, rows.offsets,
                                            rows.sizes, rows.strides);
  }
  ValueRange local = forall.getResults();

  // 2. The carries: the state entering each chunk, in scan order.
  SmallVector<Value> carryInputs;
  if (a)
    carryInputs.push_back(local[1]);
  carryInputs.push_back(local[0]);
  Value carryOut = tensor::EmptyOp::create(b, loc, rowSizes, elt);
  auto carry = RecurrenceOp::create(
      b, loc, direction, start, carryInputs, carryOut, /*lengths=*/Value(),
      /*withTimeIndex=*/false,
      [&](OpBuilder &nb, Location nl, Value, ValueRange states,
          ValueRange in) -> SmallVector<Value> {
        Value h = states[0];
        return {buildScanStep(nb, nl, h, in, /*hasA=*/a != nullptr), h};
      });
  SmallVector<Value> results = {carry.getResult(0)};
  if (!withStates)
    return results;

  // 3. The fix-up, in time order: [C, L, S...] from the local [L, C, S...].
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> swapped = {getAffineDimExpr(1, ctx),
                                     getAffineDimExpr(0, ctx)};
  SmallVector<AffineExpr> perChunk = {getAffineDimExpr(0, ctx)};
  for (int64_t d = 2; d <= rank; ++d) {
    swapped.push_back(getAffineDimExpr(d, ctx));
    perChunk.push_back(getAffineDimExpr(d, ctx));
  }
  AffineMap fromLocal = AffineMap::get(rank + 1, 0, swapped, ctx);
  AffineMap fromCarry = AffineMap::get(rank + 1, 0, perChunk, ctx);
  SmallVector<OpFoldResult> chunkedSizes = {chunks, length};
  llvm::append_range(chunkedSizes, stateSizes);
  Value fixedInit = tensor::EmptyOp::create(b, loc, chunkedSizes, elt);
  SmallVector<Value> fixInputs = {local[numLocal]};
  SmallVector<AffineMap> maps = {fromLocal};
  if (a) {
    fixInputs.push_back(local[numLocal + 1]);
    maps.push_back(fromLocal);
  }
  fixInputs.push_back(carry.getResult(1));
  maps.push_back(fromCarry);
  maps.push_back(b.getMultiDimIdentityMap(rank + 1));
  Value fixed =
      linalg::GenericOp::create(
          b, loc, fixedInit.getType(), fixInputs, fixedInit, maps,
          SmallVector<utils::IteratorType>(rank + 1,
                                           utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange v) {
            Value sum = a ? buildMulAdd(nb, nl, v[1], v[2], v[0])
                          : buildMulAdd(nb, nl, Value(), v[1], v[0]);
            linalg::YieldOp::create(nb, nl, sum);
          })
          .getResult(0);
  SmallVector<ReassociationIndices> groups = {{0, 1}};
  for (int64_t d = 2; d <= rank; ++d)
    groups.push_back({d});
  results.push_back(tensor::CollapseShapeOp::create(b, loc, fixed, groups));
  return results;
}

/// The chunked scan (see the file comment): C chunks of L = T / C steps
/// each, and the last T mod C steps (fewer than C) step by step: before the
/// chunks in a reverse scan, after them in a forward one. Returns the final
/// state, then (with outs) all states.
SmallVector<Value> lowerChunked(OpBuilder &b, Location loc, LinearScanOp op,
                                int64_t lanes, int64_t minChunks) {
  Value a = op.getA(), x = op.getB(), dest = op.getOuts();
  Direction direction = op.getDirection();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value steps = getValueOrCreateConstantIndexOp(b, loc, sizes[0]);
  Value elements = index(1);
  for (OpFoldResult size : ArrayRef(sizes).drop_front())
    elements = arith::MulIOp::create(
        b, loc, elements, getValueOrCreateConstantIndexOp(b, loc, size));
  // Enough chunks that a step of the local scans has `lanes` state elements
  // (at least `minChunks`), and at most one per step.
  Value chunks = arith::MaxUIOp::create(
      b, loc, index(minChunks),
      arith::CeilDivUIOp::create(
          b, loc, index(lanes),
          arith::MaxUIOp::create(b, loc, elements, index(1))));
  chunks = arith::MinUIOp::create(
      b, loc, chunks, arith::MaxUIOp::create(b, loc, steps, index(1)));
  Value length = arith::DivUIOp::create(b, loc, steps, chunks);
  Value head = arith::MulIOp::create(b, loc, chunks, length);
  Value tail = arith::SubIOp::create(b, loc, steps, head);
  auto tailOf = [&](Value v) { return v ? rowsOf(b, loc, v, head, tail) : v; };
  Value tailDest = dest ? tailOf(dest) : Value();

  SmallVector<Value> chunked, stepped;
  if (direction == Direction::forward) {
    chunked = buildChunkedScan(b, loc, direction, a, x, initialState(b, loc, op),
                               chunks, length, static_cast<bool>(dest));
    stepped = buildSequentialScan(b, loc, direction, tailOf(a), tailOf(x),
                                  chunked[0], tailDest);
  } else {
    stepped = buildSequentialScan(b, loc, direction, tailOf(a), tailOf(x),
                                  initialState(b, loc, op), tailDest);
    chunked = buildChunkedScan(b, loc, direction, a, x, stepped[0], chunks,
                               length, static_cast<bool>(dest));
  }
  Value final = direction == Direction::forward ? stepped[0] : chunked[0];
  SmallVector<Value> results = {final};
  if (!dest)
    return results;
  // Both parts' states in the destination.
  auto insertRows = [&](Value rows, Value into, OpFoldResult offset) {
    auto type = cast<RankedTensorType>(rows.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    offsets[0] = offset;
    return tensor::InsertSliceOp::create(b, loc, rows, into, offsets,
                                         tensor::getMixedSizes(b, loc, rows),
                                         strides)
        .getResult();
  };
  Value states = insertRows(chunked[1], dest, b.getIndexAttr(0));
  states = insertRows(stepped[1], states, head);
  results.push_back(states);
  return results;
}

/// `values` cast to `types` where a lowering's type is more or less static.
SmallVector<Value> castTo(OpBuilder &b, Location loc, ValueRange values,
                          TypeRange types) {
  SmallVector<Value> converted;
  for (auto [value, type] : llvm::zip(values, types))
    converted.push_back(value.getType() == type
                       ? value
                       : tensor::CastOp::create(b, loc, type, value).getResult());
  return converted;
}

struct LowerLinearScan : OpRewritePattern<LinearScanOp> {
  LowerLinearScan(MLIRContext *ctx, const SeqParallelizeScanOptions &options)
      : OpRewritePattern(ctx), options(options) {}

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    StringRef mode = options.mode;
    SmallVector<Value> results;
    // auto with no state size allowed (the default): step by step, which
    // bench/bench_scan.py measured faster than the chunked form at every
    // size so far (docs/performance-scan.md).
    if (mode == "sequential" || (mode == "auto" && options.autoMaxState <= 0)) {
      results = lowerSequential(rewriter, loc, op);
    } else if (mode == "parallel") {
      results = lowerChunked(rewriter, loc, op, options.lanes,
                             options.minChunks);
    } else {
      // auto: chunked for long scans of narrow states, where a step is too
      // little work to fill the vector lanes; step by step otherwise.
      Value steps = tensor::DimOp::create(rewriter, loc, op.getB(), 0);
      Value elements = arith::ConstantIndexOp::create(rewriter, loc, 1);
      for (int64_t d = 1; d < op.getB().getType().getRank(); ++d)
        elements = arith::MulIOp::create(
            rewriter, loc, elements,
            tensor::DimOp::create(rewriter, loc, op.getB(), d));
      Value longEnough = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::uge, steps,
          arith::ConstantIndexOp::create(rewriter, loc, options.autoMinSteps));
      Value narrow = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::ule, elements,
          arith::ConstantIndexOp::create(rewriter, loc, options.autoMaxState));
      Value chunked = arith::AndIOp::create(rewriter, loc, longEnough, narrow);
      auto choice = scf::IfOp::create(
          rewriter, loc, chunked,
          [&](OpBuilder &b, Location l) {
            scf::YieldOp::create(
                b, l,
                castTo(b, l,
                       lowerChunked(b, l, op, options.lanes, options.minChunks),
                       op.getResultTypes()));
          },
          [&](OpBuilder &b, Location l) {
            scf::YieldOp::create(
                b, l, castTo(b, l, lowerSequential(b, l, op),
                             op.getResultTypes()));
          });
      results = choice.getResults();
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, results, op.getResultTypes()));
    return success();
  }

  SeqParallelizeScanOptions options;
};

struct SeqParallelizeScan
    : seqc::seq::impl::SeqParallelizeScanBase<SeqParallelizeScan> {
  using SeqParallelizeScanBase::SeqParallelizeScanBase;

  void runOnOperation() override {
    if (mode != "sequential" && mode != "parallel" && mode != "auto") {
      getOperation()->emitError("seq-parallelize-scan: mode '")
          << mode << "' is not sequential, parallel or auto";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    SeqParallelizeScanOptions options{mode, lanes, minChunks, autoMinSteps,
                                      autoMaxState};
    patterns.add<LowerLinearScan>(&getContext(), options);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
