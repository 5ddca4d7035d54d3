//===- SeqOps.td - seq dialect operations -*- tablegen -*-===//

#ifndef SEQC_SEQ_OPS
#define SEQC_SEQ_OPS

include "dialects/seq/SeqDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Seq_Op<string mnemonic, list<Trait> traits = []>
    : Op<Seq_Dialect, mnemonic, traits>;

def Seq_RecurrenceOp : Seq_Op<"recurrence", [
    AttrSizedOperandSegments, RecursiveMemoryEffects,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>]> {
  let summary = "A loop over the time axis with carried state";
  let description = [{
    Runs its body once per time step, `forward` (t = 0 .. T-1) or `reverse`
    (t = T-1 .. 0). The body's block arguments are the carried states (first
    bound to `inits`) followed by the step-`t` slices of `inputs` (each input
    is `[T, ...]`; the body sees `[...]`). The body yields the next states,
    then one step output per `outs` operand.

    Results: the final states (types of `inits`), then the step outputs
    stacked along time into tensors shaped like `outs` (`[T, ...]`); `outs`
    only gives their shapes, its values are not read.

    With `lengths` (a `[batch]` integer tensor), every state, step input and
    step output has the batch as its leading dimension, and batch entry `b`
    takes part in step `t` only when `t < lengths[b]`: at other steps its
    states are carried unchanged and its step outputs are zero. A reverse
    recurrence therefore starts each sequence at its own last step, and the
    final states are those after each sequence's last valid step.

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
                       Variadic<AnyRankedTensor>:$inits,
                       Variadic<AnyRankedTensor>:$inputs,
                       Variadic<AnyRankedTensor>:$outs,
                       Optional<1DTensorOf<[AnySignlessInteger]>>:$lengths);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $direction
    (`inits` `(` $inits^ `:` type($inits) `)`)?
    (`inputs` `(` $inputs^ `:` type($inputs) `)`)?
    (`outs` `(` $outs^ `:` type($outs) `)`)?
    (`lengths` `(` $lengths^ `:` type($lengths) `)`)?
    $body attr-dict
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    unsigned getNumStates() { return getInits().size(); }
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::Block::BlockArgListType getStateArgs() {
      return getBodyBlock().getArguments().take_front(getNumStates());
    }
    ::mlir::Block::BlockArgListType getStepInputArgs() {
      return getBodyBlock().getArguments().drop_front(getNumStates());
    }
    ::mlir::ResultRange getFinalStates() {
      return getResults().take_front(getNumStates());
    }
    ::mlir::ResultRange getStackedOutputs() {
      return getResults().drop_front(getNumStates());
    }
    /// The type a step sees of a `[T, ...]` tensor: `[...]`.
    static ::mlir::RankedTensorType getStepType(::mlir::Type stacked);
  }];
}

def Seq_YieldOp : Seq_Op<"yield", [Pure, ReturnLike, Terminator,
                                   HasParent<"RecurrenceOp">]> {
  let summary = "Ends a recurrence step: next states, then step outputs";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // SEQC_SEQ_OPS
