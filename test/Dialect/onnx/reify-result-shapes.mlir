// RUN: seqc-opt %s -resolve-ranked-shaped-type-result-dims -split-input-file | FileCheck %s
// The run-time half of the onnx shape rules (ReifyRankedShapedTypeOpInterface):
// tensor.dim of an onnx result becomes a computation on its operands' sizes
// (and the onnx op, now unused, goes away).

// Broadcasting: a static size other than 1 decides; among dynamic sizes the
// first that is not 1 at run time.
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<?x1x?xf32>, %[[B:.*]]: tensor<?x4x1xf32>, %[[C:.*]]: tensor<?xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[A0:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK-DAG: %[[B0:.*]] = tensor.dim %[[B]], %[[C0]]
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %[[A0]], %[[C1]]
// CHECK: %[[D0:.*]] = arith.select %[[ONE]], %[[B0]], %[[A0]]
// CHECK: %[[A2:.*]] = tensor.dim %[[A]], %[[C2]]
// CHECK: %[[CC:.*]] = tensor.dim %[[C]], %[[C0]]
// CHECK: %[[ONE2:.*]] = arith.cmpi eq, %[[A2]], %[[C1]]
// CHECK: %[[D2:.*]] = arith.select %[[ONE2]], %[[CC]], %[[A2]]
// CHECK: return %[[D0]], %[[C4]], %[[D2]]
func.func @broadcast(%a: tensor<?x1x?xf32>, %b: tensor<?x4x1xf32>, %c: tensor<?xf32>) -> (index, index, index) {
  %0 = onnx.Sum %a, %b, %c : (tensor<?x1x?xf32>, tensor<?x4x1xf32>, tensor<?xf32>) -> tensor<?x4x?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %d0 = tensor.dim %0, %c0 : tensor<?x4x?xf32>
  %d1 = tensor.dim %0, %c1 : tensor<?x4x?xf32>
  %d2 = tensor.dim %0, %c2 : tensor<?x4x?xf32>
  return %d0, %d1, %d2 : index, index, index
}

// -----

// Cast keeps its input's sizes; Transpose permutes them.
// CHECK-LABEL: func.func @cast_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x?xi32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[X0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK-DAG: %[[X2:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: return %[[X2]], %[[X0]]
func.func @cast_transpose(%x: tensor<?x3x?xi32>) -> (index, index) {
  %0 = onnx.Cast %x {to = 1 : i64} : (tensor<?x3x?xi32>) -> tensor<?x3x?xf32>
  %1 = onnx.Transpose %0 {perm = [2, 1, 0]} : (tensor<?x3x?xf32>) -> tensor<?x3x?xf32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %d0 = tensor.dim %1, %c0 : tensor<?x3x?xf32>
  %d2 = tensor.dim %1, %c2 : tensor<?x3x?xf32>
  return %d0, %d2 : index, index
}

// -----

// Concat adds its inputs' sizes along the axis.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x?xf32>, %[[B:.*]]: tensor<2x?xf32>)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[A1:.*]] = tensor.dim %[[A]], %[[C1]]
// CHECK-DAG: %[[B1:.*]] = tensor.dim %[[B]], %[[C1]]
// CHECK: %[[SUM:.*]] = arith.addi %[[A1]], %[[B1]]
// CHECK: return %[[SUM]]
func.func @concat(%a: tensor<2x?xf32>, %b: tensor<2x?xf32>) -> index {
  %0 = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<2x?xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %0, %c1 : tensor<2x?xf32>
  return %d : index
}

// -----

// A reduction over constant axes drops them (keepdims = 0); over axes read
// at run time its sizes are not known before, and the dim stays.
// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<?x5x?xf32>, %[[AXES:.*]]: tensor<1xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[R:.*]] = onnx.ReduceSum %[[X]], %[[AXES]]
// CHECK-DAG: %[[X2:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK-DAG: %[[RD:.*]] = tensor.dim %[[R]], %[[C0]]
// CHECK-NOT: onnx.Constant
// CHECK: return %[[X2]], %[[RD]]
func.func @reduce(%x: tensor<?x5x?xf32>, %axes: tensor<1xi64>) -> (index, index) {
  %a = onnx.Constant {value = dense<[0, 1]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.ReduceSum %x, %a {keepdims = 0 : i64} : (tensor<?x5x?xf32>, tensor<2xi64>) -> tensor<?xf32>
  %1 = onnx.ReduceSum %x, %axes : (tensor<?x5x?xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  %c0 = arith.constant 0 : index
  %d0 = tensor.dim %0, %c0 : tensor<?xf32>
  %d1 = tensor.dim %1, %c0 : tensor<?x?x?xf32>
  return %d0, %d1 : index, index
}

// -----

// Gather (indices' sizes at the axis), Flatten (products), MatMul (batch
// broadcast), Conv (the window's output size: (T + 2 - 3) / 2 + 1, never
// below 0), ArgMax without keepdims, Unsqueeze and GlobalAveragePool.
// CHECK-LABEL: func.func @more_ops
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x?xf32>, %[[I:.*]]: tensor<?x2xi64>, %[[A:.*]]: tensor<?x1x4x5xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C7:.*]] = arith.constant 7 : index
// CHECK: %[[GATHER:.*]] = tensor.dim %[[I]], %[[C0]]
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[FLAT:.*]] = arith.muli %[[N]], %[[C3]]
// CHECK: %[[BATCH:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: %[[PADDED:.*]] = arith.addi %[[T]], %[[C2]]
// CHECK: %[[ROOM:.*]] = arith.subi %[[PADDED]], %[[C3]]
// CHECK: %[[STEPS:.*]] = arith.divsi %[[ROOM]], %[[C2]]
// CHECK: %[[OUT:.*]] = arith.addi %[[STEPS]], %[[C1]]
// CHECK: %[[NONE:.*]] = arith.cmpi slt, %[[ROOM]], %[[C0]]
// CHECK: %[[CONV:.*]] = arith.select %[[NONE]], %[[C0]], %[[OUT]]
// CHECK: %[[ARG:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: %[[UNSQ:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[POOL:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: return %[[GATHER]], %[[FLAT]], %[[BATCH]], %[[C7]], %[[CONV]], %[[ARG]], %[[UNSQ]], %[[POOL]]
func.func @more_ops(%x: tensor<?x3x?xf32>, %i: tensor<?x2xi64>, %a: tensor<?x1x4x5xf32>, %b: tensor<7x5x?xf32>, %w: tensor<8x3x3xf32>) -> (index, index, index, index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %g = onnx.Gather %x, %i {axis = 2 : i64} : (tensor<?x3x?xf32>, tensor<?x2xi64>) -> tensor<?x3x?x2xf32>
  %d0 = tensor.dim %g, %c2 : tensor<?x3x?x2xf32>
  %f = onnx.Flatten %x {axis = 2 : i64} : (tensor<?x3x?xf32>) -> tensor<?x?xf32>
  %d1 = tensor.dim %f, %c0 : tensor<?x?xf32>
  %m = onnx.MatMul %a, %b : (tensor<?x1x4x5xf32>, tensor<7x5x?xf32>) -> tensor<?x7x4x?xf32>
  %d2 = tensor.dim %m, %c0 : tensor<?x7x4x?xf32>
  %d3 = tensor.dim %m, %c1 : tensor<?x7x4x?xf32>
  %cv = "onnx.Conv"(%x, %w) {pads = [1, 1], strides = [2]} : (tensor<?x3x?xf32>, tensor<8x3x3xf32>) -> tensor<?x8x?xf32>
  %d4 = tensor.dim %cv, %c2 : tensor<?x8x?xf32>
  %am = onnx.ArgMax %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<?x3x?xf32>) -> tensor<?x?xi64>
  %d5 = tensor.dim %am, %c1 : tensor<?x?xi64>
  %ax = onnx.Constant {value = dense<[0, 3]> : tensor<2xi64>} : tensor<2xi64>
  %u = onnx.Unsqueeze %x, %ax : (tensor<?x3x?xf32>, tensor<2xi64>) -> tensor<1x?x3x1x?xf32>
  %d6 = tensor.dim %u, %c1 : tensor<1x?x3x1x?xf32>
  %gp = onnx.GlobalAveragePool %x : (tensor<?x3x?xf32>) -> tensor<?x3x1xf32>
  %d7 = tensor.dim %gp, %c0 : tensor<?x3x1xf32>
  return %d0, %d1, %d2, %d3, %d4, %d5, %d6, %d7 : index, index, index, index, index, index, index, index
}
