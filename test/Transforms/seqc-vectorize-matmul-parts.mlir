// RUN: seqc-opt %s -seqc-vectorize-matmul=width=8 -canonicalize -cse -split-input-file | FileCheck %s
// seqc-vectorize-matmul splits a matmul of at least 131072 multiply-adds
// (min-parallel-work) into the parts of an scf.parallel, for the context's
// threads: 64-row chunks when M has two or more, otherwise panels of
// 8 vectors of columns. Smaller calls are one part.

// A recurrent step, [1, 256] x [256, 1024]: 16 panels of 64 columns, each
// all of M; a panel is one tile of 8 vectors (the narrower tiles run no
// iteration), and 1024 columns leave no partial vector.
// CHECK-LABEL: func.func @step
// CHECK: scf.parallel (%[[P:.*]]) = (%c0) to (%c16) step (%c1) {
// CHECK: %[[PANEL:.*]] = arith.remui %[[P]], %c16
// CHECK: %[[LO:.*]] = arith.muli %[[PANEL]], %c64
// CHECK: %[[END:.*]] = arith.addi %[[LO]], %c64
// CHECK: %[[HI:.*]] = arith.minui %[[END]], %c1024
// CHECK: scf.for %[[J:.*]] = %[[LO]] to %{{.*}} step %c64 {
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK-NOT: linalg.matmul
// CHECK: scf.reduce
func.func @step(%a: memref<1x256xf32>, %b: memref<256x1024xf32>, %c: memref<1x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<1x256xf32>, memref<256x1024xf32>) outs(%c : memref<1x1024xf32>)
  return
}

// -----

// An input projection, 256 rows: 4 chunks of 64 rows, each all columns.
// CHECK-LABEL: func.func @projection
// CHECK: scf.parallel (%[[P:.*]]) = (%c0) to (%c4) step (%c1) {
// CHECK: %[[LO:.*]] = arith.muli %[[P]], %c64
// CHECK: %[[END:.*]] = arith.addi %[[LO]], %c64
// CHECK: %[[HI:.*]] = arith.minui %[[END]], %c256
// CHECK: scf.for %[[CHUNK:.*]] = %[[LO]] to %{{.*}} step %c64 {
// CHECK: scf.for %{{.*}} = %c0 to %c256 step %c16 {
// CHECK-NEXT: scf.for %{{.*}} = %[[CHUNK]] to %{{.*}} step %c4 {
func.func @projection(%a: memref<256x64xf32>, %b: memref<64x256xf32>, %c: memref<256x256xf32>) {
  linalg.matmul ins(%a, %b : memref<256x64xf32>, memref<64x256xf32>) outs(%c : memref<256x256xf32>)
  return
}

// -----

// 4096 multiply-adds: one part, no parallel loop.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.parallel
// CHECK: scf.for
func.func @small(%a: memref<1x64xf32>, %b: memref<64x64xf32>, %c: memref<1x64xf32>) {
  linalg.matmul ins(%a, %b : memref<1x64xf32>, memref<64x64xf32>) outs(%c : memref<1x64xf32>)
  return
}

// -----

// A dynamic M decides at run time: the work against the threshold, then
// rows (M >= 128) or columns; below the threshold, one part of M rows and
// all 1024 columns.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[M:.*]] = memref.dim
// CHECK: %[[WORK:.*]] = arith.muli %[[M]], %c262144
// CHECK: %[[SPLIT:.*]] = arith.cmpi uge, %[[WORK]], %c131072
// CHECK: %[[TALL:.*]] = arith.cmpi uge, %[[M]], %c128
// CHECK: %[[ROWS:.*]] = arith.andi %[[SPLIT]], %[[TALL]]
// CHECK: %[[COLS:.*]] = arith.xori %[[SPLIT]], %[[ROWS]]
// CHECK: %[[M1:.*]] = arith.maxui %[[M]], %c1
// CHECK: %[[PART_ROWS:.*]] = arith.select %[[ROWS]], %c64, %[[M1]]
// CHECK: %[[PART_COLS:.*]] = arith.select %[[COLS]], %c64, %c1024
// CHECK: %[[COL_PARTS:.*]] = arith.ceildivui %c1024, %[[PART_COLS]]
// CHECK: %[[ROW_PARTS:.*]] = arith.ceildivui %[[M]], %[[PART_ROWS]]
// CHECK: %[[PARTS:.*]] = arith.muli %[[ROW_PARTS]], %[[COL_PARTS]]
// CHECK: scf.parallel (%[[P:.*]]) = (%c0) to (%[[PARTS]]) step (%c1) {
// CHECK: %[[R:.*]] = arith.divui %[[P]], %[[COL_PARTS]]
// CHECK: arith.muli %[[R]], %[[PART_ROWS]]
// CHECK: %[[C:.*]] = arith.remui %[[P]], %[[COL_PARTS]]
// CHECK: arith.muli %[[C]], %[[PART_COLS]]
func.func @dynamic(%a: memref<?x256xf32>, %b: memref<256x1024xf32>, %c: memref<?x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<?x256xf32>, memref<256x1024xf32>) outs(%c : memref<?x1024xf32>)
  return
}

// -----

// Dynamic M, 16 columns (2 vectors): a part's column range is dynamic, but
// tiles wider than the static N never run and are not emitted. One loop of
// 8 accumulators (4 rows x 2 vectors), none of 1 row x 8 vectors.
// CHECK-LABEL: func.func @narrow
// CHECK: scf.parallel
// CHECK-COUNT-1: -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK-NOT: -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK: scf.reduce
func.func @narrow(%a: memref<?x256xf32>, %b: memref<256x16xf32>, %c: memref<?x16xf32>) {
  linalg.matmul ins(%a, %b : memref<?x256xf32>, memref<256x16xf32>) outs(%c : memref<?x16xf32>)
  return
}
