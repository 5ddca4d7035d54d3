//===- CheckAllocations.cpp - Out of memory is a status, not a crash ------===//
//
// Runs once the loops are branches, where an early return is a plain
// branch. Buffers the kernel allocated before the failing one are not freed
// on that path. A parallel loop's outlined body cannot return the status: it
// sets the flag at the start of its env, which its caller tests after the
// pool has run it (seqc-outline-parallel-loops).
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "llvm/Support/MathExtras.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCCHECKALLOCATIONS
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Whether the byte size of `alloc`'s buffer overflows 63 bits, an i1 built
/// before it; null when its size is static.
Value sizeOverflows(OpBuilder &b, memref::AllocOp alloc,
                    const DataLayout &layout) {
  MemRefType type = alloc.getType();
  if (type.hasStaticShape())
    return nullptr;
  b.setInsertionPoint(alloc);
  Location loc = alloc.getLoc();
  Type i64 = b.getI64Type();
  uint64_t bytes = std::max<uint64_t>(
      1, layout.getTypeSize(type.getElementType()).getFixedValue());
  for (int64_t d : type.getShape())
    if (!ShapedType::isDynamic(d))
      bytes = std::min<uint64_t>(llvm::SaturatingMultiply<uint64_t>(bytes, d),
                                 INT64_MAX);
  Value size = arith::ConstantIntOp::create(b, loc, bytes, 64);
  Value overflow = arith::ConstantIntOp::create(b, loc, 0, 1);
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  for (Value dim : alloc.getDynamicSizes()) {
    Value d = arith::IndexCastOp::create(b, loc, i64, dim);
    auto product = arith::MulUIExtendedOp::create(b, loc, size, d);
    size = product.getLow();
    // The high half must be 0 and the low one fit in 63 bits.
    Value wrapped = arith::OrIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                              product.getHigh(), zero),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, size, zero));
    overflow = arith::OrIOp::create(b, loc, overflow, wrapped);
  }
  return overflow;
}

/// `pointer` (an env) holds a set flag: loads its first i32.
Value flagIsSet(OpBuilder &b, Location loc, Value pointer) {
  Value flag = LLVM::LoadOp::create(b, loc, b.getI32Type(), pointer);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, flag,
                               arith::ConstantIntOp::create(b, loc, 0, 32));
}

/// The block failures branch to: the kernel returns the status, a parallel
/// body sets its flag (several threads may: atomically) and returns.
Block *createOutOfMemoryExit(OpBuilder &b, func::FuncOp func) {
  Location loc = func.getLoc();
  Block *exit = b.createBlock(&func.getBody(), func.getBody().end());
  if (func->hasAttr(seqc::kKernelAttr)) {
    func::ReturnOp::create(b, loc,
                           ValueRange{arith::ConstantIntOp::create(
                               b, loc, seqc::kOutOfMemoryStatus, 32)});
    return exit;
  }
  LLVM::StoreOp::create(b, loc, arith::ConstantIntOp::create(b, loc, 1, 32),
                        func.getArgument(2), /*alignment=*/4,
                        /*isVolatile=*/false, /*isNonTemporal=*/false,
                        /*isInvariantGroup=*/false,
                        LLVM::AtomicOrdering::monotonic);
  func::ReturnOp::create(b, loc);
  return exit;
}

struct SeqcCheckAllocations
    : seqc::impl::SeqcCheckAllocationsBase<SeqcCheckAllocations> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(seqc::kKernelAttr) &&
        !func->hasAttr(seqc::kOutOfMemoryFlagAttr))
      return;
    SmallVector<memref::AllocOp> allocs;
    SmallVector<func::CallOp> parallelCalls;
    func.walk([&](Operation *op) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
      if (op->hasAttr(seqc::kOutOfMemoryFlagAttr))
        if (auto call = dyn_cast<func::CallOp>(op))
          parallelCalls.push_back(call);
    });
    if (allocs.empty() && parallelCalls.empty())
      return;
    auto structured = [&](Operation *op) {
      if (op->getParentRegion() == &func.getBody())
        return false;
      op->emitError("allocation inside a structured region: run "
                    "seqc-check-allocations after convert-scf-to-cf");
      return true;
    };
    if (llvm::any_of(allocs, structured) ||
        llvm::any_of(parallelCalls, structured))
      return signalPassFailure();

    OpBuilder b(func.getContext());
    Block *outOfMemory = createOutOfMemoryExit(b, func);
    // After a parallel body that may have failed: its flag.
    for (func::CallOp call : parallelCalls) {
      Block *rest = call->getBlock()->splitBlock(call->getNextNode());
      b.setInsertionPointAfter(call);
      Value failed = flagIsSet(b, call.getLoc(), call.getOperand(2));
      cf::CondBranchOp::create(b, call.getLoc(), failed, outOfMemory,
                               ValueRange{}, rest, ValueRange{});
    }
    DataLayout layout = DataLayout::closest(func);
    for (memref::AllocOp alloc : allocs) {
      // A size computed from the inputs may not fit in 64 bits: LLVM's
      // allocation would then wrap to a small buffer. Such a size is out of
      // memory too.
      if (Value tooLarge = sizeOverflows(b, alloc, layout)) {
        Block *allocating = alloc->getBlock()->splitBlock(alloc);
        b.setInsertionPointToEnd(tooLarge.getParentBlock());
        cf::CondBranchOp::create(b, alloc.getLoc(), tooLarge, outOfMemory,
                                 ValueRange{}, allocating, ValueRange{});
      }
      Block *rest = alloc->getBlock()->splitBlock(alloc->getNextNode());
      b.setInsertionPointAfter(alloc);
      Location l = alloc.getLoc();
      Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(
          b, l, alloc.getResult());
      Value null =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, pointer,
                                arith::ConstantIndexOp::create(b, l, 0));
      cf::CondBranchOp::create(b, l, null, outOfMemory, ValueRange{}, rest,
                               ValueRange{});
    }
  }
};

} // namespace

bool seqc::mayRunOutOfMemory(Operation *op) {
  return op
      ->walk([](Operation *inner) {
        return isa<memref::AllocOp>(inner) ||
                       (isa<func::CallOp>(inner) &&
                        inner->hasAttr(kOutOfMemoryFlagAttr))
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}
