// RUN: seqc-opt %s -allow-unregistered-dialect -canonicalize -split-input-file | FileCheck %s
// RUN: seqc-opt %s -allow-unregistered-dialect -loop-invariant-code-motion -split-input-file | FileCheck %s --check-prefix=LICM

// An unused stacked output goes away with its yielded value's use; a state
// nobody reads (not the body, not after the loop) goes away too.
// CHECK-LABEL: func.func @drop_unused
// CHECK: %[[H:.*]] = seq.recurrence forward inits(%{{.*}} : tensor<4xf32>) inputs(%{{.*}} : tensor<5x4xf32>) {
// CHECK-NEXT: ^bb0(%[[HP:.*]]: tensor<4xf32>, %[[XT:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[HP]], %[[XT]]
// CHECK-NEXT: seq.yield %[[S]] : tensor<4xf32>
// CHECK: return %[[H]]
func.func @drop_unused(%h0: tensor<4xf32>, %c0: tensor<4xf32>, %x: tensor<5x4xf32>,
                       %y0: tensor<5x4xf32>) -> tensor<4xf32> {
  %h, %c, %y = seq.recurrence forward inits(%h0, %c0 : tensor<4xf32>, tensor<4xf32>)
      inputs(%x : tensor<5x4xf32>) outs(%y0 : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %cp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %hp, %xt : tensor<4xf32>
    %c2 = arith.mulf %cp, %cp : tensor<4xf32>
    seq.yield %s, %c2, %s : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

// A state used by the body stays even when its final value is unused.
// CHECK-LABEL: func.func @keep_read_state
// CHECK: %{{.*}}:2 = seq.recurrence forward inits(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>)
func.func @keep_read_state(%h0: tensor<4xf32>, %c0: tensor<4xf32>,
                           %x: tensor<5x4xf32>) -> tensor<4xf32> {
  %h, %c = seq.recurrence forward inits(%h0, %c0 : tensor<4xf32>, tensor<4xf32>)
      inputs(%x : tensor<5x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %cp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %cp, %xt : tensor<4xf32>
    %c2 = arith.mulf %cp, %xt : tensor<4xf32>
    seq.yield %s, %c2 : tensor<4xf32>, tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

// A state yielded unchanged is its init, in the body and after the loop; an
// input the body ignores goes away, but one input stays for the length.
// CHECK-LABEL: func.func @pass_through
// CHECK-SAME: (%[[B0:.*]]: tensor<4xf32>, %[[H0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<5x4xf32>, %[[Z:.*]]: tensor<5x4xf32>)
// CHECK: %[[H:.*]] = seq.recurrence forward inits(%[[H0]] : tensor<4xf32>) inputs(%[[X]] : tensor<5x4xf32>) {
// CHECK-NEXT: ^bb0(%[[HP:.*]]: tensor<4xf32>, %[[XT:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[HP]], %[[B0]]
// CHECK: return %[[H]], %[[B0]]
func.func @pass_through(%b0: tensor<4xf32>, %h0: tensor<4xf32>, %x: tensor<5x4xf32>,
                        %z: tensor<5x4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %b, %h = seq.recurrence forward inits(%b0, %h0 : tensor<4xf32>, tensor<4xf32>)
      inputs(%x, %z : tensor<5x4xf32>, tensor<5x4xf32>) {
  ^bb0(%bp: tensor<4xf32>, %hp: tensor<4xf32>, %xt: tensor<4xf32>, %zt: tensor<4xf32>):
    %s = arith.addf %hp, %bp : tensor<4xf32>
    %t = arith.addf %s, %xt : tensor<4xf32>
    seq.yield %bp, %t : tensor<4xf32>, tensor<4xf32>
  }
  return %h, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// With lengths an empty sequence's state is zero, not its init: kept.
// CHECK-LABEL: func.func @pass_through_lengths
// CHECK: seq.recurrence forward inits(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>)
func.func @pass_through_lengths(%b0: tensor<2x4xf32>, %h0: tensor<2x4xf32>,
                                %x: tensor<5x2x4xf32>, %len: tensor<2xi32>)
    -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %b, %h = seq.recurrence forward inits(%b0, %h0 : tensor<2x4xf32>, tensor<2x4xf32>)
      inputs(%x : tensor<5x2x4xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%bp: tensor<2x4xf32>, %hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %t = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %bp, %t : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Sizes of body arguments come from the operands they slice, so shape
// computations in the body no longer depend on it.
// CHECK-LABEL: func.func @dims_of_arguments
// CHECK-SAME: (%[[H0:.*]]: tensor<?x4xf32>, %[[X:.*]]: tensor<?x?x3xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: seq.recurrence
// CHECK: tensor.dim %[[H0]], %[[C0]]
// CHECK: tensor.dim %[[X]], %[[C1]]
func.func @dims_of_arguments(%h0: tensor<?x4xf32>, %x: tensor<?x?x3xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>) inputs(%x : tensor<?x?x3xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x3xf32>):
    %b = tensor.dim %hp, %c0 : tensor<?x4xf32>
    %bx = tensor.dim %xt, %c0 : tensor<?x3xf32>
    %e = tensor.empty(%b, %bx) : tensor<?x?xf32>
    %n = "test.use"(%hp, %e) : (tensor<?x4xf32>, tensor<?x?xf32>) -> tensor<?x4xf32>
    seq.yield %n : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}

// -----

// LICM moves what does not depend on the step out of the recurrence: the
// bias broadcast here, not the matmul that reads the state.
// LICM-LABEL: func.func @hoist_invariant
// LICM-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<5x2x3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4xf32>)
// LICM: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// LICM: %[[BB:.*]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%[[E]] : tensor<2x4xf32>)
// LICM: seq.recurrence
// LICM-NOT: linalg.broadcast
// LICM: linalg.matmul ins(%{{.*}}, %[[W]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[BB]] : tensor<2x4xf32>)
// LICM: seq.yield
func.func @hoist_invariant(%h0: tensor<2x4xf32>, %x: tensor<5x2x3xf32>,
                           %w: tensor<3x4xf32>, %bias: tensor<4xf32>) -> tensor<2x4xf32> {
  %h = seq.recurrence forward inits(%h0 : tensor<2x4xf32>) inputs(%x : tensor<5x2x3xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x3xf32>):
    %e = tensor.empty() : tensor<2x4xf32>
    %bb = linalg.broadcast ins(%bias : tensor<4xf32>) outs(%e : tensor<2x4xf32>) dimensions = [0]
    %xw = linalg.matmul ins(%xt, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%bb : tensor<2x4xf32>) -> tensor<2x4xf32>
    %n = arith.addf %xw, %hp : tensor<2x4xf32>
    seq.yield %n : tensor<2x4xf32>
  }
  return %h : tensor<2x4xf32>
}

// -----

// One time step (T = 1 at compile time): the body inlined, at t = 0 also in
// reverse; the step input is the input's only slice, the step output goes
// into the outs at 0.
// CHECK-LABEL: func.func @single_step
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<1x2x4xf32>, %[[Y0:.*]]: tensor<1x2x4xf32>)
// CHECK-NOT: seq.recurrence
// CHECK: %[[XT:.*]] = tensor.extract_slice %[[X]][0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<1x2x4xf32> to tensor<2x4xf32>
// CHECK: %[[H:.*]] = arith.addf %[[H0]], %[[XT]] : tensor<2x4xf32>
// CHECK: "test.use_time"(%[[ZERO:.*]]) : (index) -> ()
// CHECK: %[[Y:.*]] = tensor.insert_slice %[[H]] into %[[Y0]][0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<1x2x4xf32>
// CHECK: return %[[H]], %[[Y]]
func.func @single_step(%h0: tensor<2x4xf32>, %x: tensor<1x2x4xf32>, %y0: tensor<1x2x4xf32>) -> (tensor<2x4xf32>, tensor<1x2x4xf32>) {
  %h, %y = seq.recurrence reverse time_index inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<1x2x4xf32>) outs(%y0 : tensor<1x2x4xf32>) {
  ^bb0(%t: index, %hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    "test.use_time"(%t) : (index) -> ()
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %y : tensor<2x4xf32>, tensor<1x2x4xf32>
}

// -----

// Not with lengths (a row of length 0 takes no step), nor with a time size
// known only at run time.
// CHECK-LABEL: func.func @single_step_kept
// CHECK: seq.recurrence
// CHECK: seq.recurrence
func.func @single_step_kept(%h0: tensor<2x4xf32>, %x: tensor<1x2x4xf32>, %len: tensor<2xi32>, %xd: tensor<?x2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %h = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<1x2x4xf32>) lengths(%len : tensor<2xi32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s : tensor<2x4xf32>
  }
  %hd = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%xd : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s : tensor<2x4xf32>
  }
  return %h, %hd : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// A state read only inside a nested region of the body (here an scf.if) is
// alive: its value leaves through the region's op (found by
// seqc-GraphFuzzer: the state was dropped while still read).
// CHECK-LABEL: func.func @state_read_in_nested_region
// CHECK: seq.recurrence forward inits(%{{.*}} : tensor<?xf32>) inputs(%{{.*}} : tensor<3x2xf32>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK: scf.if
func.func @state_read_in_nested_region(%h0: tensor<?xf32>, %x: tensor<3x2xf32>,
                                       %y0: tensor<3x2xf32>, %c: i1) -> tensor<3x2xf32> {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<?xf32>)
      inputs(%x : tensor<3x2xf32>) outs(%y0 : tensor<3x2xf32>) {
  ^bb0(%hp: tensor<?xf32>, %xt: tensor<2xf32>):
    %picked = scf.if %c -> (tensor<2xf32>) {
      %cast = tensor.cast %hp : tensor<?xf32> to tensor<2xf32>
      scf.yield %cast : tensor<2xf32>
    } else {
      scf.yield %xt : tensor<2xf32>
    }
    %next = tensor.cast %xt : tensor<2xf32> to tensor<?xf32>
    seq.yield %next, %picked : tensor<?xf32>, tensor<2xf32>
  }
  return %y : tensor<3x2xf32>
}

// -----

// A counted loop whose results nobody reads but whose body holds a check
// (the shape function's view of a Loop): the out that gives the length is
// kept, its stacked value is not needed, so the body yields an empty tensor
// there; the state then feeds only itself and goes, and the check stays.
// CHECK-LABEL: func.func @unread_time_source
// CHECK: seq.recurrence forward time_index outs(%{{.*}} : tensor<?x4xf32>) {
// CHECK-NEXT: ^bb0(%[[T:.*]]: index):
// CHECK-NOT: arith.addf
// CHECK: "test.check"(%[[T]])
// CHECK-NOT: arith.addf
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: seq.yield %[[EMPTY]] : tensor<4xf32>
func.func @unread_time_source(%h0: tensor<4xf32>, %y0: tensor<?x4xf32>) {
  %h, %y = seq.recurrence forward time_index inits(%h0 : tensor<4xf32>)
      outs(%y0 : tensor<?x4xf32>) {
  ^bb0(%t: index, %hp: tensor<4xf32>):
    "test.check"(%t) : (index) -> ()
    %next = arith.addf %hp, %hp : tensor<4xf32>
    seq.yield %next, %next : tensor<4xf32>, tensor<4xf32>
  }
  return
}
