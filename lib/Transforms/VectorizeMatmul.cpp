//===- VectorizeMatmul.cpp - f32 matmul as register-tiled vector code -----===//
//
// Lowered to loops, a linalg.matmul is a scalar multiply-add per element
// with C reloaded at every k; LLVM cannot vectorise the reduction. Here a
// tile of C stays in vector registers across the whole K loop, B is read a
// row of vectors at a time and A one broadcast element per row: the loop
// nest of a BLAS micro-kernel, written in the vector dialect so that LLVM
// picks the instructions for the target (the width is the target's).
//
//===----------------------------------------------------------------------===//

#include "seqc/Transforms/Passes.h"

#include "llvm/Support/MathExtras.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

#include <map>
#include <tuple>

namespace seqc {
#define GEN_PASS_DEF_SEQCVECTORIZEMATMUL
#include "seqc/Transforms/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Rows of A per cache chunk (a multiple of every row block).
constexpr int64_t kChunkRows = 64;
/// The runtime function that calls a Halide kernel (SeqcHalide.c).
constexpr llvm::StringLiteral kHalideCallee = "seqc_rt_halide_matmul";

/// How the runtime's function takes every operand: f32 of `rank`
/// dimensions, sizes, strides and offset dynamic.
MemRefType getAnyStridedType(MLIRContext *ctx, int64_t rank) {
  SmallVector<int64_t> dyn(rank, ShapedType::kDynamic);
  return MemRefType::get(dyn, Float32Type::get(ctx),
                         StridedLayoutAttr::get(ctx, ShapedType::kDynamic, dyn));
}

/// Vectors of columns per part of a call split by columns (the widest tile).
constexpr int64_t kPartVectors = 8;
/// Bytes of a 2-vector panel of B in one slice of K (a third of a 48 KiB L1,
/// half of a 32 KiB one).
constexpr int64_t kPanelBytes = 16 * 1024;

/// A register tile: `rows` rows of C, `vectors` vectors wide.
struct Tile {
  int64_t rows;
  int64_t vectors;
};

/// What C holds before the matmul when the op right before it wrote all of
/// C: a linalg.fill's scalar, the vector a linalg.broadcast repeats along
/// the rows (an input projection's bias), or the matrix a memref.copy
/// copied (a recurrent step's slice of the input projection).
struct InitialC {
  Operation *writer = nullptr;
  Value scalar; // f32, or null
  Value row;    // memref<N x f32>, or null
  Value matrix; // memref<M x N x f32> with unit-stride rows, or null
};

class MatmulKernel {
public:
  /// `packed`: B's whole vectors of columns as [N / width, K, width], or
  /// null to read B itself. `init`: C's known initial value, which the sums
  /// then start from instead of loads of C (its writer is erased by the
  /// caller). `halideKernel`: the Halide kernel each part calls instead of
  /// vector tiles (then `init` is known), or null.
  MatmulKernel(OpBuilder &b, Location loc, linalg::MatmulOp op, int64_t width,
               Value packed, InitialC init, func::FuncOp halideKernel)
      : b(b), loc(loc), a(op.getInputs()[0]), bMat(op.getInputs()[1]),
        c(op.getOutputs()[0]), packed(packed), init(init),
        halideKernel(halideKernel), width(width),
        vectorType(VectorType::get({width}, b.getF32Type())) {
    contract = arith::FastMathFlagsAttr::get(b.getContext(),
                                             arith::FastMathFlags::contract);
  }

  /// Splits C into parts that the context's threads share (an
  /// scf.parallel, run by seqc-outline-parallel-loops on the worker pool),
  /// each computed by the tile loops below. With at least two 64-row chunks
  /// of A (the input projection) a part is one chunk: every thread streams
  /// all of B and its own rows of A. Otherwise (a recurrent step) a part is
  /// a panel of 8 vectors of columns: each thread reads its own slice of the
  /// weights, the same one at every step, which so stays in its core's
  /// cache. Calls of fewer than `minWork` multiply-adds are one part (waking
  /// the threads costs more); a negative `minWork` never splits.
  void build(int64_t minWork) {
    m = dim(a, 0);
    k = dim(a, 1);
    n = dim(c, 1);
    if (halideKernel && init.row)
      initRows = broadcastRows(init.row);
    std::optional<int64_t> staticWork = staticProduct({m, n, k});
    if (minWork < 0 || (staticWork && *staticWork < minWork)) {
      buildRange(index(0), m, index(0), n);
      return;
    }
    Value work = arith::MulIOp::create(b, loc, arith::MulIOp::create(b, loc, m, n), k);
    Value split = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge,
                                        work, index(minWork));
    Value byRows = arith::AndIOp::create(
        b, loc, split,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, m,
                              index(2 * kChunkRows)));
    Value byColumns = arith::XOrIOp::create(b, loc, split, byRows);
    auto atLeastOne = [&](Value v) {
      return arith::MaxUIOp::create(b, loc, v, index(1));
    };
    Value partRows = arith::SelectOp::create(b, loc, byRows, index(kChunkRows),
                                             atLeastOne(m));
    Value partCols = arith::SelectOp::create(
        b, loc, byColumns, index(kPartVectors * width), atLeastOne(n));
    Value colParts = arith::CeilDivUIOp::create(b, loc, n, partCols);
    Value parts = arith::MulIOp::create(
        b, loc, arith::CeilDivUIOp::create(b, loc, m, partRows), colParts);
    auto loop = scf::ParallelOp::create(b, loc, ValueRange{index(0)},
                                        ValueRange{parts}, ValueRange{index(1)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value part = loop.getInductionVars()[0];
    // A static M splits one way only: the other range is whole and static.
    std::optional<int64_t> rows = getConstantIntValue(m);
    Value rowLo = index(0), rowHi = m, colLo = index(0), colHi = n;
    if (!rows || *rows >= 2 * kChunkRows) {
      rowLo = arith::MulIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, part, colParts), partRows);
      rowHi = arith::MinUIOp::create(b, loc, add(rowLo, partRows), m);
    }
    if (!rows || *rows < 2 * kChunkRows) {
      colLo = arith::MulIOp::create(
          b, loc, arith::RemUIOp::create(b, loc, part, colParts), partCols);
      colHi = arith::MinUIOp::create(b, loc, add(colLo, partCols), n);
    }
    buildRange(rowLo, rowHi, colLo, colHi);
  }

private:
  /// C[rowLo:rowHi, colLo:colHi] += A[rowLo:rowHi, :] B[:, colLo:colHi],
  /// colLo a multiple of kPartVectors * width.
  void buildRange(Value rowLo, Value rowHi, Value colLo, Value colHi) {
    if (halideKernel)
      return callHalideKernel(rowLo, rowHi, colLo, colHi);
    // Rows in blocks (of 8, then 4, with 32 vector registers; of 4 with
    // 16), then one at a time. A block's tiles are 2 vectors wide: its rows
    // share each load of B. A single row has no such reuse: 8 vectors keep 8
    // independent FMA chains in flight (a chain of one waits the FMA's
    // latency each k). Narrower tiles take the columns left over, then fewer
    // than `width` columns remain.
    //
    // Blocked rows go in chunks of kChunkRows: within a chunk, each column
    // panel of B (K x tile width) is read once from memory and reused from
    // cache by all the chunk's row blocks, while the chunk of A (64 x K) stays
    // in L2 across the panels. Without it every row block re-streamed all of
    // B: a [64, 512] x [512, 2048] step read its 4 MiB of weights 8 times.
    SmallVector<int64_t> rowBlocks = width >= 16 ? SmallVector<int64_t>{8, 4, 1}
                                                 : SmallVector<int64_t>{4, 1};
    // Tiles wider than a static N never run: not emitted (a small model's
    // compile time is mostly these kernels).
    std::optional<int64_t> staticN = getConstantIntValue(n);
    auto fits = [&](int64_t vectors) {
      return !staticN || vectors * width <= *staticN;
    };
    Value rowBegin = rowLo;
    for (int64_t rows : rowBlocks) {
      Value rowEnd = rows == 1 ? rowHi : wholeBlocksEnd(rowBegin, rowHi, rows);
      SmallVector<int64_t> vectorCounts = rows == 1
                                              ? SmallVector<int64_t>{8, 4, 2, 1}
                                              : SmallVector<int64_t>{2, 1};
      auto chunks =
          scf::ForOp::create(b, loc, rowBegin, rowEnd, index(kChunkRows));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(chunks.getBody());
      Value chunk = chunks.getInductionVar();
      Value chunkEnd =
          arith::MinUIOp::create(b, loc, add(chunk, index(kChunkRows)), rowEnd);
      // Row blocks reread each panel of B: in slices of K whose panel of a
      // 2-vector tile is 16 KiB, it is reread from L1 rather than L2 (C's
      // tiles are then loaded and stored once per slice).
      Value kBegin = index(0), kEnd = k;
      if (rows > 1) {
        int64_t depth = kPanelBytes / (2 * width * 4);
        auto slices = scf::ForOp::create(b, loc, index(0), k, index(depth));
        b.setInsertionPointToStart(slices.getBody());
        kBegin = slices.getInductionVar();
        kEnd = arith::MinUIOp::create(b, loc, add(kBegin, index(depth)), k);
      }
      Value colBegin = colLo;
      for (int64_t vectors : vectorCounts) {
        if (!fits(vectors))
          continue;
        Value colEnd = wholeBlocksEnd(colBegin, colHi, vectors * width);
        emitTiles(chunk, chunkEnd, colBegin, colEnd, kBegin, kEnd,
                  Tile{rows, vectors});
        colBegin = colEnd;
      }
      b.setInsertionPointAfter(chunks);
      rowBegin = rowEnd;
    }
    emitLeftoverColumns(rowLo, rowHi, wholeBlocksEnd(colLo, colHi, width), colHi);
  }

  /// The part's views of A, B, C and C's initial value, passed to the
  /// Halide kernel through the runtime's seqc_rt_halide_matmul.
  void callHalideKernel(Value rowLo, Value rowHi, Value colLo, Value colHi) {
    Value rows = sub(rowHi, rowLo), cols = sub(colHi, colLo);
    OpFoldResult zero = b.getIndexAttr(0);
    Value cPart = view(c, rowLo, colLo, rows, cols);
    Value initPart = init.matrix ? view(init.matrix, rowLo, colLo, rows, cols)
                     : initRows  ? view(initRows, rowLo, colLo, rows, cols)
                                 : cPart; // unread: the kernel takes a scalar
    Value scalar = init.scalar
                       ? init.scalar
                       : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    Value kernel = func::ConstantOp::create(
        b, loc, halideKernel.getFunctionType(), halideKernel.getSymName());
    func::CallOp::create(
        b, loc, getHalideCallee(),
        ValueRange{kernel, view(a, rowLo, zero, rows, k),
                   panelsOfB(colLo, cols), initPart, scalar, cPart});
  }

  /// Columns [colLo, colLo + cols) of B as [K, cols / width, width]: from
  /// the packed panels when there are some, else B's own rows cut in
  /// vectors (both views of the same buffer, no copy).
  Value panelsOfB(Value colLo, Value cols) {
    Value panels = arith::DivUIOp::create(b, loc, cols, index(width));
    Value base, offset, rowStride, panelStride;
    if (packed) {
      // [N / width, K, width], dense: panel p starts at p * K * width.
      base = packed;
      offset = arith::MulIOp::create(b, loc, colLo, k);
      rowStride = index(width);
      panelStride = arith::MulIOp::create(b, loc, k, index(width));
    } else {
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, bMat);
      base = meta.getBaseBuffer();
      offset = add(meta.getOffset(), colLo);
      rowStride = meta.getStrides()[0];
      panelStride = index(width);
    }
    return memref::ReinterpretCastOp::create(
        b, loc, getAnyStridedType(b.getContext(), 3), base, offset,
        ValueRange{k, panels, index(width)},
        ValueRange{rowStride, panelStride, index(1)});
  }

  /// `row` [N] as [M, N] with row stride 0 (a bias every row adds).
  Value broadcastRows(Value row) {
    auto type = MemRefType::get(
        {cast<MemRefType>(c.getType()).getDimSize(0),
         cast<MemRefType>(row.getType()).getDimSize(0)},
        b.getF32Type(), StridedLayoutAttr::get(b.getContext(), 0, {0, 1}));
    return memref::ReinterpretCastOp::create(
        b, loc, type, row, b.getIndexAttr(0),
        SmallVector<OpFoldResult>{getAsOpFoldResult(m), getAsOpFoldResult(n)},
        SmallVector<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(1)});
  }

  /// `matrix[row.., col..]` of `height` x `breadth`, as the runtime's
  /// function takes every matrix (sizes, strides and offset dynamic).
  Value view(Value matrix, OpFoldResult row, OpFoldResult col,
             OpFoldResult height, OpFoldResult breadth) {
    Value part = memref::SubViewOp::create(
        b, loc, matrix, SmallVector<OpFoldResult>{row, col},
        SmallVector<OpFoldResult>{height, breadth},
        SmallVector<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    return memref::CastOp::create(b, loc, getAnyStridedType(b.getContext(), 2),
                                  part);
  }

  /// @seqc_rt_halide_matmul, declared once per module.
  func::FuncOp getHalideCallee() {
    auto module = halideKernel->getParentOfType<ModuleOp>();
    if (auto callee = module.lookupSymbol<func::FuncOp>(kHalideCallee))
      return callee;
    MLIRContext *ctx = b.getContext();
    Type matrix = getAnyStridedType(ctx, 2);
    Type panels = getAnyStridedType(ctx, 3);
    auto type = FunctionType::get(
        ctx,
        {halideKernel.getFunctionType(), matrix, panels, matrix,
         Float32Type::get(ctx), matrix},
        {});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto callee = func::FuncOp::create(b, loc, kHalideCallee, type);
    callee.setPrivate();
    callee->setAttr(seqc::kCInterfaceAttr, b.getUnitAttr());
    return callee;
  }

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value l, Value r) {
    return b.createOrFold<arith::AddIOp>(loc, l, r);
  }
  /// A constant for a static size: the split below is decided statically.
  Value dim(Value matrix, int64_t i) {
    int64_t size = cast<MemRefType>(matrix.getType()).getDimSize(i);
    if (ShapedType::isDynamic(size))
      return memref::DimOp::create(b, loc, matrix, i);
    return index(size);
  }
  Value sub(Value l, Value r) {
    return b.createOrFold<arith::SubIOp>(loc, l, r);
  }
  /// The end of the whole blocks of `multiple` from `begin` towards `end`.
  Value wholeBlocksEnd(Value begin, Value end, int64_t multiple) {
    Value length = sub(end, begin);
    return add(begin, sub(length, b.createOrFold<arith::RemUIOp>(
                                      loc, length, index(multiple))));
  }
  static std::optional<int64_t> staticProduct(ArrayRef<Value> values) {
    int64_t product = 1;
    for (Value v : values) {
      std::optional<int64_t> c = getConstantIntValue(v);
      if (!c || llvm::MulOverflow(product, *c, product))
        return std::nullopt;
    }
    return product;
  }

  /// Tiles over columns [colBegin, colEnd) and, for each column panel,
  /// rows [rowBegin, rowEnd) (both ranges whole multiples of the tile),
  /// summing over k in [kBegin, kEnd).
  void emitTiles(Value rowBegin, Value rowEnd, Value colBegin, Value colEnd,
                 Value kBegin, Value kEnd, Tile tile) {
    auto cols = scf::ForOp::create(b, loc, colBegin, colEnd,
                                   index(tile.vectors * width));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(cols.getBody());
    auto rows = scf::ForOp::create(b, loc, rowBegin, rowEnd, index(tile.rows));
    b.setInsertionPointToStart(rows.getBody());
    emitTile(rows.getInductionVar(), cols.getInductionVar(), kBegin, kEnd, tile);
  }

  /// C[row.., col..] += A[row.., :] B[:, col..] in registers.
  void emitTile(Value row, Value col, Value kBegin, Value kEnd, Tile tile) {
    SmallVector<Value> rowIndex, colIndex;
    for (int64_t r = 0; r < tile.rows; ++r)
      rowIndex.push_back(r ? add(row, index(r)) : row);
    for (int64_t v = 0; v < tile.vectors; ++v)
      colIndex.push_back(v ? add(col, index(v * width)) : col);

    SmallVector<Value> acc = initialSums(rowIndex, colIndex, kBegin);
    auto kLoop = scf::ForOp::create(
        b, loc, kBegin, kEnd, index(1), acc,
        [&](OpBuilder &nb, Location nl, Value kv, ValueRange sums) {
          SmallVector<Value> bRow;
          for (Value cIdx : colIndex)
            bRow.push_back(loadB(nb, nl, kv, cIdx));
          SmallVector<Value> next;
          for (auto [ri, r] : llvm::enumerate(rowIndex)) {
            Value aElt = memref::LoadOp::create(nb, nl, a, ValueRange{r, kv});
            Value aVec = vector::BroadcastOp::create(nb, nl, vectorType, aElt);
            for (auto [vi, bVec] : llvm::enumerate(bRow)) {
              Value product =
                  arith::MulFOp::create(nb, nl, aVec, bVec, contract);
              next.push_back(arith::AddFOp::create(
                  nb, nl, sums[ri * tile.vectors + vi], product, contract));
            }
          }
          scf::YieldOp::create(nb, nl, next);
        });
    unsigned i = 0;
    for (Value r : rowIndex)
      for (Value cIdx : colIndex)
        vector::StoreOp::create(b, loc, kLoop.getResult(i++), c,
                                ValueRange{r, cIdx});
  }

  /// The tile's sums before k = kBegin: C's values, or from the first slice
  /// of K on, C's known initial value (not loaded: C is not read at all).
  SmallVector<Value> initialSums(ArrayRef<Value> rowIndex,
                                 ArrayRef<Value> colIndex, Value kBegin) {
    auto loadC = [&](OpBuilder &nb, Location nl) {
      SmallVector<Value> sums;
      for (Value r : rowIndex)
        for (Value cIdx : colIndex)
          sums.push_back(vector::LoadOp::create(nb, nl, vectorType, c,
                                                ValueRange{r, cIdx}));
      return sums;
    };
    if (!init.writer)
      return loadC(b, loc);
    auto initial = [&](OpBuilder &nb, Location nl) {
      SmallVector<Value> sums;
      if (init.matrix) {
        for (Value r : rowIndex)
          for (Value cIdx : colIndex)
            sums.push_back(vector::LoadOp::create(
                nb, nl, vectorType, init.matrix, ValueRange{r, cIdx}));
        return sums;
      }
      SmallVector<Value> perColumn;
      for (Value cIdx : colIndex)
        perColumn.push_back(
            init.scalar ? Value(vector::BroadcastOp::create(nb, nl, vectorType,
                                                            init.scalar))
                        : Value(vector::LoadOp::create(nb, nl, vectorType,
                                                       init.row,
                                                       ValueRange{cIdx})));
      for (size_t r = 0; r < rowIndex.size(); ++r)
        llvm::append_range(sums, perColumn);
      return sums;
    };
    if (isConstantIntValue(kBegin, 0))
      return initial(b, loc);
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        kBegin, index(0));
    auto branch = scf::IfOp::create(
        b, loc, first,
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(nb, nl, initial(nb, nl));
        },
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(nb, nl, loadC(nb, nl));
        });
    return SmallVector<Value>(branch.getResults());
  }

  /// B[k, col .. col + width): from the packed panel when there is one.
  Value loadB(OpBuilder &nb, Location nl, Value kv, Value col) {
    if (!packed)
      return vector::LoadOp::create(nb, nl, vectorType, bMat,
                                    ValueRange{kv, col});
    Value panel = arith::DivUIOp::create(
        nb, nl, col, arith::ConstantIndexOp::create(nb, nl, width));
    return vector::LoadOp::create(
        nb, nl, vectorType, packed,
        ValueRange{panel, kv, arith::ConstantIndexOp::create(nb, nl, 0)});
  }

  /// Columns [colBegin, colEnd) of rows [rowLo, rowHi) stay a (smaller)
  /// linalg.matmul.
  void emitLeftoverColumns(Value rowLo, Value rowHi, Value colBegin,
                           Value colEnd) {
    std::optional<int64_t> begin = getConstantIntValue(colBegin),
                           end = getConstantIntValue(colEnd),
                           columns = getConstantIntValue(n);
    // Every part starts at a whole vector: whole vectors of N leave none.
    if ((begin && end && *begin == *end) || (columns && *columns % width == 0))
      return;
    // Whole rows unless the call is split by rows.
    bool allRows = isConstantIntValue(rowLo, 0) && rowHi == m;
    Value rows = sub(rowHi, rowLo), cols = sub(colEnd, colBegin);
    auto view = [&](Value matrix, OpFoldResult row, OpFoldResult col,
                    OpFoldResult height, OpFoldResult breadth) -> Value {
      return memref::SubViewOp::create(
          b, loc, matrix, SmallVector<OpFoldResult>{row, col},
          SmallVector<OpFoldResult>{height, breadth},
          SmallVector<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    };
    OpFoldResult zero = b.getIndexAttr(0);
    Value aRows = allRows ? a : view(a, rowLo, zero, rows, k);
    linalg::MatmulOp::create(
        b, loc, ValueRange{aRows, view(bMat, zero, colBegin, k, cols)},
        ValueRange{view(c, allRows ? zero : OpFoldResult(rowLo), colBegin,
                        allRows ? OpFoldResult(m) : OpFoldResult(rows), cols)});
  }

  OpBuilder &b;
  Location loc;
  Value a, bMat, c, packed;
  InitialC init;
  func::FuncOp halideKernel;
  /// A bias row as a matrix (for the Halide kernel), or null.
  Value initRows;
  /// Rows of A and C, the reduction's length, and columns of C.
  Value m, k, n;
  int64_t width;
  VectorType vectorType;
  arith::FastMathFlagsAttr contract;
};

/// A plain f32 matmul on buffers whose B and C rows are contiguous.
bool isVectorizable(linalg::MatmulOp op) {
  if (op.hasUserDefinedMaps() || !op.hasPureBufferSemantics() ||
      op.getInputs().size() != 2 || op.getOutputs().size() != 1)
    return false;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || type.getRank() != 2 || !type.getElementType().isF32())
      return false;
  }
  return cast<MemRefType>(op.getInputs()[1].getType()).isLastDimUnitStride() &&
         cast<MemRefType>(op.getOutputs()[0].getType()).isLastDimUnitStride();
}

/// The buffer `v` is a view of (through subviews, collapses, casts).
Value rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// C's initial value when the op right before `op` (ops without memory
/// effects aside) is a linalg.fill or a row-broadcasting linalg.broadcast
/// that writes exactly C's buffer (or the buffer C collapses), or a
/// memref.copy into C from a matrix with unit-stride rows, and the sums can
/// start from it: N a static multiple of `width` (no columns are left to a
/// scalar matmul, which would read C) and K static and positive (every
/// element of C is then written by a tile).
InitialC getInitialC(linalg::MatmulOp op, int64_t width) {
  Value c = op.getOutputs()[0];
  auto cType = cast<MemRefType>(c.getType());
  int64_t n = cType.getDimSize(1);
  int64_t k = cast<MemRefType>(op.getInputs()[1].getType()).getDimSize(0);
  if (ShapedType::isDynamic(n) || n % width != 0 || ShapedType::isDynamic(k) ||
      k <= 0)
    return {};
  // The buffer the writer fills: C, or the buffer C is a collapse of.
  Value whole = c;
  if (auto collapse = c.getDefiningOp<memref::CollapseShapeOp>())
    whole = collapse.getSrc();
  if (!cast<MemRefType>(whole.getType()).getLayout().isIdentity())
    return {};
  Operation *writer = op->getPrevNode();
  while (writer && isMemoryEffectFree(writer))
    writer = writer->getPrevNode();
  if (auto copy = dyn_cast_if_present<memref::CopyOp>(writer)) {
    auto sourceType = cast<MemRefType>(copy.getSource().getType());
    // A source in C's own buffer would be overwritten by earlier tiles.
    if (copy.getTarget() == c && rootBuffer(copy.getSource()) != rootBuffer(c) &&
        sourceType.getRank() == 2 &&
        sourceType.getElementType().isF32() &&
        sourceType.isLastDimUnitStride())
      return {copy, Value(), Value(), copy.getSource()};
    return {};
  }
  if (auto fill = dyn_cast_if_present<linalg::FillOp>(writer)) {
    if (fill.hasPureBufferSemantics() && fill.getOutputs()[0] == whole &&
        fill.getInputs()[0].getType().isF32())
      return {fill, fill.getInputs()[0], Value(), Value()};
    return {};
  }
  auto broadcast = dyn_cast_if_present<linalg::BroadcastOp>(writer);
  if (!broadcast || !broadcast.hasPureBufferSemantics() ||
      broadcast.getInit() != whole)
    return {};
  auto rowType = dyn_cast<MemRefType>(broadcast.getInput().getType());
  int64_t rank = cast<MemRefType>(whole.getType()).getRank();
  // Repeated along every dimension but the last: one value per column.
  if (!rowType || rowType.getRank() != 1 || !rowType.getLayout().isIdentity() ||
      rowType.getDimSize(0) != n ||
      broadcast.getDimensions().size() != static_cast<size_t>(rank - 1))
    return {};
  for (auto [i, d] : llvm::enumerate(broadcast.getDimensions()))
    if (d != static_cast<int64_t>(i))
      return {};
  return {broadcast, Value(), broadcast.getInput(), Value()};
}

/// The constant f32 matrix `value` reads, as a global's initializer and
/// the (static) rows and columns of it that `value` views; or failure.
struct ConstantWeights {
  DenseElementsAttr data;
  int64_t rowOffset, colOffset, rows, cols, stride;
};
FailureOr<ConstantWeights> getConstantWeights(Value value,
                                              SymbolTable &symbols) {
  ConstantWeights w{};
  auto type = cast<MemRefType>(value.getType());
  if (!type.hasStaticShape())
    return failure();
  w.rows = type.getDimSize(0);
  w.cols = type.getDimSize(1);
  if (auto view = value.getDefiningOp<memref::SubViewOp>()) {
    if (!view.hasUnitStride() ||
        ShapedType::isDynamicShape(view.getStaticOffsets()))
      return failure();
    w.rowOffset = view.getStaticOffsets()[0];
    w.colOffset = view.getStaticOffsets()[1];
    value = view.getSource();
  }
  auto get = value.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return failure();
  auto global = symbols.lookup<memref::GlobalOp>(get.getName());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return failure();
  w.data = dyn_cast<DenseElementsAttr>(*global.getInitialValue());
  if (!w.data || !w.data.getElementType().isF32() ||
      global.getType().getRank() != 2)
    return failure();
  w.stride = global.getType().getDimSize(1);
  return w;
}

/// The packed globals made so far, by the weights they pack (the data and
/// the view's offsets and sizes). The same weights are packed once: a
/// recurrence's versions (seq-parallelize-batch, the time loop's two
/// buffers) each have their step's matmul, and LLVM merges identical
/// constants only where their addresses do not escape (they do into the
/// Halide kernels): each copy of R would be read in turn at every other
/// step, twice the cache footprint.
using PackedWeights =
    std::map<std::tuple<const void *, int64_t, int64_t, int64_t, int64_t>,
             memref::GlobalOp>;

/// A constant global holding B's whole vectors of columns as
/// [N / width, K, width] (each vector column contiguous: a tile streams
/// through its panels sequentially instead of striding N floats per k; new,
/// or the one made for the same weights before), and its value at the
/// matmul; null when B is not a constant.
Value packWeights(OpBuilder &b, Location loc, Value bMat, int64_t width,
                  ModuleOp module, SymbolTable &symbols,
                  PackedWeights &packedSoFar) {
  FailureOr<ConstantWeights> w = getConstantWeights(bMat, symbols);
  if (failed(w) || w->cols < width)
    return Value();
  int64_t panels = w->cols / width, k = w->rows;
  auto type = MemRefType::get({panels, k, width}, b.getF32Type());
  memref::GlobalOp &global =
      packedSoFar[{w->data.getAsOpaquePointer(), w->rowOffset, w->colOffset,
                   w->rows, w->cols}];
  OpBuilder::InsertionGuard guard(b);
  if (global) {
    b.setInsertionPointAfterValue(bMat);
    return memref::GetGlobalOp::create(b, loc, type, global.getSymName());
  }
  SmallVector<float> packed(panels * k * width);
  SmallVector<float> source(w->data.getValues<float>());
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t r = 0; r < k; ++r)
      for (int64_t l = 0; l < width; ++l)
        packed[(p * k + r) * width + l] =
            source[(w->rowOffset + r) * w->stride + w->colOffset + p * width +
                   l];
  b.setInsertionPointToStart(module.getBody());
  global = memref::GlobalOp::create(
      b, loc, "__seqc_packed_weights", b.getStringAttr("private"), type,
      DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), type.getElementType()),
          ArrayRef<float>(packed)),
      /*constant=*/true, b.getI64IntegerAttr(64));
  symbols.insert(global);
  b.setInsertionPointAfterValue(bMat);
  return memref::GetGlobalOp::create(b, loc, type, global.getSymName());
}

/// Whether `kernels=auto` gives the matmul to Halide: constant weights of
/// at least 2 MiB (packed: `packed` is not null). Measured side by side
/// (bench/bench_rnn.py --peers halide, the default grid, AVX-512 Xeon):
/// time with Halide over time with the vector tiles, geometric mean over
/// the H = 512 points (LSTM R and W 4 MiB, GRU 3 MiB) 0.98; over H = 128
/// and 256 (R <= 1 MiB) 1.11 and 1.05, 1.18-1.23 at batch 8.
bool preferHalide(linalg::MatmulOp op, Value packed) {
  auto b = cast<MemRefType>(op.getInputs()[1].getType());
  return packed && b.hasStaticShape() &&
         b.getNumElements() * 4 >= 2 * 1024 * 1024;
}

/// The declaration of the Halide kernel for a reduction of `k` (from a
/// scalar or from a matrix; B packed or not), added to the module at its
/// first use.
func::FuncOp getHalideKernel(OpBuilder &b, ModuleOp module,
                             SymbolTable &symbols, int64_t k, bool scalarInit,
                             bool packedB) {
  std::string name = "seqc_halide_matmul_k" + std::to_string(k) +
                     (scalarInit ? "_scalar" : "") + (packedB ? "_packed" : "");
  if (auto kernel = symbols.lookup<func::FuncOp>(name))
    return kernel;
  MLIRContext *ctx = b.getContext();
  Type buffer = LLVM::LLVMPointerType::get(ctx);
  auto type =
      FunctionType::get(ctx, {buffer, buffer, buffer, Float32Type::get(ctx), buffer},
                        {IntegerType::get(ctx, 32)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto kernel = func::FuncOp::create(b, module.getLoc(), name, type);
  kernel.setPrivate();
  kernel->setAttr(seqc::kHalideMatmulAttrName,
                  b.getDictionaryAttr({b.getNamedAttr("k", b.getI64IntegerAttr(k)),
                                       b.getNamedAttr("scalar_init",
                                                      b.getBoolAttr(scalarInit)),
                                       b.getNamedAttr("packed_b",
                                                      b.getBoolAttr(packedB))}));
  symbols.insert(kernel);
  return kernel;
}

struct SeqcVectorizeMatmul
    : seqc::impl::SeqcVectorizeMatmulBase<SeqcVectorizeMatmul> {
  using Base::Base;
  void runOnOperation() override {
    if (kernels != "mlir" && kernels != "halide" && kernels != "auto") {
      getOperation().emitError("seqc-vectorize-matmul: kernels must be mlir, "
                               "halide or auto, not '")
          << kernels << "'";
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (isVectorizable(op))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    PackedWeights packedSoFar;
    for (linalg::MatmulOp op : matmuls) {
      InitialC init = getInitialC(op, width);
      Value packed = packWeights(rewriter, op.getLoc(), op.getInputs()[1],
                                 width, module, symbols, packedSoFar);
      // The Halide kernels start from a known C (they never read C).
      func::FuncOp halideKernel;
      if (init.writer &&
          (kernels == "halide" ||
           (kernels == "auto" && preferHalide(op, packed))))
        halideKernel = getHalideKernel(
            rewriter, module, symbols,
            cast<MemRefType>(op.getInputs()[1].getType()).getDimSize(0),
            static_cast<bool>(init.scalar), static_cast<bool>(packed));
      rewriter.setInsertionPoint(op);
      MatmulKernel(rewriter, op.getLoc(), op, width, packed, init,
                   halideKernel)
          .build(minWork);
      rewriter.eraseOp(op);
      if (init.writer)
        rewriter.eraseOp(init.writer);
    }
  }
};

} // namespace
