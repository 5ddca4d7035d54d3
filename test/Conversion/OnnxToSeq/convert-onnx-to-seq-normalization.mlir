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

// -----

// Training mode: the batch's mean and variance per channel (X transposed to
// [C, N, L], two reductions over all but C), then running statistics
// input * 0.9 + batch's * 0.1.
// CHECK-LABEL: func.func @batch_norm_training
// CHECK: linalg.transpose {{.*}} permutation = [1, 0, 2]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK-DAG: arith.constant 0.899999976 : f32
// CHECK-DAG: arith.constant 0.100000024 : f32
// CHECK: math.rsqrt
func.func @batch_norm_training(%x: tensor<?x3x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %b, %m, %v) {training_mode = 1 : i64} : (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>
}
