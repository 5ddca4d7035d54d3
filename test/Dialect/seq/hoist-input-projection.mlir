// RUN: seqc-opt %s -seq-hoist-input-projection -split-input-file | FileCheck %s
// seq-hoist-input-projection: a product of the step input by weights from
// outside the loop becomes one product over all steps before the loop, and
// a step input of the recurrence.

// CHECK-LABEL: func.func @projection
// CHECK-SAME: (%[[H0:.*]]: tensor<?x8xf32>, %[[X:.*]]: tensor<?x?x4xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[R:.*]]: tensor<8x8xf32>, %[[BIAS:.*]]: tensor<?x8xf32>, %[[Y0:.*]]: tensor<?x?x8xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x?x4xf32> into tensor<?x4xf32>
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[B:.*]] = tensor.dim %[[BIAS]], %[[C0]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[T]], %[[B]]) : tensor<?x?x8xf32>
// CHECK: %[[OVER_TIME:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<?x8xf32>) outs(%[[EMPTY]] : tensor<?x?x8xf32>) dimensions = [0]
// CHECK: %[[ACC:.*]] = tensor.collapse_shape %[[OVER_TIME]] {{\[}}[0, 1], [2]] : tensor<?x?x8xf32> into tensor<?x8xf32>
// CHECK: %[[ALL:.*]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<?x4xf32>, tensor<4x8xf32>) outs(%[[ACC]] : tensor<?x8xf32>)
// CHECK: %[[STEPS:.*]] = tensor.expand_shape %[[ALL]] {{\[}}[0, 1], [2]] output_shape [%[[T]], %[[B]], 8] : tensor<?x8xf32> into tensor<?x?x8xf32>
// CHECK: seq.recurrence forward inits(%[[H0]] : tensor<?x8xf32>) inputs(%[[X]], %[[STEPS]] : tensor<?x?x4xf32>, tensor<?x?x8xf32>) outs(%[[Y0]] : tensor<?x?x8xf32>) {
// CHECK-NEXT: ^bb0(%[[H:.*]]: tensor<?x8xf32>, %{{.*}}: tensor<?x4xf32>, %[[P:.*]]: tensor<?x8xf32>):
// The state's product stays, accumulating into the step's projection.
// CHECK-NEXT: %[[PRE:.*]] = linalg.matmul ins(%[[H]], %[[R]] : tensor<?x8xf32>, tensor<8x8xf32>) outs(%[[P]] : tensor<?x8xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: seq.yield
func.func @projection(%h0: tensor<?x8xf32>, %x: tensor<?x?x4xf32>,
                      %w: tensor<4x8xf32>, %r: tensor<8x8xf32>,
                      %bias: tensor<?x8xf32>, %y0: tensor<?x?x8xf32>)
    -> (tensor<?x8xf32>, tensor<?x?x8xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<?x8xf32>)
      inputs(%x : tensor<?x?x4xf32>) outs(%y0 : tensor<?x?x8xf32>) {
  ^bb0(%hp: tensor<?x8xf32>, %xt: tensor<?x4xf32>):
    %p = linalg.matmul ins(%xt, %w : tensor<?x4xf32>, tensor<4x8xf32>)
        outs(%bias : tensor<?x8xf32>) -> tensor<?x8xf32>
    %pre = linalg.matmul ins(%hp, %r : tensor<?x8xf32>, tensor<8x8xf32>)
        outs(%p : tensor<?x8xf32>) -> tensor<?x8xf32>
    %next = math.tanh %pre : tensor<?x8xf32>
    seq.yield %next, %next : tensor<?x8xf32>, tensor<?x8xf32>
  }
  return %h, %y : tensor<?x8xf32>, tensor<?x?x8xf32>
}

// -----

// Two projections of the same input (GRU's [z, r] and h gates) both leave.
// CHECK-LABEL: func.func @two_projections
// CHECK-COUNT-2: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<6x3xf32>, tensor<3x4xf32>)
// CHECK: seq.recurrence reverse inits(%{{.*}} : tensor<2x4xf32>) inputs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3x2x3xf32>, tensor<3x2x4xf32>, tensor<3x2x4xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: seq.yield
func.func @two_projections(%h0: tensor<2x4xf32>, %x: tensor<3x2x3xf32>,
                           %w1: tensor<3x4xf32>, %w2: tensor<3x4xf32>,
                           %acc: tensor<2x4xf32>, %y0: tensor<3x2x4xf32>)
    -> tensor<3x2x4xf32> {
  %h, %y = seq.recurrence reverse inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<3x2x3xf32>) outs(%y0 : tensor<3x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x3xf32>):
    %a = linalg.matmul ins(%xt, %w1 : tensor<2x3xf32>, tensor<3x4xf32>)
        outs(%acc : tensor<2x4xf32>) -> tensor<2x4xf32>
    %b = linalg.matmul ins(%xt, %w2 : tensor<2x3xf32>, tensor<3x4xf32>)
        outs(%acc : tensor<2x4xf32>) -> tensor<2x4xf32>
    %s = arith.addf %a, %b : tensor<2x4xf32>
    %next = arith.addf %s, %hp : tensor<2x4xf32>
    seq.yield %next, %next : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %y : tensor<3x2x4xf32>
}

// -----

// What depends on the state, or on weights computed in the loop, stays.
// CHECK-LABEL: func.func @stays
// CHECK: seq.recurrence forward inits(%{{.*}} : tensor<2x4xf32>) inputs(%{{.*}} : tensor<3x2x4xf32>) outs
// CHECK-COUNT-2: linalg.matmul
// CHECK: seq.yield
func.func @stays(%h0: tensor<2x4xf32>, %x: tensor<3x2x4xf32>,
                 %w: tensor<4x4xf32>, %acc: tensor<2x4xf32>,
                 %y0: tensor<3x2x4xf32>) -> tensor<3x2x4xf32> {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<3x2x4xf32>) outs(%y0 : tensor<3x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %a = linalg.matmul ins(%hp, %w : tensor<2x4xf32>, tensor<4x4xf32>)
        outs(%acc : tensor<2x4xf32>) -> tensor<2x4xf32>
    %w2 = arith.addf %w, %w : tensor<4x4xf32>
    %b = linalg.matmul ins(%xt, %w2 : tensor<2x4xf32>, tensor<4x4xf32>)
        outs(%a : tensor<2x4xf32>) -> tensor<2x4xf32>
    seq.yield %b, %b : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %y : tensor<3x2x4xf32>
}
