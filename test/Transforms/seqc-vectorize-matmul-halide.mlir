// RUN: seqc-opt %s -seqc-vectorize-matmul="width=8 min-parallel-work=-1 kernels=halide" -canonicalize -split-input-file | FileCheck %s
// RUN: seqc-opt %s -seqc-vectorize-matmul="width=8 min-parallel-work=-1 kernels=auto" -split-input-file | FileCheck %s --check-prefix=AUTO
// RUN: not seqc-opt %s -seqc-vectorize-matmul="kernels=tiles" 2>&1 | FileCheck %s --check-prefix=BAD
// With kernels=halide, a matmul whose C starts from a known value becomes a
// call of the runtime's seqc_rt_halide_matmul with a Halide kernel (declared
// with its reduction's length, generated when the object is built), A's
// rows, B in panels of one vector [K, N / 8, 8], C's initial value and C;
// the op that wrote C goes.

// BAD: seqc-vectorize-matmul: kernels must be mlir, halide or auto, not 'tiles'

// An input projection whose C is the bias broadcast over [T, B, 64]: the
// bias is passed as a matrix whose rows repeat it (row stride 0); B, a
// function argument, in panels of its own rows.
// CHECK-DAG: func.func private @seqc_rt_halide_matmul((!llvm.ptr, !llvm.ptr, !llvm.ptr, f32, !llvm.ptr) -> i32, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, f32, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @seqc_halide_matmul_k512(!llvm.ptr, !llvm.ptr, !llvm.ptr, f32, !llvm.ptr) -> i32 attributes {seqc.halide_matmul = {k = 512 : i64, packed_b = false, scalar_init = false}}
// CHECK-LABEL: func.func @bias
// CHECK-SAME: (%[[X:.*]]: memref<?x512xf32>, %[[W:.*]]: memref<512x64xf32>, %[[BIAS:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<?x?x64xf32>)
// CHECK-DAG: %[[KERNEL:.*]] = constant @seqc_halide_matmul_k512
// CHECK-NOT: linalg.broadcast
// CHECK-DAG: %[[C:.*]] = memref.collapse_shape %[[OUT]]
// CHECK-DAG: %[[M:.*]] = memref.dim %[[X]], %c0
// CHECK-DAG: %[[ROWS:.*]] = memref.reinterpret_cast %[[BIAS]] to offset: [0], sizes: [%[[M]], 64], strides: [0, 1]
// CHECK-DAG: %[[CPART:.*]] = memref.subview %[[C]][0, 0] [%[[M]], 64] [1, 1]
// CHECK-DAG: %[[APART:.*]] = memref.subview %[[X]][0, 0] [%[[M]], 512] [1, 1]
// CHECK-DAG: %[[PANELS:.*]] = memref.reinterpret_cast %[[W]] to offset: [0], sizes: [512, 8, 8], strides: [64, 8, 1]
// CHECK: call @seqc_rt_halide_matmul(%[[KERNEL]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.matmul
func.func @bias(%x: memref<?x512xf32>, %w: memref<512x64xf32>, %bias: memref<64xf32>, %out: memref<?x?x64xf32>) {
  linalg.broadcast ins(%bias : memref<64xf32>) outs(%out : memref<?x?x64xf32>) dimensions = [0, 1]
  %c = memref.collapse_shape %out [[0, 1], [2]] : memref<?x?x64xf32> into memref<?x64xf32>
  linalg.matmul ins(%x, %w : memref<?x512xf32>, memref<512x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// A fill with a value known only at run time: the _scalar kernel takes it
// (its init operand, C itself, is not read).
// CHECK-DAG: func.func private @seqc_halide_matmul_k64_scalar({{.*}}) -> i32 attributes {seqc.halide_matmul = {k = 64 : i64, packed_b = false, scalar_init = true}}
// CHECK-LABEL: func.func @fill
// CHECK-SAME: (%[[H:.*]]: memref<1x64xf32>, %[[R:.*]]: memref<64x64xf32>, %[[C:.*]]: memref<1x64xf32>, %[[S:.*]]: f32)
// CHECK-NOT: linalg.fill
// CHECK: %[[CPART:.*]] = memref.cast %[[C]]
// CHECK: call @seqc_rt_halide_matmul(%{{.*}}, %{{.*}}, %{{.*}}, %[[CPART]], %[[S]], %[[CPART]])
func.func @fill(%h: memref<1x64xf32>, %r: memref<64x64xf32>, %c: memref<1x64xf32>, %s: f32) {
  linalg.fill ins(%s : f32) outs(%c : memref<1x64xf32>)
  linalg.matmul ins(%h, %r : memref<1x64xf32>, memref<64x64xf32>) outs(%c : memref<1x64xf32>)
  return
}

// -----

// A recurrent step with constant weights, in two copies (as in a
// recurrence's two versions): C starts from a copy of the step's slice of
// the input projection, passed as the init; R is packed once, [8, 64, 8],
// and both calls read the same panels through the _packed kernel.
// CHECK-DAG: memref.global "private" constant @__seqc_packed_weights : memref<8x64x8xf32>
// CHECK-DAG: func.func private @seqc_halide_matmul_k64_packed({{.*}}) -> i32 attributes {seqc.halide_matmul = {k = 64 : i64, packed_b = true, scalar_init = false}}
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%[[H:.*]]: memref<?x64xf32>, %[[P:.*]]: memref<?x64xf32>, %[[C:.*]]: memref<?x64xf32>)
// CHECK-NOT: memref.copy
// CHECK-NOT: __seqc_packed_weights_
// CHECK-DAG: %[[PACKED0:.*]] = memref.get_global @__seqc_packed_weights :
// CHECK-DAG: %[[PACKED1:.*]] = memref.get_global @__seqc_packed_weights :
// CHECK: %[[INIT:.*]] = memref.subview %[[P]][0, 0]
// CHECK: memref.reinterpret_cast %[[PACKED1]] to offset: [0], sizes: [64, 8, 8], strides: [8, 512, 1]
// CHECK: call @seqc_rt_halide_matmul
// CHECK: memref.reinterpret_cast %[[PACKED0]] to offset: [0], sizes: [64, 8, 8], strides: [8, 512, 1]
// CHECK: call @seqc_rt_halide_matmul
memref.global "private" constant @r : memref<64x64xf32> = dense<1.0>
func.func @step(%h: memref<?x64xf32>, %p: memref<?x64xf32>, %c: memref<?x64xf32>) {
  %r = memref.get_global @r : memref<64x64xf32>
  memref.copy %p, %c : memref<?x64xf32> to memref<?x64xf32>
  linalg.matmul ins(%h, %r : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  memref.copy %p, %c : memref<?x64xf32> to memref<?x64xf32>
  linalg.matmul ins(%h, %r : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// C's initial value unknown (the matmul accumulates into it): the Halide
// kernels never read C, so the vector tiles compute it.
// CHECK-LABEL: func.func @accumulate
// CHECK-NOT: call
// CHECK: vector.load
func.func @accumulate(%a: memref<?x64xf32>, %b: memref<64x64xf32>, %c: memref<?x64xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// kernels=auto: constant weights of 2 MiB or more ([512, 1024] f32) go to
// Halide, smaller ones ([512, 512]) keep the vector tiles.
// AUTO-LABEL: func.func @auto
// AUTO: call @seqc_rt_halide_matmul
// AUTO-NOT: call @seqc_rt_halide_matmul
// AUTO: vector.load
memref.global "private" constant @big : memref<512x1024xf32> = dense<1.0>
memref.global "private" constant @small : memref<512x512xf32> = dense<1.0>
func.func @auto(%h: memref<?x512xf32>, %p: memref<?x1024xf32>, %c: memref<?x1024xf32>,
                %q: memref<?x512xf32>, %d: memref<?x512xf32>) {
  %big = memref.get_global @big : memref<512x1024xf32>
  memref.copy %p, %c : memref<?x1024xf32> to memref<?x1024xf32>
  linalg.matmul ins(%h, %big : memref<?x512xf32>, memref<512x1024xf32>) outs(%c : memref<?x1024xf32>)
  %small = memref.get_global @small : memref<512x512xf32>
  memref.copy %q, %d : memref<?x512xf32> to memref<?x512xf32>
  linalg.matmul ins(%h, %small : memref<?x512xf32>, memref<512x512xf32>) outs(%d : memref<?x512xf32>)
  return
}
