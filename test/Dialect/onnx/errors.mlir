// RUN: seqc-opt %s -split-input-file -verify-diagnostics
// One negative case per constraint the onnx ops' verifiers check, each named
// after its constraint (rnn_cN covers LSTM, GRU and RNN alike).

// rnn_c1: X must be rank 3.
func.func @lstm_c1_x_rank(%a0: tensor<5x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c1: X must be a rank-3 float tensor, found 'tensor<5x3xf32>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c1: X must be float.
func.func @lstm_c1_x_int(%a0: tensor<5x2x3xi32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c1: X must be a rank-3 float tensor, found 'tensor<5x2x3xi32>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xi32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c1: X must be ranked.
func.func @lstm_c1_x_unranked(%a0: tensor<*xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c1: X must be a rank-3 float tensor, found 'tensor<*xf32>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<*xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c1: every float input has X's element type.
func.func @lstm_c1_element_type(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf64>) {
  // expected-error @+1 {{rnn_c1: every float input must have X's element type 'f32', found 'tensor<1x16x4xf64>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf64>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c2: W is [num_directions, gates*hidden, input].
func.func @lstm_c2_w_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c2: W: expected rank 3, found rank 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c2: W's leading dimension is num_directions.
func.func @lstm_c2_w_directions(%a0: tensor<5x2x3xf32>, %a1: tensor<2x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c2: W's dimension 0 is num_directions: expected 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<2x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c2: LSTM has 4 gates.
func.func @lstm_c2_w_gates(%a0: tensor<5x2x3xf32>, %a1: tensor<1x12x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c2: W's dimension 1 is gates*hidden_size: expected 16, found 12}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c2: GRU has 3 gates.
func.func @gru_c2_w_gates(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x12x4xf32>) {
  // expected-error @+1 {{rnn_c2: W's dimension 1 is gates*hidden_size: expected 12, found 16}}
  %r0, %r1 = "onnx.GRU"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x12x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c2: W's last dimension is X's input size.
func.func @lstm_c2_w_input_size(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x7xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c2: W's dimension 2 is X's input size: expected 3, found 7}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x7xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c3: R is [num_directions, gates*hidden, hidden].
func.func @lstm_c3_r_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4x1xf32>) {
  // expected-error @+1 {{rnn_c3: R: expected rank 3, found rank 4}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4x1xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c3: R's leading dimension is num_directions.
func.func @lstm_c3_r_directions(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<3x16x4xf32>) {
  // expected-error @+1 {{rnn_c3: R's dimension 0 is num_directions: expected 1, found 3}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<3x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c3: RNN has 1 gate.
func.func @rnn_c3_r_gates(%a0: tensor<5x2x3xf32>, %a1: tensor<1x4x3xf32>, %a2: tensor<1x8x4xf32>) {
  // expected-error @+1 {{rnn_c3: R's dimension 1 is gates*hidden_size: expected 4, found 8}}
  %r0, %r1 = "onnx.RNN"(%a0, %a1, %a2) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x4x3xf32>, tensor<1x8x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c4: B is [num_directions, 2*gates*hidden].
func.func @lstm_c4_b_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<32xf32>) {
  // expected-error @+1 {{rnn_c4: B: expected rank 2, found rank 1}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<32xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c4: B's leading dimension is num_directions.
func.func @lstm_c4_b_directions(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2x32xf32>) {
  // expected-error @+1 {{rnn_c4: B's dimension 0 is num_directions: expected 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2x32xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c4: B holds Wb and Rb.
func.func @lstm_c4_b_size(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x16xf32>) {
  // expected-error @+1 {{rnn_c4: B's dimension 1 is 2*gates*hidden_size: expected 32, found 16}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x16xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c5: sequence_lens is int32.
func.func @lstm_c5_lens_i64(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2xi64>) {
  // expected-error @+1 {{rnn_c5: sequence_lens must be a 1-D int32 tensor, found 'tensor<2xi64>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2xi64>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c5: sequence_lens is 1-D.
func.func @lstm_c5_lens_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2x1xi32>) {
  // expected-error @+1 {{rnn_c5: sequence_lens must be a 1-D int32 tensor, found 'tensor<2x1xi32>'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2x1xi32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c5: one length per batch entry.
func.func @lstm_c5_lens_batch(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<3xi32>) {
  // expected-error @+1 {{rnn_c5: sequence_lens' size is the batch: expected 2, found 3}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<3xi32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c6: initial_h is [num_directions, batch, hidden].
func.func @lstm_c6_initial_h_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2x4xf32>) {
  // expected-error @+1 {{rnn_c6: initial state: expected rank 3, found rank 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 1, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c6: initial_h's leading dimension is num_directions.
func.func @lstm_c6_initial_h_directions(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2x2x4xf32>) {
  // expected-error @+1 {{rnn_c6: initial state's direction dimension: expected 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 1, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2x2x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c6: initial_h's batch dimension.
func.func @lstm_c6_initial_h_batch(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x3x4xf32>) {
  // expected-error @+1 {{rnn_c6: initial state's batch dimension: expected 2, found 3}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 1, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x3x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c6: initial_c is checked like initial_h.
func.func @lstm_c6_initial_c_hidden(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x2x5xf32>) {
  // expected-error @+1 {{rnn_c6: initial state's last dimension is hidden_size: expected 4, found 5}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 1, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x2x5xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c6: with layout = 1 the state is [batch, num_directions, hidden].
func.func @lstm_c6_layout1_directions(%a0: tensor<2x5x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x2x4xf32>) {
  // expected-error @+1 {{rnn_c6: initial state's direction dimension: expected 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, layout = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 1, 0, 0>}
    : (tensor<2x5x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x2x4xf32>) -> (tensor<2x5x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>)
  return
}

// -----

// rnn_c7: P is [num_directions, 3*hidden].
func.func @lstm_c7_p_rank(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x3x4xf32>) {
  // expected-error @+1 {{rnn_c7: P: expected rank 2, found rank 3}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 1>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x3x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c7: P's leading dimension is num_directions.
func.func @lstm_c7_p_directions(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<2x12xf32>) {
  // expected-error @+1 {{rnn_c7: P's dimension 0 is num_directions: expected 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 1>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2x12xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c7: three peepholes i, o, f.
func.func @lstm_c7_p_size(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>, %a3: tensor<1x16xf32>) {
  // expected-error @+1 {{rnn_c7: P's dimension 1 is 3*hidden_size: expected 12, found 16}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2, %a3) {hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 1>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x16xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c8: the direction is one of three strings.
func.func @lstm_c8_direction(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c8: direction must be forward, reverse or bidirectional, found 'sideways'}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {direction = "sideways", hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c9: LSTM takes three activations per direction.
func.func @lstm_c9_activation_count(%a0: tensor<5x2x3xf32>, %a1: tensor<2x16x3xf32>, %a2: tensor<2x16x4xf32>) {
  // expected-error @+1 {{rnn_c9: activations lists 3 functions; expected 3 per direction for 2 direction(s)}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {activations = ["Sigmoid", "Tanh", "Tanh"], direction = "bidirectional", hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<2x16x3xf32>, tensor<2x16x4xf32>) -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
  return
}

// -----

// rnn_c9: activation names come from ONNX's list.
func.func @rnn_c9_unknown_activation(%a0: tensor<5x2x3xf32>, %a1: tensor<1x4x3xf32>, %a2: tensor<1x4x4xf32>) {
  // expected-error @+1 {{rnn_c9: unknown activation 'Swish'}}
  %r0, %r1 = "onnx.RNN"(%a0, %a1, %a2) {activations = ["Swish"], operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c10: layout is 0 or 1.
func.func @lstm_c10_layout(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c10: layout must be 0 or 1, found 2}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, layout = 2 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c10: input_forget is 0 or 1.
func.func @lstm_c10_input_forget(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c10: input_forget must be 0 or 1, found -1}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 4 : i64, input_forget = -1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c10: linear_before_reset is 0 or 1.
func.func @gru_c10_linear_before_reset(%a0: tensor<5x2x3xf32>, %a1: tensor<1x12x3xf32>, %a2: tensor<1x12x4xf32>) {
  // expected-error @+1 {{rnn_c10: linear_before_reset must be 0 or 1, found 3}}
  %r0, %r1 = "onnx.GRU"(%a0, %a1, %a2) {hidden_size = 4 : i64, linear_before_reset = 3 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c11: hidden_size is positive.
func.func @lstm_c11_hidden_size_positive(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c11: hidden_size must be positive, found 0}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 0 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c11: hidden_size agrees with R.
func.func @lstm_c11_hidden_size_r(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c11: R's last dimension is hidden_size: expected 5, found 4}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {hidden_size = 5 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c12: clip is positive.
func.func @lstm_c12_clip_zero(%a0: tensor<5x2x3xf32>, %a1: tensor<1x16x3xf32>, %a2: tensor<1x16x4xf32>) {
  // expected-error @+1 {{rnn_c12: clip must be positive, found 0}}
  %r0, %r1, %r2 = "onnx.LSTM"(%a0, %a1, %a2) {clip = 0.0 : f32, hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// rnn_c12: also for GRU.
func.func @gru_c12_clip_negative(%a0: tensor<5x2x3xf32>, %a1: tensor<1x12x3xf32>, %a2: tensor<1x12x4xf32>) {
  // expected-error @+1 {{rnn_c12: clip must be positive, found -1}}
  %r0, %r1 = "onnx.GRU"(%a0, %a1, %a2) {clip = -1.0 : f32, hidden_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return
}

// -----

// constant_c1: no value at all.
func.func @constant_c1_none() {
  // expected-error @+1 {{constant_c1: exactly one of value, value_float, value_floats, value_int, value_ints must be set, found 0}}
  %0 = onnx.Constant : tensor<f32>
  return
}

// -----

// constant_c1: two values.
func.func @constant_c1_two() {
  // expected-error @+1 {{constant_c1: exactly one of value, value_float, value_floats, value_int, value_ints must be set, found 2}}
  %0 = onnx.Constant {value_float = 1.0 : f32, value_int = 1 : i64} : tensor<f32>
  return
}

// -----

// squeeze_c1: axes are int64.
func.func @squeeze_c1_axes_i32(%x: tensor<1x3xf32>, %axes: tensor<1xi32>) {
  // expected-error @+1 {{squeeze_c1: axes must be a 1-D int64 tensor, found 'tensor<1xi32>'}}
  %0 = "onnx.Squeeze"(%x, %axes) : (tensor<1x3xf32>, tensor<1xi32>) -> tensor<3xf32>
  return
}

// -----

// unsqueeze_c1: axes are a 1-D tensor.
func.func @unsqueeze_c1_axes_rank(%x: tensor<3xf32>, %axes: tensor<i64>) {
  // expected-error @+1 {{unsqueeze_c1: axes must be a 1-D int64 tensor, found 'tensor<i64>'}}
  %0 = onnx.Unsqueeze %x, %axes : (tensor<3xf32>, tensor<i64>) -> tensor<1x3xf32>
  return
}

// -----

// reshape_c1: the shape is int64.
func.func @reshape_c1_shape_f32(%x: tensor<2x3xf32>, %shape: tensor<2xf32>) {
  // expected-error @+1 {{reshape_c1: shape must be a 1-D int64 tensor, found 'tensor<2xf32>'}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return
}

// -----

// slice_c1: starts are int32 or int64.
func.func @slice_c1_starts_i16(%x: tensor<4xf32>, %s: tensor<1xi16>, %e: tensor<1xi64>) {
  // expected-error @+1 {{slice_c1: starts must be a 1-D int32 or int64 tensor, found 'tensor<1xi16>'}}
  %0 = "onnx.Slice"(%x, %s, %e) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi16>, tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

// slice_c1: the optional steps are checked too.
func.func @slice_c1_steps_rank(%x: tensor<4xf32>, %s: tensor<1xi64>, %steps: tensor<1x1xi64>) {
  // expected-error @+1 {{slice_c1: steps must be a 1-D int32 or int64 tensor, found 'tensor<1x1xi64>'}}
  %0 = "onnx.Slice"(%x, %s, %s, %steps) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 1>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1x1xi64>) -> tensor<?xf32>
  return
}

// -----

// transpose_c1: one perm entry per dimension.
func.func @transpose_c1_perm_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{transpose_c1: perm has 3 entries for a rank-2 input}}
  %0 = onnx.Transpose %x {perm = [0, 1, 2]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// transpose_c1: perm is a permutation.
func.func @transpose_c1_perm_repeats(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{transpose_c1: perm is not a permutation of [0, 2)}}
  %0 = onnx.Transpose %x {perm = [1, 1]} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// transpose_c1: perm entries are in range.
func.func @transpose_c1_perm_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{transpose_c1: perm is not a permutation of [0, 2)}}
  %0 = onnx.Transpose %x {perm = [0, -1]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// concat_c1: at least one input.
func.func @concat_c1_no_inputs() {
  // expected-error @+1 {{concat_c1: needs at least one input}}
  %0 = "onnx.Concat"() {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// concat_c2: the axis is in [-rank, rank).
func.func @concat_c2_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{concat_c2: axis 2 is out of range for rank 2}}
  %0 = onnx.Concat %x, %x {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// concat_c2: negative axes count from the end, down to -rank.
func.func @concat_c2_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{concat_c2: axis -3 is out of range for rank 2}}
  %0 = onnx.Concat %x, %x {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// concat_c3: every input has the same rank.
func.func @concat_c3_rank(%x: tensor<2x3xf32>, %y: tensor<3xf32>) {
  // expected-error @+1 {{concat_c3: every input must have rank 2 and element type 'f32', found 'tensor<3xf32>'}}
  %0 = onnx.Concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// concat_c3: every input has the same element type.
func.func @concat_c3_element_type(%x: tensor<2x3xf32>, %y: tensor<2x3xf16>) {
  // expected-error @+1 {{concat_c3: every input must have rank 2 and element type 'f32', found 'tensor<2x3xf16>'}}
  %0 = onnx.Concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

// gather_c1: indices are integers.
func.func @gather_c1_indices_float(%x: tensor<2x3xf32>, %i: tensor<1xf32>) {
  // expected-error @+1 {{gather_c1: indices must be int32 or int64, found 'tensor<1xf32>'}}
  %0 = onnx.Gather %x, %i : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<1x3xf32>
  return
}

// -----

// gather_c2: the axis is in [-rank, rank).
func.func @gather_c2_axis(%x: tensor<2x3xf32>, %i: tensor<1xi64>) {
  // expected-error @+1 {{gather_c2: axis 2 is out of range for rank 2}}
  %0 = onnx.Gather %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return
}

// -----

// gather_c2: negative axes count from the end, down to -rank.
func.func @gather_c2_negative_axis(%x: tensor<2x3xf32>, %i: tensor<1xi64>) {
  // expected-error @+1 {{gather_c2: axis -3 is out of range for rank 2}}
  %0 = onnx.Gather %x, %i {axis = -3 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return
}

// -----

// matmul_c1: no scalars.
func.func @matmul_c1_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{matmul_c1: operands must have rank >= 1}}
  %0 = onnx.MatMul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// gemm_c1: A is a matrix.
func.func @gemm_c1_a_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{gemm_c1: A: expected rank 2, found rank 1}}
  %0 = "onnx.Gemm"(%a, %b) : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return
}

// -----

// gemm_c1: B is a matrix.
func.func @gemm_c1_b_rank(%a: tensor<2x3xf32>, %b: tensor<1x3x4xf32>) {
  // expected-error @+1 {{gemm_c1: B: expected rank 2, found rank 3}}
  %0 = "onnx.Gemm"(%a, %b) : (tensor<2x3xf32>, tensor<1x3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// binary_c1: both operands have one element type.
func.func @binary_c1_add(%a: tensor<2xf32>, %b: tensor<2xf64>) {
  // expected-error @+1 {{binary_c1: operands must have the same element type, found 'tensor<2xf32>' and 'tensor<2xf64>'}}
  %0 = onnx.Add %a, %b : (tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  return
}

// -----

// binary_c1: the same check for Div.
func.func @binary_c1_div(%a: tensor<2xi64>, %b: tensor<2xi32>) {
  // expected-error @+1 {{binary_c1: operands must have the same element type, found 'tensor<2xi64>' and 'tensor<2xi32>'}}
  %0 = onnx.Div %a, %b : (tensor<2xi64>, tensor<2xi32>) -> tensor<2xi64>
  return
}

// -----

// binary_c1 also holds for the variadic ops, over all their inputs.
func.func @binary_c1_max(%a: tensor<2xf32>, %b: tensor<2xf32>, %c: tensor<2xf64>) {
  // expected-error @+1 {{binary_c1: operands must have the same element type, found 'tensor<2xf32>' and 'tensor<2xf64>'}}
  %0 = onnx.Max %a, %b, %c : (tensor<2xf32>, tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  return
}

// -----

// A variadic op needs at least one input.
func.func @variadic_empty() {
  // expected-error @+1 {{'onnx.Sum' op needs at least one input}}
  %0 = onnx.Sum : () -> tensor<2xf32>
  return
}

// -----

// where_c1: the condition is bool.
func.func @where_c1(%c: tensor<2xf32>, %x: tensor<2xf32>) {
  // expected-error @+1 {{where_c1: the condition must be bool, found 'tensor<2xf32>'}}
  %0 = onnx.Where %c, %x, %x : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

// where_c2: X and Y have one element type.
func.func @where_c2(%c: tensor<2xi1>, %x: tensor<2xf32>, %y: tensor<2xi64>) {
  // expected-error @+1 {{where_c2: X and Y must have the same element type, found 'tensor<2xf32>' and 'tensor<2xi64>'}}
  %0 = onnx.Where %c, %x, %y : (tensor<2xi1>, tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// constantofshape_c1: value holds one element.
func.func @constantofshape_c1(%s: tensor<1xi64>) {
  // expected-error @+1 {{constantofshape_c1: value must have one element, found 2}}
  %0 = onnx.ConstantOfShape %s {value = dense<[1.0, 2.0]> : tensor<2xf32>} : (tensor<1xi64>) -> tensor<?xf32>
  return
}

// -----

// range_c1: start, limit and delta share their element type.
func.func @range_c1(%a: tensor<f32>, %b: tensor<i64>) {
  // expected-error @+1 {{range_c1: start, limit and delta must have one element type}}
  %0 = onnx.Range %a, %a, %b : (tensor<f32>, tensor<f32>, tensor<i64>) -> tensor<?xf32>
  return
}

// -----

// The result types must be compatible with what the op's shape rule
// (InferTypeOpInterface) infers: Slice [0, 2) of 4 elements gives 2.
func.func @inferred_type_mismatch(%x: tensor<4xf32>) -> tensor<3xf32> {
  %zero = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %two = onnx.Constant {value = dense<[2]> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+2 {{'onnx.Slice' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'onnx.Slice' op failed to infer returned types}}
  %0 = "onnx.Slice"(%x, %zero, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// An element type other than the inferred one is refused as well.
func.func @inferred_element_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+2 {{'onnx.Relu' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<4xf16>'}}
  // expected-error @+1 {{'onnx.Relu' op failed to infer returned types}}
  %0 = onnx.Relu %x : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// reshape_c6: the shape rule's own errors surface when an op is verified.
func.func @reshape_c6_element_count(%x: tensor<2x3xf32>) -> tensor<4x?xf32> {
  %shape = onnx.Constant {value = dense<[4, -1]> : tensor<2xi64>} : tensor<2xi64>
  // expected-error @+2 {{'onnx.Reshape' op reshape_c6: cannot reshape 6 elements into the requested shape}}
  // expected-error @+1 {{'onnx.Reshape' op failed to infer returned types}}
  %0 = onnx.Reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}
