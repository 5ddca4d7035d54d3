// RUN: seqc-opt %s -seqc-vectorize-matmul="width=8 min-parallel-work=-1" -canonicalize -split-input-file | FileCheck %s
// When the op right before a matmul writes all of C (a linalg.broadcast of
// the bias along the rows, a linalg.fill, a memref.copy of a matrix), the
// tiles start their sums from what it wrote in the first slice of K
// instead of loading C, and the op is erased: C is written once instead of
// three times (the op, then read and written by the matmul).

// An input projection [T * B, 512] x [512, 64] whose C is the bias
// broadcast over [T, B, 64]. K = 512 is two slices of 256 (a 2-vector
// panel of 16 KiB): the first starts from the bias, the second from C.
// CHECK-LABEL: func.func @bias
// CHECK-SAME: (%[[X:.*]]: memref<?x512xf32>, %[[W:.*]]: memref<512x64xf32>, %[[BIAS:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<?x?x64xf32>)
// CHECK-NOT: linalg.broadcast
// CHECK: %[[C:.*]] = memref.collapse_shape %[[OUT]]
// CHECK: scf.for %[[K0:.*]] = %c0 to %c512 step %c256 {
// CHECK: scf.for %[[J:.*]] = %c0 to %c64 step %c16 {
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[K0]], %c0
// CHECK: scf.if %[[FIRST]] -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK: %[[B0:.*]] = vector.load %[[BIAS]][%[[J]]] : memref<64xf32>, vector<8xf32>
// CHECK: %[[B1:.*]] = vector.load %[[BIAS]][%{{.*}}] : memref<64xf32>, vector<8xf32>
// CHECK: scf.yield %[[B0]], %[[B1]], %[[B0]], %[[B1]], %[[B0]], %[[B1]], %[[B0]], %[[B1]]
// CHECK: } else {
// CHECK-COUNT-8: vector.load %[[C]]
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
func.func @bias(%x: memref<?x512xf32>, %w: memref<512x64xf32>, %bias: memref<64xf32>, %out: memref<?x?x64xf32>) {
  linalg.broadcast ins(%bias : memref<64xf32>) outs(%out : memref<?x?x64xf32>) dimensions = [0, 1]
  %c = memref.collapse_shape %out [[0, 1], [2]] : memref<?x?x64xf32> into memref<?x64xf32>
  linalg.matmul ins(%x, %w : memref<?x512xf32>, memref<512x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// A zero-filled C of one row (a GEMV: K is not sliced): the sums start
// from the fill's value; C is only stored.
// CHECK-LABEL: func.func @fill
// CHECK-SAME: (%[[H:.*]]: memref<1x64xf32>, %[[R:.*]]: memref<64x64xf32>, %[[C:.*]]: memref<1x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK-NOT: vector.load %[[C]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]])
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
func.func @fill(%h: memref<1x64xf32>, %r: memref<64x64xf32>, %c: memref<1x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<1x64xf32>)
  linalg.matmul ins(%h, %r : memref<1x64xf32>, memref<64x64xf32>) outs(%c : memref<1x64xf32>)
  return
}

// -----

// A recurrent step: C is a copy of step t's slice of the input projection.
// The sums start from that slice (loaded with its strides); C is only
// stored, and the copy goes.
// CHECK-LABEL: func.func @copy
// CHECK-SAME: (%[[H:.*]]: memref<?x64xf32>, %[[R:.*]]: memref<64x64xf32>, %[[P:.*]]: memref<?x?x64xf32>, %[[T:.*]]: index, %[[C:.*]]: memref<?x64xf32>)
// CHECK-NOT: memref.copy
// CHECK: %[[SLICE:.*]] = memref.subview %[[P]][%[[T]], 0, 0]
// CHECK-NOT: vector.load %[[C]]
// CHECK-COUNT-8: vector.load %[[SLICE]]
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
func.func @copy(%h: memref<?x64xf32>, %r: memref<64x64xf32>, %p: memref<?x?x64xf32>, %t: index, %c: memref<?x64xf32>) {
  %c1 = arith.constant 1 : index
  %b = memref.dim %p, %c1 : memref<?x?x64xf32>
  %slice = memref.subview %p[%t, 0, 0] [1, %b, 64] [1, 1, 1] : memref<?x?x64xf32> to memref<?x64xf32, strided<[64, 1], offset: ?>>
  memref.copy %slice, %c : memref<?x64xf32, strided<[64, 1], offset: ?>> to memref<?x64xf32>
  linalg.matmul ins(%h, %r : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// A copy from C's own buffer: it stays.
// CHECK-LABEL: func.func @copy_within
// CHECK: memref.copy
func.func @copy_within(%h: memref<4x64xf32>, %r: memref<64x64xf32>, %buf: memref<8x64xf32>) {
  %src = memref.subview %buf[4, 0] [4, 64] [1, 1] : memref<8x64xf32> to memref<4x64xf32, strided<[64, 1], offset: 256>>
  %c = memref.subview %buf[0, 0] [4, 64] [1, 1] : memref<8x64xf32> to memref<4x64xf32, strided<[64, 1]>>
  memref.copy %src, %c : memref<4x64xf32, strided<[64, 1], offset: 256>> to memref<4x64xf32, strided<[64, 1]>>
  linalg.matmul ins(%h, %r : memref<4x64xf32>, memref<64x64xf32>) outs(%c : memref<4x64xf32, strided<[64, 1]>>)
  return
}

// -----

// 52 columns leave 4 to a scalar matmul, which reads C: the broadcast stays.
// CHECK-LABEL: func.func @leftover_columns
// CHECK: linalg.broadcast
func.func @leftover_columns(%x: memref<?x64xf32>, %w: memref<64x52xf32>, %bias: memref<52xf32>, %c: memref<?x52xf32>) {
  linalg.broadcast ins(%bias : memref<52xf32>) outs(%c : memref<?x52xf32>) dimensions = [0]
  linalg.matmul ins(%x, %w : memref<?x64xf32>, memref<64x52xf32>) outs(%c : memref<?x52xf32>)
  return
}

// -----

// Another write between the broadcast and the matmul: the broadcast stays.
// CHECK-LABEL: func.func @write_between
// CHECK: linalg.broadcast
// CHECK: memref.store
func.func @write_between(%x: memref<?x64xf32>, %w: memref<64x64xf32>, %bias: memref<64xf32>, %c: memref<?x64xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  linalg.broadcast ins(%bias : memref<64xf32>) outs(%c : memref<?x64xf32>) dimensions = [0]
  memref.store %v, %c[%c0, %c0] : memref<?x64xf32>
  linalg.matmul ins(%x, %w : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// The broadcast fills a different buffer: it stays.
// CHECK-LABEL: func.func @other_buffer
// CHECK: linalg.broadcast
func.func @other_buffer(%x: memref<?x64xf32>, %w: memref<64x64xf32>, %bias: memref<64xf32>, %c: memref<?x64xf32>, %d: memref<?x64xf32>) {
  linalg.broadcast ins(%bias : memref<64xf32>) outs(%d : memref<?x64xf32>) dimensions = [0]
  linalg.matmul ins(%x, %w : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}
