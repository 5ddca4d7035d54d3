// RUN: seqc-opt %s -split-input-file -convert-onnx-to-seq | FileCheck %s
// Constant weights of LSTM/GRU/RNN are prepared at compile time: per
// direction, W^T and R^T, the fused bias and the peepholes become
// arith.constant tensors that the recurrence reads as they are. A weight
// that is a function argument keeps the tensor ops that prepare it on every
// call.

// Bidirectional GRU with linear_before_reset: each direction reads its own
// transposed matrices; the bias is Wb + Rb with the h gate's Rb kept apart
// (Wb_h alone in the sum, Rb_h added to the h gate's recurrent product).
// CHECK-LABEL: func.func @gru_bidirectional_linear_before_reset
// CHECK-DAG: %[[WT0:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[RT0:.*]] = arith.constant dense<{{\[}}[7.000000e+00, 8.000000e+00, 9.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[RBH0:.*]] = arith.constant dense<3.000000e+01> : tensor<1xf32>
// CHECK-DAG: %[[BIAS0:.*]] = arith.constant dense<[1.050000e+01, 2.100000e+01, 1.500000e+00]> : tensor<3xf32>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.concat
// CHECK: seq.recurrence forward
// CHECK: tensor.extract_slice %[[RT0]][0, 0] [1, 2]
// CHECK: %[[WZR0:.*]] = tensor.extract_slice %[[WT0]][0, 0] [1, 2]
// CHECK: %[[BZR0:.*]] = tensor.extract_slice %[[BIAS0]][0] [2]
// CHECK: linalg.broadcast ins(%[[BZR0]] : tensor<2xf32>)
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %[[WZR0]] :
// CHECK: linalg.broadcast ins(%[[RBH0]] : tensor<1xf32>)
// CHECK: seq.yield
// CHECK-DAG: %[[WT1:.*]] = arith.constant dense<{{\[}}[4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[RT1:.*]] = arith.constant dense<{{\[}}[1.000000e+01, 1.100000e+01, 1.200000e+01]]> : tensor<1x3xf32>
// CHECK-DAG: %[[RBH1:.*]] = arith.constant dense<3.000000e+02> : tensor<1xf32>
// CHECK-DAG: %[[BIAS1:.*]] = arith.constant dense<[1.020000e+02, 2.040000e+02, 8.000000e+00]> : tensor<3xf32>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.concat
// CHECK: seq.recurrence reverse
// CHECK: tensor.extract_slice %[[RT1]][0, 0] [1, 2]
// CHECK: %[[WZR1:.*]] = tensor.extract_slice %[[WT1]][0, 0] [1, 2]
// CHECK: %[[BZR1:.*]] = tensor.extract_slice %[[BIAS1]][0] [2]
// CHECK: linalg.broadcast ins(%[[BZR1]] : tensor<2xf32>)
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %[[WZR1]] :
// CHECK: linalg.broadcast ins(%[[RBH1]] : tensor<1xf32>)
// CHECK: seq.yield
func.func @gru_bidirectional_linear_before_reset(%x: tensor<5x2x1xf32>) -> tensor<2x2x1xf32> {
  %w = onnx.Constant {value = dense<[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]]]> : tensor<2x3x1xf32>} : tensor<2x3x1xf32>
  %r = onnx.Constant {value = dense<[[[7.0], [8.0], [9.0]], [[10.0], [11.0], [12.0]]]> : tensor<2x3x1xf32>} : tensor<2x3x1xf32>
  %b = onnx.Constant {value = dense<[[0.5, 1.0, 1.5, 10.0, 20.0, 30.0], [2.0, 4.0, 8.0, 100.0, 200.0, 300.0]]> : tensor<2x6xf32>} : tensor<2x6xf32>
  %y, %yh = "onnx.GRU"(%x, %w, %r, %b) {direction = "bidirectional",
      hidden_size = 1 : i64, linear_before_reset = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
    : (tensor<5x2x1xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>, tensor<2x6xf32>)
    -> (tensor<5x2x2x1xf32>, tensor<2x2x1xf32>)
  return %yh : tensor<2x2x1xf32>
}

// -----

// GRU without linear_before_reset: the bias is the plain sum Wb + Rb.
// CHECK-LABEL: func.func @gru_reset_before_matmul
// CHECK: %[[BIAS:.*]] = arith.constant dense<[1.100000e+01, 2.200000e+01, 3.300000e+01]> : tensor<3xf32>
// CHECK: seq.recurrence forward
// CHECK: %[[BZR:.*]] = tensor.extract_slice %[[BIAS]][0] [2]
// CHECK: linalg.broadcast ins(%[[BZR]] : tensor<2xf32>)
// CHECK: %[[BH:.*]] = tensor.extract_slice %[[BIAS]][2] [1]
// CHECK: linalg.broadcast ins(%[[BH]] : tensor<1xf32>)
func.func @gru_reset_before_matmul(%x: tensor<5x2x1xf32>, %w: tensor<1x3x1xf32>,
    %r: tensor<1x3x1xf32>) -> tensor<1x2x1xf32> {
  %b = onnx.Constant {value = dense<[[1.0, 2.0, 3.0, 10.0, 20.0, 30.0]]> : tensor<1x6xf32>} : tensor<1x6xf32>
  %y, %yh = "onnx.GRU"(%x, %w, %r, %b) {hidden_size = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
    : (tensor<5x2x1xf32>, tensor<1x3x1xf32>, tensor<1x3x1xf32>, tensor<1x6xf32>)
    -> (tensor<5x1x2x1xf32>, tensor<1x2x1xf32>)
  return %yh : tensor<1x2x1xf32>
}

// -----

// LSTM with constant W and P, R an argument and no B: W^T and the peepholes
// are constants, R is still sliced and transposed, the bias is zeros.
// CHECK-LABEL: func.func @lstm_mixed_constant_and_argument
// CHECK-SAME: %{{.*}}: tensor<5x2x1xf32>, %[[R:.*]]: tensor<1x4x1xf32>
// CHECK-DAG: %[[WT:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]]> : tensor<1x4xf32>
// CHECK-DAG: %[[RD:.*]] = tensor.extract_slice %[[R]][0, 0, 0] [1, 4, 1] [1, 1, 1] : tensor<1x4x1xf32> to tensor<4x1xf32>
// CHECK-DAG: %[[RT:.*]] = linalg.transpose ins(%[[RD]] : tensor<4x1xf32>) outs(%{{.*}} : tensor<1x4xf32>) permutation = [1, 0]
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[P:.*]] = arith.constant dense<[2.500000e-01, 5.000000e-01, 7.500000e-01]> : tensor<3xf32>
// CHECK: seq.recurrence forward
// CHECK: linalg.broadcast ins(%[[BIAS]] : tensor<4xf32>)
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %[[WT]] :
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %[[RT]] :
// CHECK: tensor.extract_slice %[[P]][0] [1] [1]
func.func @lstm_mixed_constant_and_argument(%x: tensor<5x2x1xf32>,
    %r: tensor<1x4x1xf32>) -> tensor<1x2x1xf32> {
  %w = onnx.Constant {value = dense<[[[1.0], [2.0], [3.0], [4.0]]]> : tensor<1x4x1xf32>} : tensor<1x4x1xf32>
  %p = onnx.Constant {value = dense<[[0.25, 0.5, 0.75]]> : tensor<1x3xf32>} : tensor<1x3xf32>
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %p) {hidden_size = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 1>}
    : (tensor<5x2x1xf32>, tensor<1x4x1xf32>, tensor<1x4x1xf32>, tensor<1x3xf32>)
    -> (tensor<5x1x2x1xf32>, tensor<1x2x1xf32>, tensor<1x2x1xf32>)
  return %yh : tensor<1x2x1xf32>
}

// -----

// RNN in float64 with a constant B: the bias is summed in f64 (0.1 + 0.2
// is not 0.3 there).
// CHECK-LABEL: func.func @rnn_f64_bias
// CHECK: %[[BIAS:.*]] = arith.constant dense<[0.30000000000000004, 3.000000e+00]> : tensor<2xf64>
// CHECK: seq.recurrence forward
// CHECK: linalg.broadcast ins(%[[BIAS]] : tensor<2xf64>)
func.func @rnn_f64_bias(%x: tensor<5x2x1xf64>, %w: tensor<1x2x1xf64>,
    %r: tensor<1x2x2xf64>) -> tensor<1x2x2xf64> {
  %b = onnx.Constant {value = dense<[[0.1, 1.0, 0.2, 2.0]]> : tensor<1x4xf64>} : tensor<1x4xf64>
  %y, %yh = "onnx.RNN"(%x, %w, %r, %b) {hidden_size = 2 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
    : (tensor<5x2x1xf64>, tensor<1x2x1xf64>, tensor<1x2x2xf64>, tensor<1x4xf64>)
    -> (tensor<5x1x2x2xf64>, tensor<1x2x2xf64>)
  return %yh : tensor<1x2x2xf64>
}
