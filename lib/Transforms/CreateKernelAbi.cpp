//===- CreateKernelAbi.cpp - The model function's C calling convention
//-----===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCCREATEKERNELABI
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

constexpr StringLiteral kCInterface = "llvm.emit_c_interface";

/// Turns the shape function's cf.asserts into a status: three i64 values
/// (index of the failing check counted from 1, or 0; and the two sizes it
/// compared) stored after the output dims. Returns the checks' messages.
SmallVector<Attribute> foldChecksIntoStatus(OpBuilder &b, func::FuncOp shapes,
                                            Value dims, int64_t numDims) {
  SmallVector<cf::AssertOp> asserts;
  shapes.walk([&](cf::AssertOp op) { asserts.push_back(op); });
  Location loc = shapes.getLoc();
  b.setInsertionPoint(shapes.getBody().front().getTerminator());
  auto i64 = [&](Value v) -> Value {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
  };
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value status = zero, lhs = zero, rhs = zero;
  SmallVector<Attribute> messages;
  for (cf::AssertOp check : asserts) {
    messages.push_back(check.getMsgAttr());
    Value failed = arith::XOrIOp::create(
        b, loc, check.getArg(), arith::ConstantIntOp::create(b, loc, 1, 1));
    Value index = arith::ConstantIntOp::create(b, loc, messages.size(), 64);
    status = arith::SelectOp::create(b, loc, failed, index, status);
    if (auto cmp = check.getArg().getDefiningOp<arith::CmpIOp>();
        cmp && cmp.getLhs().getType().isIndex()) {
      lhs = arith::SelectOp::create(b, loc, failed, i64(cmp.getLhs()), lhs);
      rhs = arith::SelectOp::create(b, loc, failed, i64(cmp.getRhs()), rhs);
    }
    check.erase();
  }
  for (auto [i, v] : llvm::enumerate(SmallVector<Value>{status, lhs, rhs}))
    memref::StoreOp::create(
        b, loc, v, dims,
        ValueRange{arith::ConstantIndexOp::create(b, loc, numDims + i)});
  return messages;
}

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
  shapes->setAttr(kCInterface, b.getUnitAttr());

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
  SmallVector<Attribute> messages =
      foldChecksIntoStatus(b, shapes, dims, numDims);

  // Resolve the dims through the ops that produce them; what no longer feeds
  // a dim is dead and goes away.
  RewritePatternSet patterns(func.getContext());
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  memref::populateResolveShapedTypeResultDimsPatterns(patterns);
  for (Dialect *dialect : func.getContext()->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op :
       func.getContext()->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, func.getContext());
  if (failed(applyPatternsGreedily(shapes.getOperation(), std::move(patterns))))
    return failure();
  return messages;
}

/// Rewrites `@F` to write its results into memref out-parameters.
LogicalResult convertToDestinationPassing(func::FuncOp func) {
  OpBuilder b(func.getContext());
  Block &entry = func.getBody().front();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  unsigned numInputs = func.getNumArguments();
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  SmallVector<unsigned> positions;
  SmallVector<Type> outTypes;
  SmallVector<Location> locs;
  for (Type t : func.getResultTypes()) {
    auto type = cast<RankedTensorType>(t);
    positions.push_back(numInputs);
    outTypes.push_back(MemRefType::get(type.getShape(), type.getElementType()));
    locs.push_back(func.getLoc());
  }
  if (failed(func.insertArguments(positions, outTypes, resultAttrs, locs)))
    return failure();
  b.setInsertionPoint(ret);
  for (auto [i, result] : llvm::enumerate(ret.getOperands())) {
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        b, ret.getLoc(), TypeRange{}, result, entry.getArgument(numInputs + i));
    materialize.setWritable(true);
    materialize.setRestrict(true);
  }
  func::ReturnOp::create(b, ret.getLoc());
  ret.erase();
  llvm::BitVector allResults(func.getNumResults(), true);
  if (failed(func.eraseResults(allResults)))
    return failure();
  for (unsigned i = 0; i < numInputs; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    b.getBoolAttr(false));
  func->setAttr(kCInterface, b.getUnitAttr());
  return success();
}

struct SeqcCreateKernelAbi
    : seqc::impl::SeqcCreateKernelAbiBase<SeqcCreateKernelAbi> {
  using Base::Base;
  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(functionName);
    if (!func) {
      getOperation().emitError("no model function @") << functionName;
      return signalPassFailure();
    }
    if (func.isExternal() || !func.getBody().hasOneBlock()) {
      func.emitError("the model function must have a body of one block");
      return signalPassFailure();
    }
    for (Type t : func.getResultTypes())
      if (!isa<RankedTensorType>(t)) {
        func.emitError("model results must be ranked tensors, found ") << t;
        return signalPassFailure();
      }
    FailureOr<SmallVector<Attribute>> checks = createShapeFunction(func);
    if (failed(checks))
      return signalPassFailure();
    // The runtime calls the shape function before every run: the model
    // function need not check again.
    func.walk([](cf::AssertOp op) { op.erase(); });
    if (failed(convertToDestinationPassing(func)))
      return signalPassFailure();
    getOperation()->setAttr(seqc::kRuntimeChecksAttr,
                            ArrayAttr::get(&getContext(), *checks));
  }
};

} // namespace
