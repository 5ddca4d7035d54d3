// RUN: seqc-opt %s --seqc-fuse-elementwise | FileCheck %s
// RUN: seqc-opt %s --seqc-fuse-elementwise=max-body-ops=4 | FileCheck %s --check-prefix=BOUNDED

#id = affine_map<(d0) -> (d0)>
// Three elementwise ops in a chain become one generic; with bodies bounded
// to 4 ops (counted as the two bodies together, yields included), the chain
// stays in two pieces.
// CHECK-LABEL: func.func @chain
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: arith.negf
// BOUNDED-LABEL: func.func @chain
// BOUNDED-COUNT-2: linalg.generic
// BOUNDED-NOT: linalg.generic
func.func @chain(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.exp %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%b : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.negf %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %c : tensor<8xf32>
}
