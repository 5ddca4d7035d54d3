// RUN: seqc-opt %s -seq-detect-linear-recurrence=max-matrix-state=16 -split-input-file -verify-diagnostics | FileCheck %s
// seq-detect-linear-recurrence{max-matrix-state=N} (what --scan=auto uses,
// with 1024): a linear recurrence whose matrix state has more than N
// elements stays step by step, since its scan would keep a state per step;
// vector states and small matrices become scans.

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @large_matrix_state
// CHECK: seq.recurrence
// CHECK-NOT: seq.linear_scan
func.func @large_matrix_state(%s0: tensor<8x8xf32>, %kv: tensor<?x8x8xf32>) -> tensor<8x8xf32> {
  %e = tensor.empty() : tensor<8x8xf32>
  %gamma = arith.constant 0.9 : f32
  // expected-remark @+1 {{linear, left step by step: a matrix state of 64 elements would be kept for every step (more than 16; the chunkwise form is not implemented)}}
  %s = seq.recurrence forward inits(%s0 : tensor<8x8xf32>) inputs(%kv : tensor<?x8x8xf32>) {
  ^bb0(%sp: tensor<8x8xf32>, %kvt: tensor<8x8xf32>):
    %next = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
        ins(%sp, %kvt : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
    ^bb0(%sv: f32, %kvv: f32, %o: f32):
      %kept = arith.mulf %sv, %gamma : f32
      %n = arith.addf %kept, %kvv : f32
      linalg.yield %n : f32
    } -> tensor<8x8xf32>
    seq.yield %next : tensor<8x8xf32>
  }
  return %s : tensor<8x8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @small_matrix_state
// CHECK: seq.linear_scan forward a(
func.func @small_matrix_state(%s0: tensor<4x4xf32>, %kv: tensor<?x4x4xf32>) -> tensor<4x4xf32> {
  %e = tensor.empty() : tensor<4x4xf32>
  %gamma = arith.constant 0.9 : f32
  // expected-remark @+1 {{linear recurrence: 1 state(s) run as seq.linear_scan}}
  %s = seq.recurrence forward inits(%s0 : tensor<4x4xf32>) inputs(%kv : tensor<?x4x4xf32>) {
  ^bb0(%sp: tensor<4x4xf32>, %kvt: tensor<4x4xf32>):
    %next = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
        ins(%sp, %kvt : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
    ^bb0(%sv: f32, %kvv: f32, %o: f32):
      %kept = arith.mulf %sv, %gamma : f32
      %n = arith.addf %kept, %kvv : f32
      linalg.yield %n : f32
    } -> tensor<4x4xf32>
    seq.yield %next : tensor<4x4xf32>
  }
  return %s : tensor<4x4xf32>
}
