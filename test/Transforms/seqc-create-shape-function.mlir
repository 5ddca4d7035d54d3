// RUN: seqc-opt %s -split-input-file -seqc-create-shape-function=function=f -verify-diagnostics | FileCheck %s
// @f_shapes stores the result sizes, then three status slots, computed from
// the inputs alone; @f keeps its signature and loses its run-time checks.
// The inputs of both are the caller's: bufferization must not write into
// them (bufferization.writable = false).

// A recurrence model: the shape function keeps only the size computations
// (the time size of X) and none of the recurrence: 5 dims, then a status of
// 0 and two zero sizes.
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3xf32> {bufferization.writable = false}, %{{.*}}: tensor<3x4xf32> {bufferization.writable = false}, %[[DIMS:.*]]: memref<8xi64>) {
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C7:.*]] = arith.constant 7 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[FOUR:.*]] = arith.constant 4 : i64
// CHECK-NOT: seq.recurrence
// CHECK-NOT: linalg.
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x2x3xf32>
// CHECK-NEXT: %[[TI:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK-NEXT: memref.store %[[TI]], %[[DIMS]][%[[C0]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[TWO]], %[[DIMS]][%[[C1]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[FOUR]], %[[DIMS]][%[[C2]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[TWO]], %[[DIMS]][%[[C3]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[FOUR]], %[[DIMS]][%[[C4]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[ZERO]], %[[DIMS]][%[[C5]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[ZERO]], %[[DIMS]][%[[C6]]] : memref<8xi64>
// CHECK-NEXT: memref.store %[[ZERO]], %[[DIMS]][%[[C7]]] : memref<8xi64>
// CHECK-NEXT: return
// CHECK-NEXT: }
// The model function itself is unchanged.
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%{{.*}}: tensor<?x2x3xf32> {bufferization.writable = false}, %{{.*}}: tensor<3x4xf32> {bufferization.writable = false}) -> (tensor<?x2x4xf32>, tensor<2x4xf32>) {
// CHECK: seq.recurrence forward
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

// A run-time size check (cf.assert) moves into @f_shapes: the status slot
// gets the number of the failing check (1) and the next two the sizes it
// compared; the message goes into seqc.runtime_checks and @f loses the
// assert. The result size resolves through linalg.add to A's.
// CHECK: module attributes {seqc.runtime_checks = ["B's rows do not match A"]}
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%[[A:.*]]: tensor<?x3xf32> {bufferization.writable = false}, %[[B:.*]]: tensor<?x3xf32> {bufferization.writable = false}, %[[DIMS:.*]]: memref<5xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NOT: linalg.add
// CHECK-DAG: %[[DA:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK-DAG: %[[DB:.*]] = tensor.dim %[[B]], %[[C0]]
// CHECK-DAG: %[[OK:.*]] = arith.cmpi eq, %[[DB]], %[[DA]] : index
// CHECK-DAG: %[[NE:.*]] = arith.cmpi ne, %[[DB]], %[[DA]] : index
// CHECK-DAG: %[[STATUS:.*]] = arith.extui %[[NE]] : i1 to i64
// CHECK-DAG: %[[LHS:.*]] = arith.index_cast %[[DB]] : index to i64
// CHECK-DAG: %[[LHSV:.*]] = arith.select %[[OK]], %[[ZERO]], %[[LHS]] : i64
// CHECK-DAG: %[[RHS:.*]] = arith.index_cast %[[DA]] : index to i64
// CHECK-DAG: %[[RHSV:.*]] = arith.select %[[OK]], %[[ZERO]], %[[RHS]] : i64
// CHECK: memref.store %[[STATUS]], %[[DIMS]][%[[C2]]] : memref<5xi64>
// CHECK-NEXT: memref.store %[[LHSV]], %[[DIMS]][%[[C3]]] : memref<5xi64>
// CHECK-NEXT: memref.store %[[RHSV]], %[[DIMS]][%[[C4]]] : memref<5xi64>
// CHECK-NEXT: return
// CHECK-LABEL: func.func @f
// CHECK-NOT: cf.assert
// CHECK: linalg.add
func.func @f(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %da = tensor.dim %a, %c0 : tensor<?x3xf32>
  %db = tensor.dim %b, %c0 : tensor<?x3xf32>
  %ok = arith.cmpi eq, %db, %da : index
  cf.assert %ok, "B's rows do not match A"
  %e = tensor.empty(%da) : tensor<?x3xf32>
  %s = linalg.add ins(%a, %b : tensor<?x3xf32>, tensor<?x3xf32>)
                  outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}


// -----

// Several checks: the status is the number of the first that fails, in
// program order, with the sizes that check compared. The outcomes and sizes
// go into tables, searched by one loop (a chain of selects, one per check,
// is quadratic in LLVM's optimisers).
// CHECK: module attributes {seqc.runtime_checks = ["first", "second"]}
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%[[A:.*]]: tensor<?xf32> {bufferization.writable = false}, %[[B:.*]]: tensor<?xf32> {bufferization.writable = false}, %[[C:.*]]: tensor<?xf32> {bufferization.writable = false}, %[[DIMS:.*]]: memref<4xi64>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[DA:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK-DAG: %[[DB:.*]] = tensor.dim %[[B]], %[[C0]]
// CHECK-DAG: %[[DC:.*]] = tensor.dim %[[C]], %[[C0]]
// CHECK-DAG: %[[FAIL1:.*]] = arith.cmpi ne, %[[DA]], %[[DB]] : index
// CHECK-DAG: %[[FAIL2:.*]] = arith.cmpi ne, %[[DA]], %[[DC]] : index
// CHECK: %[[FAILED:.*]] = tensor.from_elements %[[FAIL1]], %[[FAIL2]] : tensor<2xi1>
// CHECK: %[[LHS:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xi64>
// CHECK: %[[RHS:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xi64>
// CHECK: %[[FOUND:.*]]:3 = scf.for %[[I:.*]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%[[S:.*]] = %[[ZERO]], %[[L:.*]] = %[[ZERO]], %[[R:.*]] = %[[ZERO]])
// CHECK:   %[[NONE:.*]] = arith.cmpi eq, %[[S]], %[[ZERO]] : i64
// CHECK:   %[[FAILS:.*]] = tensor.extract %[[FAILED]][%[[I]]]
// CHECK:   %[[FIRST:.*]] = arith.andi %[[NONE]], %[[FAILS]] : i1
// CHECK:   %[[II:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:   %[[NUMBER:.*]] = arith.addi %[[II]], %[[ONE]] : i64
// CHECK:   %[[S2:.*]] = arith.select %[[FIRST]], %[[NUMBER]], %[[S]] : i64
// CHECK:   %[[LI:.*]] = tensor.extract %[[LHS]][%[[I]]]
// CHECK:   %[[L2:.*]] = arith.select %[[FIRST]], %[[LI]], %[[L]] : i64
// CHECK:   %[[RI:.*]] = tensor.extract %[[RHS]][%[[I]]]
// CHECK:   %[[R2:.*]] = arith.select %[[FIRST]], %[[RI]], %[[R]] : i64
// CHECK:   scf.yield %[[S2]], %[[L2]], %[[R2]] : i64, i64, i64
// CHECK: memref.store %[[FOUND]]#0, %[[DIMS]][%[[C1]]] : memref<4xi64>
// CHECK: memref.store %[[FOUND]]#1, %[[DIMS]][%[[C2]]] : memref<4xi64>
// CHECK: memref.store %[[FOUND]]#2, %[[DIMS]][%[[C3]]] : memref<4xi64>
func.func @f(%a: tensor<?xf32>, %b: tensor<?xf32>, %c: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %da = tensor.dim %a, %c0 : tensor<?xf32>
  %db = tensor.dim %b, %c0 : tensor<?xf32>
  %dc = tensor.dim %c, %c0 : tensor<?xf32>
  %ok1 = arith.cmpi eq, %da, %db : index
  cf.assert %ok1, "first"
  %ok2 = arith.cmpi eq, %da, %dc : index
  cf.assert %ok2, "second"
  return %a : tensor<?xf32>
}

// -----

// Only the named function changes.
// CHECK-LABEL: func.func @helper
// CHECK-SAME: (%{{.*}}: tensor<2xf32>) -> tensor<2xf32> {
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: memref<4xi64>
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%{{.*}}: tensor<2xf32> {bufferization.writable = false}) -> tensor<2xf32> {
func.func @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @helper(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error @+1 {{no model function @f}}
module {
  func.func @g(%a: tensor<2xf32>) -> tensor<2xf32> {
    return %a : tensor<2xf32>
  }
}

// -----

// expected-error @+1 {{model results must be ranked tensors, found 'tensor<*xf32>'}}
func.func @f(%a: tensor<*xf32>) -> tensor<*xf32> {
  return %a : tensor<*xf32>
}

// -----

// expected-error @+1 {{the model function must have a body of one block}}
func.func private @f(%a: tensor<2xf32>) -> tensor<2xf32>

// -----

// expected-error @+1 {{the model function must have a body of one block}}
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  cf.br ^bb1
^bb1:
  return %a : tensor<2xf32>
}

// -----

// A check inside an If branch decided at run time applies only when that
// branch is taken: the scf.if yields the check's condition (true from the
// other branch) and the check moves after it, to the top level, where it
// becomes status number 1. (The same scf.if, merged by canonicalization,
// yields the size of the result.)
// CHECK-LABEL: func.func @f_shapes
// CHECK: %[[OK:.*]]:2 = scf.if %{{.*}} -> (i1, index) {
// CHECK:   %[[SAME:.*]] = arith.cmpi eq
// CHECK:   scf.yield %[[SAME]], %{{.*}} : i1, index
// CHECK: } else {
// CHECK:   scf.yield %{{.*}}, %{{.*}} : i1, index
// CHECK: }
// CHECK: %[[FAILED:.*]] = arith.xori %[[OK]]#0, %{{.*}} : i1
// CHECK: arith.extui %[[FAILED]] : i1 to i64
// CHECK-LABEL: func.func @f
// CHECK-NOT: cf.assert
func.func @f(%c: i1, %a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %r = scf.if %c -> (tensor<?xf32>) {
    %c0 = arith.constant 0 : index
    %na = tensor.dim %a, %c0 : tensor<?xf32>
    %nb = tensor.dim %b, %c0 : tensor<?xf32>
    %same = arith.cmpi eq, %na, %nb : index
    cf.assert %same, "a and b differ in size"
    scf.yield %a : tensor<?xf32>
  } else {
    scf.yield %b : tensor<?xf32>
  }
  return %r : tensor<?xf32>
}

// -----

// An scf.if with no results and no else (an ONNX If whose results are
// unused): moving its check out gives it an i1 result, so it gains an else
// that yields true; canonicalization then folds the check to "fails where
// %c holds", status number 1.
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%[[C:.*]]: i1 {bufferization.writable = false}, %{{.*}}: tensor<2xf32> {bufferization.writable = false}, %[[DIMS:.*]]: memref<4xi64>)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[STATUS:.*]] = arith.extui %[[C]] : i1 to i64
// CHECK: memref.store %[[STATUS]], %[[DIMS]][%[[C1]]]
func.func @f(%c: i1, %a: tensor<2xf32>) -> tensor<2xf32> {
  %false = arith.constant false
  scf.if %c {
    cf.assert %false, "the taken branch is invalid"
  }
  return %a : tensor<2xf32>
}

// -----

// A check inside a loop (a Loop or Scan body) holds only if it holds at
// every step: it becomes a flag in memory, and-ed at each step, and the
// check after the loop tests the flag. The shape function keeps the part of
// the loop the flag depends on.
// CHECK-LABEL: func.func @f_shapes
// CHECK: %[[FLAG:.*]] = memref.alloca() : memref<i1>
// CHECK: memref.store %true, %[[FLAG]][] : memref<i1>
// CHECK: scf.for
// CHECK:   %[[SO_FAR:.*]] = memref.load %[[FLAG]][] : memref<i1>
// CHECK:   %[[BOTH:.*]] = arith.andi %[[SO_FAR]], %{{.*}} : i1
// CHECK:   memref.store %[[BOTH]], %[[FLAG]][] : memref<i1>
// CHECK: %[[HELD:.*]] = memref.load %[[FLAG]][] : memref<i1>
// CHECK: arith.xori %[[HELD]], %{{.*}} : i1
// CHECK-LABEL: func.func @f
// CHECK-NOT: cf.assert
func.func @f(%n: index, %limit: index, %a: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %a) -> (tensor<4xf32>) {
    %ok = arith.cmpi slt, %i, %limit : index
    cf.assert %ok, "the iteration passed the limit"
    scf.yield %acc : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// The size of an scf.if result is the size of what each branch yields: the
// shape function keeps no copy of the branch's computation (which it would
// run before its checks are acted on, on sizes they may reject).
// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%[[C:.*]]: i1 {bufferization.writable = false}, %[[A:.*]]: tensor<?xf32> {bufferization.writable = false}, %[[N:.*]]: index {bufferization.writable = false}, %[[DIMS:.*]]: memref<4xi64>)
// CHECK-NOT: linalg.
// CHECK: %[[SIZE:.*]] = scf.if %[[C]] -> (index) {
// CHECK-NEXT: scf.yield %[[N]] : index
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[DA:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK-NEXT: scf.yield %[[DA]] : index
// CHECK-NOT: linalg.
// CHECK: %[[SIZE64:.*]] = arith.index_cast %[[SIZE]] : index to i64
// CHECK: memref.store %[[SIZE64]], %[[DIMS]]
// CHECK-LABEL: func.func @f
// CHECK: linalg.generic
func.func @f(%c: i1, %a: tensor<?xf32>, %n: index) -> tensor<?xf32> {
  %r = scf.if %c -> (tensor<?xf32>) {
    %e = tensor.empty(%n) : tensor<?xf32>
    %g = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
        outs(%e : tensor<?xf32>) {
    ^bb0(%out: f32):
      %i = linalg.index 0 : index
      %x = tensor.extract %a[%i] : tensor<?xf32>
      linalg.yield %x : f32
    } -> tensor<?xf32>
    scf.yield %g : tensor<?xf32>
  } else {
    scf.yield %a : tensor<?xf32>
  }
  return %r : tensor<?xf32>
}
