// RUN: seqc-opt %s -onnx-accumulate-in-f32 -split-input-file | FileCheck %s
// Accumulating ops on f16/bf16 compute in f32: their 16-bit float inputs are
// cast up, their results (typed by the op's own rule) cast back.

// CHECK-LABEL: func.func @matmul_f16
// CHECK-SAME: (%[[A:.*]]: tensor<2x64xf16>, %[[B:.*]]: tensor<64x3xf16>)
// CHECK: %[[A32:.*]] = onnx.Cast %[[A]] {to = 1 : i64} : (tensor<2x64xf16>) -> tensor<2x64xf32>
// CHECK: %[[B32:.*]] = onnx.Cast %[[B]] {to = 1 : i64} : (tensor<64x3xf16>) -> tensor<64x3xf32>
// CHECK: %[[M:.*]] = onnx.MatMul %[[A32]], %[[B32]] : (tensor<2x64xf32>, tensor<64x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[BACK:.*]] = onnx.Cast %[[M]] {to = 10 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
// CHECK: return %[[BACK]]
func.func @matmul_f16(%a: tensor<2x64xf16>, %b: tensor<64x3xf16>) -> tensor<2x3xf16> {
  %0 = onnx.MatMul %a, %b : (tensor<2x64xf16>, tensor<64x3xf16>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

// bf16 comes back as bf16 (to = 16) at the sizes the result had; an integer
// operand (the axes) stays.
// CHECK-LABEL: func.func @reduce_bf16
// CHECK: %[[X32:.*]] = onnx.Cast %{{.*}} {to = 1 : i64} : (tensor<4x?xbf16>) -> tensor<4x?xf32>
// CHECK: %[[R:.*]] = onnx.ReduceSum %[[X32]], %{{.*}} : (tensor<4x?xf32>, tensor<1xi64>) -> tensor<4x?xf32>
// CHECK: onnx.Cast %[[R]] {to = 16 : i64} : (tensor<4x?xf32>) -> tensor<4x?xbf16>
func.func @reduce_bf16(%x: tensor<4x?xbf16>, %axes: tensor<1xi64>) -> tensor<4x?xbf16> {
  %0 = onnx.ReduceSum %x, %axes : (tensor<4x?xbf16>, tensor<1xi64>) -> tensor<4x?xbf16>
  return %0 : tensor<4x?xbf16>
}

// -----

// Ops that do not accumulate, and f32 ops, are left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: onnx.Cast
// CHECK: onnx.Relu
// CHECK: onnx.MatMul
func.func @left_alone(%x: tensor<4xf16>, %a: tensor<2x2xf32>) -> (tensor<4xf16>, tensor<2x2xf32>) {
  %0 = onnx.Relu %x : (tensor<4xf16>) -> tensor<4xf16>
  %1 = onnx.MatMul %a, %a : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1 : tensor<4xf16>, tensor<2x2xf32>
}
