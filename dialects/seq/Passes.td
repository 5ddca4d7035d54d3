//===- Passes.td - Passes over the seq dialect -*- tablegen -*-===//
//
// Sequence passes work on seq.recurrence before bufferization. The pipeline
// runs them in one named slot, `seqc-sequence-passes` (lib/Pipeline).
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_SEQ_PASSES
#define SEQC_SEQ_PASSES

include "mlir/Pass/PassBase.td"

def SeqExpandLengths : Pass<"seq-expand-lengths"> {
  let summary = "Write the `lengths` rule of seq.recurrence out in its body";
  let description = [{
    The one implementation of `seq.recurrence`'s `lengths` semantics. A
    recurrence with `lengths` becomes one without, with a time index, whose
    body masks what it yields by `active[b] = t < lengths[b]`: inactive batch
    entries keep their states and yield zero step outputs. After the loop,
    the final states of empty sequences (`lengths[b] = 0`) are zeroed.
    Lowerings of `seq.recurrence` run this first and need not know the rule.

    ```mlir
    %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
        inputs(%x : tensor<?x?x4xf32>) lengths(%len : tensor<?xi32>) {...}
    // becomes
    %r = seq.recurrence forward time_index inits(%h0 : tensor<?x4xf32>)
        inputs(%x : tensor<?x?x4xf32>) {
    ^bb0(%t: index, %hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
      ... %active = t < %len[b] ...; %next = select(%active, %new, %hp)
    }
    %h = select(%len > 0, %r, 0)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def SeqHoistInputProjection : Pass<"seq-hoist-input-projection"> {
  let summary = "Move products of a step input by constant weights out of the time loop";
  let description = [{
    A `linalg.matmul` in a recurrence body whose left operand is a step
    input `x_t` (`[B, K]`) and whose weights and accumulator are defined
    outside the recurrence computes the same thing at every step from that
    step's slice: it becomes one product over all steps before the loop
    (`[T*B, K] x [K, N]`, the accumulator broadcast over time), whose result
    is a new step input of the recurrence. The loop keeps only the work that
    depends on the state; the projection runs as one large GEMM.

    ```mlir
    seq.recurrence forward inits(%h0 : tensor<?x8xf32>)
        inputs(%x : tensor<?x?x4xf32>) ... {
    ^bb0(%h: tensor<?x8xf32>, %xt: tensor<?x4xf32>):
      %p = linalg.matmul ins(%xt, %w : ...) outs(%bias : tensor<?x32xf32>)
      ...
    }
    // becomes
    %all = linalg.matmul ins(%x_collapsed, %w : ...) outs(%bias_over_time : ...)
    %p_all = tensor.expand_shape %all ... : tensor<?x32xf32> into tensor<?x?x32xf32>
    seq.recurrence forward inits(%h0 : tensor<?x8xf32>)
        inputs(%x, %p_all : tensor<?x?x4xf32>, tensor<?x?x32xf32>) ... {
    ^bb0(%h: tensor<?x8xf32>, %xt: tensor<?x4xf32>, %p: tensor<?x32xf32>):
      ...
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def SeqParallelizeBatch : Pass<"seq-parallelize-batch"> {
  let summary = "Run shares of a recurrence's batch rows on the threads";
  let description = [{
    A recurrence whose body computes each batch row from that row alone
    (its states and step inputs have the batch as dim 0, and every op in the
    body keeps rows apart: matmuls by constant weights, elementwise gate
    math, slices of columns) is split by rows when the running call has
    threads to spare: `shares = min(seq.parallel_width, ceil(B / min-rows))`.
    With two shares or more an `scf.forall` runs one recurrence per share,
    each over all steps for its rows, and inserts its final states and
    outputs into the rows of the results; otherwise the recurrence runs as
    before (its steps' own loops then use the threads). Each row is computed
    by the same operations in the same order either way: the results are
    bit-identical at every thread count. Values from outside the body that
    are the batch size or empty tensors of batch rows are remade per share.
    The batch must be dynamic (a share has its own size). Every share reads
    all the body's weights at every step: above `max-weight-bytes` (1 MiB,
    an LSTM's R at H = 256) the recurrence is left to its steps' own
    parallel loops, which split the weights by columns.

    ```mlir
    %h = seq.recurrence forward inits(%h0 : tensor<?x8xf32>)
        inputs(%p : tensor<?x?x32xf32>) outs(%y : tensor<?x?x8xf32>) {...}
    // becomes
    %h = scf.if %two_or_more_shares -> (...) {
      %r = scf.forall (%i) in (%shares) shared_outs(%hs = %empty, %ys = %y) {
        ... seq.recurrence on rows [%i * %rows, +%share) of %h0, %p and %ys
        scf.forall.in_parallel { tensor.parallel_insert_slice ... }
      }
      scf.yield %r#0, %r#1 : ...
    } else {
      %r = seq.recurrence ... (unchanged)
      scf.yield %r#0, %r#1 : ...
    }
    ```
  }];
  let options = [
    Option<"minRows", "min-rows", "int64_t", /*default=*/"4",
           "The fewest batch rows worth a share of their own">,
    Option<"maxWeightBytes", "max-weight-bytes", "int64_t",
           /*default=*/"1048576",
           "Recurrences whose body reads more bytes of static tensors from "
           "outside (its weights, which every share reads at every step) "
           "are left alone: the step's own loops split them by columns">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // SEQC_SEQ_PASSES
