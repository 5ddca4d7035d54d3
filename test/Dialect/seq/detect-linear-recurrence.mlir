// RUN: seqc-opt %s -seq-detect-linear-recurrence -canonicalize -cse -split-input-file -verify-diagnostics | FileCheck %s
// seq-detect-linear-recurrence: recurrences whose states update as
// h' = a * h + b become the state-free part over all steps plus
// seq.linear_scan (and the step outputs read from the scanned states); the
// others stay, with a remark saying why.

#id = affine_map<(d0) -> (d0)>

// minGRU's update h' = (1 - z) h + z c: a = 1 - z and b = z c for all steps
// in one generic, then the scan; the step output is the updated state, so
// the scan's states are the stacked output.
// CHECK-LABEL: func.func @mingru
// CHECK-SAME: (%[[H0:.*]]: tensor<4xf32>, %[[Z:.*]]: tensor<?x4xf32>, %[[C:.*]]: tensor<?x4xf32>, %{{.*}}: tensor<?x4xf32>)
// CHECK: %[[AB:.*]]:2 = linalg.generic {{.*}} ins(%[[Z]], %[[C]] : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK-NEXT: ^bb0(%[[ZV:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[KEEP:.*]] = arith.subf %{{.*}}, %[[ZV]] : f32
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[ZV]], %[[CV]] : f32
// CHECK-NEXT: linalg.yield %[[KEEP]], %[[B]] : f32, f32
// CHECK: %[[FINAL:.*]], %[[ALL:.*]] = seq.linear_scan forward a(%[[AB]]#0 : tensor<?x4xf32>) b(%[[AB]]#1 : tensor<?x4xf32>) init(%[[H0]] : tensor<4xf32>) outs(%{{.*}} : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
// CHECK-NOT: seq.recurrence
// CHECK: return %[[FINAL]], %[[ALL]]
func.func @mingru(%h0: tensor<4xf32>, %z: tensor<?x4xf32>, %c: tensor<?x4xf32>,
                  %y0: tensor<?x4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{linear recurrence: 1 state(s) run as seq.linear_scan}}
  %h, %y = seq.recurrence forward inits(%h0 : tensor<4xf32>)
      inputs(%z, %c : tensor<?x4xf32>, tensor<?x4xf32>) outs(%y0 : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %zt: tensor<4xf32>, %ct: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %zt, %ct : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %zv: f32, %cv: f32, %o: f32):
      %keep = arith.subf %one, %zv : f32
      %a = arith.mulf %keep, %hv : f32
      %b = arith.mulf %zv, %cv : f32
      %n = arith.addf %a, %b : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next, %next : tensor<4xf32>, tensor<4xf32>
  }
  return %h, %y : tensor<4xf32>, tensor<?x4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// A running sum, in reverse, final state only: a = 1 is left implicit and b
// is the step input itself.
// CHECK-LABEL: func.func @running_sum_reverse
// CHECK-SAME: (%[[H0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<?x4xf32>)
// CHECK-NEXT: %[[FINAL:.*]] = seq.linear_scan reverse b(%[[X]] : tensor<?x4xf32>) init(%[[H0]] : tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[FINAL]]
func.func @running_sum_reverse(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{linear recurrence: 1 state(s) run as seq.linear_scan}}
  %h = seq.recurrence reverse inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %n = arith.addf %hv, %xv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// A decay shared by every step (from outside the loop), and a step output
// that is any function of the updated state, here a product by weights:
// after the scan it runs over all steps at once, as one matmul.
// CHECK-LABEL: func.func @decay_and_readout
// CHECK-SAME: (%[[H0:.*]]: tensor<1x4xf32>, %[[X:.*]]: tensor<?x1x4xf32>, %[[D:.*]]: tensor<1x4xf32>, %[[W:.*]]: tensor<4x3xf32>, %[[Y0:.*]]: tensor<?x1x3xf32>)
// CHECK: %[[AB:.*]]:2 = linalg.generic {{.*}} ins(%[[D]], %[[X]] : tensor<1x4xf32>, tensor<?x1x4xf32>)
// CHECK-NEXT: ^bb0(%[[DV:.*]]: f32, %[[XV:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[DV]], %[[XV]] : f32, f32
// CHECK: %[[FINAL:.*]], %[[ALL:.*]] = seq.linear_scan forward a(%[[AB]]#0 : tensor<?x1x4xf32>) b(%[[AB]]#1 : tensor<?x1x4xf32>) init(%[[H0]] : tensor<1x4xf32>) outs(%{{.*}} : tensor<?x1x4xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[ALL]]
// CHECK: %[[PRODUCT:.*]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<?x4xf32>, tensor<4x3xf32>)
// CHECK: %[[YS:.*]] = tensor.expand_shape %[[PRODUCT]]
// CHECK-NOT: seq.recurrence
// CHECK: return %[[FINAL]], %[[YS]]
func.func @decay_and_readout(%h0: tensor<1x4xf32>, %x: tensor<?x1x4xf32>, %decay: tensor<1x4xf32>,
                             %w: tensor<4x3xf32>, %y0: tensor<?x1x3xf32>)
    -> (tensor<1x4xf32>, tensor<?x1x3xf32>) {
  %e = tensor.empty() : tensor<1x4xf32>
  %zero = arith.constant 0.0 : f32
  %e3 = tensor.empty() : tensor<1x3xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x3xf32>) -> tensor<1x3xf32>
  // expected-remark @+1 {{linear recurrence: 1 state(s) run as seq.linear_scan}}
  %h, %y = seq.recurrence forward inits(%h0 : tensor<1x4xf32>) inputs(%x : tensor<?x1x4xf32>)
      outs(%y0 : tensor<?x1x3xf32>) {
  ^bb0(%hp: tensor<1x4xf32>, %xt: tensor<1x4xf32>):
    %next = linalg.generic {indexing_maps = [#id2, #id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
        ins(%hp, %decay, %xt : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) outs(%e : tensor<1x4xf32>) {
    ^bb0(%hv: f32, %dv: f32, %xv: f32, %o: f32):
      %kept = arith.mulf %hv, %dv : f32
      %n = arith.addf %kept, %xv : f32
      linalg.yield %n : f32
    } -> tensor<1x4xf32>
    %out = linalg.matmul ins(%next, %w : tensor<1x4xf32>, tensor<4x3xf32>) outs(%acc : tensor<1x3xf32>) -> tensor<1x3xf32>
    seq.yield %next, %out : tensor<1x4xf32>, tensor<1x3xf32>
  }
  return %h, %y : tensor<1x4xf32>, tensor<?x1x3xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not linear: a tanh of the state (an RNN).
// CHECK-LABEL: func.func @tanh_of_state
// CHECK: seq.recurrence
// CHECK-NOT: seq.linear_scan
func.func @tanh_of_state(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: state 0 reaches 'math.tanh' in 'linalg.generic': not linear}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %s = arith.addf %hv, %xv : f32
      %n = math.tanh %s : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not linear: a gate computed from the state, g = h * h.
func.func @state_times_state(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: state 0 is multiplied by itself in 'linalg.generic'}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %g = arith.mulf %hv, %hv : f32
      %n = arith.addf %g, %xv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not linear: the state divides.
func.func @state_divides(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: state 0 is a divisor in 'linalg.generic'}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %n = arith.divf %xv, %hv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not linear in the elementwise sense: the state is mixed by a matrix (a
// dense linear map couples the state's elements).
func.func @state_times_matrix(%h0: tensor<1x4xf32>, %x: tensor<?x1x4xf32>, %r: tensor<4x4xf32>) -> tensor<1x4xf32> {
  // expected-remark @+1 {{not a linear recurrence: state 0 reaches 'linalg.matmul', which is not elementwise arithmetic}}
  %h = seq.recurrence forward inits(%h0 : tensor<1x4xf32>) inputs(%x : tensor<?x1x4xf32>) {
  ^bb0(%hp: tensor<1x4xf32>, %xt: tensor<1x4xf32>):
    %next = linalg.matmul ins(%hp, %r : tensor<1x4xf32>, tensor<4x4xf32>) outs(%xt : tensor<1x4xf32>) -> tensor<1x4xf32>
    seq.yield %next : tensor<1x4xf32>
  }
  return %h : tensor<1x4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Two states that meet: h1' = h1 + h2.
func.func @coupled_states(%a0: tensor<4xf32>, %b0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: states 0 and 1 meet in 'linalg.generic'}}
  %a, %b = seq.recurrence forward inits(%a0, %b0 : tensor<4xf32>, tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%ap: tensor<4xf32>, %bp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%ap, %bp : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%av: f32, %bv: f32, %o: f32):
      %n = arith.addf %av, %bv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next, %xt : tensor<4xf32>, tensor<4xf32>
  }
  return %a : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Two states that trade places each step.
func.func @swapped_states(%a0: tensor<4xf32>, %b0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: the update of state 0 reads state 1}}
  %a, %b = seq.recurrence forward inits(%a0, %b0 : tensor<4xf32>, tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%ap: tensor<4xf32>, %bp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%ap, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%av: f32, %xv: f32, %o: f32):
      %n = arith.addf %av, %xv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %bp, %next : tensor<4xf32>, tensor<4xf32>
  }
  return %a : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// A step output that reads the state before its update.
func.func @output_before_update(%h0: tensor<4xf32>, %x: tensor<?x4xf32>, %y0: tensor<?x4xf32>)
    -> (tensor<4xf32>, tensor<?x4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{not a linear recurrence: step output 0 reads state 0 before its update}}
  %h, %y = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>)
      outs(%y0 : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %n = arith.addf %hv, %xv : f32
      linalg.yield %n : f32
    } -> tensor<4xf32>
    seq.yield %next, %hp : tensor<4xf32>, tensor<4xf32>
  }
  return %h, %y : tensor<4xf32>, tensor<?x4xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>

// The state broadcast into a larger value.
func.func @broadcast_state(%h0: tensor<4xf32>, %x: tensor<?x2x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<2x4xf32>
  // expected-remark @+1 {{not a linear recurrence: state 0 enters 'linalg.generic' through a broadcast or transposition}}
  %h = seq.recurrence forward inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<2x4xf32>):
    %wide = linalg.generic {indexing_maps = [#row, #id2, #id2], iterator_types = ["parallel", "parallel"]}
        ins(%hp, %xt : tensor<4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
    ^bb0(%hv: f32, %xv: f32, %o: f32):
      %n = arith.addf %hv, %xv : f32
      linalg.yield %n : f32
    } -> tensor<2x4xf32>
    %next = tensor.extract_slice %wide[0, 0] [1, 4] [1, 1] : tensor<2x4xf32> to tensor<4xf32>
    seq.yield %next : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

// Per-sequence lengths are not analysed.
func.func @lengths(%h0: tensor<?x4xf32>, %x: tensor<?x?x4xf32>, %len: tensor<?xi32>) -> tensor<?x4xf32> {
  // expected-remark @+1 {{not a linear recurrence: it has per-sequence lengths}}
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>) inputs(%x : tensor<?x?x4xf32>)
      lengths(%len : tensor<?xi32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    seq.yield %xt : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}
