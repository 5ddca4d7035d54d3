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

#endif // SEQC_SEQ_PASSES
