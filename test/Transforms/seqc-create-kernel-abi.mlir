// RUN: seqc-opt %s -split-input-file -seqc-create-kernel-abi=function=f -verify-diagnostics | FileCheck %s
// The bufferized model function gets the C API's convention: it returns an
// i32 status (0 when it runs to its end) and is marked seqc.kernel; it and
// its shape function get C wrappers (llvm.emit_c_interface).

// CHECK-LABEL: func.func @f_shapes
// CHECK-SAME: (%{{.*}}: memref<?xf32>, %{{.*}}: memref<4xi64>) attributes {llvm.emit_c_interface} {
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[A:[^:]*]]: memref<?xf32>, %[[OUT:[^:]*]]: memref<?xf32>) -> i32 attributes {llvm.emit_c_interface, seqc.kernel} {
// CHECK: linalg.mul ins(%{{.*}}, %[[A]] : memref<?xf32>, memref<?xf32>) outs(%[[OUT]] : memref<?xf32>)
// CHECK: memref.dealloc
// CHECK-NEXT: %[[OK:.*]] = arith.constant 0 : i32
// CHECK-NEXT: return %[[OK]] : i32
func.func @f_shapes(%a: memref<?xf32>, %dims: memref<4xi64>) {
  return
}
func.func @f(%a: memref<?xf32>, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %tmp = memref.alloc(%n) : memref<?xf32>
  linalg.add ins(%a, %a : memref<?xf32>, memref<?xf32>) outs(%tmp : memref<?xf32>)
  linalg.mul ins(%tmp, %a : memref<?xf32>, memref<?xf32>) outs(%out : memref<?xf32>)
  memref.dealloc %tmp : memref<?xf32>
  return
}

// -----

// Other functions are left alone.
// CHECK-LABEL: func.func @helper
// CHECK-SAME: (%{{.*}}: memref<2xf32>) {
// CHECK-LABEL: func.func @f(
// CHECK-SAME: -> i32 attributes
func.func @helper(%a: memref<2xf32>) {
  return
}
func.func @f_shapes(%a: memref<2xf32>, %dims: memref<4xi64>) {
  return
}
func.func @f(%a: memref<2xf32>, %out: memref<2xf32>) {
  func.call @helper(%a) : (memref<2xf32>) -> ()
  return
}

// -----

// expected-error @+1 {{no model function @f}}
module {
  func.func @g(%a: memref<2xf32>) {
    return
  }
}
