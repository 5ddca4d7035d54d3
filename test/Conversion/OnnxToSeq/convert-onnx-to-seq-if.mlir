// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// onnx.If becomes scf.if on the condition's one element; the branches move
// as they are and are lowered in place. A branch value more static than the
// If's (joined) type is cast on the way out.

// CHECK-LABEL: func.func @if_join
// CHECK-SAME: (%[[C:.*]]: tensor<1xi1>, %[[A:.*]]: tensor<2xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[FLAG:.*]] = tensor.extract %[[C]][%{{.*}}] : tensor<1xi1>
// CHECK: %[[R:.*]] = scf.if %[[FLAG]] -> (tensor<?xf32>) {
// CHECK:   %[[T:.*]] = linalg.generic
// CHECK:   %[[TC:.*]] = tensor.cast %[[T]] : tensor<2xf32> to tensor<?xf32>
// CHECK:   scf.yield %[[TC]]
// CHECK: } else {
// CHECK:   %[[EC:.*]] = tensor.cast %[[B]] : tensor<3xf32> to tensor<?xf32>
// CHECK:   scf.yield %[[EC]]
// CHECK: return %[[R]]
func.func @if_join(%c: tensor<1xi1>, %a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<?xf32> {
  %r = onnx.If %c : tensor<1xi1> -> tensor<?xf32> then {
    %t = onnx.Neg %a : (tensor<2xf32>) -> tensor<2xf32>
    onnx.yield %t : tensor<2xf32>
  } else {
    onnx.yield %b : tensor<3xf32>
  }
  return %r : tensor<?xf32>
}

// -----

// A branch that cannot run on these shapes: a check that always fails, and
// empty results of the If's types.
// CHECK-LABEL: func.func @if_branch_error
// CHECK: scf.if
// CHECK: } else {
// CHECK:   %[[FALSE:.*]] = arith.constant false
// CHECK:   cf.assert %[[FALSE]], "the else branch needs another input length"
// CHECK:   %[[E:.*]] = tensor.empty() : tensor<2xf32>
// CHECK:   scf.yield %[[E]]
func.func @if_branch_error(%c: tensor<i1>, %a: tensor<2xf32>) -> tensor<2xf32> {
  %r = onnx.If %c : tensor<i1> -> tensor<2xf32> then {
    onnx.yield %a : tensor<2xf32>
  } else {
    %e = onnx.branch_error "the else branch needs another input length" : tensor<2xf32>
    onnx.yield %e : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}
