// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file -verify-diagnostics | FileCheck %s
// Softmax / LogSoftmax along one axis, shifted by the maximum.

// CHECK-DAG: #[[FULL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<?x5xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SHIFTED:.*]] = linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]], #[[FULL]]], {{.*}} ins(%arg0, %[[MAX]] :
// CHECK: arith.subf
// CHECK: %[[EXPS:.*]] = linalg.generic {{.*}} ins(%[[SHIFTED]] :
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[EXPS]] :
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[EXPS]], %[[SUM]] :
// CHECK: arith.divf
func.func @softmax(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %y = onnx.Softmax %x : (tensor<?x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// LogSoftmax: (x - m) - log(s), here along axis 0.
// CHECK-LABEL: func.func @log_softmax
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: %[[SHIFTED:.*]] = linalg.generic
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[SHIFTED]], %[[SUM]] :
// CHECK: %[[LOG:.*]] = math.log
// CHECK: arith.subf %{{.*}}, %[[LOG]] : f32
func.func @log_softmax(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %y = onnx.LogSoftmax %x {axis = 0 : i64} : (tensor<3x5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
