//===- CreateShapeFunction.cpp - The model's output-shape function --------===//
//
// The runtime sizes the caller's output buffers, and checks the inputs,
// before it runs the model: `@F_shapes` is `@F` reduced to the sizes of its
// results and the outcome of its run-time checks.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCCREATESHAPEFUNCTION
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Moves the checks inside loops (a Scan or Loop body: scf.for, scf.while)
/// out to the function's body. Each becomes a flag in memory, true at the
/// start, and-ed with the check's condition at every step; after the loop
/// (its outermost ancestor in the function) the check tests the flag. The
/// shape function then runs the part of the loop the checks depend on.
void hoistChecksOutOfLoops(func::FuncOp shapes) {
  SmallVector<cf::AssertOp> inLoops;
  shapes.walk([&](cf::AssertOp check) {
    for (Operation *parent = check->getParentOp();
         parent != shapes.getOperation(); parent = parent->getParentOp())
      if (!isa<scf::IfOp>(parent)) {
        inLoops.push_back(check);
        break;
      }
  });
  Block &entry = shapes.getBody().front();
  for (cf::AssertOp check : inLoops) {
    Location loc = check.getLoc();
    OpBuilder b(&entry, entry.begin());
    auto flagType = MemRefType::get({}, b.getI1Type());
    Value flag = memref::AllocaOp::create(b, loc, flagType);
    memref::StoreOp::create(b, loc, arith::ConstantIntOp::create(b, loc, 1, 1),
                            flag);
    b.setInsertionPoint(check);
    Value holds = arith::AndIOp::create(
        b, loc, memref::LoadOp::create(b, loc, flag), check.getArg());
    memref::StoreOp::create(b, loc, holds, flag);
    Operation *outermost = check;
    while (outermost->getParentOp() != shapes.getOperation())
      outermost = outermost->getParentOp();
    b.setInsertionPointAfter(outermost);
    cf::AssertOp::create(b, loc, memref::LoadOp::create(b, loc, flag),
                         check.getMsgAttr());
    check.erase();
  }
}

/// Moves the checks inside scf.if branches (an ONNX If decided at run time)
/// out to the function's body: each enclosing scf.if yields one more i1 per
/// check, its condition in the branch that holds the check and true in the
/// other, and the check after the scf.if tests that result. Innermost first,
/// until every check is at the top level.
LogicalResult hoistChecksOutOfBranches(func::FuncOp shapes) {
  while (true) {
    scf::IfOp ifOp;
    WalkResult walk = shapes.walk([&](cf::AssertOp check) {
      Operation *parent = check->getParentOp();
      if (parent == shapes.getOperation())
        return WalkResult::advance();
      ifOp = dyn_cast<scf::IfOp>(parent);
      if (!ifOp) {
        check.emitOpError("run-time check inside ")
            << parent->getName() << " is not supported";
        return WalkResult::interrupt();
      }
      return WalkResult::interrupt();
    });
    if (!ifOp)
      return failure(walk.wasInterrupted());
    SmallVector<cf::AssertOp> checks;
    for (Region *region : {&ifOp.getThenRegion(), &ifOp.getElseRegion()})
      for (Block &block : *region)
        for (auto check : block.getOps<cf::AssertOp>())
          checks.push_back(check);
    OpBuilder b(ifOp);
    Location loc = ifOp.getLoc();
    SmallVector<Type> types(ifOp.getResultTypes());
    types.append(checks.size(), b.getI1Type());
    auto widened = scf::IfOp::create(b, loc, types, ifOp.getCondition(),
                                     /*addThenBlock=*/false,
                                     /*addElseBlock=*/false);
    widened.getThenRegion().takeBody(ifOp.getThenRegion());
    widened.getElseRegion().takeBody(ifOp.getElseRegion());
    for (Region *region : {&widened.getThenRegion(), &widened.getElseRegion()}) {
      // An if without results may have no else; with the checks' results it
      // needs one, yielding true.
      if (region->empty()) {
        OpBuilder eb(region);
        eb.createBlock(region);
        scf::YieldOp::create(eb, loc);
      }
      auto yield = cast<scf::YieldOp>(region->front().getTerminator());
      OpBuilder yb(yield);
      SmallVector<Value> values(yield.getOperands());
      for (cf::AssertOp check : checks)
        values.push_back(check->getParentRegion() == region
                             ? check.getArg()
                             : arith::ConstantIntOp::create(yb, loc, 1, 1)
                                   .getResult());
      scf::YieldOp::create(yb, yield.getLoc(), values);
      yield.erase();
    }
    ifOp.replaceAllUsesWith(
        widened.getResults().take_front(ifOp.getNumResults()));
    ifOp.erase();
    b.setInsertionPointAfter(widened);
    for (auto [i, check] : llvm::enumerate(checks)) {
      cf::AssertOp::create(b, check.getLoc(),
                           widened.getResult(types.size() - checks.size() + i),
                           check.getMsgAttr());
      check.erase();
    }
  }
}

/// Turns the shape function's cf.asserts into a status: three i64 values
/// (number of the first failing check in program order, counted from 1, or
/// 0; and the two sizes it compared) stored after the output dims. Returns
/// the checks' messages.
///
/// The checks' outcomes and sizes go into tables that one loop searches for
/// the first failure. (A chain of selects, one per check, is quadratic in
/// LLVM: InstCombine and ConstraintElimination took 80 s on the 999 checks
/// of a Concat of 1,000 inputs.) With one check, canonicalization folds the
/// loop and the tables back into plain selects.
SmallVector<Attribute> foldChecksIntoStatus(OpBuilder &b, func::FuncOp shapes,
                                            Value dims, int64_t numDims) {
  SmallVector<cf::AssertOp> asserts;
  shapes.walk([&](cf::AssertOp op) { asserts.push_back(op); });
  Location loc = shapes.getLoc();
  b.setInsertionPoint(shapes.getBody().front().getTerminator());
  Type i64Type = b.getI64Type();
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value status = zero, lhs = zero, rhs = zero;
  SmallVector<Attribute> messages;
  SmallVector<Value> failedTable, lhsTable, rhsTable;
  for (cf::AssertOp check : asserts) {
    messages.push_back(check.getMsgAttr());
    failedTable.push_back(arith::XOrIOp::create(
        b, loc, check.getArg(), arith::ConstantIntOp::create(b, loc, 1, 1)));
    // The sizes compared are reported; of "a == b or an exception", a and b.
    Value condition = check.getArg();
    if (auto either = condition.getDefiningOp<arith::OrIOp>())
      condition = either.getLhs();
    auto cmp = condition.getDefiningOp<arith::CmpIOp>();
    bool sizes = cmp && cmp.getLhs().getType().isIndex();
    lhsTable.push_back(sizes ? arith::IndexCastOp::create(b, loc, i64Type,
                                                          cmp.getLhs())
                             : zero);
    rhsTable.push_back(sizes ? arith::IndexCastOp::create(b, loc, i64Type,
                                                          cmp.getRhs())
                             : zero);
  }
  for (cf::AssertOp check : asserts)
    check.erase();
  if (!asserts.empty()) {
    auto table = [&](ArrayRef<Value> elements) -> Value {
      return tensor::FromElementsOp::create(b, loc, elements);
    };
    Value failed = table(failedTable), lhsSizes = table(lhsTable),
          rhsSizes = table(rhsTable);
    Value start = arith::ConstantIndexOp::create(b, loc, 0);
    Value end = arith::ConstantIndexOp::create(b, loc, asserts.size());
    Value step = arith::ConstantIndexOp::create(b, loc, 1);
    auto search = scf::ForOp::create(
        b, loc, start, end, step, ValueRange{zero, zero, zero},
        [&](OpBuilder &b, Location loc, Value i, ValueRange found) {
          Value none = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             found[0], zero);
          Value fails = tensor::ExtractOp::create(b, loc, failed, i);
          Value first = arith::AndIOp::create(b, loc, none, fails);
          Value number = arith::AddIOp::create(
              b, loc, arith::IndexCastOp::create(b, loc, i64Type, i),
              arith::ConstantIntOp::create(b, loc, 1, 64));
          auto pick = [&](Value now, Value table) -> Value {
            return arith::SelectOp::create(
                b, loc, first, tensor::ExtractOp::create(b, loc, table, i),
                now);
          };
          scf::YieldOp::create(
              b, loc,
              ValueRange{arith::SelectOp::create(b, loc, first, number,
                                                 found[0]),
                         pick(found[1], lhsSizes), pick(found[2], rhsSizes)});
        });
    status = search.getResult(0);
    lhs = search.getResult(1);
    rhs = search.getResult(2);
  }
  for (auto [i, v] : llvm::enumerate(SmallVector<Value>{status, lhs, rhs}))
    memref::StoreOp::create(
        b, loc, v, dims,
        ValueRange{arith::ConstantIndexOp::create(b, loc, numDims + i)});
  return messages;
}

/// `tensor.dim` of an `scf.if` result becomes an `scf.if` yielding the dim
/// of each branch's value. Otherwise the shape function would compute the
/// tensor itself (an Expand's broadcast, say) just to take its size: wasted
/// work, and reads out of bounds when the sizes are the ones its checks
/// reject (it runs before any check is acted on). The branches' tensor
/// computations then lose their last use and go away.
struct DimOfIf : OpRewritePattern<tensor::DimOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::DimOp dim,
                                PatternRewriter &rewriter) const override {
    auto result = dyn_cast<OpResult>(dim.getSource());
    auto ifOp = result ? dyn_cast<scf::IfOp>(result.getOwner()) : nullptr;
    if (!ifOp || ifOp.getElseRegion().empty())
      return failure();
    // A copy of each branch whose yield is the size; what the size does not
    // depend on is dead in the copy, and the original if loses this use.
    unsigned number = result.getResultNumber();
    auto newIf = scf::IfOp::create(rewriter, dim.getLoc(),
                                   TypeRange{rewriter.getIndexType()},
                                   ifOp.getCondition());
    for (auto [from, to] : {std::pair(&ifOp.getThenRegion(),
                                      &newIf.getThenRegion()),
                            std::pair(&ifOp.getElseRegion(),
                                      &newIf.getElseRegion())}) {
      rewriter.cloneRegionBefore(*from, *to, to->end());
      auto yield = cast<scf::YieldOp>(to->front().getTerminator());
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(yield);
      Value size = tensor::DimOp::create(
          rewriter, dim.getLoc(), yield.getOperand(number), dim.getIndex());
      rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, size);
    }
    rewriter.replaceOp(dim, newIf.getResult(0));
    return success();
  }
};

/// Builds `@F_shapes` from `@F` and simplifies it down to size computations.
/// Returns the messages of the run-time checks it performs.
FailureOr<SmallVector<Attribute>> createShapeFunction(func::FuncOp func) {
  OpBuilder b(func);
  Location loc = func.getLoc();
  int64_t numDims = 0;
  for (Type t : func.getResultTypes())
    numDims += cast<RankedTensorType>(t).getRank();
  auto dimsType =
      MemRefType::get({numDims + seqc::kNumStatusSlots}, b.getI64Type());
  SmallVector<Type> argTypes(func.getArgumentTypes());
  argTypes.push_back(dimsType);
  auto shapes =
      func::FuncOp::create(b, loc, (func.getName() + seqc::kShapesSuffix).str(),
                           b.getFunctionType(argTypes, {}));

  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    shapes.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                      b.getBoolAttr(false));
  IRMapping mapping;
  func.getBody().cloneInto(&shapes.getBody(), mapping);
  Block &entry = shapes.getBody().front();
  Value dims = entry.addArgument(dimsType, loc);
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  b.setInsertionPoint(ret);
  int64_t next = 0;
  for (Value result : ret.getOperands()) {
    for (int64_t d = 0, e = cast<RankedTensorType>(result.getType()).getRank();
         d < e; ++d) {
      Value size = tensor::DimOp::create(b, loc, result, d);
      Value asI64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), size);
      Value pos = arith::ConstantIndexOp::create(b, loc, next++);
      memref::StoreOp::create(b, loc, asI64, dims, pos);
    }
  }
  func::ReturnOp::create(b, loc);
  ret.erase();
  hoistChecksOutOfLoops(shapes);
  if (failed(hoistChecksOutOfBranches(shapes)))
    return failure();
  SmallVector<Attribute> messages =
      foldChecksIntoStatus(b, shapes, dims, numDims);

  // Resolve the dims through the ops that produce them; what no longer feeds
  // a dim is dead and goes away.
  RewritePatternSet patterns(func.getContext());
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  memref::populateResolveShapedTypeResultDimsPatterns(patterns);
  patterns.add<DimOfIf>(func.getContext());
  for (Dialect *dialect : func.getContext()->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op :
       func.getContext()->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, func.getContext());
  if (failed(applyPatternsGreedily(shapes.getOperation(), std::move(patterns))))
    return failure();
  return messages;
}

struct SeqcCreateShapeFunction
    : seqc::impl::SeqcCreateShapeFunctionBase<SeqcCreateShapeFunction> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = seqc::lookupModelFunction(getOperation(), functionName);
    if (!func)
      return signalPassFailure();
    for (Type t : func.getResultTypes())
      if (!isa<RankedTensorType>(t)) {
        func.emitError("model results must be ranked tensors, found ") << t;
        return signalPassFailure();
      }
    // The inputs are the caller's (const in the C interface): bufferization
    // must not compute in their buffers, in the model function nor in the
    // shape function (which may run a loop whose checks need it).
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                      BoolAttr::get(&getContext(), false));
    FailureOr<SmallVector<Attribute>> checks = createShapeFunction(func);
    if (failed(checks))
      return signalPassFailure();
    func.walk([](cf::AssertOp op) { op.erase(); });
    getOperation()->setAttr(seqc::kRuntimeChecksAttr,
                            ArrayAttr::get(&getContext(), *checks));
  }
};

} // namespace

func::FuncOp seqc::lookupModelFunction(ModuleOp module, StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func) {
    module.emitError("no model function @") << name;
    return nullptr;
  }
  if (func.isExternal() || !func.getBody().hasOneBlock()) {
    func.emitError("the model function must have a body of one block");
    return nullptr;
  }
  return func;
}
