// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Loop becomes an scf.while over (iteration, condition, loop-carried
// values, scan rows so far): it continues while iteration < max_trip_count
// and the condition holds; the body sees the iteration number and the
// condition as scalar tensors; each step's scan output goes into its row
// of a [max_trip_count] tensor, cut afterwards to the rows filled.
// CHECK-LABEL: func.func @range_as_loop
// CHECK: %[[TRIPS:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: cf.assert %{{.*}}, "Loop's max_trip_count is negative or above 2^30
// CHECK: %[[ROWS:.*]] = tensor.empty(%[[TRIPS]]) : tensor<?xf32>
// CHECK: %[[LOOP:.*]]:4 = scf.while (%{{.*}} = %c0{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %arg0, %{{.*}} = %[[ROWS]]) : (index, i1, tensor<f32>, tensor<?xf32>)
// CHECK:   %[[MORE:.*]] = arith.cmpi slt, %{{.*}}, %[[TRIPS]] : index
// CHECK:   %[[GO:.*]] = arith.andi %[[MORE]], %{{.*}} : i1
// CHECK:   scf.condition(%[[GO]])
// CHECK: } do {
// CHECK: ^bb0(%[[I:.*]]: index, %{{.*}}: i1, %[[PREV:.*]]: tensor<f32>, %[[STACK:.*]]: tensor<?xf32>):
// CHECK:   tensor.from_elements %{{.*}} : tensor<i64>
// CHECK:   %[[NEXT:.*]] = linalg.generic
// CHECK:   %[[I1:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:   %[[ROW:.*]] = tensor.insert_slice %[[PREV]] into %[[STACK]][%[[I]]] [1] [1] : tensor<f32> into tensor<?xf32>
// CHECK:   scf.yield %[[I1]], %{{.*}}, %[[NEXT]], %[[ROW]]
// CHECK: tensor.extract_slice %[[LOOP]]#3[0] [%[[LOOP]]#0] [1]
func.func @range_as_loop(%start: tensor<f32>, %delta: tensor<f32>, %n: tensor<i64>, %go: tensor<i1>) -> tensor<?xf32> {
  %r:2 = onnx.Loop max_trip_count(%n : tensor<i64>) cond(%go : tensor<i1>) inits(%start : tensor<f32>) -> tensor<f32>, tensor<?xf32> {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %prev: tensor<f32>):
    %next = onnx.Add %prev, %delta : (tensor<f32>, tensor<f32>) -> tensor<f32>
    onnx.yield %c, %next, %prev : tensor<i1>, tensor<f32>, tensor<f32>
  }
  return %r#1 : tensor<?xf32>
}

// -----

// A counted Loop (a trip count, no condition) is a recurrence over its
// iterations: the time index is the iteration number, the loop-carried
// value the state, the scan output the stacked output; max(M, 0) steps.
// CHECK-LABEL: func.func @counted_loop
// CHECK: %[[M:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[TRIPS:.*]] = arith.maxsi %[[M]], %c0{{.*}} : index
// CHECK: cf.assert %{{.*}}, "Loop's max_trip_count is above 2^30
// CHECK: %[[ROWS:.*]] = tensor.empty(%[[TRIPS]]) : tensor<?xf32>
// CHECK: %{{.*}}:2 = seq.recurrence forward time_index inits(%arg0 : tensor<f32>) outs(%[[ROWS]] : tensor<?xf32>) {
// CHECK-NEXT: ^bb0(%[[T:.*]]: index, %[[PREV:.*]]: tensor<f32>):
// CHECK: %[[I:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK: tensor.from_elements %[[I]] : tensor<i64>
// CHECK: %[[NEXT:.*]] = linalg.generic
// CHECK: seq.yield %[[NEXT]], %[[PREV]] : tensor<f32>, tensor<f32>
func.func @counted_loop(%start: tensor<f32>, %delta: tensor<f32>, %n: tensor<i64>) -> tensor<?xf32> {
  %r:2 = onnx.Loop max_trip_count(%n : tensor<i64>) inits(%start : tensor<f32>) -> tensor<f32>, tensor<?xf32> {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %prev: tensor<f32>):
    %next = onnx.Add %prev, %delta : (tensor<f32>, tensor<f32>) -> tensor<f32>
    onnx.yield %c, %next, %prev : tensor<i1>, tensor<f32>, tensor<f32>
  }
  return %r#1 : tensor<?xf32>
}

// -----

// Counted with no scan output: each step stacks one unset byte, which gives
// the recurrence its number of steps.
// CHECK-LABEL: func.func @counted_loop_final_only
// CHECK: %[[NONE:.*]] = tensor.empty(%{{.*}}) : tensor<?x1xi8>
// CHECK: seq.recurrence forward time_index inits(%arg0 : tensor<f32>) outs(%[[NONE]] : tensor<?x1xi8>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1xi8>
// CHECK: seq.yield %{{.*}}, %[[EMPTY]] : tensor<f32>, tensor<1xi8>
func.func @counted_loop_final_only(%start: tensor<f32>, %delta: tensor<f32>, %n: tensor<i64>) -> tensor<f32> {
  %true = onnx.Constant {value = dense<true> : tensor<i1>} : tensor<i1>
  %r = onnx.Loop max_trip_count(%n : tensor<i64>) cond(%true : tensor<i1>) inits(%start : tensor<f32>) -> tensor<f32> {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %prev: tensor<f32>):
    %next = onnx.Add %prev, %delta : (tensor<f32>, tensor<f32>) -> tensor<f32>
    onnx.yield %c, %next : tensor<i1>, tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

// Row i of a tensor from outside, read by the iteration number (a `for`
// loop over the rows of X), is step i of a step input: X's first trips
// rows, checked to exist.
// CHECK-LABEL: func.func @loop_reads_rows
// CHECK: cf.assert %{{.*}}, "Gather indices out of range: the Loop's iteration number reaches past the rows of the data"
// CHECK: %[[STEPS:.*]] = tensor.extract_slice %arg1[0, 0] [%{{.*}}, 3] [1, 1] : tensor<?x3xf32> to tensor<?x3xf32>
// CHECK: seq.recurrence forward time_index inits(%arg0 : tensor<3xf32>) inputs(%[[STEPS]] : tensor<?x3xf32>) outs(
// CHECK-NEXT: ^bb0(%{{.*}}: index, %[[PREV:.*]]: tensor<3xf32>, %[[ROW:.*]]: tensor<3xf32>):
// CHECK-NOT: tensor.extract %arg1
// CHECK: linalg.generic {{.*}} ins(%[[PREV]], %[[ROW]] : tensor<3xf32>, tensor<3xf32>)
func.func @loop_reads_rows(%s0: tensor<3xf32>, %x: tensor<?x3xf32>, %n: tensor<i64>) -> tensor<3xf32> {
  %r:2 = onnx.Loop max_trip_count(%n : tensor<i64>) inits(%s0 : tensor<3xf32>) -> tensor<3xf32>, tensor<?x3xf32> {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %prev: tensor<3xf32>):
    %row = onnx.Gather %x, %i : (tensor<?x3xf32>, tensor<i64>) -> tensor<3xf32>
    %next = onnx.Add %prev, %row : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    onnx.yield %c, %next, %next : tensor<i1>, tensor<3xf32>, tensor<3xf32>
  }
  return %r#0 : tensor<3xf32>
}
