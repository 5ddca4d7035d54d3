// RUN: seqc-opt %s -seqc-outline-parallel-loops -split-input-file | FileCheck %s
// RUN: seqc-opt %s -seqc-outline-parallel-loops -convert-scf-to-cf -finalize-memref-to-llvm -convert-arith-to-llvm -convert-cf-to-llvm -convert-func-to-llvm -reconcile-unrealized-casts -split-input-file | FileCheck %s --check-prefix=LLVM
// seqc-outline-parallel-loops: an outermost 1-d scf.parallel becomes a call
// of the worker pool, seqc_rt_parallel_for(n, body, env), with its body in
// an internal function body(begin, end, env) and the values from outside in
// an env struct filled on the caller's stack.

// CHECK: func.func private @seqc_rt_parallel_for(i64, (i64, i64, !llvm.ptr) -> (), !llvm.ptr)
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: (%[[BUF:.*]]: memref<?xf32>, %[[X:.*]]: f32, %[[N:.*]]: index, %[[LB:.*]]: index)
// One env slot, in the entry block.
// CHECK: %[[ENV:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(f32, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, i64)>
// The scalar as itself, the memref as its descriptor, index as i64;
// the constant step is not carried.
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[ENV]][0, 0]
// CHECK: llvm.store %[[X]], %[[P0]] : f32
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %[[BUF]] : memref<?xf32> to !llvm.struct
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ENV]][0, 1]
// CHECK: llvm.store %[[DESC]], %[[P1]]
// CHECK: %[[LB64:.*]] = arith.index_cast %[[LB]] : index to i64
// CHECK: %[[P2:.*]] = llvm.getelementptr %[[ENV]][0, 2]
// CHECK: llvm.store %[[LB64]], %[[P2]] : i64
// Iterations: ceil(max(n - lb, 0) / 4).
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %[[LB]]
// CHECK: %[[POS:.*]] = arith.maxsi %[[SPAN]], %c0
// CHECK: %[[ITERS:.*]] = arith.ceildivui %[[POS]], %c4
// CHECK: %[[F:.*]] = constant @kernel_parallel : (i64, i64, !llvm.ptr) -> ()
// CHECK: %[[ITERS64:.*]] = arith.index_cast %[[ITERS]] : index to i64
// CHECK: call @seqc_rt_parallel_for(%[[ITERS64]], %[[F]], %[[ENV]])
// CHECK-NOT: scf.parallel
// CHECK: return
// The body: the values back from env, then iterations [begin, end) at
// lb + i * step; the inner scf.parallel stays (it runs serially).
// CHECK-LABEL: func.func private @kernel_parallel
// CHECK-SAME: (%[[BEGIN:.*]]: i64, %[[END:.*]]: i64, %[[E:.*]]: !llvm.ptr) attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK: %[[XB:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: %[[DB:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.struct
// CHECK: %[[BUFB:.*]] = builtin.unrealized_conversion_cast %[[DB]] : {{.*}} to memref<?xf32>
// CHECK: %[[LBB64:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[LBB:.*]] = arith.index_cast %[[LBB64]] : i64 to index
// CHECK: %[[B:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK: %[[EN:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK: scf.for %[[I:.*]] = %[[B]] to %[[EN]] step
// CHECK: %[[SCALED:.*]] = arith.muli %[[I]], %c4
// CHECK: %[[IV:.*]] = arith.addi %[[LBB]], %[[SCALED]]
// CHECK: memref.store %[[XB]], %[[BUFB]][%[[IV]]]
// CHECK: scf.parallel
// The casts meet their counterparts in the conversion to the LLVM dialect;
// the pool gets the address of the body, which has the C signature.
// LLVM: llvm.func @seqc_rt_parallel_for(i64, !llvm.ptr, !llvm.ptr)
// LLVM: %[[ADDR:.*]] = llvm.mlir.addressof @kernel_parallel : !llvm.ptr
// LLVM: llvm.call @seqc_rt_parallel_for(%{{.*}}, %[[ADDR]], %{{.*}}) : (i64, !llvm.ptr, !llvm.ptr) -> ()
// LLVM: llvm.func internal @kernel_parallel(%{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr)
// LLVM-NOT: unrealized_conversion_cast
func.func @kernel(%buf: memref<?xf32>, %x: f32, %n: index, %lb: index) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%lb) to (%n) step (%c4) {
    memref.store %x, %buf[%i] : memref<?xf32>
    scf.parallel (%j) = (%c1) to (%c4) step (%c1) {
      %k = arith.addi %i, %j : index
      memref.store %x, %buf[%k] : memref<?xf32>
    }
  }
  return
}

// -----

// A body that allocates: env starts with an i32 flag, cleared before the
// call; body and call are marked for seqc-check-allocations.
// CHECK-LABEL: func.func @allocating
// CHECK: %[[ENV:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(i32, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>)>
// CHECK: %[[ZERO:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.store %[[ZERO]], %[[ENV]] : i32, !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ENV]][0, 1]
// CHECK: llvm.store %{{.*}}, %[[P1]]
// CHECK: call @seqc_rt_parallel_for(%{{.*}}, %{{.*}}, %[[ENV]]) {seqc.out_of_memory_flag}
// CHECK-LABEL: func.func private @allocating_parallel
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, seqc.out_of_memory_flag}
// CHECK: llvm.getelementptr %{{.*}}[0, 1]
// CHECK: memref.alloc() : memref<4xf32>
func.func @allocating(%buf: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %t = memref.alloc() : memref<4xf32>
    %v = memref.load %t[%c0] : memref<4xf32>
    memref.store %v, %buf[%i] : memref<?xf32>
    memref.dealloc %t : memref<4xf32>
  }
  return
}

// -----

// Loops that reduce, or of two dimensions, stay.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: seqc_rt_parallel_for
// CHECK-COUNT-2: scf.parallel
func.func @left_alone(%buf: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %v = memref.load %buf[%i] : memref<?xf32>
    scf.reduce(%v : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    memref.store %zero, %buf[%i] : memref<?xf32>
  }
  return %sum : f32
}

// -----

// Loops that compute the same (the same loop in two versions of a
// recurrence) share one body; a loop that differs gets its own.
// CHECK-LABEL: func.func @versions
// CHECK: %[[F1:[a-z0-9_]+]] = {{(func\.)?}}constant @[[SAME:versions_parallel[_0-9]*]] :
// CHECK: call @seqc_rt_parallel_for(%{{.*}}, %[[F1]], %{{.*}})
// CHECK: %[[F2:[a-z0-9_]+]] = {{(func\.)?}}constant @[[SAME]] :
// CHECK: call @seqc_rt_parallel_for(%{{.*}}, %[[F2]], %{{.*}})
// CHECK: %[[F3:[a-z0-9_]+]] = {{(func\.)?}}constant @[[OTHER:versions_parallel[_0-9]*]] :
// CHECK: call @seqc_rt_parallel_for(%{{.*}}, %[[F3]], %{{.*}})
// CHECK-DAG: func.func private @[[SAME]](
// CHECK-DAG: func.func private @[[OTHER]](
// CHECK-NOT: func.func private @versions_parallel
func.func @versions(%a: memref<?xf32>, %b: memref<?xf32>, %n: index, %big: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.if %big {
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      %x = memref.load %a[%i] : memref<?xf32>
      %y = arith.mulf %x, %x : f32
      memref.store %y, %b[%i] : memref<?xf32>
      scf.reduce
    }
  } else {
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      %x = memref.load %b[%i] : memref<?xf32>
      %y = arith.mulf %x, %x : f32
      memref.store %y, %a[%i] : memref<?xf32>
      scf.reduce
    }
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %b[%i] : memref<?xf32>
    scf.reduce
  }
  return
}
