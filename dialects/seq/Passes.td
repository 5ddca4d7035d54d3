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

#endif // SEQC_SEQ_PASSES
