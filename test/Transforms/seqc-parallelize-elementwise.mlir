// RUN: seqc-opt %s -seqc-parallelize-elementwise -canonicalize -split-input-file | FileCheck %s
// RUN: seqc-opt %s -seqc-parallelize-elementwise=min-parallel-work=-1 -split-input-file | FileCheck %s --check-prefix=NEVER
// seqc-parallelize-elementwise turns an elementwise linalg op on buffers of
// at least 16384 iterations (min-parallel-work) into an scf.parallel over
// its outermost loop, one slice of the op per iteration; of dynamic size,
// an scf.if on the iteration count picks the split op or the op as it was.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// A batch-64 step's gate math, [64, 256] plus a bias along the row: 64
// slices of one row, the bias whole in each.
// CHECK-LABEL: func.func @gates
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c64) step (%c1) {
// CHECK-DAG: %[[X:.*]] = memref.subview %arg0[%[[I]], 0] [1, 256] [1, 1]
// CHECK-DAG: %[[Y:.*]] = memref.subview %arg2[%[[I]], 0] [1, 256] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[X]], %arg1 : memref<1x256xf32, strided<[256, 1], offset: ?>>, memref<256xf32>) outs(%[[Y]] : memref<1x256xf32, strided<[256, 1], offset: ?>>)
// CHECK: math.tanh
// NEVER-LABEL: func.func @gates
// NEVER-NOT: scf.parallel
// NEVER: linalg.generic
func.func @gates(%x: memref<64x256xf32>, %bias: memref<256xf32>, %y: memref<64x256xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : memref<64x256xf32>, memref<256xf32>) outs(%y : memref<64x256xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// 8 x 128 = 1024 iterations: below the threshold, one op.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @small(%x: memref<8x128xf32>, %y: memref<8x128xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x128xf32>) outs(%y : memref<8x128xf32>) {
  ^bb0(%a: f32, %out: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// The bias of every step, broadcast over a dynamic [T, B, 1024]: versioned
// on T x B x 1024 >= 16384.
// CHECK-LABEL: func.func @broadcast
// CHECK: %[[T:.*]] = memref.dim %arg1, %c0
// CHECK: %[[B:.*]] = memref.dim %arg1, %c1
// CHECK: %[[TB:.*]] = arith.muli %[[T]], %[[B]]
// CHECK: %[[N:.*]] = arith.muli %[[TB]], %c1024
// CHECK: %[[LARGE:.*]] = arith.cmpi uge, %[[N]], %c16384
// CHECK: scf.if %[[LARGE]] {
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%{{.*}}) step (%c1) {
// CHECK: %[[SLICE:.*]] = memref.subview %arg1[%[[I]], 0, 0] [1, %{{.*}}, 1024] [1, 1, 1]
// CHECK: linalg.broadcast ins(%arg0 : memref<1024xf32>) outs(%[[SLICE]]
// CHECK: } else {
// CHECK: linalg.broadcast ins(%arg0 : memref<1024xf32>) outs(%arg1 : memref<?x?x1024xf32>)
func.func @broadcast(%bias: memref<1024xf32>, %out: memref<?x?x1024xf32>) {
  linalg.broadcast ins(%bias : memref<1024xf32>) outs(%out : memref<?x?x1024xf32>) dimensions = [0, 1]
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Already inside a parallel loop (a matmul's part): left alone.
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @nested(%x: memref<4x64x256xf32>, %y: memref<4x64x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %xs = memref.subview %x[%i, 0, 0] [1, 64, 256] [1, 1, 1] : memref<4x64x256xf32> to memref<64x256xf32, strided<[256, 1], offset: ?>>
    %ys = memref.subview %y[%i, 0, 0] [1, 64, 256] [1, 1, 1] : memref<4x64x256xf32> to memref<64x256xf32, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%xs : memref<64x256xf32, strided<[256, 1], offset: ?>>) outs(%ys : memref<64x256xf32, strided<[256, 1], offset: ?>>) {
    ^bb0(%a: f32, %out: f32):
      %t = math.tanh %a : f32
      linalg.yield %t : f32
    }
    scf.reduce
  }
  return
}

// -----

// One loop (a bias of 65536): the vectoriser's loop stays whole.
// CHECK-LABEL: func.func @one_loop
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @one_loop(%x: memref<65536xf32>, %y: memref<65536xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : memref<65536xf32>) outs(%y : memref<65536xf32>) {
  ^bb0(%a: f32, %out: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A reduction is not elementwise: left alone.
// CHECK-LABEL: func.func @reduction
// CHECK-NOT: scf.parallel
func.func @reduction(%x: memref<256x256xf32>, %y: memref<256xf32>) {
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<256x256xf32>) outs(%y : memref<256xf32>) {
  ^bb0(%a: f32, %out: f32):
    %s = arith.addf %a, %out : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Declared sizes whose product is past int64 (a fuzzed model's): the count
// saturates instead of overflowing, and the op is split like any large one.
// CHECK-LABEL: func.func @sizes_past_int64
// CHECK: scf.parallel
// CHECK: linalg.generic
func.func @sizes_past_int64(%x: memref<9223372036854775807x6xf32>,
                            %y: memref<9223372036854775807x6xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                   affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<9223372036854775807x6xf32>)
      outs(%y : memref<9223372036854775807x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  }
  return
}
