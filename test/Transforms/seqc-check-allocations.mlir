// RUN: seqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(seqc-check-allocations))' | FileCheck %s
// In a seqc.kernel, after scf-to-cf: every memref.alloc is followed by a
// null test that branches to one block returning 3
// (SEQC_ERROR_OUT_OF_MEMORY). Buffers allocated before the failing one are
// not freed on that path.

// CHECK-LABEL: func.func @f
// CHECK: %[[BUF:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK-NEXT: %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[BUF]] : memref<?xf32> -> index
// CHECK-NEXT: %[[NULL:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[FAILED:.*]] = arith.cmpi eq, %[[PTR]], %[[NULL]] : index
// CHECK-NEXT: cf.cond_br %[[FAILED]], ^[[OOM:.*]], ^[[GO:.*]]
// CHECK: ^[[GO]]:
// CHECK: memref.store %{{.*}}, %[[BUF]]
// CHECK: %[[SECOND:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT: memref.extract_aligned_pointer_as_index %[[SECOND]]
// CHECK: cf.cond_br %{{.*}}, ^[[OOM]], ^
// CHECK: return %{{.*}} : i32
// CHECK: ^[[OOM]]:
// CHECK-NEXT: %[[CODE:.*]] = arith.constant 3 : i32
// CHECK-NEXT: return %[[CODE]] : i32
func.func @f(%n: index, %v: f32) -> i32 attributes {seqc.kernel} {
  %c0 = arith.constant 0 : index
  %ok = arith.constant 0 : i32
  %buf = memref.alloc(%n) : memref<?xf32>
  memref.store %v, %buf[%c0] : memref<?xf32>
  %second = memref.alloc() : memref<4xf32>
  memref.store %v, %second[%c0] : memref<4xf32>
  memref.dealloc %second : memref<4xf32>
  memref.dealloc %buf : memref<?xf32>
  return %ok : i32
}

// -----

// Functions that are not kernels are left alone.
// CHECK-LABEL: func.func @g
// CHECK: memref.alloc
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK-NOT: cf.cond_br
func.func @g(%n: index) {
  %buf = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %buf : memref<?xf32>
  return
}
