//===- CreateKernelAbi.cpp - The model function's C calling convention -----===//

#include "seqc/Transforms/Passes.h"

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

/// Builds `@F_shapes` from `@F` and simplifies it down to size computations.
LogicalResult createShapeFunction(func::FuncOp func) {
  OpBuilder b(func);
  Location loc = func.getLoc();
  int64_t numDims = 0;
  for (Type t : func.getResultTypes())
    numDims += cast<RankedTensorType>(t).getRank();
  auto dimsType = MemRefType::get({numDims}, b.getI64Type());
  SmallVector<Type> argTypes(func.getArgumentTypes());
  argTypes.push_back(dimsType);
  auto shapes = func::FuncOp::create(
      b, loc, (func.getName() + seqc::kShapesSuffix).str(),
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
  return applyPatternsGreedily(shapes.getOperation(), std::move(patterns));
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
        b, ret.getLoc(), TypeRange{}, result,
        entry.getArgument(numInputs + i));
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
    for (Type t : func.getResultTypes())
      if (!isa<RankedTensorType>(t)) {
        func.emitError("model results must be ranked tensors, found ") << t;
        return signalPassFailure();
      }
    if (failed(createShapeFunction(func)) ||
        failed(convertToDestinationPassing(func)))
      return signalPassFailure();
  }
};

} // namespace
