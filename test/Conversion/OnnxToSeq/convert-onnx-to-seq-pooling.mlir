// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Pooling: the input padded once (MaxPool with -inf), then one linalg.generic
// over (n, c, o..., k...) reading X[n, c, o*stride + k*dilation]; the window
// is an operand of the kernel's shape. AveragePool then divides by the
// positions of each window inside the input.

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + d3 * 2)>
// CHECK-DAG: #[[K:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[K]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.maximumf
func.func @max_pool(%x: tensor<1x2x9xf32>) -> tensor<1x2x3xf32> {
  %y, %i = "onnx.MaxPool"(%x) {kernel_shape = [3], strides = [2], dilations = [2], pads = [1, 0]} : (tensor<1x2x9xf32>) -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  return %y : tensor<1x2x3xf32>
}

// -----

// With Indices: one generic yields the maximum and its index, initialised
// to -1; an element is taken when greater, or when it is the window's first
// inside X; its index is (n * C + c) * W + w with w = o * 2 + k * 2 - 1.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %[[M1:.*]] = arith.constant -1 : i64
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[M1]] : i64)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %[[INIT]] : tensor<1x2x3xf32>, tensor<1x2x3xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpi eq, %{{.*}}, %[[M1]] : i64
// CHECK: arith.select
// CHECK: arith.select
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x2x9xf32>) -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>) {
  %y, %i = "onnx.MaxPool"(%x) {kernel_shape = [3], strides = [2], dilations = [2], pads = [1, 0]} : (tensor<1x2x9xf32>) -> (tensor<1x2x3xf32>, tensor<1x2x3xi64>)
  return %y, %i : tensor<1x2x3xf32>, tensor<1x2x3xi64>
}

// -----

// CHECK-LABEL: func.func @average_pool
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.ceildivsi
// CHECK: arith.floordivsi
// CHECK: arith.divf
func.func @average_pool(%x: tensor<1x1x5xf32>) -> tensor<1x1x3xf32> {
  %y = "onnx.AveragePool"(%x) {kernel_shape = [2], strides = [2], pads = [1, 1]} : (tensor<1x1x5xf32>) -> tensor<1x1x3xf32>
  return %y : tensor<1x1x3xf32>
}

// -----

// ArgMax: the best value and its index as two outputs of one generic; the
// first element always replaces the start value (-1 index).
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: tensor.reshape %[[R]]#1
func.func @arg_max(%x: tensor<2x5xf32>) -> tensor<2x1xi64> {
  %y = onnx.ArgMax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x1xi64>
  return %y : tensor<2x1xi64>
}
