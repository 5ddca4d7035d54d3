//===- OutlineParallelLoops.cpp - scf.parallel on the context's threads ---===//
//
// The runtime's worker pool runs `body(begin, end, env)` over slices of an
// iteration space (seqc_rt_parallel_for). Here each outermost 1-d
// scf.parallel becomes such a body: a function of that C signature whose
// loop runs the iterations [begin, end), and whose values from outside
// (memref descriptors, scalars) are read from `env`, a struct the caller
// fills on its stack. The memrefs cross as their LLVM descriptors through
// unrealized casts, which the conversion to LLVM resolves.
//
// A body that allocates cannot return the kernel's out-of-memory status:
// its env then starts with an i32 flag that the caller clears, a failed
// allocation sets (seqc-check-allocations) and the caller tests after the
// pool returns. Both the body and the call carry kOutOfMemoryFlagAttr.
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCOUTLINEPARALLELLOOPS
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelFor = "seqc_rt_parallel_for";

/// Operations without operands that the body recomputes rather than read
/// from `env`: constants fold into its code, and a global's address is free.
bool isRematerializable(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp>(op));
}

/// How a value from outside the loop is stored in `env`: memrefs as their
/// descriptor, index as i64, other scalars and vectors as themselves; null
/// for what cannot cross (the loop then stays serial).
Type envFieldType(Value value, const LLVMTypeConverter &converter) {
  Type type = value.getType();
  if (auto memref = dyn_cast<MemRefType>(type))
    return converter.convertType(memref);
  if (isa<IndexType>(type))
    return IntegerType::get(type.getContext(), 64);
  if (isa<IntegerType, FloatType, VectorType>(type))
    return converter.convertType(type);
  return nullptr;
}

class Outliner {
public:
  Outliner(ModuleOp module, const LLVMTypeConverter &converter)
      : module(module), symbols(module), converter(converter),
        ptrType(LLVM::LLVMPointerType::get(module.getContext())),
        i32(IntegerType::get(module.getContext(), 32)),
        i64(IntegerType::get(module.getContext(), 64)) {}

  void outline(scf::ParallelOp loop) {
    // The values the body reads from outside: rematerialised, or carried.
    SetVector<Value> above;
    getUsedValuesDefinedAbove(loop.getRegion(), above);
    above.insert(loop.getLowerBound()[0]);
    above.insert(loop.getStep()[0]);
    SmallVector<Value> carried, remade;
    SmallVector<Type> fields;
    for (Value value : above) {
      if (isRematerializable(value.getDefiningOp())) {
        remade.push_back(value);
        continue;
      }
      Type field = envFieldType(value, converter);
      if (!field)
        return;
      carried.push_back(value);
      fields.push_back(field);
    }
    bool mayFail = seqc::mayRunOutOfMemory(loop);
    if (mayFail)
      fields.insert(fields.begin(), i32);
    auto envType = LLVM::LLVMStructType::getLiteral(
        module.getContext(), fields.empty() ? SmallVector<Type>{i64} : fields);
    func::FuncOp body =
        reuseEquivalent(createBody(loop, envType, carried, remade, mayFail));
    callPool(loop, body, envType, carried, mayFail);
  }

private:
  /// An earlier body that computes the same as `body` (the same loop in
  /// another version of a recurrence: batch shares or not, the time loop's
  /// two buffers), which is then erased: each copy would cost LLVM the
  /// optimisation and code generation of a whole kernel again (a tiny GRU's
  /// 30,000 lines of IR were 19,000 without them) and the binary its size.
  func::FuncOp reuseEquivalent(func::FuncOp body) {
    for (func::FuncOp earlier : bodies)
      if (earlier.getFunctionType() == body.getFunctionType() &&
          earlier->hasAttr(seqc::kOutOfMemoryFlagAttr) ==
              body->hasAttr(seqc::kOutOfMemoryFlagAttr) &&
          OperationEquivalence::isRegionEquivalentTo(
              &earlier.getBody(), &body.getBody(),
              OperationEquivalence::IgnoreLocations)) {
        symbols.erase(body);
        return earlier;
      }
    bodies.push_back(body);
    return body;
  }

  /// `void body(i64 begin, i64 end, ptr env)`, internal to the object.
  func::FuncOp createBody(scf::ParallelOp loop, Type envType,
                          ArrayRef<Value> carried, ArrayRef<Value> remade,
                          bool mayFail) {
    auto parent = loop->getParentOfType<func::FuncOp>();
    Location loc = loop.getLoc();
    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(parent);
    auto type = b.getFunctionType({i64, i64, ptrType}, {});
    auto body = func::FuncOp::create(
        b, loc, (parent.getName() + "_parallel").str(), type);
    body.setPrivate();
    body->setAttr("llvm.linkage", LLVM::LinkageAttr::get(
                                      b.getContext(), LLVM::Linkage::Internal));
    symbols.insert(body); // renames on a clash
    if (mayFail)
      body->setAttr(seqc::kOutOfMemoryFlagAttr, b.getUnitAttr());
    Block *entry = body.addEntryBlock();
    b.setInsertionPointToStart(entry);

    IRMapping map;
    Value env = entry->getArgument(2);
    int32_t first = mayFail; // the flag's field comes first
    for (auto [i, value] : llvm::enumerate(carried)) {
      Value field = LLVM::LoadOp::create(
          b, loc, envFieldType(value, converter),
          LLVM::GEPOp::create(
              b, loc, ptrType, envType, env,
              ArrayRef<LLVM::GEPArg>{int32_t(0), first + int32_t(i)}));
      map.map(value, fromField(b, loc, field, value.getType()));
    }
    for (Value value : remade)
      b.clone(*value.getDefiningOp(), map);

    // for i in [begin, end): the loop's body at lb + i * step.
    auto toIndex = [&](Value v) {
      return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
    };
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto iterations = scf::ForOp::create(b, loc, toIndex(entry->getArgument(0)),
                                         toIndex(entry->getArgument(1)), one);
    b.setInsertionPointToStart(iterations.getBody());
    Value scaled = arith::MulIOp::create(b, loc, iterations.getInductionVar(),
                                         map.lookup(loop.getStep()[0]));
    map.map(loop.getInductionVars()[0],
            arith::AddIOp::create(b, loc, map.lookup(loop.getLowerBound()[0]),
                                  scaled));
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, map);
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b, loc);
    return body;
  }

  /// The loop becomes: fill `env`, seqc_rt_parallel_for(n, body, env).
  void callPool(scf::ParallelOp loop, func::FuncOp body, Type envType,
                ArrayRef<Value> carried, bool mayFail) {
    Location loc = loop.getLoc();
    OpBuilder b(loop);
    // One slot per loop, in the entry block: an alloca inside the time loop
    // would grow the stack at every step.
    Value env;
    {
      OpBuilder::InsertionGuard guard(b);
      auto parent = loop->getParentOfType<func::FuncOp>();
      b.setInsertionPointToStart(&parent.getBody().front());
      Value count =
          LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
      env = LLVM::AllocaOp::create(b, loc, ptrType, envType, count);
    }
    int32_t first = mayFail;
    if (mayFail) // the flag, at env's address
      LLVM::StoreOp::create(
          b, loc, LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0)),
          env);
    for (auto [i, value] : llvm::enumerate(carried))
      LLVM::StoreOp::create(
          b, loc, toField(b, loc, value),
          LLVM::GEPOp::create(
              b, loc, ptrType, envType, env,
              ArrayRef<LLVM::GEPArg>{int32_t(0), first + int32_t(i)}));
    // ceil((ub - lb) / step), 0 when ub <= lb (the step is positive).
    Value span = arith::MaxSIOp::create(
        b, loc,
        arith::SubIOp::create(b, loc, loop.getUpperBound()[0],
                              loop.getLowerBound()[0]),
        arith::ConstantIndexOp::create(b, loc, 0));
    Value iterations =
        arith::CeilDivUIOp::create(b, loc, span, loop.getStep()[0]);
    Value fn = func::ConstantOp::create(b, loc, body.getFunctionType(),
                                        SymbolRefAttr::get(body));
    auto call = func::CallOp::create(
        b, loc, getParallelFor(body.getFunctionType()),
        ValueRange{arith::IndexCastOp::create(b, loc, i64, iterations), fn,
                   env});
    if (mayFail)
      call->setAttr(seqc::kOutOfMemoryFlagAttr, b.getUnitAttr());
    loop.erase();
  }

  Value toField(OpBuilder &b, Location loc, Value value) {
    Type field = envFieldType(value, converter);
    if (isa<MemRefType>(value.getType()))
      return UnrealizedConversionCastOp::create(b, loc, field, value)
          .getResult(0);
    if (isa<IndexType>(value.getType()))
      return arith::IndexCastOp::create(b, loc, field, value);
    return value;
  }

  Value fromField(OpBuilder &b, Location loc, Value field, Type type) {
    if (isa<MemRefType>(type))
      return UnrealizedConversionCastOp::create(b, loc, type, field)
          .getResult(0);
    if (isa<IndexType>(type))
      return arith::IndexCastOp::create(b, loc, type, field);
    return field;
  }

  /// `void seqc_rt_parallel_for(i64 n, body, ptr env)`, declared once.
  func::FuncOp getParallelFor(FunctionType bodyType) {
    if (auto fn = symbols.lookup<func::FuncOp>(kParallelFor))
      return fn;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto fn =
        func::FuncOp::create(b, module.getLoc(), kParallelFor,
                             b.getFunctionType({i64, bodyType, ptrType}, {}));
    fn.setPrivate();
    symbols.insert(fn);
    return fn;
  }

  ModuleOp module;
  SymbolTable symbols;
  SmallVector<func::FuncOp> bodies; // outlined so far
  const LLVMTypeConverter &converter;
  Type ptrType, i32, i64;
};

struct SeqcOutlineParallelLoops
    : seqc::impl::SeqcOutlineParallelLoopsBase<SeqcOutlineParallelLoops> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (loop.getNumLoops() == 1 && loop.getNumReductions() == 0 &&
          !loop->getParentOfType<scf::ParallelOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    LowerToLLVMOptions options(&getContext(),
                               DataLayout::closest(module.getOperation()));
    LLVMTypeConverter converter(&getContext(), options);
    Outliner outliner(module, converter);
    for (scf::ParallelOp loop : loops)
      outliner.outline(loop);
  }
};

} // namespace
