// RUN: seqc-opt %s -seqc-approximate-math | FileCheck %s
// f32 tanh and exp become inline polynomials (arith only, multiply-adds
// that may contract into FMAs); f64 keeps its libm-backed math ops.

// CHECK-LABEL: func.func @f32
// CHECK-NOT: math.tanh
// CHECK-NOT: math.fma
// CHECK: arith.mulf {{.*}} fastmath<contract> : vector<8xf32>
// CHECK: arith.addf {{.*}} fastmath<contract> : vector<8xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.fma
// CHECK: arith.mulf {{.*}} fastmath<contract> : f32
// CHECK-NOT: math.exp
// CHECK-NOT: math.fma
// CHECK: return
func.func @f32(%x: vector<8xf32>, %y: f32) -> (vector<8xf32>, f32) {
  %t = math.tanh %x : vector<8xf32>
  %e = math.exp %y : f32
  return %t, %e : vector<8xf32>, f32
}

// CHECK-LABEL: func.func @f64
// CHECK: math.tanh %{{.*}} : f64
// CHECK: math.exp %{{.*}} : f64
func.func @f64(%x: f64) -> (f64, f64) {
  %t = math.tanh %x : f64
  %e = math.exp %x : f64
  return %t, %e : f64, f64
}
