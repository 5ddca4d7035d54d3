//===- ParallelizeScan.cpp - seq.linear_scan, step by step or chunked -----===//
//
// Step by step, a linear scan is a recurrence whose step is one multiply-add
// per state element: a chain of dependent FMAs, and a loop iteration per
// step however narrow the state. Chunked, the same steps run as
//
//   1. local scans: the time axis cut into C chunks of L steps, each scanned
//      from zero while also multiplying up its coefficients (P); the C
//      chunks advance side by side, so one step works on C times the state
//      (vector lanes, independent FMA chains, and rows that
//      seq-parallelize-batch can share between the threads);
//   2. the carries: C steps of the same recurrence over the chunks' ends,
//      giving the state that enters each chunk;
//   3. a fix-up, fully parallel: h_t = local_t + P_t * carry-in of t's chunk.
//
// Steps past T (the last chunk's padding) have a = 1 and b = 0: they keep
// the state, so they change nothing in either direction.
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

/// The scan as a recurrence: h = a_t * h + b_t at each step.
SmallVector<Value> lowerSequential(OpBuilder &b, Location loc,
                                   LinearScanOp op) {
  Value a = op.getA();
  SmallVector<Value> inputs;
  if (a)
    inputs.push_back(a);
  inputs.push_back(op.getB());
  SmallVector<Value> outs;
  if (Value dest = op.getOuts())
    outs.push_back(dest);
  auto recurrence = RecurrenceOp::create(
      b, loc, op.getDirection(), initialState(b, loc, op), inputs, outs,
      /*lengths=*/Value(), /*withTimeIndex=*/false,
      [&](OpBuilder &nb, Location nl, Value, ValueRange states,
          ValueRange steps) -> SmallVector<Value> {
        Value h = states[0];
        SmallVector<Value> operands = {h};
        llvm::append_range(operands, steps);
        Value next = buildElementwise(
            nb, nl, h, operands, [&](OpBuilder &eb, Location el, ValueRange x) {
              return a ? buildMulAdd(eb, el, x[1], x[0], x[2])
                       : buildMulAdd(eb, el, Value(), x[0], x[1]);
            });
        SmallVector<Value> yielded = {next};
        if (!outs.empty())
          yielded.push_back(next);
        return yielded;
      });
  return recurrence.getResults();
}

/// `x` ([T, S...]) with steps T .. steps-1 filled with `identity`.
Value padSteps(OpBuilder &b, Location loc, Value x, OpFoldResult steps,
               int64_t identity) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> xSizes = sizes;
  sizes[0] = steps;
  Value filled =
      buildFilledTensor(b, loc, sizes, type.getElementType(), identity);
  SmallVector<OpFoldResult> zeros(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
  return tensor::InsertSliceOp::create(b, loc, x, filled, zeros, xSizes, ones);
}

/// [C*L, S...] -> [L, C, S...]: chunk c's step l at row l, column c.
Value chunksSideBySide(OpBuilder &b, Location loc, Value x, Value chunks,
                       Value length) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> chunked = {chunks, length};
  llvm::append_range(chunked, ArrayRef(sizes).drop_front());
  SmallVector<ReassociationIndices> groups = {{0, 1}};
  for (int64_t d = 2; d <= rank; ++d)
    groups.push_back({d});
  SmallVector<int64_t> staticShape(rank + 1, ShapedType::kDynamic);
  for (int64_t d = 1; d < rank; ++d)
    staticShape[d + 1] = type.getDimSize(d);
  auto chunkedType = RankedTensorType::get(staticShape, type.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(b, loc, chunkedType, x,
                                                 groups, chunked);
  SmallVector<int64_t> perm = {1, 0};
  SmallVector<OpFoldResult> permuted = {length, chunks};
  for (int64_t d = 2; d <= rank; ++d) {
    perm.push_back(d);
    permuted.push_back(chunked[d]);
  }
  Value empty =
      tensor::EmptyOp::create(b, loc, permuted, type.getElementType());
  return linalg::TransposeOp::create(b, loc, expanded, empty, perm)
      .getResult()[0];
}

/// The chunked scan (see the file comment). Returns the final state, then
/// (with outs) all states.
SmallVector<Value> lowerChunked(OpBuilder &b, Location loc, LinearScanOp op,
                                int64_t lanes, int64_t minChunks) {
  Value a = op.getA(), x = op.getB();
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  auto value = [&](OpFoldResult ofr) {
    return getValueOrCreateConstantIndexOp(b, loc, ofr);
  };
  Value steps = value(sizes[0]);
  Value elements = index(1);
  for (OpFoldResult size : ArrayRef(sizes).drop_front())
    elements = arith::MulIOp::create(b, loc, elements, value(size));
  // Enough chunks that a step of the local scans has `lanes` state elements
  // (at least `minChunks`), and at most one per step.
  Value chunks = arith::MaxUIOp::create(
      b, loc, index(minChunks),
      arith::CeilDivUIOp::create(
          b, loc, index(lanes),
          arith::MaxUIOp::create(b, loc, elements, index(1))));
  chunks = arith::MinUIOp::create(
      b, loc, chunks, arith::MaxUIOp::create(b, loc, steps, index(1)));
  Value length = arith::CeilDivUIOp::create(b, loc, steps, chunks);
  Value padded = arith::MulIOp::create(b, loc, chunks, length);

  Value bChunks =
      chunksSideBySide(b, loc, padSteps(b, loc, x, padded, 0), chunks, length);
  Value aChunks = a ? chunksSideBySide(b, loc, padSteps(b, loc, a, padded, 1),
                                       chunks, length)
                    : Value();

  // 1. Local scans from zero, the chunks side by side; with coefficients,
  // also their running products P.
  SmallVector<OpFoldResult> stateSizes(ArrayRef(sizes).drop_front());
  SmallVector<OpFoldResult> rowSizes = {chunks};
  llvm::append_range(rowSizes, stateSizes);
  SmallVector<Value> inits = {buildFilledTensor(b, loc, rowSizes, elt, 0)};
  if (a)
    inits.push_back(buildFilledTensor(b, loc, rowSizes, elt, 1));
  SmallVector<OpFoldResult> localSizes =
      tensor::getMixedSizes(b, loc, bChunks);
  SmallVector<Value> localOuts;
  for (size_t i = 0; i < inits.size(); ++i)
    localOuts.push_back(tensor::EmptyOp::create(b, loc, localSizes, elt));
  SmallVector<Value> localInputs;
  if (a)
    localInputs.push_back(aChunks);
  localInputs.push_back(bChunks);
  auto local = RecurrenceOp::create(
      b, loc, op.getDirection(), inits, localInputs, localOuts,
      /*lengths=*/Value(), /*withTimeIndex=*/false,
      [&](OpBuilder &nb, Location nl, Value, ValueRange states,
          ValueRange in) -> SmallVector<Value> {
        Value h = states[0];
        SmallVector<Value> next;
        if (a) {
          next.push_back(buildElementwise(
              nb, nl, h, {in[0], h, in[1]},
              [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMulAdd(eb, el, v[0], v[1], v[2]);
              }));
          next.push_back(buildElementwise(
              nb, nl, h, {in[0], states[1]},
              [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMul(eb, el, v[0], v[1]);
              }));
        } else {
          next.push_back(buildElementwise(
              nb, nl, h, {h, in[0]},
              [](OpBuilder &eb, Location el, ValueRange v) {
                return buildMulAdd(eb, el, Value(), v[0], v[1]);
              }));
        }
        SmallVector<Value> yielded(next);
        llvm::append_range(yielded, next);
        return yielded;
      });
  size_t numLocal = inits.size();
  Value localEnds = local.getResult(0);
  Value productEnds = a ? local.getResult(1) : Value();

  // 2. The carries: the state entering each chunk (in scan order).
  SmallVector<Value> carryInputs;
  if (a)
    carryInputs.push_back(productEnds);
  carryInputs.push_back(localEnds);
  Value carryOut = tensor::EmptyOp::create(b, loc, rowSizes, elt);
  auto carry = RecurrenceOp::create(
      b, loc, op.getDirection(), initialState(b, loc, op), carryInputs,
      carryOut, /*lengths=*/Value(), /*withTimeIndex=*/false,
      [&](OpBuilder &nb, Location nl, Value, ValueRange states,
          ValueRange in) -> SmallVector<Value> {
        Value h = states[0];
        SmallVector<Value> operands = {h};
        llvm::append_range(operands, in);
        Value next = buildElementwise(
            nb, nl, h, operands, [&](OpBuilder &eb, Location el, ValueRange v) {
              return a ? buildMulAdd(eb, el, v[1], v[0], v[2])
                       : buildMulAdd(eb, el, Value(), v[0], v[1]);
            });
        return {next, h};
      });
  SmallVector<Value> results = {carry.getResult(0)};
  Value dest = op.getOuts();
  if (!dest)
    return results;

  // 3. The fix-up, back in time order: [C, L, S...] from [L, C, S...].
  Value carryIn = carry.getResult(1);
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
  SmallVector<Value> fixInputs = {local.getResult(numLocal)};
  SmallVector<AffineMap> maps = {fromLocal};
  if (a) {
    fixInputs.push_back(local.getResult(numLocal + 1));
    maps.push_back(fromLocal);
  }
  fixInputs.push_back(carryIn);
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
  Value timeMajor = tensor::CollapseShapeOp::create(b, loc, fixed, groups);
  SmallVector<OpFoldResult> zeros(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(rank, b.getIndexAttr(1));
  Value states = tensor::ExtractSliceOp::create(b, loc, timeMajor, zeros,
                                                sizes, ones);
  if (states.getType() != dest.getType())
    states = tensor::CastOp::create(b, loc, dest.getType(), states);
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
    if (mode == "sequential") {
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
