//===- HalideSchedules.h - the Halide backend's schedule library -*- C++ -*-===//
//
// How each kind of kernel is scheduled, for a target whose f32 vectors have
// `lanes` lanes. The algorithms (HalideMatmul.cpp) say what is computed;
// these say in which order, in which registers, with which vectors.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_KERNELS_HALIDESCHEDULES_H
#define SEQC_LIB_KERNELS_HALIDESCHEDULES_H

#include "Halide.h"

namespace seqc::halide_schedules {

/// `sums(x, y)` (a pure definition, then an update over the reduction) is
/// what `out(x, y)` stores; x indexes columns (contiguous), y rows. Every
/// call has a whole number of vectors of columns (at least one).
void scheduleMatmul(Halide::Func out, Halide::Func sums, Halide::Var x,
                    Halide::Var y, int lanes, int registers);

} // namespace seqc::halide_schedules

#endif // SEQC_LIB_KERNELS_HALIDESCHEDULES_H
