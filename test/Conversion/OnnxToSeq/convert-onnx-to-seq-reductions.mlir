// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file -verify-diagnostics | FileCheck %s
// The Reduce* ops: one linalg.generic with the reduced dimensions as
// reduction iterators, the final map, and a reshape for keepdims.

// ReduceMean over axis -2 (= 1) with keepdims: a sum into a zero-filled
// [N, 4], divided by the count 3, reshaped to [N, 1, 4].
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @mean_keep
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<?x3x4xf32>) outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK: arith.addf
// CHECK: %[[COUNT:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x4xf32>)
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK: tensor.reshape %[[MEAN]](%{{.*}}) : (tensor<?x4xf32>, tensor<3xindex>) -> tensor<?x1x4xf32>
func.func @mean_keep(%x: tensor<?x3x4xf32>) -> tensor<?x1x4xf32> {
  %axes = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %y = onnx.ReduceMean %x, %axes : (tensor<?x3x4xf32>, tensor<1xi64>) -> tensor<?x1x4xf32>
  return %y : tensor<?x1x4xf32>
}

// -----

// ReduceLogSumExp over all axes (no axes input), keepdims = 0: exp in the
// body, log after; ReduceMax of bools orders false < true (unsigned).
// CHECK-LABEL: func.func @all_axes
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: math.log
// CHECK: %[[FALSE:.*]] = arith.constant false
// CHECK: linalg.fill ins(%[[FALSE]] : i1)
// CHECK: arith.maxui
func.func @all_axes(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>) -> (tensor<f32>, tensor<2xi1>) {
  %y = onnx.ReduceLogSumExp %x {keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<f32>
  %axes = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  %m = onnx.ReduceMax %b, %axes {keepdims = 0 : i64} : (tensor<2x3xi1>, tensor<1xi64>) -> tensor<2xi1>
  return %y, %m : tensor<f32>, tensor<2xi1>
}

// -----

// A float ReduceMax starts from -inf (what an empty reduction gives).
// CHECK-LABEL: func.func @max_from_minus_infinity
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: arith.maximumf
func.func @max_from_minus_infinity(%x: tensor<2x0xf32>) -> tensor<2xf32> {
  %axes = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  %y = onnx.ReduceMax %x, %axes {keepdims = 0 : i64} : (tensor<2x0xf32>, tensor<1xi64>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// noop_with_empty_axes: the input itself.
// CHECK-LABEL: func.func @noop
// CHECK-NOT: linalg.generic
// CHECK: return %arg0
func.func @noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = onnx.ReduceSum %x {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @mean_of_ints(%x: tensor<2x3xi64>) -> tensor<2x1xi64> {
  %axes = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+2 {{'onnx.ReduceMean' op is not defined for element type 'i64'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.ReduceMean'}}
  %y = onnx.ReduceMean %x, %axes : (tensor<2x3xi64>, tensor<1xi64>) -> tensor<2x1xi64>
  return %y : tensor<2x1xi64>
}

// -----

// Axes read at run time: each axis is normalised and checked, dimension d is
// reduced when one names it; every element of the kept-dims result loops
// over the R elements it reduces (mixed-radix digits of r added to its
// index), and without keepdims the 1s are dropped by a reshape to the sizes
// of the dimensions not reduced.
// CHECK-LABEL: func.func @sum_runtime_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[AXES:.*]]: tensor<1xi64>)
// CHECK: tensor.extract %[[AXES]]
// CHECK: cf.assert %{{.*}}, "an axis is out of range"
// CHECK: %[[KEPT:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<?x?x?xf32>)
// CHECK: scf.for
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: tensor.extract %[[X]]
// CHECK: arith.addf
// CHECK: tensor.reshape %[[KEPT]]
// CHECK-SAME: -> tensor<?x?xf32>
func.func @sum_runtime_axes(%x: tensor<2x3x4xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %y = onnx.ReduceSum %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
