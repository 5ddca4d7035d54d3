// RUN: seqc-opt %s -split-input-file | seqc-opt -split-input-file | FileCheck %s
// RUN: seqc-opt %s -split-input-file -mlir-print-op-generic | seqc-opt -split-input-file | FileCheck %s
// Parse and print of the onnx ops: the recurrent ops in their generic form
// with optional inputs present or absent, the simple ops in their compact
// form. Defaulted attributes are printed once materialised.

// CHECK-LABEL: func.func @lstm_minimal
// CHECK: %[[Y:.*]], %{{.*}}, %{{.*}} = "onnx.LSTM"(%arg0, %arg1, %arg2)
// CHECK-SAME: direction = "forward"
// CHECK-SAME: hidden_size = 4 : i64
// CHECK-SAME: input_forget = 0 : i64
// CHECK-SAME: layout = 0 : i64
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>
// CHECK-SAME: (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
// CHECK: return %[[Y]]
func.func @lstm_minimal(%x: tensor<5x2x3xf32>, %w: tensor<1x16x3xf32>,
                        %r: tensor<1x16x4xf32>) -> tensor<5x1x2x4xf32> {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r) {hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
    : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>)
    -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return %y : tensor<5x1x2x4xf32>
}

// -----

// Every optional input, bidirectional, with activations, clip and
// input_forget.
// CHECK-LABEL: func.func @lstm_all_inputs
// CHECK: "onnx.LSTM"(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg6, %arg7)
// CHECK-SAME: activations = ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Tanh", "Tanh"]
// CHECK-SAME: clip = 3.000000e+00 : f32
// CHECK-SAME: direction = "bidirectional"
// CHECK-SAME: input_forget = 1 : i64
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1>
// CHECK-SAME: -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
func.func @lstm_all_inputs(%x: tensor<5x2x3xf32>, %w: tensor<2x16x3xf32>,
    %r: tensor<2x16x4xf32>, %b: tensor<2x32xf32>, %len: tensor<2xi32>,
    %h0: tensor<2x2x4xf32>, %c0: tensor<2x2x4xf32>, %p: tensor<2x12xf32>)
    -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>) {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %b, %len, %h0, %c0, %p) {
      activations = ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Tanh", "Tanh"],
      clip = 3.0 : f32, direction = "bidirectional", hidden_size = 4 : i64,
      input_forget = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1>}
    : (tensor<5x2x3xf32>, tensor<2x16x3xf32>, tensor<2x16x4xf32>,
       tensor<2x32xf32>, tensor<2xi32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>,
       tensor<2x12xf32>)
    -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>)
  return %y, %yh, %yc : tensor<5x2x2x4xf32>, tensor<2x2x4xf32>, tensor<2x2x4xf32>
}

// -----

// Optional inputs in the middle absent: B and initial_c given, the others not.
// CHECK-LABEL: func.func @lstm_gaps
// CHECK: "onnx.LSTM"(%arg0, %arg1, %arg2, %arg3, %arg4)
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 1, 0>
// CHECK-SAME: (tensor<?x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<1x32xf32>, tensor<1x2x4xf32>)
func.func @lstm_gaps(%x: tensor<?x2x3xf32>, %w: tensor<1x16x3xf32>,
    %r: tensor<1x16x4xf32>, %b: tensor<1x32xf32>, %c0: tensor<1x2x4xf32>)
    -> tensor<1x2x4xf32> {
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %b, %c0) {hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 1, 0>}
    : (tensor<?x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>,
       tensor<1x32xf32>, tensor<1x2x4xf32>)
    -> (tensor<?x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return %yc : tensor<1x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @gru
// CHECK: "onnx.GRU"(%arg0, %arg1, %arg2, %arg3)
// CHECK-SAME: direction = "reverse"
// CHECK-SAME: layout = 1 : i64
// CHECK-SAME: linear_before_reset = 1 : i64
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>
// CHECK-SAME: -> (tensor<2x5x1x4xf32>, tensor<2x1x4xf32>)
func.func @gru(%x: tensor<2x5x3xf32>, %w: tensor<1x12x3xf32>,
    %r: tensor<1x12x4xf32>, %b: tensor<1x24xf32>) -> tensor<2x1x4xf32> {
  %y, %yh = "onnx.GRU"(%x, %w, %r, %b) {direction = "reverse",
      hidden_size = 4 : i64, layout = 1 : i64, linear_before_reset = 1 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
    : (tensor<2x5x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>,
       tensor<1x24xf32>) -> (tensor<2x5x1x4xf32>, tensor<2x1x4xf32>)
  return %yh : tensor<2x1x4xf32>
}

// -----

// CHECK-LABEL: func.func @rnn
// CHECK: "onnx.RNN"(%arg0, %arg1, %arg2, %arg3, %arg4)
// CHECK-SAME: activation_alpha = [1.000000e-01 : f32]
// CHECK-SAME: activations = ["LeakyRelu"]
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 1>
// CHECK-SAME: -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
func.func @rnn(%x: tensor<5x2x3xf32>, %w: tensor<1x4x3xf32>,
    %r: tensor<1x4x4xf32>, %len: tensor<2xi32>, %h0: tensor<1x2x4xf32>)
    -> tensor<5x1x2x4xf32> {
  %y, %yh = "onnx.RNN"(%x, %w, %r, %len, %h0) {
      activation_alpha = [0.1 : f32], activations = ["LeakyRelu"],
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 1>}
    : (tensor<5x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, tensor<2xi32>,
       tensor<1x2x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %y : tensor<5x1x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @constants
// CHECK: onnx.Constant {value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>} : tensor<2xf32>
// CHECK: onnx.Constant {value_float = 5.000000e-01 : f32} : tensor<f32>
// CHECK: onnx.Constant {value_floats = [1.000000e+00 : f32, 2.000000e+00 : f32]} : tensor<2xf32>
// CHECK: onnx.Constant {value_int = 3 : i64} : tensor<i64>
// CHECK: onnx.Constant {value_ints = [0, -1]} : tensor<2xi64>
func.func @constants() -> (tensor<2xf32>, tensor<f32>, tensor<2xf32>, tensor<i64>, tensor<2xi64>) {
  %0 = onnx.Constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %1 = onnx.Constant {value_float = 0.5 : f32} : tensor<f32>
  %2 = onnx.Constant {value_floats = [1.0 : f32, 2.0 : f32]} : tensor<2xf32>
  %3 = onnx.Constant {value_int = 3 : i64} : tensor<i64>
  %4 = onnx.Constant {value_ints = [0, -1]} : tensor<2xi64>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<f32>, tensor<2xf32>, tensor<i64>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @shape_ops
// CHECK: onnx.Identity %arg0 : (tensor<1x3x1xf32>) -> tensor<1x3x1xf32>
// CHECK: "onnx.Squeeze"(%arg0, %arg1) : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<3x1xf32>
// CHECK: "onnx.Squeeze"(%arg0) : (tensor<1x3x1xf32>) -> tensor<3xf32>
// CHECK: onnx.Unsqueeze %{{.*}}, %arg1 : (tensor<3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
// CHECK: onnx.Transpose %arg0 {perm = [2, 0, 1]} : (tensor<1x3x1xf32>) -> tensor<1x1x3xf32>
// CHECK: onnx.Transpose %arg0 : (tensor<1x3x1xf32>) -> tensor<1x3x1xf32>
// CHECK: onnx.Reshape %arg0, %arg2 : (tensor<1x3x1xf32>, tensor<2xi64>) -> tensor<3x1xf32>
// CHECK: onnx.Reshape %arg0, %arg2 {allowzero = 1 : i64} : (tensor<1x3x1xf32>, tensor<2xi64>) -> tensor<3x1xf32>
// CHECK: onnx.Shape %arg0 {end = -1 : i64, start = 1 : i64} : (tensor<1x3x1xf32>) -> tensor<1xi64>
func.func @shape_ops(%x: tensor<1x3x1xf32>, %axes: tensor<1xi64>,
                     %shape: tensor<2xi64>) {
  %0 = onnx.Identity %x : (tensor<1x3x1xf32>) -> tensor<1x3x1xf32>
  %1 = "onnx.Squeeze"(%x, %axes) : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<3x1xf32>
  %2 = "onnx.Squeeze"(%x) : (tensor<1x3x1xf32>) -> tensor<3xf32>
  %3 = onnx.Unsqueeze %2, %axes : (tensor<3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  %4 = onnx.Transpose %x {perm = [2, 0, 1]} : (tensor<1x3x1xf32>) -> tensor<1x1x3xf32>
  %5 = onnx.Transpose %x : (tensor<1x3x1xf32>) -> tensor<1x3x1xf32>
  %6 = onnx.Reshape %x, %shape : (tensor<1x3x1xf32>, tensor<2xi64>) -> tensor<3x1xf32>
  %7 = onnx.Reshape %x, %shape {allowzero = 1 : i64} : (tensor<1x3x1xf32>, tensor<2xi64>) -> tensor<3x1xf32>
  %8 = onnx.Shape %x {end = -1 : i64, start = 1 : i64} : (tensor<1x3x1xf32>) -> tensor<1xi64>
  return
}

// -----

// CHECK-LABEL: func.func @concat_slice_gather
// CHECK: onnx.Concat %arg0, %arg0, %arg0 {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x9xf32>
// CHECK: "onnx.Slice"(%arg0, %arg1, %arg1) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}> : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x3xf32>
// CHECK: "onnx.Slice"(%arg0, %arg2, %arg2, %arg2, %arg2) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>}> : (tensor<2x3xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2x?xf32>
// CHECK: onnx.Gather %arg0, %arg1 {axis = 1 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
// CHECK: onnx.Gather %arg0, %arg2 {axis = -2 : i64} : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<1x3xf32>
// CHECK: onnx.Gather %arg0, %arg1 : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
func.func @concat_slice_gather(%x: tensor<2x3xf32>, %i64: tensor<1xi64>,
                               %i32: tensor<1xi32>) {
  %0 = onnx.Concat %x, %x, %x {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x9xf32>
  %1 = "onnx.Slice"(%x, %i64, %i64) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x3xf32>
  %2 = "onnx.Slice"(%x, %i32, %i32, %i32, %i32) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<2x3xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2x?xf32>
  %3 = onnx.Gather %x, %i64 {axis = 1 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %4 = onnx.Gather %x, %i32 {axis = -2 : i64} : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<1x3xf32>
  %5 = onnx.Gather %x, %i64 : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return
}

// -----

// CHECK-LABEL: func.func @arithmetic
// CHECK: onnx.MatMul %arg0, %arg1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: "onnx.Gemm"(%arg0, %arg0)
// CHECK-SAME: alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32, transA = 0 : i64, transB = 1 : i64
// CHECK-SAME: (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
// CHECK: "onnx.Gemm"(%arg1, %arg1, %arg2)
// CHECK-SAME: alpha = 2.000000e+00 : f32, beta = 5.000000e-01 : f32, transA = 1 : i64, transB = 0 : i64
// CHECK-SAME: (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
// CHECK: onnx.Add %arg0, %arg3 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Sub %arg0, %arg0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Mul %arg0, %arg3 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Div %arg3, %arg0 : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Sigmoid %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Tanh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: onnx.Relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @arithmetic(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>,
                      %c: tensor<4xf32>, %v: tensor<3xf32>) {
  %0 = onnx.MatMul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = "onnx.Gemm"(%a, %a) {transB = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
  %2 = "onnx.Gemm"(%b, %b, %c) {alpha = 2.0 : f32, beta = 0.5 : f32, transA = 1 : i64} : (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %3 = onnx.Add %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = onnx.Sub %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = onnx.Mul %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = onnx.Div %v, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = onnx.Sigmoid %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = onnx.Tanh %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %9 = onnx.Relu %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// The elementwise family: unary ops with their attributes, Pow with an
// exponent of another type, the variadic ops.
// CHECK-LABEL: func.func @elementwise
// CHECK: onnx.Gelu %{{.*}} {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: onnx.Selu %{{.*}} {alpha = 1.500000e+00 : f32, gamma = 2.000000e+00 : f32}
// CHECK: onnx.Pow %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
// CHECK: onnx.Mean %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
func.func @elementwise(%x: tensor<4xf32>, %e: tensor<i64>, %o: tensor<1xf32>) -> tensor<4xf32> {
  %0 = onnx.Gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Selu %0 {alpha = 1.5 : f32, gamma = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = onnx.Pow %1, %e : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  %3 = onnx.Mean %2, %x, %o : (tensor<4xf32>, tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %3 : tensor<4xf32>
}
