// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// ConstantOfShape and Range: sizes read from input data are checked at run
// time (the checks move into the shape function later).

// ConstantOfShape: the shape's values checked non-negative, read as the
// sizes, and filled with `value`.
// CHECK-LABEL: func.func @fill
// CHECK-SAME: (%[[S:.*]]: tensor<2xi64>)
// CHECK: cf.assert %{{.*}}, "ConstantOfShape's shape: a value is below the smallest allowed"
// CHECK: %[[D0:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK: %[[I0:.*]] = arith.index_cast %[[D0]] : i64 to index
// CHECK: %[[D1:.*]] = tensor.extract %[[S]][%{{.*}}] : tensor<2xi64>
// CHECK: %[[I1:.*]] = arith.index_cast %[[D1]] : i64 to index
// CHECK: %[[SEVEN:.*]] = arith.constant 7 : i64
// CHECK: %[[E:.*]] = tensor.empty(%[[I0]], %[[I1]]) : tensor<?x?xi64>
// CHECK: linalg.fill ins(%[[SEVEN]] : i64) outs(%[[E]] : tensor<?x?xi64>)
func.func @fill(%s: tensor<2xi64>) -> tensor<?x?xi64> {
  %y = onnx.ConstantOfShape %s {value = dense<7> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<?x?xi64>
  return %y : tensor<?x?xi64>
}

// -----

// A constant shape folds to a splat constant; no check, no fill.
// CHECK-LABEL: func.func @fill_static
// CHECK-NOT: cf.assert
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-NOT: linalg.fill
// CHECK: return %[[ZERO]]
func.func @fill_static() -> tensor<2x3xf32> {
  %s = onnx.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %y = onnx.ConstantOfShape %s : (tensor<2xi64>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Range: the length max(ceil((limit - start) / delta), 0) in float64, delta
// checked non-zero; element i is start + i * delta.
// CHECK-LABEL: func.func @range
// CHECK: %[[START:.*]] = tensor.extract %arg0[] : tensor<f32>
// CHECK: %[[DELTA:.*]] = tensor.extract %arg2[] : tensor<f32>
// CHECK: cf.assert %{{.*}}, "Range's delta must not be 0"
// CHECK: math.ceil
// CHECK: arith.maxnumf
// CHECK: cf.assert %{{.*}}, "Range has more than 2^53 elements"
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[IF:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[OFF:.*]] = arith.mulf %[[IF]], %[[DELTA]] : f32
// CHECK: arith.addf %[[START]], %[[OFF]] : f32
func.func @range(%a: tensor<f32>, %b: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  %y = onnx.Range %a, %b, %d : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
