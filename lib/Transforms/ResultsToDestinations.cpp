//===- ResultsToDestinations.cpp - Results into the caller's buffers ------===//
//
// Done on tensors, before bufferization, so that one-shot bufferization sees
// the destinations and computes each result in place instead of copying it
// out of a temporary.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCRESULTSTODESTINATIONS
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// A result is often built in a chain of destinations (insert_slices into a
/// tensor.empty, ops writing into their inits). Starts that chain from the
/// caller's buffer `out` instead of the tensor.empty, so that bufferization
/// builds the result in place. Returns true when it found the chain.
bool startChainInDestination(OpBuilder &b, Value result, Value out) {
  Value value = result;
  while (auto produced = dyn_cast<OpResult>(value)) {
    Operation *op = produced.getOwner();
    OpOperand *destination = nullptr;
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      destination = dps.getTiedOpOperand(produced);
    else if (auto cast = dyn_cast<tensor::CastOp>(op))
      destination = &cast.getSourceMutable();
    if (!destination)
      return false;
    auto empty = destination->get().getDefiningOp<tensor::EmptyOp>();
    if (!empty) {
      value = destination->get();
      continue;
    }
    b.setInsertionPointAfterValue(out);
    auto memrefType = cast<MemRefType>(out.getType());
    Value start = bufferization::ToTensorOp::create(
        b, empty.getLoc(),
        RankedTensorType::get(memrefType.getShape(),
                              memrefType.getElementType()),
        out, /*restrict=*/true, /*writable=*/true);
    if (start.getType() != empty.getType())
      start = tensor::CastOp::create(b, empty.getLoc(), empty.getType(), start);
    // The other uses of the tensor.empty (slices that the chain's pieces are
    // computed in) read the caller's buffer too, unless CSE made this
    // tensor.empty the start of another chain as well: then only this one.
    unsigned chainStarts = llvm::count_if(empty->getUses(), [](OpOperand &use) {
      auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
      return isa<tensor::CastOp>(use.getOwner()) ||
             (dps && dps.isDpsInit(&use));
    });
    if (chainStarts > 1) {
      destination->set(start);
      return true;
    }
    empty.getResult().replaceAllUsesWith(start);
    empty.erase();
    return true;
  }
  return false;
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
    Value out = entry.getArgument(numInputs + i);
    OpBuilder::InsertionGuard guard(b);
    bool inPlace = startChainInDestination(b, result, out);
    b.setInsertionPoint(ret);
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        b, ret.getLoc(), TypeRange{}, result, out);
    materialize.setWritable(true);
    // The out-parameter is only reached through this op, unless the chain
    // already starts in it.
    materialize.setRestrict(!inPlace);
  }
  func::ReturnOp::create(b, ret.getLoc());
  ret.erase();
  llvm::BitVector allResults(func.getNumResults(), true);
  if (failed(func.eraseResults(allResults)))
    return failure();
  for (unsigned i = 0; i < numInputs; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    b.getBoolAttr(false));
  return success();
}

struct SeqcResultsToDestinations
    : seqc::impl::SeqcResultsToDestinationsBase<SeqcResultsToDestinations> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = seqc::lookupModelFunction(getOperation(), functionName);
    if (!func || failed(convertToDestinationPassing(func)))
      return signalPassFailure();
  }
};

} // namespace
