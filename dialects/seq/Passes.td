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

def SeqDetectLinearRecurrence : Pass<"seq-detect-linear-recurrence"> {
  let summary = "Find recurrences whose states update linearly; make them linear scans";
  let description = [{
    Proves from a `seq.recurrence` body that each carried state `h` enters
    its next value only linearly, `h' = a ⊙ h + b`, with `a` and `b`
    independent of every state, and rewrites the recurrence into three
    parts: the state-free part of the body computing `a` and `b` for all
    steps at once, one `seq.linear_scan` per state, and the step outputs
    computed from the scanned states for all steps at once. The proof walks
    the ops that the states reach: elementwise `linalg.generic`s whose
    scalar code adds, subtracts, negates, selects by a state-free condition,
    and multiplies or divides by state-free values. Step outputs may be any
    function of the updated states and state-free values (e.g. `y = C h'`),
    not of a state before its update.

    When the proof fails (a tanh of the state, a product of two states, a
    gate computed from the state) the recurrence is left as it is and a
    remark on it says why.

    ```mlir
    %h, %ys = seq.recurrence forward inits(%h0 : tensor<4xf32>)
        inputs(%z, %c : tensor<?x4xf32>, tensor<?x4xf32>)
        outs(%y : tensor<?x4xf32>) {
    ^bb0(%hp: tensor<4xf32>, %zt: tensor<4xf32>, %ct: tensor<4xf32>):
      %next = linalg.generic ... (1 - z) * hp + z * c ...
      seq.yield %next, %next : tensor<4xf32>, tensor<4xf32>
    }
    // becomes
    %a, %b = linalg.generic ... ins(%z, %c : tensor<?x4xf32>, ...)
        { 1 - z, z * c } -> tensor<?x4xf32>, tensor<?x4xf32>
    %h, %ys = seq.linear_scan forward a(%a : tensor<?x4xf32>)
        b(%b : tensor<?x4xf32>) init(%h0 : tensor<4xf32>)
        outs(%y : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
    ```

    A recurrence without states (what the rewrite leaves for the state-free
    parts) is a map over time: where its body is linalg ops, reshapes and
    casts, it becomes the same ops over all steps at once.

    The rewrite keeps `a` and `b` (and the states, when step outputs read
    them) for every step. For a matrix state (linear attention's `d_k x
    d_v`, a state-space layer's `D x N`) that is much more than the step
    reads; above `max-matrix-state` elements such a recurrence is left as it
    is (with a remark) until the chunkwise form, which keeps only one state
    per chunk, exists.
  }];
  let options = [
    Option<"maxMatrixState", "max-matrix-state", "int64_t", /*default=*/"0",
           "Leave recurrences whose state has rank 2 or more and more "
           "elements than this alone (0: no limit)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def SeqParallelizeScan : Pass<"seq-parallelize-scan"> {
  let summary = "Lower seq.linear_scan step by step or as a chunked parallel scan";
  let description = [{
    `sequential`: a `seq.recurrence` whose step is `h = a_t * h + b_t`.
    `parallel`: the time axis cut into chunks that are scanned side by side
    (a recurrence over the chunk length whose state holds every chunk's:
    independent FMA chains and vector lanes; the threads take shares of the
    chunks in an `scf.forall`), the chunks' carries scanned in order, and an
    elementwise fix-up adding each chunk's carry-in times its running
    product of `a`. The last `T mod chunks` steps run step by step.
    `auto`: `parallel` at run time when the scan has at least
    `auto-min-steps` steps and at most `auto-max-state` state elements,
    `sequential` otherwise; with `auto-max-state=0` (the default:
    bench/bench_scan.py measured the chunked form slower at every size so
    far) always `sequential`. All three compute the same states up to the
    rounding of a reassociated product.

    ```mlir
    %f, %all = seq.linear_scan forward a(%a : tensor<?x4xf32>)
        b(%b : tensor<?x4xf32>) init(%h0 : tensor<4xf32>)
        outs(%y : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
    // mode=sequential becomes
    %f, %all = seq.recurrence forward inits(%h0 : tensor<4xf32>)
        inputs(%a, %b : tensor<?x4xf32>, tensor<?x4xf32>)
        outs(%y : tensor<?x4xf32>) {
    ^bb0(%h: tensor<4xf32>, %at: tensor<4xf32>, %bt: tensor<4xf32>):
      %next = linalg.generic ... a * h + b ...
      seq.yield %next, %next : tensor<4xf32>, tensor<4xf32>
    }
    ```
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"auto\"",
           "sequential, parallel or auto">,
    Option<"lanes", "lanes", "int64_t", /*default=*/"128",
           "State elements a step of the chunked scan should hold (chunks = "
           "lanes / state elements, at least min-chunks)">,
    Option<"minChunks", "min-chunks", "int64_t", /*default=*/"8",
           "The fewest chunks of the chunked scan">,
    Option<"autoMinSteps", "auto-min-steps", "int64_t", /*default=*/"1024",
           "auto: the fewest steps a chunked scan runs for">,
    Option<"autoMaxState", "auto-max-state", "int64_t", /*default=*/"0",
           "auto: the most state elements a chunked scan runs for (0: auto "
           "is sequential)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // SEQC_SEQ_PASSES
