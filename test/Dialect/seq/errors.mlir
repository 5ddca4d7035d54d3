// RUN: seqc-opt %s -split-input-file -verify-diagnostics
// Every message of seq.recurrence's verifiers (RecurrenceOp::verify and
// verifyRegions) and of seq.yield's constraints.

func.func @no_time_source(%h0: tensor<4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op needs an input or an out to give the sequence length}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) {
  ^bb0(%hp: tensor<4xf32>):
    seq.yield %hp : tensor<4xf32>
  }
  return
}

// -----

func.func @input_without_time(%x: tensor<f32>) {
  // expected-error @+1 {{'seq.recurrence' op inputs and outs must have a leading time dimension, found 'tensor<f32>'}}
  seq.recurrence forward inputs(%x : tensor<f32>) {
  ^bb0(%xt: tensor<f32>):
    seq.yield
  }
  return
}

// -----

func.func @out_without_time(%x: tensor<5x3xf32>, %y0: tensor<f32>) {
  // expected-error @+1 {{'seq.recurrence' op inputs and outs must have a leading time dimension, found 'tensor<f32>'}}
  %y = seq.recurrence forward inputs(%x : tensor<5x3xf32>) outs(%y0 : tensor<f32>) {
  ^bb0(%xt: tensor<3xf32>):
    %c = arith.constant dense<0.0> : tensor<f32>
    seq.yield %c : tensor<f32>
  }
  return
}

// -----

func.func @sequence_length_mismatch(%x: tensor<5x3xf32>, %y0: tensor<6x3xf32>) {
  // expected-error @+1 {{'seq.recurrence' op inputs and outs disagree on the sequence length}}
  %y = seq.recurrence forward inputs(%x : tensor<5x3xf32>) outs(%y0 : tensor<6x3xf32>) {
  ^bb0(%xt: tensor<3xf32>):
    seq.yield %xt : tensor<3xf32>
  }
  return
}

// -----

func.func @lengths_state_without_batch(%h0: tensor<f32>, %x: tensor<5x2x3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{'seq.recurrence' op with lengths, every state and step value needs a leading batch dimension, found 'tensor<f32>'}}
  %h = seq.recurrence forward inits(%h0 : tensor<f32>) inputs(%x : tensor<5x2x3xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%hp: tensor<f32>, %xt: tensor<2x3xf32>):
    seq.yield %hp : tensor<f32>
  }
  return
}

// -----

func.func @lengths_input_without_batch(%x: tensor<5xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{'seq.recurrence' op with lengths, every state and step value needs a leading batch dimension, found 'tensor<5xf32>'}}
  seq.recurrence forward inputs(%x : tensor<5xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%xt: tensor<f32>):
    seq.yield
  }
  return
}

// -----

func.func @lengths_state_batch_mismatch(%h0: tensor<3x4xf32>, %x: tensor<5x2x3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{'seq.recurrence' op the batch dimensions of lengths, states, inputs and outs disagree}}
  %h = seq.recurrence forward inits(%h0 : tensor<3x4xf32>) inputs(%x : tensor<5x2x3xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%hp: tensor<3x4xf32>, %xt: tensor<2x3xf32>):
    seq.yield %hp : tensor<3x4xf32>
  }
  return
}

// -----

func.func @lengths_out_batch_mismatch(%x: tensor<5x2x3xf32>, %y0: tensor<5x3x3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{'seq.recurrence' op the batch dimensions of lengths, states, inputs and outs disagree}}
  %y = seq.recurrence forward inputs(%x : tensor<5x2x3xf32>) outs(%y0 : tensor<5x3x3xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%xt: tensor<2x3xf32>):
    %c = arith.constant dense<0.0> : tensor<3x3xf32>
    seq.yield %c : tensor<3x3xf32>
  }
  return
}

// -----

func.func @lengths_not_integer(%x: tensor<5x2x3xf32>, %len: tensor<2xf32>) {
  // expected-error @+1 {{'seq.recurrence' op operand #1 must be 1D tensor of signless integer values, but got 'tensor<2xf32>'}}
  seq.recurrence forward inputs(%x : tensor<5x2x3xf32>) lengths(%len : tensor<2xf32>) {
  ^bb0(%xt: tensor<2x3xf32>):
    seq.yield
  }
  return
}

// -----

func.func @body_argument_count(%h0: tensor<4xf32>, %x: tensor<5x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op body must take 1 state(s) and 1 step input(s), found 1 argument(s)}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<4xf32>):
    seq.yield %hp : tensor<4xf32>
  }
  return
}

// -----

func.func @state_argument_type(%h0: tensor<4xf32>, %x: tensor<5x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op 0-th init and 0-th region iter_arg have different type: 'tensor<4xf32>' != 'tensor<?xf32>'}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<?xf32>, %xt: tensor<4xf32>):
    seq.yield %xt : tensor<4xf32>
  }
  return
}

// -----

func.func @step_input_type(%x: tensor<5x2x3xf32>) {
  // expected-error @+1 {{'seq.recurrence' op step input argument must be 'tensor<2x3xf32>', found 'tensor<5x2x3xf32>'}}
  seq.recurrence forward inputs(%x : tensor<5x2x3xf32>) {
  ^bb0(%xt: tensor<5x2x3xf32>):
    seq.yield
  }
  return
}

// -----

func.func @yield_count(%h0: tensor<4xf32>, %x: tensor<5x4xf32>, %y0: tensor<5x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf32>) outs(%y0 : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    // expected-error @+1 {{'seq.yield' op must yield 1 state(s) and 1 step output(s), found 1}}
    seq.yield %xt : tensor<4xf32>
  }
  return
}

// -----

func.func @yielded_state_type(%h0: tensor<4xf32>, %x: tensor<5x4xf64>) {
  // expected-error @+1 {{'seq.recurrence' op 0-th region iter_arg and 0-th yielded value have different type: 'tensor<4xf32>' != 'tensor<4xf64>'}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf64>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf64>):
    seq.yield %xt : tensor<4xf64>
  }
  return
}

// -----

func.func @step_output_type(%x: tensor<5x4xf32>, %y0: tensor<5x2xf32>) {
  %y = seq.recurrence forward inputs(%x : tensor<5x4xf32>) outs(%y0 : tensor<5x2xf32>) {
  ^bb0(%xt: tensor<4xf32>):
    // expected-error @+1 {{'seq.yield' op step output must be 'tensor<2xf32>', found 'tensor<4xf32>'}}
    seq.yield %xt : tensor<4xf32>
  }
  return
}

// -----

// Results are the inits' then the outs' types (InferTypeOpAdaptor).
func.func @result_types(%h0: tensor<4xf32>, %x: tensor<5x4xf32>) {
  // expected-error @+2 {{'seq.recurrence' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<?xf32>'}}
  // expected-error @+1 {{'seq.recurrence' op failed to infer returned types}}
  %h = "seq.recurrence"(%h0, %x) <{direction = 0 : i32, operandSegmentSizes = array<i32: 1, 1, 0, 0>}> ({
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    "seq.yield"(%xt) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>, tensor<5x4xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @yield_outside_recurrence(%v: tensor<4xf32>) {
  // expected-error @+1 {{'seq.yield' op expects parent op 'seq.recurrence'}}
  seq.yield %v : tensor<4xf32>
}

// -----

// A dynamic first input must not hide a mismatch between later static ones.
func.func @sequence_length_mismatch_behind_dynamic(%x: tensor<?x3xf32>, %a: tensor<5x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'seq.recurrence' op inputs and outs disagree on the sequence length}}
  seq.recurrence forward inputs(%x, %a, %b : tensor<?x3xf32>, tensor<5x3xf32>, tensor<4x3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %at: tensor<3xf32>, %bt: tensor<3xf32>):
    seq.yield
  }
  return
}

// -----

// Two static batch sizes disagree even when lengths' size is dynamic.
func.func @batch_mismatch_behind_dynamic_lengths(%len: tensor<?xi32>, %h: tensor<2x4xf32>, %x: tensor<5x3x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op the batch dimensions of lengths, states, inputs and outs disagree}}
  %r = seq.recurrence forward inits(%h : tensor<2x4xf32>) inputs(%x : tensor<5x3x4xf32>) lengths(%len : tensor<?xi32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<3x4xf32>):
    seq.yield %hp : tensor<2x4xf32>
  }
  return
}

// -----

func.func @foreign_terminator(%x: tensor<5x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op body must end in seq.yield}}
  seq.recurrence forward inputs(%x : tensor<5x4xf32>) {
  ^bb0(%xt: tensor<4xf32>):
    llvm.unreachable
  }
  return
}

// -----

func.func @time_index_type(%h0: tensor<4xf32>, %x: tensor<5x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op the time index argument must be index, found 'i32'}}
  %h = seq.recurrence forward time_index inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf32>) {
  ^bb0(%t: i32, %hp: tensor<4xf32>, %xt: tensor<4xf32>):
    seq.yield %hp : tensor<4xf32>
  }
  return
}

// -----

func.func @time_index_missing(%h0: tensor<4xf32>, %x: tensor<5x4xf32>) {
  // expected-error @+1 {{'seq.recurrence' op body must take the time index, 1 state(s) and 1 step input(s), found 2 argument(s)}}
  %h = seq.recurrence forward time_index inits(%h0 : tensor<4xf32>) inputs(%x : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    seq.yield %hp : tensor<4xf32>
  }
  return
}

// -----

func.func @scan_b_without_time(%b: tensor<f32>) {
  // expected-error @+1 {{'seq.linear_scan' op b must have a leading time dimension, found 'tensor<f32>'}}
  %f = seq.linear_scan forward b(%b : tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @scan_a_type(%a: tensor<?x3xf32>, %b: tensor<?x4xf32>) {
  // expected-error @+1 {{'seq.linear_scan' op a must have b's type 'tensor<?x4xf32>', found 'tensor<?x3xf32>'}}
  %f = seq.linear_scan forward a(%a : tensor<?x3xf32>) b(%b : tensor<?x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scan_init_type(%b: tensor<?x4xf32>, %h0: tensor<4xf64>) {
  // expected-error @+1 {{'seq.linear_scan' op init must have the state type 'tensor<4xf32>', found 'tensor<4xf64>'}}
  %f = seq.linear_scan forward b(%b : tensor<?x4xf32>) init(%h0 : tensor<4xf64>) -> tensor<4xf32>
  return
}

// -----

func.func @scan_final_type(%b: tensor<?x4xf32>) {
  // expected-error @+1 {{'seq.linear_scan' op the final state must have the state type 'tensor<4xf32>', found 'tensor<5xf32>'}}
  %f = seq.linear_scan forward b(%b : tensor<?x4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @scan_states_without_outs(%b: tensor<?x4xf32>) {
  // expected-error @+1 {{'seq.linear_scan' op has all states as a result exactly when it has outs}}
  %f, %all = seq.linear_scan forward b(%b : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
  return
}

// -----

func.func @scan_outs_type(%b: tensor<?x4xf32>, %y: tensor<?x3xf32>) {
  // expected-error @+1 {{'seq.linear_scan' op outs must have b's type 'tensor<?x4xf32>', found 'tensor<?x3xf32>'}}
  %f, %all = seq.linear_scan forward b(%b : tensor<?x4xf32>) outs(%y : tensor<?x3xf32>) -> tensor<4xf32>, tensor<?x3xf32>
  return
}
