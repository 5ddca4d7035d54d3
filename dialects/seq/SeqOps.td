//===- SeqOps.td - seq dialect operations -*- tablegen -*-===//

#ifndef SEQC_SEQ_OPS
#define SEQC_SEQ_OPS

include "dialects/seq/SeqDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/LoopLikeInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Seq_Op<string mnemonic, list<Trait> traits = []>
    : Op<Seq_Dialect, mnemonic, traits>;

def Seq_RecurrenceOp : Seq_Op<"recurrence", [
    AttrSizedOperandSegments, RecursiveMemoryEffects,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<LoopLikeOpInterface, [
        "getInitsMutable", "getRegionIterArgs", "getYieldedValuesMutable",
        "getLoopResults", "getLoopInductionVars"]>,
    DeclareOpInterfaceMethods<RegionBranchOpInterface,
                              ["getEntrySuccessorOperands"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>]> {
  let summary = "A loop over the time axis with carried state";
  let description = [{
    Runs its body once per time step, `forward` (t = 0 .. T-1) or `reverse`
    (t = T-1 .. 0). The body's block arguments are: the time step `t`
    (`index`, only with `time_index`), the carried states (first bound to
    `inits`; a state keeps the shape of its init), then the step-`t` slices of
    `inputs` (each input is `[T, ...]`; the body sees `[...]`). The body
    yields the next states, then one step output per `outs` operand.

    Results: the final states (types of `inits`), then the step outputs
    stacked along time into tensors shaped like `outs` (`[T, ...]`). `outs`
    are destinations: a lowering writes the stacked outputs into them, so a
    recurrence whose `outs` is a slice of a larger tensor fills that slice in
    place. Their values are never read.

    With `lengths` (a `[batch]` integer tensor), every state, step input and
    step output has the batch as its leading dimension, and batch entry `b`
    takes part in step `t` only when `t < lengths[b]`: at other steps its
    states are carried unchanged and its step outputs are zero. A reverse
    recurrence therefore starts each sequence at its own last step, and the
    final states are those after each sequence's last valid step; an entry
    with `lengths[b] = 0` has zero final states (what ONNX Runtime returns
    for empty sequences). `seq-expand-lengths` writes this rule out as
    ordinary IR in the body; every lowering goes through it.

    ```mlir
    %h, %y = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
        inputs(%x : tensor<?x?x3xf32>) outs(%y0 : tensor<?x?x4xf32>)
        lengths(%len : tensor<?xi32>) {
    ^bb0(%hprev: tensor<?x4xf32>, %xt: tensor<?x3xf32>):
      %hnext = ... : tensor<?x4xf32>
      seq.yield %hnext, %hnext : tensor<?x4xf32>, tensor<?x4xf32>
    }
    ```
  }];
  let arguments = (ins Seq_Direction:$direction,
                       UnitAttr:$time_index,
                       Variadic<AnyRankedTensor>:$init_states,
                       Variadic<AnyRankedTensor>:$inputs,
                       Variadic<AnyRankedTensor>:$outs,
                       Optional<1DTensorOf<[AnySignlessInteger]>>:$lengths);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $direction (`time_index` $time_index^)?
    (`inits` `(` $init_states^ `:` type($init_states) `)`)?
    (`inputs` `(` $inputs^ `:` type($inputs) `)`)?
    (`outs` `(` $outs^ `:` type($outs) `)`)?
    (`lengths` `(` $lengths^ `:` type($lengths) `)`)?
    $body attr-dict
  }];
  let skipDefaultBuilders = 1;
  let builders = [
    // The body callback gets the time step (null without a time index), the
    // states and the step inputs, and returns the next states followed by
    // the step outputs; the builder adds the seq.yield.
    OpBuilder<(ins "::seqc::seq::Direction":$direction,
      "::mlir::ValueRange":$inits, "::mlir::ValueRange":$inputs,
      "::mlir::ValueRange":$outs, "::mlir::Value":$lengths,
      "bool":$withTimeIndex,
      "::llvm::function_ref<::llvm::SmallVector<::mlir::Value>("
        "::mlir::OpBuilder &, ::mlir::Location, ::mlir::Value, "
        "::mlir::ValueRange, ::mlir::ValueRange)>":$bodyBuilder)>
  ];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    using BodyBuilderFn = ::llvm::function_ref<::llvm::SmallVector<::mlir::Value>(
        ::mlir::OpBuilder &, ::mlir::Location, ::mlir::Value,
        ::mlir::ValueRange, ::mlir::ValueRange)>;

    unsigned getNumStates() { return getInits().size(); }
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The time step `t`, or null without `time_index`.
    ::mlir::Value getTimeArg() {
      return getTimeIndex() ? getBodyBlock().getArgument(0) : ::mlir::Value();
    }
    ::mlir::Block::BlockArgListType getStateArgs() {
      return getBodyBlock().getArguments().slice(getTimeIndex() ? 1 : 0,
                                                 getNumStates());
    }
    ::mlir::Block::BlockArgListType getStepInputArgs() {
      return getBodyBlock().getArguments().drop_front(
          (getTimeIndex() ? 1 : 0) + getNumStates());
    }
    YieldOp getYield();
    ::mlir::ResultRange getFinalStates() {
      return getResults().take_front(getNumStates());
    }
    ::mlir::ResultRange getStackedOutputs() {
      return getResults().drop_front(getNumStates());
    }
    /// The tensor that gives the number of time steps (dim 0).
    ::mlir::Value getTimeSource() {
      return getInputs().empty() ? getOuts()[0] : getInputs()[0];
    }
    /// The type a step sees of a `[T, ...]` tensor: `[...]`.
    static ::mlir::RankedTensorType getStepType(::mlir::Type stacked);
  }];
}

def Seq_YieldOp : Seq_Op<"yield", [Pure, Terminator,
    DeclareOpInterfaceMethods<RegionBranchTerminatorOpInterface,
                              ["getMutableSuccessorOperands"]>,
    HasParent<"RecurrenceOp">]> {
  let summary = "Ends a recurrence step: next states, then step outputs";
  let description = [{
    The first `n` operands (one per state) flow to the next step and to the
    final states; the others are this step's outputs, stacked by the
    recurrence.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let extraClassDeclaration = [{
    ::mlir::OperandRange getNextStates();
    ::mlir::OperandRange getStepOutputs();
  }];
}

def Seq_ParallelWidthOp : Seq_Op<"parallel_width", [Pure]> {
  let summary = "The threads a parallel loop started here would run on";
  let description = [{
    At the top level of a kernel call, the number of threads of the calling
    context; inside a parallel loop's body (whose nested loops run
    serially), and outside any call, 1. Work is split by it (e.g. a
    recurrence's batch by `seq-parallelize-batch`); it never changes what is
    computed. `convert-seq-to-scf` lowers it to a call of the runtime's
    `seqc_rt_parallel_width`.

    ```mlir
    %threads = seq.parallel_width
    ```
  }];
  let results = (outs Index:$width);
  let assemblyFormat = "attr-dict";
}

def Seq_LinearScanOp : Seq_Op<"linear_scan", [Pure, AttrSizedOperandSegments]> {
  let summary = "A linear recurrence h_t = a_t * h_{t-1} + b_t over time";
  let description = [{
    The state update of minGRU/minLSTM, diagonal state-space models, gated
    linear attention and running sums: elementwise, with coefficients that do
    not depend on the state, so that the steps need not run one after the
    other (it is an associative scan). `b` is `[T, ...]` and `a`, when
    given, has `b`'s type (absent: every `a_t` is 1, a running sum). The state
    has the step shape `[...]`, of any rank (a vector, or a matrix as in
    linear attention), and starts from `init` (absent: zero).

    `forward` computes `h_t = a_t * h_{t-1} + b_t` for t = 0 .. T-1 from
    `h_{-1} = init`; `reverse` computes `h_t = a_t * h_{t+1} + b_t` for
    t = T-1 .. 0 from `h_T = init`. The first result is the state after the
    last step (`init` when T = 0). With `outs` (`[T, ...]`, a destination
    whose value is never read), the second result holds every `h_t`.

    `seq-detect-linear-recurrence` creates it from a `seq.recurrence`;
    `seq-parallelize-scan` lowers it, step by step or as a chunked
    parallel scan.

    ```mlir
    %final, %all = seq.linear_scan forward a(%a : tensor<?x4xf32>)
        b(%b : tensor<?x4xf32>) init(%h0 : tensor<4xf32>)
        outs(%y : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
    ```
  }];
  let arguments = (ins Seq_Direction:$direction,
                       Optional<AnyRankedTensor>:$a,
                       AnyRankedTensor:$b,
                       Optional<AnyRankedTensor>:$init,
                       Optional<AnyRankedTensor>:$outs);
  let results = (outs AnyRankedTensor:$final_state,
                      Optional<AnyRankedTensor>:$states);
  let assemblyFormat = [{
    $direction (`a` `(` $a^ `:` type($a) `)`)?
    `b` `(` $b `:` type($b) `)`
    (`init` `(` $init^ `:` type($init) `)`)?
    (`outs` `(` $outs^ `:` type($outs) `)`)?
    attr-dict `->` type(results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The state's type: `b`'s without the time dimension.
    ::mlir::RankedTensorType getStateType();
  }];
}

#endif // SEQC_SEQ_OPS
