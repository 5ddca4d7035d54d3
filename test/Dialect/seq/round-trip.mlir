// RUN: seqc-opt %s -split-input-file | seqc-opt -split-input-file | FileCheck %s
// RUN: seqc-opt %s -split-input-file -mlir-print-op-generic | seqc-opt -split-input-file | FileCheck %s
// Parse and print of seq.recurrence with each of its optional operand groups
// present or absent, in both directions.

// CHECK-LABEL: func.func @forward_all_groups
// CHECK-SAME: (%[[H0:.*]]: tensor<?x4xf32>, %[[X:.*]]: tensor<?x?x3xf32>, %[[Y0:.*]]: tensor<?x?x4xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[R:.*]]:2 = seq.recurrence forward inits(%[[H0]] : tensor<?x4xf32>) inputs(%[[X]] : tensor<?x?x3xf32>) outs(%[[Y0]] : tensor<?x?x4xf32>) lengths(%[[LEN]] : tensor<?xi32>) {
// CHECK-NEXT: ^bb0(%[[H:.*]]: tensor<?x4xf32>, %[[XT:.*]]: tensor<?x3xf32>):
// CHECK: seq.yield %[[H]], %[[H]] : tensor<?x4xf32>, tensor<?x4xf32>
// CHECK-NEXT: }
// CHECK: return %[[R]]#0, %[[R]]#1 : tensor<?x4xf32>, tensor<?x?x4xf32>
func.func @forward_all_groups(%h0: tensor<?x4xf32>, %x: tensor<?x?x3xf32>,
    %y0: tensor<?x?x4xf32>, %len: tensor<?xi32>)
    -> (tensor<?x4xf32>, tensor<?x?x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x3xf32>) outs(%y0 : tensor<?x?x4xf32>)
      lengths(%len : tensor<?xi32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x3xf32>):
    seq.yield %hp, %hp : tensor<?x4xf32>, tensor<?x4xf32>
  }
  return %h, %y : tensor<?x4xf32>, tensor<?x?x4xf32>
}

// -----

// Reverse, two states, two inputs, no outs and no lengths.
// CHECK-LABEL: func.func @reverse_states_only
// CHECK: %{{.*}}:2 = seq.recurrence reverse inits(%arg0, %arg1 : tensor<2x4xf32>, tensor<2x4xf32>) inputs(%arg2, %arg3 : tensor<5x2x3xf32>, tensor<5xi64>) {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<2x4xf32>, %{{.*}}: tensor<2x4xf32>, %{{.*}}: tensor<2x3xf32>, %{{.*}}: tensor<i64>):
// CHECK: seq.yield %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>
func.func @reverse_states_only(%h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>,
    %x: tensor<5x2x3xf32>, %steps: tensor<5xi64>) -> tensor<2x4xf32> {
  %h, %c = seq.recurrence reverse inits(%h0, %c0 : tensor<2x4xf32>, tensor<2x4xf32>)
      inputs(%x, %steps : tensor<5x2x3xf32>, tensor<5xi64>) {
  ^bb0(%hp: tensor<2x4xf32>, %cp: tensor<2x4xf32>, %xt: tensor<2x3xf32>, %st: tensor<i64>):
    seq.yield %cp, %hp : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %c : tensor<2x4xf32>
}

// -----

// No states at all: a map over time, its length taken from outs alone.
// CHECK-LABEL: func.func @outs_only
// CHECK: %{{.*}} = seq.recurrence forward outs(%arg1 : tensor<7x3xf32>) {
// CHECK-NEXT: seq.yield %arg0 : tensor<3xf32>
func.func @outs_only(%v: tensor<3xf32>, %y0: tensor<7x3xf32>) -> tensor<7x3xf32> {
  %y = seq.recurrence forward outs(%y0 : tensor<7x3xf32>) {
    seq.yield %v : tensor<3xf32>
  }
  return %y : tensor<7x3xf32>
}

// -----

// A body with real computation, and a discardable attribute after the body.
// CHECK-LABEL: func.func @body_and_attrs
// CHECK: seq.recurrence reverse inits(%arg0 : tensor<4xf32>) inputs(%arg1 : tensor<?x4xf32>) outs(%arg2 : tensor<?x4xf32>) {
// CHECK: %[[S:.*]] = arith.addf
// CHECK: seq.yield %[[S]], %[[S]] : tensor<4xf32>, tensor<4xf32>
// CHECK-NEXT: } {seqc.tag = "cell"}
func.func @body_and_attrs(%h0: tensor<4xf32>, %x: tensor<?x4xf32>,
                          %y0: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %h, %y = seq.recurrence reverse inits(%h0 : tensor<4xf32>)
      inputs(%x : tensor<?x4xf32>) outs(%y0 : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %hp, %xt : tensor<4xf32>
    seq.yield %s, %s : tensor<4xf32>, tensor<4xf32>
  } {seqc.tag = "cell"}
  return %y : tensor<?x4xf32>
}

// -----

// Step inputs only: no results, and a yield of nothing.
// CHECK-LABEL: func.func @inputs_only
// CHECK: seq.recurrence forward inputs(%arg0 : tensor<3x2xf32>) {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<2xf32>):
// CHECK-NEXT: seq.yield{{$}}
func.func @inputs_only(%x: tensor<3x2xf32>) {
  seq.recurrence forward inputs(%x : tensor<3x2xf32>) {
  ^bb0(%xt: tensor<2xf32>):
    seq.yield
  }
  return
}

// -----

// CHECK-LABEL: func.func @parallel_width
// CHECK: %[[W:.*]] = seq.parallel_width
// CHECK: return %[[W]] : index
func.func @parallel_width() -> index {
  %w = seq.parallel_width
  return %w : index
}

// -----

// seq.linear_scan in its forms: coefficients, initial state and all states
// each optional; a matrix state.
// CHECK-LABEL: func.func @linear_scan
// CHECK: seq.linear_scan forward a(%arg0 : tensor<?x4xf32>) b(%arg1 : tensor<?x4xf32>) init(%arg2 : tensor<4xf32>) outs(%arg3 : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
// CHECK: seq.linear_scan reverse b(%arg1 : tensor<?x4xf32>) -> tensor<4xf32>
// CHECK: seq.linear_scan forward a(%arg4 : tensor<?x2x3xf32>) b(%arg4 : tensor<?x2x3xf32>) -> tensor<2x3xf32>
func.func @linear_scan(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>, %h0: tensor<4xf32>,
                       %y: tensor<?x4xf32>, %m: tensor<?x2x3xf32>) {
  %f, %all = seq.linear_scan forward a(%a : tensor<?x4xf32>) b(%b : tensor<?x4xf32>)
      init(%h0 : tensor<4xf32>) outs(%y : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
  %sum = seq.linear_scan reverse b(%b : tensor<?x4xf32>) -> tensor<4xf32>
  %mat = seq.linear_scan forward a(%m : tensor<?x2x3xf32>) b(%m : tensor<?x2x3xf32>) -> tensor<2x3xf32>
  return
}
