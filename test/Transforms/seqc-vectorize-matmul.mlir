// RUN: seqc-opt %s -seqc-vectorize-matmul="width=8 min-parallel-work=-1" -canonicalize -split-input-file | FileCheck %s
// RUN: seqc-opt %s -seqc-vectorize-matmul="width=16 min-parallel-work=-1" -canonicalize -split-input-file | FileCheck %s --check-prefix=W16
// seqc-vectorize-matmul: C += A B as register tiles. Rows in blocks of 4
// (8 at width 16) with 2 vectors of C per row in registers over the whole K
// loop; then single rows, 8, 4, 2, then 1 vector wide; fewer columns than
// a vector's width stay a linalg.matmul.

// CHECK-LABEL: func.func @tiles
// CHECK-SAME: (%[[A:.*]]: memref<?x64xf32>, %[[B:.*]]: memref<64x52xf32>, %[[C:.*]]: memref<?x52xf32>)
// CHECK: %[[M:.*]] = memref.dim %[[A]], %c0
// CHECK: %[[REM:.*]] = arith.remui %[[M]], %c4
// CHECK: %[[M4:.*]] = arith.subi %[[M]], %[[REM]]
// Chunks of 64 rows; in a chunk, column panels outside, row blocks inside
// (each panel of B reused from cache by the chunk's rows). 4 x 2 tiles over
// columns [0, 48), 16 at a time: 8 accumulators.
// CHECK: scf.for %[[CHUNK:.*]] = %c0 to %[[M4]] step %c64 {
// CHECK: %[[CHUNK_END:.*]] = arith.minui %{{.*}}, %[[M4]]
// CHECK-NEXT: scf.for %[[J:.*]] = %c0 to %c48 step %c16 {
// CHECK-NEXT: scf.for %[[I:.*]] = %[[CHUNK]] to %[[CHUNK_END]] step %c4 {
// CHECK-COUNT-8: vector.load %[[C]]
// CHECK: scf.for %[[K:.*]] = %c0 to %c64 step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK-NEXT: %[[B0:.*]] = vector.load %[[B]][%[[K]], %[[J]]] : memref<64x52xf32>, vector<8xf32>
// CHECK-NEXT: %[[B1:.*]] = vector.load %[[B]][%[[K]], %{{.*}}] : memref<64x52xf32>, vector<8xf32>
// CHECK-NEXT: %[[A0:.*]] = memref.load %[[A]][%[[I]], %[[K]]]
// CHECK-NEXT: %[[SPLAT:.*]] = vector.broadcast %[[A0]] : f32 to vector<8xf32>
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[SPLAT]], %[[B0]] fastmath<contract> : vector<8xf32>
// CHECK-NEXT: arith.addf %{{.*}}, %[[P]] fastmath<contract> : vector<8xf32>
// CHECK: scf.yield
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
// (52 columns leave no whole single vector after [0, 48) for the blocks.)
// The remaining rows one at a time: no 64-column tile fits in 52; one of
// 4 vectors, columns [0, 32); one of 2, columns [32, 48).
// CHECK: scf.for %[[CHUNK1:.*]] = %[[M4]] to %[[M]] step %c64 {
// CHECK: scf.for %[[R:.*]] = %[[CHUNK1]] to %{{.*}} step %c1 {
// CHECK-COUNT-4: vector.load %[[C]][%[[R]]
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK: scf.for %{{.*}} = %[[CHUNK1]] to %{{.*}} step %c1 {
// CHECK: vector.load %[[C]][%{{.*}}, %c32]
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>) {
// Columns [48, 52): a matmul on the column slices.
// CHECK: %[[BCOLS:.*]] = memref.subview %[[B]][0, 48] [64, 4] [1, 1]
// CHECK: %[[CCOLS:.*]] = memref.subview %[[C]][0, 48] [%[[M]], 4] [1, 1]
// CHECK: linalg.matmul ins(%[[A]], %[[BCOLS]] : memref<?x64xf32>, memref<64x4xf32, strided<[52, 1], offset: 48>>) outs(%[[CCOLS]] :
// At width 16: blocks of 8 rows (16 accumulators for columns [0, 32), then
// 8 for [32, 48)), then of 4 rows, then single rows.
// W16-LABEL: func.func @tiles
// W16: arith.remui %{{.*}}, %c8
// W16: scf.for %{{.*}} = %c0 to %{{.*}} step %c64 {
// W16: scf.for %{{.*}} step %c8 {
// W16: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// W16: arith.remui %{{.*}}, %c4
// W16: scf.for %{{.*}} step %c4 {
// W16: scf.for %{{.*}} step %c1 {
func.func @tiles(%a: memref<?x64xf32>, %b: memref<64x52xf32>, %c: memref<?x52xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x52xf32>) outs(%c : memref<?x52xf32>)
  return
}

// -----

// Columns that are not contiguous, and other element types, stay.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: vector.
// CHECK-COUNT-2: linalg.matmul
func.func @left_alone(%a: memref<4x4xf32>, %b: memref<4x4xf32, strided<[1, 4]>>,
                      %c: memref<4x4xf32>, %d: memref<4x4xf64>) {
  linalg.matmul ins(%a, %b : memref<4x4xf32>, memref<4x4xf32, strided<[1, 4]>>) outs(%c : memref<4x4xf32>)
  linalg.matmul ins(%d, %d : memref<4x4xf64>, memref<4x4xf64>) outs(%d : memref<4x4xf64>)
  return
}

// -----

// Constant weights are repacked at compile time: each vector column of B
// becomes a contiguous [K, width] panel (here 2 panels of [2, 8]; the 2
// leftover columns keep reading the original).
// CHECK-DAG: memref.global "private" constant @__seqc_packed_weights : memref<2x2x8xf32> = dense<{{\[}}{{\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00], [1.800000e+01, 1.900000e+01, 2.000000e+01, 2.100000e+01, 2.200000e+01, 2.300000e+01, 2.400000e+01, 2.500000e+01]], {{\[}}[8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01, 1.300000e+01, 1.400000e+01, 1.500000e+01], [2.600000e+01, 2.700000e+01, 2.800000e+01, 2.900000e+01, 3.000000e+01, 3.100000e+01, 3.200000e+01, 3.300000e+01]]]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @packed
// CHECK: %[[W:.*]] = memref.get_global @weights
// CHECK: %[[P:.*]] = memref.get_global @__seqc_packed_weights : memref<2x2x8xf32>
// CHECK: vector.load %[[P]][%{{.*}}, %{{.*}}, %c0] : memref<2x2x8xf32>, vector<8xf32>
// CHECK: memref.subview %[[W]][0, 16] [2, 2] [1, 1]
memref.global "private" constant @weights : memref<2x18xf32> = dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0]]>
func.func @packed(%a: memref<?x2xf32>, %c: memref<?x18xf32>) {
  %w = memref.get_global @weights : memref<2x18xf32>
  linalg.matmul ins(%a, %w : memref<?x2xf32>, memref<2x18xf32>) outs(%c : memref<?x18xf32>)
  return
}

// -----

// Row blocks reread each panel of B: K goes in slices whose 2-vector panel
// is 16 KiB (256 rows of B at width 8), C's tiles loaded and stored per slice.
// CHECK-LABEL: func.func @deep
// CHECK: scf.for %[[KB:.*]] = %c0 to %c512 step %c256 {
// CHECK: %[[KB_END:.*]] = arith.minui %{{.*}}, %c512
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c4 {
// CHECK: scf.for %{{.*}} = %[[KB]] to %[[KB_END]] step %c1 iter_args
// W16-LABEL: func.func @deep
// W16: scf.for %{{.*}} = %c0 to %c512 step %c128 {
func.func @deep(%a: memref<8x512xf32>, %b: memref<512x16xf32>, %c: memref<8x16xf32>) {
  linalg.matmul ins(%a, %b : memref<8x512xf32>, memref<512x16xf32>) outs(%c : memref<8x16xf32>)
  return
}
