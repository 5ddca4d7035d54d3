// RUN: seqc-opt %s -onnx-expand-sequences -split-input-file | FileCheck %s
// Sequences travel as their data back to back and a table of shapes (rank,
// then dims padded with 1 to 8); optionals as a bool, then their value's
// tensors. The sequence ops become onnx tensor ops on those.

// A model's sequence argument and result become two tensors each, with the
// roles the C interface describes; the element dims are declared on the
// table.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[DATA:.*]]: tensor<?xf32> {seqc.dim_names = [""], seqc.elem_type = 1 : i32, seqc.name = "x", seqc.role = "sequence_data"},
// CHECK-SAME: %[[SHAPES:.*]]: tensor<?x9xi64> {seqc.dim_names = ["", ""], seqc.elem_type = 7 : i32, seqc.element_dims = [-1, 3], seqc.name = "x", seqc.role = "sequence_shapes"})
// CHECK-SAME: -> (tensor<?xf32> {{.*}}seqc.role = "sequence_data"}, tensor<?x9xi64> {{.*}}seqc.role = "sequence_shapes"})
// CHECK-NEXT: return %[[DATA]], %[[SHAPES]] : tensor<?xf32>, tensor<?x9xi64>
func.func @identity(%x: !onnx.seq<tensor<?x3xf32>> {seqc.name = "x", seqc.elem_type = 1 : i32, seqc.dim_names = ["n", ""]})
    -> (!onnx.seq<tensor<?x3xf32>> {seqc.name = "y", seqc.elem_type = 1 : i32, seqc.dim_names = ["n", ""]}) {
  %0 = onnx.Identity %x : (!onnx.seq<tensor<?x3xf32>>) -> !onnx.seq<tensor<?x3xf32>>
  return %0 : !onnx.seq<tensor<?x3xf32>>
}

// -----

// SequenceConstruct: the inputs flattened and concatenated; one row each:
// the rank, the dims (onnx.Shape), ones to fill 8 dims.
// CHECK-LABEL: func.func @construct
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[FLAT:.*]] = onnx.Constant {value = dense<-1> : tensor<1xi64>}
// CHECK-DAG: %[[AF:.*]] = onnx.Reshape %[[A]], %[[FLAT]] : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<6xf32>
// CHECK-DAG: %[[RANK2:.*]] = onnx.Constant {value = dense<2> : tensor<1xi64>}
// CHECK-DAG: %[[ASHAPE:.*]] = onnx.Shape %[[A]] : (tensor<2x3xf32>) -> tensor<2xi64>
// CHECK-DAG: %[[ONES6:.*]] = onnx.Constant {value = dense<1> : tensor<6xi64>}
// CHECK-DAG: onnx.Concat %[[RANK2]], %[[ASHAPE]], %[[ONES6]] {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>, tensor<6xi64>) -> tensor<9xi64>
// CHECK-DAG: %[[BF:.*]] = onnx.Reshape %[[B]], %{{.*}} : (tensor<4xf32>, tensor<1xi64>) -> tensor<4xf32>
// CHECK: %[[DATA:.*]] = onnx.Concat %[[AF]], %[[BF]] {axis = 0 : i64} : (tensor<6xf32>, tensor<4xf32>) -> tensor<10xf32>
// CHECK: %[[ROWS:.*]] = onnx.Concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x9xi64>, tensor<1x9xi64>) -> tensor<2x9xi64>
// CHECK-DAG: %[[D:.*]] = onnx.Identity %[[DATA]] : (tensor<10xf32>) -> tensor<?xf32>
// CHECK-DAG: %[[S:.*]] = onnx.Identity %[[ROWS]] : (tensor<2x9xi64>) -> tensor<?x9xi64>
// CHECK: %[[LEN:.*]] = onnx.Shape %[[S]] {end = 1 : i64, start = 0 : i64} : (tensor<?x9xi64>) -> tensor<1xi64>
// CHECK: onnx.Reshape %[[LEN]], %{{.*}} : (tensor<1xi64>, tensor<0xi64>) -> tensor<i64>
func.func @construct(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<i64> {
  %0 = onnx.SequenceConstruct %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> !onnx.seq<tensor<*xf32>>
  %1 = onnx.SequenceLength %0 : (!onnx.seq<tensor<*xf32>>) -> tensor<i64>
  return %1 : tensor<i64>
}

// -----

// SequenceAt: the element's start (exclusive CumSum of the rows' products)
// and size, gathered at the normalised position, slice the data; its row
// gives the shape, with allowzero (an empty dim is 0, not "copy").
// CHECK-LABEL: func.func @at
// CHECK-SAME: (%[[DATA:.*]]: tensor<?xf32>, %[[SHAPES:.*]]: tensor<?x9xi64>, %[[P:.*]]: tensor<i32>)
// CHECK: %[[DIMS:.*]] = "onnx.Slice"(%[[SHAPES]], {{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>}> : ({{.*}}) -> tensor<?x8xi64>
// CHECK: %[[SIZES:.*]] = onnx.ReduceProd %[[DIMS]], %{{.*}} {keepdims = 0 : i64} : (tensor<?x8xi64>, tensor<1xi64>) -> tensor<?xi64>
// CHECK: %[[N:.*]] = onnx.Shape %[[SHAPES]] {end = 1 : i64, start = 0 : i64}
// CHECK: %[[P64:.*]] = onnx.Cast %[[P]] {to = 7 : i64} : (tensor<i32>) -> tensor<i64>
// CHECK: %[[P1:.*]] = onnx.Reshape %[[P64]]
// CHECK: %[[NEG:.*]] = onnx.Less %[[P1]], %[[ZERO:.*]] :
// CHECK: %[[WRAP:.*]] = onnx.Add %[[P1]], %[[N]]
// CHECK: %[[POS:.*]] = onnx.Where %[[NEG]], %[[WRAP]], %[[P1]]
// CHECK: %[[OUT:.*]] = onnx.Less %[[POS]], %[[ZERO]]
// CHECK: %[[AT:.*]] = onnx.Where %[[OUT]], %[[N]], %[[POS]]
// CHECK: %[[STARTS:.*]] = onnx.CumSum %[[SIZES]], %{{.*}} {exclusive = 1 : i64}
// CHECK: %[[START:.*]] = onnx.Gather %[[STARTS]], %[[AT]]
// CHECK: %[[SIZE:.*]] = onnx.Gather %[[SIZES]], %[[AT]]
// CHECK: %[[END:.*]] = onnx.Add %[[START]], %[[SIZE]]
// CHECK: %[[FLAT:.*]] = "onnx.Slice"(%[[DATA]], %[[START]], %[[END]],
// CHECK: %[[ROW:.*]] = onnx.Gather %[[SHAPES]], %[[AT]] : (tensor<?x9xi64>, tensor<1xi64>) -> tensor<1x9xi64>
// CHECK: %[[SHAPE:.*]] = "onnx.Slice"(%[[ROW]], {{.*}}) -> tensor<1x2xi64>
// CHECK: %[[SHAPE1:.*]] = onnx.Reshape %[[SHAPE]], %{{.*}} : (tensor<1x2xi64>, tensor<1xi64>) -> tensor<2xi64>
// CHECK: %[[X:.*]] = onnx.Reshape %[[FLAT]], %[[SHAPE1]] {allowzero = 1 : i64} : (tensor<?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: onnx.Identity %[[X]] : (tensor<?x?xf32>) -> tensor<?x3xf32>
func.func @at(%s: !onnx.seq<tensor<?x3xf32>>, %p: tensor<i32>) -> tensor<?x3xf32> {
  %0 = onnx.SequenceAt %s, %p : (!onnx.seq<tensor<?x3xf32>>, tensor<i32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// SequenceInsert at a position: the data around the element's offset and
// the rows around the position, with the new tensor between.
// CHECK-LABEL: func.func @insert_at
// CHECK-SAME: (%[[DATA:.*]]: tensor<?xf32>, %[[SHAPES:.*]]: tensor<?x9xi64>, %[[T:.*]]: tensor<5xf32>, %[[P:.*]]: tensor<i64>)
// CHECK: %[[N:.*]] = onnx.Shape %[[SHAPES]] {end = 1 : i64, start = 0 : i64}
// CHECK: %[[END:.*]] = onnx.Add %[[N]], %{{.*}} : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
// CHECK: %[[AT:.*]] = onnx.Where %{{.*}}, %[[END]], %{{.*}}
// CHECK: %[[TOTAL:.*]] = onnx.Shape %[[DATA]] : (tensor<?xf32>) -> tensor<1xi64>
// CHECK: %[[OFFSETS:.*]] = onnx.Concat %{{.*}}, %[[TOTAL]] {axis = 0 : i64}
// CHECK: %[[OFF:.*]] = onnx.Gather %[[OFFSETS]], %[[AT]]
// CHECK: %[[HEAD:.*]] = "onnx.Slice"(%[[DATA]], %[[ZERO:.*]], %[[OFF]],
// CHECK: %[[TAIL:.*]] = "onnx.Slice"(%[[DATA]], %[[OFF]], %{{.*}},
// CHECK: onnx.Concat %[[HEAD]], %{{.*}}, %[[TAIL]] {axis = 0 : i64} : (tensor<?xf32>, tensor<5xf32>, tensor<?xf32>) -> tensor<?xf32>
// CHECK: %[[ABOVE:.*]] = "onnx.Slice"(%[[SHAPES]], %[[ZERO]], %[[AT]],
// CHECK: %[[BELOW:.*]] = "onnx.Slice"(%[[SHAPES]], %[[AT]], %{{.*}})
// CHECK: onnx.Concat %[[ABOVE]], %{{.*}}, %[[BELOW]] {axis = 0 : i64} : (tensor<?x9xi64>, tensor<1x9xi64>, tensor<?x9xi64>) -> tensor<?x9xi64>
func.func @insert_at(%s: !onnx.seq<tensor<5xf32>>, %t: tensor<5xf32>, %p: tensor<i64>) -> !onnx.seq<tensor<5xf32>> {
  %0 = onnx.SequenceInsert %s, %t, %p : (!onnx.seq<tensor<5xf32>>, tensor<5xf32>, tensor<i64>) -> !onnx.seq<tensor<5xf32>>
  return %0 : !onnx.seq<tensor<5xf32>>
}

// -----

// An optional: whether it holds a value, then the value. A branch yielding
// a sequence for an optional result holds it (onnx.Optional, true). The If
// yields the carriers.
// CHECK-LABEL: func.func @if_optional
// CHECK-SAME: (%[[C:.*]]: tensor<i1>, %[[X:.*]]: tensor<5xf32>) -> (tensor<i1>, tensor<?xf32>, tensor<?x9xi64>)
// CHECK: %[[R:.*]]:3 = onnx.If %[[C]] : tensor<i1> -> tensor<i1>, tensor<?xf32>, tensor<?x9xi64> then {
// CHECK:   %[[NONE:.*]] = onnx.Constant {value = dense<false> : tensor<i1>}
// CHECK:   %[[E:.*]] = onnx.Constant {value = dense<0.000000e+00> : tensor<0xf32>}
// CHECK:   %[[ED:.*]] = onnx.Identity %[[E]] : (tensor<0xf32>) -> tensor<?xf32>
// CHECK:   %[[ES:.*]] = onnx.Identity %{{.*}} : (tensor<0x9xi64>) -> tensor<?x9xi64>
// CHECK:   onnx.yield %[[NONE]], %[[ED]], %[[ES]] : tensor<i1>, tensor<?xf32>, tensor<?x9xi64>
// CHECK: } else {
// CHECK:   %[[SOME:.*]] = onnx.Constant {value = dense<true> : tensor<i1>}
// CHECK:   onnx.yield %[[SOME]], %{{.*}}, %{{.*}} : tensor<i1>, tensor<?xf32>, tensor<?x9xi64>
// CHECK: }
// CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2
func.func @if_optional(%c: tensor<i1>, %x: tensor<5xf32>) -> !onnx.opt<!onnx.seq<tensor<5xf32>>> {
  %0 = onnx.If %c : tensor<i1> -> !onnx.opt<!onnx.seq<tensor<5xf32>>> then {
    %e = onnx.Optional {type = !onnx.seq<tensor<5xf32>>} : () -> !onnx.opt<!onnx.seq<tensor<5xf32>>>
    onnx.yield %e : !onnx.opt<!onnx.seq<tensor<5xf32>>>
  } else {
    %s = onnx.SequenceConstruct %x : (tensor<5xf32>) -> !onnx.seq<tensor<5xf32>>
    onnx.yield %s : !onnx.seq<tensor<5xf32>>
  }
  return %0 : !onnx.opt<!onnx.seq<tensor<5xf32>>>
}

// -----

// A Loop carries a sequence as its two tensors: the body's arguments, its
// yield and the results.
// CHECK-LABEL: func.func @loop_append
// CHECK: %[[L:.*]]:2 = onnx.Loop max_trip_count(%{{.*}} : tensor<i64>) cond(%{{.*}} : tensor<i1>) inits(%{{.*}}, %{{.*}} : tensor<?xf32>, tensor<?x9xi64>) -> tensor<?xf32>, tensor<?x9xi64> {
// CHECK: ^bb0(%{{.*}}: tensor<i64>, %[[COND:.*]]: tensor<i1>, %[[D:.*]]: tensor<?xf32>, %[[S:.*]]: tensor<?x9xi64>):
// CHECK:   %[[D2:.*]] = onnx.Concat %[[D]], %{{.*}} {axis = 0 : i64}
// CHECK:   %[[S2:.*]] = onnx.Concat %[[S]], %{{.*}} {axis = 0 : i64}
// CHECK:   onnx.yield %[[COND]], %[[D2]], %[[S2]] : tensor<i1>, tensor<?xf32>, tensor<?x9xi64>
// CHECK: return %[[L]]#0, %[[L]]#1
func.func @loop_append(%m: tensor<i64>, %c: tensor<i1>, %x: tensor<2xf32>) -> !onnx.seq<tensor<2xf32>> {
  %e = onnx.SequenceEmpty : () -> !onnx.seq<tensor<*xf32>>
  %0 = onnx.Loop max_trip_count(%m : tensor<i64>) cond(%c : tensor<i1>) inits(%e : !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>> {
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %s: !onnx.seq<tensor<*xf32>>):
    %s2 = onnx.SequenceInsert %s, %x : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
    onnx.yield %cond, %s2 : tensor<i1>, !onnx.seq<tensor<*xf32>>
  }
  %1 = onnx.Identity %0 : (!onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<2xf32>>
  return %1 : !onnx.seq<tensor<2xf32>>
}

// -----

// Taking the value of an optional that holds none fails at run time.
// CHECK-LABEL: func.func @get_element
// CHECK-SAME: (%[[PRESENT:.*]]: tensor<i1>, %[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[R:.*]] = onnx.If %[[PRESENT]] : tensor<i1> -> tensor<4xf32> then {
// CHECK:   onnx.yield %[[X]] : tensor<4xf32>
// CHECK: } else {
// CHECK:   %[[E:.*]] = onnx.branch_error "OptionalGetElement: the optional holds no value" : tensor<4xf32>
// CHECK:   onnx.yield %[[E]] : tensor<4xf32>
// CHECK: return %[[R]]
func.func @get_element(%o: !onnx.opt<tensor<4xf32>>) -> tensor<4xf32> {
  %0 = onnx.OptionalGetElement %o : (!onnx.opt<tensor<4xf32>>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
