//===- HalideSchedules.cpp - the Halide backend's schedule library --------===//

#include "HalideSchedules.h"

using namespace Halide;

namespace seqc::halide_schedules {

void scheduleMatmul(Func out, Func sums, Var lane, Var panel, Var row,
                    int registers) {
  Expr rows = out.output_buffer().dim(2).extent();
  Expr panels = out.output_buffer().dim(1).extent();
  Var pi("pi"), ri("ri");
  // Blocks of rows share each vector of B they load, and each element of A
  // is broadcast to several vectors. Panel by panel: a panel of B is reused
  // from cache by all the call's blocks (seqc-vectorize-matmul gives a call
  // at most 127 rows of A: they stay in L2 across the panels). Blocks at
  // the edges shift inwards (recomputed, never partial), so the first
  // specialisations take the row counts that need no recomputation.
  auto block = [&](Expr when, int blockRows, int blockPanels) {
    Expr fits = rows >= blockRows && panels >= blockPanels;
    out.specialize(when.defined() ? (when && fits) : fits)
        .tile(panel, row, pi, ri, blockPanels, blockRows,
              TailStrategy::ShiftInwards)
        .reorder(lane, pi, ri, row, panel)
        .vectorize(lane)
        .unroll(pi)
        .unroll(ri);
  };
  // Measured on an AVX-512 Xeon (bench/, [64, 256] x [256, 1024] and
  // [8, 512] x [512, 2048]): 8 x 2 where the rows are a multiple of 8, else
  // 6 x 4 (24 sums, 4 loads of B, 1 broadcast per k). With 16 registers,
  // the same shapes at half the sums: 4 x 2, else 6 x 2.
  if (registers >= 32) {
    block(rows % 8 == 0, 8, 2);
    block(Expr(), 6, 4);
  } else {
    block(rows % 4 == 0, 4, 2);
    block(Expr(), 6, 2);
  }
  // Rows of their own (fewer than a block: a batch-1 step is a GEMV) have
  // no reuse of B within a row: 4 vectors (8 with 32 registers) keep
  // independent FMA chains in flight. Tile by tile, every row: the rows
  // share the tile's panel of B from cache.
  int rowPanels = registers >= 32 ? 8 : 4;
  for (int width = rowPanels; width > 1; width /= 2)
    out.specialize(panels >= width)
        .split(panel, panel, pi, width, TailStrategy::ShiftInwards)
        .reorder(lane, pi, row, panel)
        .vectorize(lane)
        .unroll(pi);
  out.reorder(lane, row, panel).vectorize(lane);

  // In every case the innermost loop outside the tile is `row`: the sums of
  // one tile live in registers across the whole reduction.
  sums.compute_at(out, row).vectorize(lane).unroll(panel).unroll(row);
  sums.update()
      .reorder(lane, panel, row, sums.rvars()[0])
      .vectorize(lane)
      .unroll(panel)
      .unroll(row);
}

} // namespace seqc::halide_schedules
