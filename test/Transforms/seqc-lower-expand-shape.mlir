// RUN: seqc-opt %s -seqc-lower-expand-shape -split-input-file | FileCheck %s
// An expand_shape of a contiguous buffer is that buffer with row-major
// strides (MLIR 22's expand-strided-metadata crashes on two dynamic sizes
// in one group).

// CHECK-LABEL: func.func @two_dynamic
// CHECK-SAME: (%[[M:.*]]: memref<?x16xf32>, %[[T:.*]]: index, %[[B:.*]]: index)
// CHECK: %[[C16:.*]] = arith.constant 16 : index
// CHECK: %[[S0:.*]] = arith.muli %[[B]], %[[C16]] : index
// CHECK: memref.reinterpret_cast %[[M]] to offset: [0], sizes: [%[[T]], %[[B]], 16], strides: [%[[S0]], 16, 1] : memref<?x16xf32> to memref<?x?x16xf32>
// CHECK-NOT: memref.expand_shape
func.func @two_dynamic(%m: memref<?x16xf32>, %t: index, %b: index) -> memref<?x?x16xf32> {
  %e = memref.expand_shape %m [[0, 1], [2]] output_shape [%t, %b, 16] : memref<?x16xf32> into memref<?x?x16xf32>
  return %e : memref<?x?x16xf32>
}

// -----

// CHECK-LABEL: func.func @static
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [3, 2, 4], strides: [8, 4, 1] : memref<6x4xf32> to memref<3x2x4xf32>
func.func @static(%m: memref<6x4xf32>) -> memref<3x2x4xf32> {
  %e = memref.expand_shape %m [[0, 1], [2]] output_shape [3, 2, 4] : memref<6x4xf32> into memref<3x2x4xf32>
  return %e : memref<3x2x4xf32>
}

// -----

// A strided source keeps its expand_shape.
// CHECK-LABEL: func.func @strided
// CHECK: memref.expand_shape
func.func @strided(%m: memref<6x4xf32, strided<[8, 1]>>) -> memref<3x2x4xf32, strided<[16, 8, 1]>> {
  %e = memref.expand_shape %m [[0, 1], [2]] output_shape [3, 2, 4] : memref<6x4xf32, strided<[8, 1]>> into memref<3x2x4xf32, strided<[16, 8, 1]>>
  return %e : memref<3x2x4xf32, strided<[16, 8, 1]>>
}

// -----

// Sizes known as constants whose product overflows int64 (a buffer that can
// never be allocated; found by seqc-GraphFuzzer under UBSan) multiply at
// run time instead of overflowing in the compiler (the sanitized lit run
// catches the overflow); the pattern driver folds that multiply, wrapping.
// CHECK-LABEL: func.func @overflowing
// CHECK-DAG: %[[BIG:.*]] = arith.constant 9223372036854775807 : index
// CHECK-DAG: %[[S0:.*]] = arith.constant 9223372036854775805 : index
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%{{.*}}, %[[BIG]], 3], strides: [%[[S0]], 3, 1]
func.func @overflowing(%m: memref<?x3xf32>, %n: index) -> memref<?x?x3xf32> {
  %big = arith.constant 9223372036854775807 : index
  %e = memref.expand_shape %m [[0, 1], [2]] output_shape [%n, %big, 3] : memref<?x3xf32> into memref<?x?x3xf32>
  return %e : memref<?x?x3xf32>
}
