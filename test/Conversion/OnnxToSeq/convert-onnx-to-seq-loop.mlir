// RUN: seqc-opt %s -convert-onnx-to-seq | FileCheck %s
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
