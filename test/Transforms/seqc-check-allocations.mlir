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

// A parallel body that allocates sets the flag at its env's address
// (atomically: every thread may) and returns.
// CHECK-LABEL: func.func private @body
// CHECK-SAME: (%{{.*}}: i64, %{{.*}}: i64, %[[ENV:.*]]: !llvm.ptr)
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<4xf32>
// CHECK: cf.cond_br %{{.*}}, ^[[OOM:.*]], ^
// CHECK: ^[[OOM]]:
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK-NEXT: llvm.store %[[ONE]], %[[ENV]] atomic monotonic {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT: return
func.func private @body(%begin: i64, %end: i64, %env: !llvm.ptr) attributes {seqc.out_of_memory_flag} {
  %buf = memref.alloc() : memref<4xf32>
  memref.dealloc %buf : memref<4xf32>
  return
}

// -----

// The kernel tests the flag after the pool has run such a body.
// CHECK-LABEL: func.func @caller
// CHECK: call @seqc_rt_parallel_for(%{{.*}}, %{{.*}}, %[[ENV:.*]]) {seqc.out_of_memory_flag}
// CHECK-NEXT: %[[FLAG:.*]] = llvm.load %[[ENV]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-NEXT: %[[SET:.*]] = arith.cmpi ne, %[[FLAG]], %[[ZERO]] : i32
// CHECK-NEXT: cf.cond_br %[[SET]], ^[[OOM:.*]], ^
// CHECK: ^[[OOM]]:
// CHECK-NEXT: arith.constant 3 : i32
func.func private @seqc_rt_parallel_for(i64, (i64, i64, !llvm.ptr) -> (), !llvm.ptr)
func.func private @work(i64, i64, !llvm.ptr)
func.func @caller(%n: i64, %env: !llvm.ptr) -> i32 attributes {seqc.kernel} {
  %ok = arith.constant 0 : i32
  %f = func.constant @work : (i64, i64, !llvm.ptr) -> ()
  call @seqc_rt_parallel_for(%n, %f, %env) {seqc.out_of_memory_flag} : (i64, (i64, i64, !llvm.ptr) -> (), !llvm.ptr) -> ()
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
