// RUN: seqc-opt %s -seqc-approximate-math | FileCheck %s
// f32 tanh and exp become inline polynomials (arith only, multiply-adds
// that may contract into FMAs); f64 keeps its libm-backed math ops. tanh
// is exactly ±1 from |x| >= 13 ln 2 on, whatever the polynomial rounds to.

// CHECK-LABEL: func.func @f32
// CHECK-DAG: %[[LIMIT:.*]] = arith.constant dense<9.01091385> : vector<8xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<8xf32>
// CHECK-NOT: math.tanh
// CHECK-NOT: math.fma
// CHECK: arith.mulf {{.*}} fastmath<contract> : vector<8xf32>
// CHECK: arith.addf {{.*}} fastmath<contract> : vector<8xf32>
// CHECK: %[[POLY:.*]] = arith.select
// CHECK: %[[ABS:.*]] = math.absf %arg0
// CHECK: %[[BIG:.*]] = arith.cmpf oge, %[[ABS]], %[[LIMIT]]
// CHECK: %[[SIGNED:.*]] = math.copysign %[[ONE]], %arg0
// CHECK: arith.select %[[BIG]], %[[SIGNED]], %[[POLY]]
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
