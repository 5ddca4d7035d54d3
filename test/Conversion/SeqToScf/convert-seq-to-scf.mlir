// RUN: seqc-opt %s -convert-seq-to-scf -split-input-file | FileCheck %s
// seq.recurrence becomes an scf.for over time carrying the states and the
// stacked outputs; step inputs are extract_slices at t, step outputs
// insert_slices at t.

// Forward: t is the induction variable; the loop runs to the time size of
// the first input.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<?x2x4xf32>, %[[Y0:.*]]: tensor<?x2x4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x2x4xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[IV:[^ ]+]] = %[[C0]] to %[[T]] step %[[C1]] iter_args(%[[H:.*]] = %[[H0]], %[[Y:.*]] = %[[Y0]]) -> (tensor<2x4xf32>, tensor<?x2x4xf32>) {
// CHECK-NEXT: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[IV]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<?x2x4xf32> to tensor<2x4xf32>
// CHECK-NEXT: %[[NEXT:.*]] = arith.addf %[[H]], %[[XT]] : tensor<2x4xf32>
// CHECK-NEXT: %[[YN:.*]] = tensor.insert_slice %[[NEXT]] into %[[Y]][%[[IV]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<?x2x4xf32>
// CHECK-NEXT: scf.yield %[[NEXT]], %[[YN]] : tensor<2x4xf32>, tensor<?x2x4xf32>
// CHECK-NEXT: }
// CHECK-NOT: seq.recurrence
// CHECK: return %[[LOOP]]#0, %[[LOOP]]#1
func.func @forward(%h0: tensor<2x4xf32>, %x: tensor<?x2x4xf32>,
                   %y0: tensor<?x2x4xf32>) -> (tensor<2x4xf32>, tensor<?x2x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<?x2x4xf32>) outs(%y0 : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %y : tensor<2x4xf32>, tensor<?x2x4xf32>
}

// -----

// Reverse: t = (T - 1) - iv.
// CHECK-LABEL: func.func @reverse
// CHECK-SAME: (%[[H0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x4xf32>
// CHECK: scf.for %[[IV:[^ ]+]] = %[[C0]] to %[[T]] step %[[C1]] iter_args(%{{.*}} = %[[H0]]) -> (tensor<4xf32>) {
// CHECK-NEXT: %[[LAST:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK-NEXT: %[[TIME:.*]] = arith.subi %[[LAST]], %[[IV]] : index
// CHECK-NEXT: tensor.extract_slice %[[X]][%[[TIME]], 0] [1, 4] [1, 1] : tensor<?x4xf32> to tensor<4xf32>
func.func @reverse(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %h = seq.recurrence reverse inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %hp, %xt : tensor<4xf32>
    seq.yield %s : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

// A static reverse recurrence: T - 1 folds to a constant.
// CHECK-LABEL: func.func @reverse_static
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} to %[[C5]] step
// CHECK-NEXT: %[[TIME:.*]] = arith.subi %[[C4]], %[[IV]] : index
// CHECK-NEXT: tensor.extract_slice %arg1[%[[TIME]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[TIME]], 0, 0] [1, 2, 4] [1, 1, 1]
func.func @reverse_static(%h0: tensor<2x4xf32>, %x: tensor<5x2x4xf32>,
                          %y0: tensor<5x2x4xf32>) -> tensor<5x2x4xf32> {
  %h, %y = seq.recurrence reverse inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<5x2x4xf32>) outs(%y0 : tensor<5x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %y : tensor<5x2x4xf32>
}

// -----

// lengths: active[b] = t < lengths[b]; finished sequences keep their state
// (select against the carried state) and output zeros.
// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @lengths
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<5x2x4xf32>, %[[Y0:.*]]: tensor<5x2x4xf32>, %[[LEN:.*]]: tensor<2xi32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[Y:.*]] = %[[Y0]])
// CHECK: %[[NEXT:.*]] = arith.addf %[[H]], %{{.*}} : tensor<2x4xf32>
// CHECK: %[[TI:.*]] = arith.index_cast %[[IV]] : index to i32
// CHECK: %[[ACTIVE:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]]], iterator_types = ["parallel"]} ins(%[[LEN]] : tensor<2xi32>) outs(%{{.*}} : tensor<2xi1>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT: %[[LT:.*]] = arith.cmpi slt, %[[TI]], %[[L]] : i32
// CHECK-NEXT: linalg.yield %[[LT]] : i1
// CHECK: %[[STATE:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACTIVE]], %[[NEXT]], %[[H]] : tensor<2xi1>, tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i1, %[[N:.*]]: f32, %[[P:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[KEEP:.*]] = arith.select %[[A]], %[[N]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[KEEP]] : f32
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACTIVE]], %[[NEXT]] : tensor<2xi1>, tensor<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A2:.*]]: i1, %[[N2:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[ZEROED:.*]] = arith.select %[[A2]], %[[N2]], %[[ZERO]] : f32
// CHECK-NEXT: linalg.yield %[[ZEROED]] : f32
// CHECK: %[[YN:.*]] = tensor.insert_slice %[[OUT]] into %[[Y]][%[[IV]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK-NEXT: scf.yield %[[STATE]], %[[YN]] : tensor<2x4xf32>, tensor<5x2x4xf32>
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

// A reverse recurrence with lengths compares the reversed time with the
// lengths, so each sequence starts at its own last step.
// CHECK-LABEL: func.func @reverse_lengths
// CHECK: scf.for %[[IV:[^ ]+]] =
// CHECK: %[[TIME:.*]] = arith.subi %{{.*}}, %[[IV]] : index
// CHECK: %[[TI:.*]] = arith.index_cast %[[TIME]] : index to i64
// CHECK: arith.cmpi slt, %[[TI]], %{{.*}} : i64
func.func @reverse_lengths(%h0: tensor<?x4xf32>, %x: tensor<?x?x4xf32>,
                           %len: tensor<?xi64>) -> tensor<?x4xf32> {
  %h = seq.recurrence reverse inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) lengths(%len : tensor<?xi64>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %s = arith.addf %hp, %xt : tensor<?x4xf32>
    seq.yield %s : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}

// -----

// Without inputs the time size comes from the first out; a step value
// defined outside the body is inserted at every step.
// CHECK-LABEL: func.func @outs_only
// CHECK-SAME: (%[[V:.*]]: tensor<3xf32>, %[[Y0:.*]]: tensor<?x3xf32>)
// CHECK: %[[T:.*]] = tensor.dim %[[Y0]], %{{.*}} : tensor<?x3xf32>
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} to %[[T]] step %{{.*}} iter_args(%[[Y:.*]] = %[[Y0]]) -> (tensor<?x3xf32>) {
// CHECK-NEXT: %[[YN:.*]] = tensor.insert_slice %[[V]] into %[[Y]][%[[IV]], 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<?x3xf32>
// CHECK-NEXT: scf.yield %[[YN]] : tensor<?x3xf32>
func.func @outs_only(%v: tensor<3xf32>, %y0: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = seq.recurrence forward outs(%y0 : tensor<?x3xf32>) {
    seq.yield %v : tensor<3xf32>
  }
  return %y : tensor<?x3xf32>
}

// -----

// Two states and two inputs: each input is sliced at t, the states are
// carried in order.
// CHECK-LABEL: func.func @two_states_two_inputs
// CHECK-SAME: (%[[A0:.*]]: tensor<4xf32>, %[[B0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<6x4xf32>, %[[Z:.*]]: tensor<6x4xf32>)
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} iter_args(%[[A:.*]] = %[[A0]], %[[B:.*]] = %[[B0]]) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK-NEXT: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[IV]], 0] [1, 4] [1, 1]
// CHECK-NEXT: %[[ZT:.*]] = tensor.extract_slice %[[Z]][%[[IV]], 0] [1, 4] [1, 1]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[XT]] : tensor<4xf32>
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[B]], %[[ZT]] : tensor<4xf32>
// CHECK-NEXT: scf.yield %[[M]], %[[S]] : tensor<4xf32>, tensor<4xf32>
func.func @two_states_two_inputs(%a0: tensor<4xf32>, %b0: tensor<4xf32>,
    %x: tensor<6x4xf32>, %z: tensor<6x4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a, %b = seq.recurrence forward inits(%a0, %b0 : tensor<4xf32>, tensor<4xf32>)
      inputs(%x, %z : tensor<6x4xf32>, tensor<6x4xf32>) {
  ^bb0(%ap: tensor<4xf32>, %bp: tensor<4xf32>, %xt: tensor<4xf32>, %zt: tensor<4xf32>):
    %s = arith.addf %ap, %xt : tensor<4xf32>
    %m = arith.mulf %bp, %zt : tensor<4xf32>
    seq.yield %m, %s : tensor<4xf32>, tensor<4xf32>
  }
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}
