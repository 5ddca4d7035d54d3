//===- HalideSchedules.cpp - the Halide backend's schedule library --------===//

#include "HalideSchedules.h"

using namespace Halide;

namespace seqc::halide_schedules {

void scheduleMatmul(Func out, Func sums, Var x, Var y, int lanes,
                    int registers) {
  Expr rows = out.output_buffer().dim(1).extent();
  Expr columns = out.output_buffer().dim(0).extent();
  Var xi("xi"), yi("yi");
  // Blocks of rows share each vector of B they load: 8 rows of 2 vectors
  // with 32 vector registers (16 sums), 4 with 16. Column panel by column
  // panel: a panel of B (K x 2 vectors) is reused from cache by all the
  // call's blocks (seqc-vectorize-matmul gives a call at most 127 rows of A:
  // they stay in L2 across the panels). Blocks at the edges shift inwards
  // (recomputed, never partial: the sums stay whole vectors).
  int blockRows = registers >= 32 ? 8 : 4;
  out.specialize(rows >= blockRows && columns >= 2 * lanes)
      .tile(x, y, xi, yi, 2 * lanes, blockRows, TailStrategy::ShiftInwards)
      .reorder(xi, yi, y, x)
      .vectorize(xi, lanes)
      .unroll(yi);
  // Rows of their own (fewer than a block: a batch-1 step is a GEMV) have
  // no reuse of B within a row: 4 vectors (8 with 32 registers) keep
  // independent FMA chains in flight. Column tile by column tile, every
  // row: the rows share the tile's panel of B from cache.
  int rowVectors = registers >= 32 ? 8 : 4;
  for (int vectors = rowVectors; vectors > 1; vectors /= 2)
    out.specialize(columns >= vectors * lanes)
        .split(x, x, xi, vectors * lanes, TailStrategy::ShiftInwards)
        .reorder(xi, y, x)
        .vectorize(xi, lanes);
  out.split(x, x, xi, lanes, TailStrategy::ShiftInwards)
      .reorder(xi, y, x)
      .vectorize(xi);

  // In every case the innermost loop outside the tile is y: the sums of one
  // tile live in registers across the whole reduction.
  sums.compute_at(out, y).vectorize(x, lanes).unroll(x).unroll(y);
  sums.update().reorder(x, y, sums.rvars()[0]).vectorize(x, lanes).unroll(x)
      .unroll(y);
}

} // namespace seqc::halide_schedules
