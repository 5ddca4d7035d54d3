// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file -verify-diagnostics | FileCheck %s
// The onnx lowering: the recurrent ops become seq.recurrence with the cell
// in the body, the other ops linalg/tensor/arith on tensors. The cases at
// the end are the lowering's own errors.

// A forward LSTM: one recurrence carrying h and c over the time-major X. The
// body is x_t W^T (+ bias) and h R^T as two matmuls, the gate math (gates
// i, o, f, c in that order) as one linalg.generic, and it yields h, c and
// the step output h.
// CHECK-LABEL: func.func @lstm_forward
// CHECK-NOT: onnx.
// CHECK: %[[REC:.*]]:3 = seq.recurrence forward inits(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>) inputs(%arg0 : tensor<5x2x3xf32>) outs(%{{.*}} : tensor<5x2x4xf32>) {
// CHECK-NEXT: ^bb0(%[[H:.*]]: tensor<2x4xf32>, %[[C:.*]]: tensor<2x4xf32>, %[[XT:.*]]: tensor<2x3xf32>):
// CHECK-NOT: linalg.generic
// CHECK: %[[XW:.*]] = linalg.matmul ins(%[[XT]], %{{.*}} : tensor<2x3xf32>, tensor<3x16xf32>) outs(%{{.*}} : tensor<2x16xf32>)
// CHECK-NEXT: %[[PRE:.*]] = linalg.matmul ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<4x16xf32>) outs(%[[XW]] : tensor<2x16xf32>)
// CHECK-NEXT: %[[GI:.*]] = tensor.extract_slice %[[PRE]][0, 0] [2, 4] [1, 1]
// CHECK-NEXT: %[[GO:.*]] = tensor.extract_slice %[[PRE]][0, 4] [2, 4] [1, 1]
// CHECK-NEXT: %[[GF:.*]] = tensor.extract_slice %[[PRE]][0, 8] [2, 4] [1, 1]
// CHECK-NEXT: %[[GC:.*]] = tensor.extract_slice %[[PRE]][0, 12] [2, 4] [1, 1]
// CHECK-NOT: linalg.matmul
// CHECK: %[[CELL:.*]]:2 = linalg.generic
// CHECK-SAME: ins(%[[GI]], %[[GO]], %[[GF]], %[[GC]], %[[C]] :
// CHECK: math.tanh
// CHECK: linalg.yield
// CHECK-NEXT: } -> (tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NEXT: seq.yield %[[CELL]]#0, %[[CELL]]#1, %[[CELL]]#0 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
// CHECK-NEXT: }
// CHECK-NOT: seq.recurrence
// CHECK: %[[Y:.*]] = tensor.insert_slice %[[REC]]#2 into %{{.*}}[0, 0, 0, 0] [5, 1, 2, 4]
// CHECK: %[[YH:.*]] = tensor.insert_slice %[[REC]]#0 into %{{.*}}[0, 0, 0] [1, 2, 4]
// CHECK: %[[YC:.*]] = tensor.insert_slice %[[REC]]#1 into %{{.*}}[0, 0, 0] [1, 2, 4]
// CHECK: return %[[Y]], %[[YH]], %[[YC]]
func.func @lstm_forward(%x: tensor<5x2x3xf32>, %w: tensor<1x16x3xf32>,
                        %r: tensor<1x16x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>) {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r) {hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return %y, %yh, %yc : tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>
}

// -----

// Bidirectional with sequence_lens: a forward recurrence on direction 0's
// weights and a reverse one on direction 1's, both with `lengths` (what
// they mean is seq-expand-lengths' business, not the lowering's). Each
// recurrence's `outs` is its direction's slice of one Y tensor and its
// stacked output goes back into that slice: Y is computed in place.
// CHECK-LABEL: func.func @lstm_bidirectional_lengths
// CHECK: %[[YALL:.*]] = tensor.empty(%{{.*}}) : tensor<?x2x2x4xf32>
// CHECK: tensor.extract_slice %arg1[0, 0, 0] [1, 16, 3] [1, 1, 1] : tensor<2x16x3xf32> to tensor<16x3xf32>
// CHECK: %[[OUT0:.*]] = tensor.extract_slice %[[YALL]][0, 0, 0, 0] [%{{.*}}, 1, 2, 4]
// CHECK: %[[FW:.*]]:3 = seq.recurrence forward
// CHECK-SAME: inputs(%arg0 : tensor<?x2x3xf32>) outs(%[[OUT0]] : tensor<?x2x4xf32>) lengths(%arg3 : tensor<2xi32>) {
// CHECK: seq.yield
// CHECK: %[[Y0:.*]] = tensor.insert_slice %[[FW]]#2 into %[[YALL]][0, 0, 0, 0] [%{{.*}}, 1, 2, 4]
// CHECK-NOT: arith.select
// CHECK: tensor.extract_slice %arg1[1, 0, 0] [1, 16, 3] [1, 1, 1] : tensor<2x16x3xf32> to tensor<16x3xf32>
// CHECK: %[[OUT1:.*]] = tensor.extract_slice %[[Y0]][0, 1, 0, 0] [%{{.*}}, 1, 2, 4]
// CHECK: %[[BW:.*]]:3 = seq.recurrence reverse
// CHECK-SAME: inputs(%arg0 : tensor<?x2x3xf32>) outs(%[[OUT1]] : tensor<?x2x4xf32>) lengths(%arg3 : tensor<2xi32>) {
// CHECK-NOT: seq.recurrence
// CHECK: %[[Y:.*]] = tensor.insert_slice %[[BW]]#2 into %[[Y0]][0, 1, 0, 0] [%{{.*}}, 1, 2, 4]
// CHECK-NOT: arith.select
// CHECK: return %[[Y]],
func.func @lstm_bidirectional_lengths(%x: tensor<?x2x3xf32>,
    %w: tensor<2x16x3xf32>, %r: tensor<2x16x4xf32>, %len: tensor<2xi32>)
    -> (tensor<?x2x2x4xf32>, tensor<2x2x4xf32>) {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %len) {direction = "bidirectional",
      hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}
    : (tensor<?x2x3xf32>, tensor<2x16x3xf32>, tensor<2x16x4xf32>, tensor<2xi32>)
    -> (tensor<?x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
  return %y, %yh : tensor<?x2x2x4xf32>, tensor<2x2x4xf32>
}

// -----

// direction = "reverse": one reverse recurrence; initial_h and initial_c
// are the inits.
// CHECK-LABEL: func.func @lstm_reverse_initial_states
// CHECK: %[[H0:.*]] = tensor.extract_slice %arg4[0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<1x2x4xf32> to tensor<2x4xf32>
// CHECK: %[[C0:.*]] = tensor.extract_slice %arg5[0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<1x2x4xf32> to tensor<2x4xf32>
// CHECK: seq.recurrence reverse inits(%[[H0]], %[[C0]] : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NOT: seq.recurrence
func.func @lstm_reverse_initial_states(%x: tensor<5x2x3xf32>,
    %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>,
    %h0: tensor<1x2x4xf32>, %c0: tensor<1x2x4xf32>) -> tensor<1x2x4xf32> {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %b, %h0, %c0) {direction = "reverse",
      hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1, 1, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>,
       tensor<1x32xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}

// -----

// layout = 1: X is transposed to time-major before the recurrence and Y back
// to batch-major after it.
// CHECK-LABEL: func.func @gru_layout1
// CHECK: %[[XS:.*]] = linalg.transpose ins(%arg0 : tensor<2x5x3xf32>) outs(%{{.*}} : tensor<5x2x3xf32>) permutation = [1, 0, 2]
// CHECK: %[[REC:.*]]:2 = seq.recurrence forward inits(%{{.*}} : tensor<2x4xf32>) inputs(%[[XS]] : tensor<5x2x3xf32>) outs(%{{.*}} : tensor<5x2x4xf32>)
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[REC]]#1 : tensor<5x2x4xf32>) outs(%{{.*}} : tensor<2x5x4xf32>) permutation = [1, 0, 2]
// CHECK: tensor.insert_slice %[[YT]] into %{{.*}}[0, 0, 0, 0] [2, 5, 1, 4]
// CHECK: tensor.insert_slice %[[REC]]#0 into %{{.*}}[0, 0, 0] [2, 1, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<2x1x4xf32>
func.func @gru_layout1(%x: tensor<2x5x3xf32>, %w: tensor<1x12x3xf32>,
                       %r: tensor<1x12x4xf32>)
    -> (tensor<2x5x1x4xf32>, tensor<2x1x4xf32>) {
  %y, %yh = "onnx.GRU"(%x, %w, %r) {hidden_size = 4 : i64, layout = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<2x5x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>)
    -> (tensor<2x5x1x4xf32>, tensor<2x1x4xf32>)
  return %y, %yh : tensor<2x5x1x4xf32>, tensor<2x1x4xf32>
}

// -----

// GRU, linear_before_reset = 0: the reset gate multiplies h before the h
// gate's matmul, so the body is matmul (x, z and r gates), matmul (h, z and
// r gates), matmul (x, h gate: its own tensor), generic (z, r*h), matmul
// ((r*h) Rh^T, into the h gate's x part), generic (the new h).
// CHECK-LABEL: func.func @gru_reset_before_matmul
// CHECK: seq.recurrence forward
// CHECK-NEXT: ^bb0(%[[H:.*]]: tensor<2x4xf32>, %[[XT:.*]]: tensor<2x3xf32>):
// CHECK-NOT: linalg.generic
// CHECK: %[[XZR:.*]] = linalg.matmul ins(%[[XT]], %{{.*}} : tensor<2x3xf32>, tensor<3x8xf32>)
// CHECK-NEXT: linalg.matmul ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<4x8xf32>) outs(%[[XZR]] : tensor<2x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[XH:.*]] = linalg.matmul ins(%[[XT]], %{{.*}} : tensor<2x3xf32>, tensor<3x4xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: %[[ZR:.*]]:2 = linalg.generic
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NOT: math.tanh
// CHECK: } -> (tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NEXT: %[[PREH:.*]] = linalg.matmul ins(%[[ZR]]#1, %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>) outs(%[[XH]] : tensor<2x4xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: %[[NEXT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[ZR]]#0, %[[PREH]], %[[H]] :
// CHECK: math.tanh
// CHECK: } -> tensor<2x4xf32>
// CHECK-NEXT: seq.yield %[[NEXT]], %[[NEXT]] : tensor<2x4xf32>, tensor<2x4xf32>
func.func @gru_reset_before_matmul(%x: tensor<5x2x3xf32>,
    %w: tensor<1x12x3xf32>, %r: tensor<1x12x4xf32>) -> tensor<1x2x4xf32> {
  %y, %yh = "onnx.GRU"(%x, %w, %r) {hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}

// -----

// GRU, linear_before_reset = 1: all four matmuls come first (the h gate's
// recurrent one with Rbh as its accumulator), then one linalg.generic does all the gate
// math. Rbh is kept out of the bias added to x W^T (zeros concatenated in).
// CHECK-LABEL: func.func @gru_linear_before_reset
// CHECK: %[[RB:.*]] = tensor.extract_slice %{{.*}}[12] [12] [1] : tensor<24xf32> to tensor<12xf32>
// CHECK: %[[RBH:.*]] = tensor.extract_slice %[[RB]][8] [4] [1] : tensor<12xf32> to tensor<4xf32>
// CHECK: tensor.concat dim(0) %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<4xf32>) -> tensor<12xf32>
// CHECK: seq.recurrence forward
// CHECK-NEXT: ^bb0(%[[H:.*]]: tensor<2x4xf32>, %[[XT:.*]]: tensor<2x3xf32>):
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins(%[[XT]], %{{.*}} : tensor<2x3xf32>, tensor<3x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<4x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins(%[[XT]], %{{.*}} : tensor<2x3xf32>, tensor<3x4xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[RBH]] : tensor<4xf32>)
// CHECK-NEXT: %[[HR:.*]] = linalg.matmul ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>) outs(%[[B]] : tensor<2x4xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: %[[NEXT:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[HR]], %[[H]] :
// CHECK: math.tanh
// CHECK: } -> tensor<2x4xf32>
// CHECK-NEXT: seq.yield %[[NEXT]], %[[NEXT]] : tensor<2x4xf32>, tensor<2x4xf32>
func.func @gru_linear_before_reset(%x: tensor<5x2x3xf32>,
    %w: tensor<1x12x3xf32>, %r: tensor<1x12x4xf32>, %b: tensor<1x24xf32>)
    -> tensor<1x2x4xf32> {
  %y, %yh = "onnx.GRU"(%x, %w, %r, %b) {hidden_size = 4 : i64,
      linear_before_reset = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>,
       tensor<1x24xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}

// -----

// RNN with a Relu activation: a compare and a select, no tanh.
// CHECK-LABEL: func.func @rnn_relu
// CHECK: seq.recurrence forward
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NOT: math.tanh
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[IN]], %[[ZERO]] : f32
// CHECK: %[[RELU:.*]] = arith.select %[[POS]], %[[IN]], %[[ZERO]] : f32
// CHECK-NEXT: linalg.yield %[[RELU]] : f32
func.func @rnn_relu(%x: tensor<5x2x3xf32>, %w: tensor<1x4x3xf32>,
                    %r: tensor<1x4x4xf32>) -> tensor<1x2x4xf32> {
  %y, %yh = "onnx.RNN"(%x, %w, %r) {activations = ["Relu"],
      hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}

// -----

// clip bounds the activation's input to [-clip, clip].
// CHECK-LABEL: func.func @rnn_clip
// CHECK: seq.recurrence forward
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[HI:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant -2.500000e+00 : f32
// CHECK: %[[MIN:.*]] = arith.minimumf %[[IN]], %[[HI]] : f32
// CHECK: %[[CLIPPED:.*]] = arith.maximumf %[[MIN]], %[[LO]] : f32
// CHECK: math.tanh %[[CLIPPED]] : f32
func.func @rnn_clip(%x: tensor<5x2x3xf32>, %w: tensor<1x4x3xf32>,
                    %r: tensor<1x4x4xf32>) -> tensor<1x2x4xf32> {
  %y, %yh = "onnx.RNN"(%x, %w, %r) {clip = 2.5 : f32, hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}

// -----

// Add with broadcasting: the [3] operand is read through (d0, d1) -> (d1).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A static unit dimension broadcasts through a constant 0 index.
// CHECK-DAG: #[[UNIT:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @mul_unit_dim
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[UNIT]], #{{.*}}]
// CHECK: arith.mulf
func.func @mul_unit_dim(%a: tensor<?x3xf32>, %b: tensor<1x3xf32>) -> tensor<?x3xf32> {
  %0 = onnx.Mul %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Integer elementwise ops use the integer arith ops.
// CHECK-LABEL: func.func @integer_elementwise
// CHECK: arith.subi
// CHECK: arith.divsi
// CHECK: arith.maxsi
func.func @integer_elementwise(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = onnx.Sub %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = onnx.Div %0, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %2 = onnx.Relu %1 : (tensor<4xi64>) -> tensor<4xi64>
  return %2 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @sigmoid_tanh
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: math.tanh
func.func @sigmoid_tanh(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Sigmoid %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Tanh %0 : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// An f32 MatMul of matrices: a linalg.matmul (seqc-vectorize-matmul's
// input) over a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[ZERO]] : tensor<2x4xf32>)
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Another element type: a contraction over a zero-filled accumulator.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_i32
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<2x4xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<2x3xi32>, tensor<3x4xi32>) outs(%[[ZERO]] : tensor<2x4xi32>)
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_i32(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// x @ W with x of rank 3 (dynamic batch and length) and W a matrix: x's
// rows collapse into one 2-D matmul, expanded back.
// CHECK-LABEL: func.func @matmul_rows
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<?x?x3xf32> into tensor<?x3xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[ROWS]], %arg1 : tensor<?x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<?x4xf32>)
// CHECK: tensor.expand_shape %[[P]] {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, %{{.*}}, 4] : tensor<?x4xf32> into tensor<?x?x4xf32>
func.func @matmul_rows(%a: tensor<?x?x3xf32>, %b: tensor<3x4xf32>) -> tensor<?x?x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<?x?x3xf32>, tensor<3x4xf32>) -> tensor<?x?x4xf32>
  return %0 : tensor<?x?x4xf32>
}

// -----

// MatMul of a batch of matrices by a vector.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[V:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @matmul_matrix_vector
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[V]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<?x2x3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<?x2xf32>)
func.func @matmul_matrix_vector(%a: tensor<?x2x3xf32>, %b: tensor<3xf32>) -> tensor<?x2xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<?x2x3xf32>, tensor<3xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// Leading sizes whose product overflows int64 (a hostile declared shape):
// no collapse, the contraction stays whole.
// CHECK-LABEL: func.func @matmul_rows_overflow
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
func.func @matmul_rows_overflow(%a: tensor<4294967296x4294967296x3xf32>, %b: tensor<3x4xf32>) -> tensor<4294967296x4294967296x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<4294967296x4294967296x3xf32>, tensor<3x4xf32>) -> tensor<4294967296x4294967296x4xf32>
  return %0 : tensor<4294967296x4294967296x4xf32>
}

// -----

// Gemm with transB reads B as (n, k); alpha = beta = 1 without C is the
// contraction alone.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_transb
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[BT]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<4x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[P]]
func.func @gemm_transb(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.Gemm"(%a, %b) {transB = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Gemm with transB and a constant B (a Linear layer's weights): B is
// transposed at compile time and the product is a linalg.matmul.
// CHECK-LABEL: func.func @gemm_transb_constant
// CHECK: %[[BT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK: linalg.matmul ins(%arg0, %[[BT]] : tensor<4x2xf32>, tensor<2x3xf32>)
func.func @gemm_transb_constant(%a: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = "onnx.Gemm"(%a, %b) {transB = 1 : i64} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Gemm with transA, alpha, beta and a broadcast C: the contraction, then
// alpha * AB + beta * C elementwise.
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @gemm_transa_alpha_beta
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[AT]], {{.*}}]{{.*}} ins(%arg0, %arg1 : tensor<3x2xf32>, tensor<3x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]], %arg2 : tensor<2x4xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[AB:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[X:.*]] = arith.mulf %[[AB]], %[[ALPHA]] : f32
// CHECK: %[[BETA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[C]], %[[BETA]] : f32
// CHECK: arith.addf %[[X]], %[[Y]] : f32
func.func @gemm_transa_alpha_beta(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>,
                                  %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.Gemm"(%a, %b, %c) {alpha = 2.0 : f32, beta = 0.5 : f32, transA = 1 : i64} : (tensor<3x2xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = onnx.Transpose %a {perm = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// Without perm, Transpose reverses the dimensions.
// CHECK-LABEL: func.func @transpose_default_perm
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x3x2xf32>) permutation = [2, 1, 0]
func.func @transpose_default_perm(%a: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = onnx.Transpose %a : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}

// -----

// Reshape: 0 copies and -1 infers, at run time from the shape tensor; the
// result is a tensor.reshape to the result type's sizes.
// CHECK-LABEL: func.func @reshape
// CHECK: %[[SHAPE:.*]] = arith.constant dense<[3, -1]> : tensor<2xi64>
// CHECK: tensor.extract %[[SHAPE]][%{{.*}}] : tensor<2xi64>
// CHECK: arith.divui
// CHECK: %[[SIZES:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xindex>
// CHECK: tensor.reshape %arg0(%[[SIZES]]) : (tensor<2x3xf32>, tensor<2xindex>) -> tensor<3x2xf32>
func.func @reshape(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %s = onnx.Constant {value = dense<[3, -1]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.Reshape %a, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[SIZES:.*]] = tensor.from_elements %[[C3]], %[[C1]] : tensor<2xindex>
// CHECK: tensor.reshape %arg0(%[[SIZES]]) : (tensor<1x3x1xf32>, tensor<2xindex>) -> tensor<3x1xf32>
func.func @squeeze(%a: tensor<1x3x1xf32>) -> tensor<3x1xf32> {
  %axes = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %0 = "onnx.Squeeze"(%a, %axes) : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

// Unsqueeze with a negative axis counting from the end of the result.
// CHECK-LABEL: func.func @unsqueeze
// CHECK: %[[D0:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[SIZES:.*]] = tensor.from_elements %[[D0]], %[[C1]], %[[C3]] : tensor<3xindex>
// CHECK: tensor.reshape %arg0(%[[SIZES]]) : (tensor<?x3xf32>, tensor<3xindex>) -> tensor<?x1x3xf32>
func.func @unsqueeze(%a: tensor<?x3xf32>) -> tensor<?x1x3xf32> {
  %axes = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %0 = onnx.Unsqueeze %a, %axes : (tensor<?x3xf32>, tensor<1xi64>) -> tensor<?x1x3xf32>
  return %0 : tensor<?x1x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[R:.*]] = tensor.concat dim(1) %arg0, %arg1 : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK: return %[[R]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A single input is passed through.
// CHECK-LABEL: func.func @concat_one_input
// CHECK-NOT: tensor.concat
// CHECK: return %arg0
func.func @concat_one_input(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = onnx.Concat %a {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A negative axis counts from the end.
// CHECK-LABEL: func.func @concat_negative_axis
// CHECK: tensor.concat dim(1) %arg0, %arg1 : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
func.func @concat_negative_axis(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Gather: a linalg.generic over the result reading the indices; the body
// wraps negative indices, clamps into the axis and reads the data with
// tensor.extract at (the result's other loops, the index).
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @gather_last_axis
// CHECK: %[[E:.*]] = tensor.empty() : tensor<5x2xf32>
// CHECK: %[[N:.*]] = arith.constant 3 : index
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<2xi64>) outs(%[[E]] : tensor<5x2xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %[[IN]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK: %[[WRAPPED:.*]] = arith.addi %[[I]], %[[N]] : index
// CHECK: %[[J:.*]] = arith.select %[[NEG]], %[[WRAPPED]], %[[I]] : index
// CHECK: %[[HI:.*]] = arith.minsi %[[J]], %{{.*}} : index
// CHECK: %[[CLAMPED:.*]] = arith.maxsi %[[HI]], %{{.*}} : index
// CHECK: %[[ROW:.*]] = linalg.index 0 : index
// CHECK: %[[V:.*]] = tensor.extract %arg0[%[[ROW]], %[[CLAMPED]]] : tensor<5x3xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather_last_axis(%x: tensor<5x3xf32>, %i: tensor<2xi64>) -> tensor<5x2xf32> {
  %0 = onnx.Gather %x, %i {axis = -1 : i64} : (tensor<5x3xf32>, tensor<2xi64>) -> tensor<5x2xf32>
  return %0 : tensor<5x2xf32>
}

// -----

// Gather along axis 0 with 2-D indices: the index map takes the first two
// loops, and the data's remaining dimension is the last loop.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gather_rows
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<2x4xi32>) outs(%{{.*}} : tensor<2x4x3xf32>)
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %arg0[%{{.*}}, %[[COL]]] : tensor<?x3xf32>
func.func @gather_rows(%x: tensor<?x3xf32>, %i: tensor<2x4xi32>) -> tensor<2x4x3xf32> {
  %0 = onnx.Gather %x, %i : (tensor<?x3xf32>, tensor<2x4xi32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// Slice with constant axes and steps: clamped bounds computed at run time,
// the step as the stride of one tensor.extract_slice.
// CHECK-LABEL: func.func @slice
// CHECK: arith.cmpi slt
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[N:.*]] = arith.ceildivsi %{{.*}}, %{{.*}} : index
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[%{{.*}}, 0] [%[[N]], 4] [2, 1] : tensor<10x4xf32> to tensor<?x4xf32>
// CHECK: tensor.cast %[[S]] : tensor<?x4xf32> to tensor<4x4xf32>
func.func @slice(%a: tensor<10x4xf32>) -> tensor<4x4xf32> {
  %s = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  %e = onnx.Constant {value = dense<[9]> : tensor<1xi64>} : tensor<1xi64>
  %ax = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %st = onnx.Constant {value = dense<[2]> : tensor<1xi64>} : tensor<1xi64>
  %0 = "onnx.Slice"(%a, %s, %e, %ax, %st) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<10x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Shape: one tensor.dim per dimension in [start, end).
// CHECK-LABEL: func.func @shape
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[D0:.*]] = tensor.dim %arg0, %[[C0]] : tensor<?x3x4xf32>
// CHECK-DAG: %[[D1:.*]] = tensor.dim %arg0, %[[C1]] : tensor<?x3x4xf32>
// CHECK-DAG: %[[I0:.*]] = arith.index_cast %[[D0]] : index to i64
// CHECK-DAG: %[[I1:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK: tensor.from_elements %[[I0]], %[[I1]] : tensor<2xi64>
func.func @shape(%a: tensor<?x3x4xf32>) -> tensor<2xi64> {
  %0 = onnx.Shape %a {end = 2 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK: %[[V:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[I:.*]] = arith.constant dense<7> : tensor<i64>
// CHECK: return %[[V]], %[[I]]
func.func @constant() -> (tensor<2xf32>, tensor<i64>) {
  %0 = onnx.Constant {value_floats = [1.0 : f32, 2.0 : f32]} : tensor<2xf32>
  %1 = onnx.Constant {value_int = 7 : i64} : tensor<i64>
  return %0, %1 : tensor<2xf32>, tensor<i64>
}

// -----

// CHECK-LABEL: func.func @identity
// CHECK-NEXT: return %arg0
func.func @identity(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = onnx.Identity %a : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Slice with a negative step: a linalg.generic reading start + i * step.
// CHECK-LABEL: func.func @slice_negative_step
// CHECK: %[[START:.*]] = arith.minsi
// CHECK: %[[N:.*]] = arith.ceildivsi %{{.*}}, %{{.*}} : index
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[OFF:.*]] = arith.muli %[[I]], %c-2 : index
// CHECK: %[[POS:.*]] = arith.addi %[[START]], %[[OFF]] : index
// CHECK: tensor.extract %{{.*}}[%[[POS]]] : tensor<10xf32>
func.func @slice_negative_step(%a: tensor<10xf32>) -> tensor<4xf32> {
  %s = onnx.Constant {value = dense<[8]> : tensor<1xi64>} : tensor<1xi64>
  %e = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %st = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %0 = "onnx.Slice"(%a, %s, %e, %st) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 1>} : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Run-time size checks: dynamic sizes that must agree get a cf.assert whose
// message names the ONNX node (its NameLoc).
// CHECK-LABEL: func.func @add_dynamic_check
// CHECK: cf.assert %{{.*}}, "node 'my_add': input 0 dimension 0 is neither 1 nor the broadcast size"
// CHECK: %[[DB:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[SAME:.*]] = arith.cmpi eq, %[[DB]], %{{.*}} : index
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %[[DB]], %{{.*}} : index
// CHECK: %[[OK:.*]] = arith.ori %[[SAME]], %[[ONE]] : i1
// CHECK: cf.assert %[[OK]], "node 'my_add': input 1 dimension 0 is neither 1 nor the broadcast size"
// CHECK: linalg.generic
func.func @add_dynamic_check(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = onnx.Add %a, %b : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32> loc("my_add")
  return %0 : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_dynamic_check
// CHECK-DAG: %[[K1:.*]] = tensor.dim %arg0, %{{.*}} : tensor<2x?xf32>
// CHECK-DAG: %[[K2:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x4xf32>
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[K1]], %[[K2]] : index
// CHECK: cf.assert %[[OK]], "the contraction dimensions of A and B differ"
func.func @matmul_dynamic_check(%a: tensor<2x?xf32>, %b: tensor<?x4xf32>) -> tensor<2x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x?xf32>, tensor<?x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Static sizes are checked at compile time: no assert.
// CHECK-LABEL: func.func @matmul_static_no_check
// CHECK-NOT: cf.assert
// CHECK: return
func.func @matmul_static_no_check(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = onnx.MatMul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @concat_dynamic_check
// CHECK-DAG: %[[D1:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x5xf32>
// CHECK-DAG: %[[D0:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[D1]], %[[D0]] : index
// CHECK: cf.assert %[[OK]], "input 1 dimension 0 differs from input 0's"
// CHECK: tensor.concat dim(1) %arg0, %arg1
func.func @concat_dynamic_check(%a: tensor<?x3xf32>, %b: tensor<?x5xf32>) -> tensor<?x8xf32> {
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<?x3xf32>, tensor<?x5xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// The hidden size must be static: from hidden_size or R's shape.
func.func @error_hidden_size_unknown(%x: tensor<5x2x3xf32>, %w: tensor<1x?x3xf32>,
                                     %r: tensor<1x?x?xf32>) -> tensor<5x1x2x?xf32> {
  // expected-error @+2 {{'onnx.LSTM' op hidden_size must be known at compile time (set the attribute or give R a static shape)}}
  // expected-error @+1 {{failed to legalize operation 'onnx.LSTM' that was explicitly marked illegal}}
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r) {
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x?x3xf32>, tensor<1x?x?xf32>)
    -> (tensor<5x1x2x?xf32>, tensor<1x2x?xf32>, tensor<1x2x?xf32>)
  return %y : tensor<5x1x2x?xf32>
}

// -----

// Sigmoid has no integer form.
func.func @error_sigmoid_integer(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+2 {{'onnx.Sigmoid' op is not defined for element type 'i32'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Sigmoid'}}
  %0 = onnx.Sigmoid %a : (tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @error_slice_c4_dynamic_starts(%a: tensor<10xf32>, %s: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+2 {{'onnx.Slice' op slice_c4: starts must have a static size}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Slice'}}
  %0 = "onnx.Slice"(%a, %s, %s) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<10xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Axes or steps read at run time: each dimension's first index, step and
// size are chosen at run time, checked, and one generic gathers the output.
// CHECK-LABEL: func.func @slice_axes_at_run_time
// CHECK: cf.assert %{{.*}}, "Slice's axis is out of range"
// CHECK: cf.assert %{{.*}}, "Slice's step is 0"
// CHECK: linalg.generic
// CHECK: tensor.extract %arg0
func.func @slice_axes_at_run_time(%a: tensor<10xf32>, %s: tensor<1xi64>) -> tensor<?xf32> {
  %0 = "onnx.Slice"(%a, %s, %s, %s, %s) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Unsqueeze and Squeeze with axes read at run time: the axes are
// normalised and checked, the sizes computed, and the data reshaped.
// CHECK-LABEL: func.func @unsqueeze_squeeze_axes_at_run_time
// CHECK: cf.assert %{{.*}}, "Unsqueeze's axis is out of range"
// CHECK: tensor.reshape %arg0
// CHECK: cf.assert %{{.*}}, "Squeeze's axis is out of range"
// CHECK: cf.assert %{{.*}}, "Squeeze removes a dimension that is not 1"
// CHECK: tensor.reshape %arg1
func.func @unsqueeze_squeeze_axes_at_run_time(%a: tensor<3xf32>, %b: tensor<1x3xf32>, %ax: tensor<1xi64>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %0 = onnx.Unsqueeze %a, %ax : (tensor<3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %1 = "onnx.Squeeze"(%b, %ax) : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?xf32>
}

// -----

// Flatten: a reshape to [prod(dims before axis), prod(dims from axis)],
// computed at run time for dynamic dimensions.
// CHECK-LABEL: func.func @flatten
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3x4xf32>
// CHECK: %[[OUTER:.*]] = arith.muli %{{.*}}, %[[N]] : index
// CHECK: tensor.from_elements %[[OUTER]], %{{.*}} : tensor<2xindex>
// CHECK: tensor.reshape %arg0(%{{.*}}) : (tensor<?x3x4xf32>, tensor<2xindex>) -> tensor<?x12xf32>
func.func @flatten(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %y = onnx.Flatten %x {axis = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

// -----

// Expand to a constant shape: one generic whose input map pins the size-1
// dimension at 0.
// CHECK-DAG: #[[PIN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[PIN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x6xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x6xf32> {
  %s = onnx.Constant {value = dense<[2, 1, 6]> : tensor<3xi64>} : tensor<3xi64>
  %y = onnx.Expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// -----

// MatMul batch dimensions dynamic in both operands broadcast at run time:
// the result's size is B's where A's is 1; each size must be 1 or that
// size; an operand whose size differs (so is 1) is copied out first.
// CHECK-LABEL: func.func @matmul_runtime_batch_broadcast
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %{{.*}}, %c1
// CHECK: %[[N:.*]] = arith.select %[[ONE]]
// CHECK: cf.assert {{.*}} "a batch dimension is neither 1 nor the other operand's"
// CHECK: scf.if
// CHECK: scf.if
// CHECK: linalg.generic
func.func @matmul_runtime_batch_broadcast(%a: tensor<?x2x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x2x4xf32> {
  %y = onnx.MatMul %a, %b : (tensor<?x2x3xf32>, tensor<?x3x4xf32>) -> tensor<?x2x4xf32>
  return %y : tensor<?x2x4xf32>
}
