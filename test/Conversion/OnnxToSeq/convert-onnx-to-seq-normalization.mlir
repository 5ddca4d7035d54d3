// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Normalisation: two reductions over the dimensions from `axis` on (sum,
// then the sum of squared deviations from the mean), rsqrt(var + epsilon),
// statistics kept at X's rank, then scale and bias.

// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "reduction"]{{.*}} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.divf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "reduction"]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: math.rsqrt
// CHECK: tensor.reshape {{.*}} -> tensor<2x1x1xf32>
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>)
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %y, %m, %i = "onnx.LayerNormalization"(%x, %s, %b) {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y : tensor<2x3x4xf32>
}

// -----

// BatchNormalization uses the given statistics: per-channel vectors reshaped
// to [C, 1] broadcast against [N, C, L].
// CHECK-LABEL: func.func @batch_norm
// CHECK-COUNT-4: tensor.reshape {{.*}} -> tensor<3x1xf32>
// CHECK: linalg.generic
// CHECK: math.rsqrt
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @batch_norm(%x: tensor<?x3x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3x5xf32> {
  %y, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %b, %m, %v) : (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<?x3x5xf32>
}
