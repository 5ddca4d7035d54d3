// RUN: seqc-opt %s -seq-expand-lengths -split-input-file | FileCheck %s
// seq-expand-lengths writes out what `lengths` means, once for every
// lowering: row b is active at time t while t < lengths[b]. An inactive row
// keeps its state and outputs zeros, and a sequence of length 0 ends with
// zero final states (ONNX's rule for Y_h / Y_c).

// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @lengths
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<5x2x4xf32>, %[[Y0:.*]]: tensor<5x2x4xf32>, %[[LEN:.*]]: tensor<2xi32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ZERO_LEN:.*]] = arith.constant 0 : i32
// The recurrence loses its lengths and gains a time index.
// CHECK: %[[REC:.*]]:2 = seq.recurrence forward time_index inits(%[[H0]] : tensor<2x4xf32>) inputs(%[[X]] : tensor<5x2x4xf32>) outs(%[[Y0]] : tensor<5x2x4xf32>) {
// CHECK-NEXT: ^bb0(%[[T:.*]]: index, %[[H:.*]]: tensor<2x4xf32>, %[[XT:.*]]: tensor<2x4xf32>):
// CHECK-NEXT: %[[NEXT:.*]] = arith.addf %[[H]], %[[XT]] : tensor<2x4xf32>
// CHECK-NEXT: %[[TI:.*]] = arith.index_cast %[[T]] : index to i32
// CHECK: %[[ACTIVE:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]]], iterator_types = ["parallel"]} ins(%[[LEN]] : tensor<2xi32>) outs(%{{.*}} : tensor<2xi1>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT: %[[LT:.*]] = arith.cmpi sgt, %[[L]], %[[TI]] : i32
// CHECK-NEXT: linalg.yield %[[LT]] : i1
// CHECK: %[[STATE:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACTIVE]], %[[NEXT]], %[[H]] : tensor<2xi1>, tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i1, %[[N:.*]]: f32, %[[P:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[KEEP:.*]] = arith.select %[[A]], %[[N]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[KEEP]] : f32
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACTIVE]], %[[NEXT]] : tensor<2xi1>, tensor<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A2:.*]]: i1, %[[N2:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[ZEROED:.*]] = arith.select %[[A2]], %[[N2]], %[[ZERO]] : f32
// CHECK-NEXT: linalg.yield %[[ZEROED]] : f32
// CHECK: seq.yield %[[STATE]], %[[OUT]] : tensor<2x4xf32>, tensor<2x4xf32>
// After the recurrence: final states of empty sequences are zero.
// CHECK: %[[NONEMPTY:.*]] = linalg.generic {{.*}} ins(%[[LEN]] : tensor<2xi32>)
// CHECK: arith.cmpi sgt, %{{.*}}, %[[ZERO_LEN]] : i32
// CHECK: %[[FINAL:.*]] = linalg.generic {{.*}} ins(%[[NONEMPTY]], %[[REC]]#0 : tensor<2xi1>, tensor<2x4xf32>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[ZERO]] : f32
// CHECK: return %[[FINAL]], %[[REC]]#1
func.func @lengths(%h0: tensor<2x4xf32>, %x: tensor<5x2x4xf32>,
                   %y0: tensor<5x2x4xf32>, %len: tensor<2xi32>)
    -> (tensor<2x4xf32>, tensor<5x2x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<5x2x4xf32>) outs(%y0 : tensor<5x2x4xf32>)
      lengths(%len : tensor<2xi32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %y : tensor<2x4xf32>, tensor<5x2x4xf32>
}

// -----

// Reverse, with a time index already there: the mask compares that same
// index (the time, not the step number), so each sequence starts at its own
// last step. Dynamic sizes and i64 lengths.
// CHECK-LABEL: func.func @reverse_time_index
// CHECK: seq.recurrence reverse time_index inits
// CHECK-NEXT: ^bb0(%[[T:.*]]: index, %{{.*}}: tensor<?x4xf32>, %{{.*}}: tensor<?x4xf32>):
// CHECK-NOT: ^bb0(%{{.*}}: index, %{{.*}}: index
// CHECK: %[[TI:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK: arith.cmpi sgt, %{{.*}}, %[[TI]] : i64
// CHECK: seq.yield
func.func @reverse_time_index(%h0: tensor<?x4xf32>, %x: tensor<?x?x4xf32>,
                              %len: tensor<?xi64>) -> tensor<?x4xf32> {
  %h = seq.recurrence reverse time_index inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) lengths(%len : tensor<?xi64>) {
  ^bb0(%t: index, %hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %s = arith.addf %hp, %xt : tensor<?x4xf32>
    seq.yield %s : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}

// -----

// Without lengths nothing changes.
// CHECK-LABEL: func.func @no_lengths
// CHECK: seq.recurrence forward inits
// CHECK-NOT: linalg.generic
func.func @no_lengths(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %hp, %xt : tensor<4xf32>
    seq.yield %s : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}
