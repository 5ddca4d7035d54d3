//===- HalideSchedules.h - the Halide backend's schedule library -*- C++ -*-===//
//
// How each kind of kernel is scheduled for a target with `registers`
// vector registers. The algorithms (HalideMatmul.cpp) say what is computed;
// these say in which order, in which registers, with which vectors.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_LIB_KERNELS_HALIDESCHEDULES_H
#define SEQC_LIB_KERNELS_HALIDESCHEDULES_H

#include "Halide.h"

namespace seqc::halide_schedules {

/// `sums(lane, panel, row)` (a pure definition, then an update over the
/// reduction) is what `out(lane, panel, row)` stores: a row of the result
/// is `panel`s of one vector (the target's lanes) each.
void scheduleMatmul(Halide::Func out, Halide::Func sums, Halide::Var lane,
                    Halide::Var panel, Halide::Var row, int registers);

} // namespace seqc::halide_schedules

#endif // SEQC_LIB_KERNELS_HALIDESCHEDULES_H
