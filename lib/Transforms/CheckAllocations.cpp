//===- CheckAllocations.cpp - Out of memory is a status, not a crash ------===//
//
// Runs once the loops are branches, where an early return is a plain
// branch. Buffers the kernel allocated before the failing one are not freed
// on that path.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCCHECKALLOCATIONS
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

struct SeqcCheckAllocations
    : seqc::impl::SeqcCheckAllocationsBase<SeqcCheckAllocations> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(seqc::kKernelAttr))
      return;
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    if (allocs.empty())
      return;
    for (memref::AllocOp alloc : allocs)
      if (alloc->getParentRegion() != &func.getBody()) {
        alloc.emitError("allocation inside a structured region: run "
                        "seqc-check-allocations after convert-scf-to-cf");
        return signalPassFailure();
      }

    // One shared exit: return SEQC_ERROR_OUT_OF_MEMORY.
    OpBuilder b(func.getContext());
    Location loc = func.getLoc();
    Block *outOfMemory = b.createBlock(&func.getBody(), func.getBody().end());
    func::ReturnOp::create(
        b, loc,
        ValueRange{arith::ConstantIntOp::create(b, loc,
                                                seqc::kOutOfMemoryStatus, 32)});
    for (memref::AllocOp alloc : allocs) {
      Block *rest = alloc->getBlock()->splitBlock(alloc->getNextNode());
      b.setInsertionPointAfter(alloc);
      Location l = alloc.getLoc();
      Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(
          b, l, alloc.getResult());
      Value null = arith::CmpIOp::create(
          b, l, arith::CmpIPredicate::eq, pointer,
          arith::ConstantIndexOp::create(b, l, 0));
      cf::CondBranchOp::create(b, l, null, outOfMemory, ValueRange{}, rest,
                               ValueRange{});
    }
  }
};

} // namespace
