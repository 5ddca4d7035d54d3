// RUN: seqc-opt %s -split-input-file -seqc-results-to-destinations=function=f -verify-diagnostics | FileCheck %s
// @f in destination-passing style: one memref out-parameter per result, in
// result order, written by bufferization.materialize_in_destination; the
// inputs are not writable.

// A recurrence model: the results go through the recurrence, whose outs
// stay a tensor.empty for empty-tensor elimination to resolve.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3xf32> {bufferization.writable = false}, %{{.*}}: tensor<3x4xf32> {bufferization.writable = false}, %[[OUT0:.*]]: memref<?x2x4xf32>, %[[OUT1:.*]]: memref<2x4xf32>) {
// CHECK: %[[REC:.*]]:2 = seq.recurrence forward
// CHECK: bufferization.materialize_in_destination %[[REC]]#1 in restrict writable %[[OUT0]] : (tensor<?x2x4xf32>, memref<?x2x4xf32>) -> ()
// CHECK-NEXT: bufferization.materialize_in_destination %[[REC]]#0 in restrict writable %[[OUT1]] : (tensor<2x4xf32>, memref<2x4xf32>) -> ()
// CHECK-NEXT: return{{$}}
func.func @f(%x: tensor<?x2x3xf32>, %w: tensor<3x4xf32>)
    -> (tensor<?x2x4xf32>, tensor<2x4xf32>) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %t = tensor.dim %x, %c0 : tensor<?x2x3xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %h0 = linalg.fill ins(%cst : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y0 = tensor.empty(%t) : tensor<?x2x4xf32>
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<?x2x3xf32>) outs(%y0 : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x3xf32>):
    %xw = linalg.matmul ins(%xt, %w : tensor<2x3xf32>, tensor<3x4xf32>)
                        outs(%hp : tensor<2x4xf32>) -> tensor<2x4xf32>
    seq.yield %xw, %xw : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %y, %h : tensor<?x2x4xf32>, tensor<2x4xf32>
}

// -----

// A result computed by destination-style ops from a tensor.empty starts in
// its out-parameter. One tensor.empty feeding two results' chains gives
// each chain its own out-parameter.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32> {bufferization.writable = false}, %[[OUT0:.*]]: memref<4xf32>, %[[OUT1:.*]]: memref<4xf32>) {
// CHECK-DAG: %[[D1:.*]] = bufferization.to_tensor %[[OUT1]] restrict writable : memref<4xf32> to tensor<4xf32>
// CHECK-DAG: %[[D0:.*]] = bufferization.to_tensor %[[OUT0]] restrict writable : memref<4xf32> to tensor<4xf32>
// CHECK-NOT: tensor.empty
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[A]], %[[A]] : tensor<4xf32>, tensor<4xf32>) outs(%[[D0]] : tensor<4xf32>)
// CHECK: %[[PROD:.*]] = linalg.mul ins(%[[A]], %[[A]] : tensor<4xf32>, tensor<4xf32>) outs(%[[D1]] : tensor<4xf32>)
// CHECK: bufferization.materialize_in_destination %[[SUM]] in writable %[[OUT0]]
// CHECK: bufferization.materialize_in_destination %[[PROD]] in writable %[[OUT1]]
func.func @f(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %s = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.mul ins(%a, %a : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %s, %m : tensor<4xf32>, tensor<4xf32>
}

// -----

// A chain through an accumulating op (matmul into a fill)
// still starts in the out-parameter.
// CHECK-LABEL: func.func @f
// CHECK-SAME: %[[OUT:[^ ]*]]: memref<2x2xf32>)
// CHECK: %[[D:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[D]] : tensor<2x2xf32>)
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %p = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>) outs(%acc : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %p : tensor<2x2xf32>
}

// -----

// A result that is an input is copied into its out-parameter.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32> {bufferization.writable = false}, %[[OUT:.*]]: memref<4xf32>) {
// CHECK-NEXT: bufferization.materialize_in_destination %[[A]] in restrict writable %[[OUT]]
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{no model function @f}}
module {
  func.func @g(%a: tensor<2xf32>) -> tensor<2xf32> {
    return %a : tensor<2xf32>
  }
}
