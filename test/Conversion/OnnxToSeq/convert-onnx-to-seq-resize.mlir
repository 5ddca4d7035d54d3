// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Resize, one resized dimension at a time: a table generic over (output
// position, tap) gives the input index (and the weight), then one generic
// over the output reads X at the tapped index.

// Linear, scale 2 on the last axis only: half_pixel's x = (o + 0.5) / 2 -
// 0.5, taps floor(x) + j (j < 2) clamped into [0, 4] with weight 1 - |j -
// frac(x)|; the output generic reduces over the taps.
// CHECK-DAG: #[[TABLE:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @resize_linear
// CHECK: %[[TABLES:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<10x2xi64>, tensor<10x2xf32>)
// CHECK: arith.divf
// CHECK: math.floor
// CHECK: math.absf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.fptosi
// CHECK: linalg.generic {indexing_maps = [#[[TABLE]], #[[TABLE]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[TABLES]]#0, %[[TABLES]]#1 : tensor<10x2xi64>, tensor<10x2xf32>) outs(%{{.*}} : tensor<2x3x10xf32>)
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[V:.*]] = tensor.extract %arg0[%{{.*}}, %{{.*}}, %[[I]]] : tensor<2x3x5xf32>
// CHECK: arith.mulf %{{.*}}, %[[V]]
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @resize_linear(%x: tensor<2x3x5xf32>) -> tensor<2x3x10xf32> {
  %s = onnx.Constant {value = dense<[1.0, 1.0, 2.0]> : tensor<3xf32>} : tensor<3xf32>
  %y = "onnx.Resize"(%x, %s) {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<2x3x5xf32>, tensor<3xf32>) -> tensor<2x3x10xf32>
  return %y : tensor<2x3x10xf32>
}

// -----

// Nearest on integers: one tap, no weights; asymmetric floor reads x = o /
// 0.5 rounded down.
// CHECK-DAG: #[[TAP:.*]] = affine_map<(d0, d1) -> (d1, 0)>
// CHECK-LABEL: func.func @resize_nearest
// CHECK: %[[TABLE:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<3x1xi64>)
// CHECK: arith.divf
// CHECK: math.floor
// CHECK: linalg.generic {indexing_maps = [#[[TAP]], {{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[TABLE]] : tensor<3x1xi64>) outs(%{{.*}} : tensor<4x3xi32>)
// CHECK: %[[V:.*]] = tensor.extract %arg0
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @resize_nearest(%x: tensor<4x6xi32>) -> tensor<4x3xi32> {
  %s = onnx.Constant {value = dense<[1.0, 0.5]> : tensor<2xf32>} : tensor<2xf32>
  %y = "onnx.Resize"(%x, %s) {operandSegmentSizes = array<i32: 1, 0, 1, 0>, coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<4x6xi32>, tensor<2xf32>) -> tensor<4x3xi32>
  return %y : tensor<4x3xi32>
}

// -----

// Antialias with a scale known only at run time: the number of taps is
// computed (2 - 2 * (floor(-1 / min(scale, 1)) + 1)), and the weights are
// normalised per output position.
// CHECK-LABEL: func.func @resize_antialias_dynamic
// CHECK: tensor.extract %arg1
// CHECK: arith.minimumf
// CHECK: math.floor
// CHECK: %[[TAPS:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: tensor.empty(%{{.*}}, %[[TAPS]]) : tensor<?x?xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.divf
func.func @resize_antialias_dynamic(%x: tensor<1x9xf32>, %s: tensor<2xf32>) -> tensor<?x?xf32> {
  %y = "onnx.Resize"(%x, %s) {mode = "linear", antialias = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x9xf32>, tensor<2xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
