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
void convertToDestinationPassing(func::FuncOp func) {
  OpBuilder b(func.getContext());
  Block &entry = func.getBody().front();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  unsigned numInputs = func.getNumArguments();
  SmallVector<Type> argTypes(func.getArgumentTypes());
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  b.setInsertionPoint(ret);
  for (auto [i, result] : llvm::enumerate(ret.getOperands())) {
    auto type = cast<RankedTensorType>(result.getType());
    auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
    argTypes.push_back(memrefType);
    Value out = entry.addArgument(memrefType, func.getLoc());
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        b, ret.getLoc(), TypeRange{}, result, out);
    materialize.setWritable(true);
    materialize.setRestrict(true);
  }
  func::ReturnOp::create(b, ret.getLoc());
  ret.erase();
  func.setFunctionType(b.getFunctionType(argTypes, {}));
  for (unsigned i = 0; i < numInputs; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    b.getBoolAttr(false));
  for (auto [i, attrs] : llvm::enumerate(resultAttrs))
    func.setArgAttrs(numInputs + i, attrs);
  func->setAttr(kCInterface, b.getUnitAttr());
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
    if (failed(createShapeFunction(func)))
      return signalPassFailure();
    convertToDestinationPassing(func);
  }
};

} // namespace
