// RUN: seqc-opt %s -convert-seq-to-scf -split-input-file | FileCheck %s
// seq.recurrence becomes an scf.for over time that runs two steps per
// iteration, then a loop of T mod 2 iterations for the odd last step; step
// inputs are extract_slices at t, step outputs insert_slices at t.

// Forward: steps 2i and 2i+1 in one iteration. The states ping-pong between
// their own buffer (A) and a spare (B): the first step reads A, the second
// reads what the first computed, and the loop yields the second step's
// states where A was, the first step's where B was. The tail reads A,
// writes B and yields A unchanged; the result is B when T is odd, else A.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[X:.*]]: tensor<?x2x4xf32>, %[[Y0:.*]]: tensor<?x2x4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x2x4xf32>
// CHECK: %[[SPARE:.*]] = bufferization.alloc_tensor() : tensor<2x4xf32>
// CHECK: %[[PAIRS:.*]] = arith.divui %[[T]], %[[C2]] : index
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[IV:[^ ]+]] = %[[C0]] to %[[PAIRS]] step %[[C1]] iter_args(%[[A:.*]] = %[[H0]], %[[B:.*]] = %[[SPARE]], %[[Y:.*]] = %[[Y0]]) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<?x2x4xf32>) {
// CHECK-NEXT: %[[EVEN:.*]] = arith.muli %[[IV]], %[[C2]] : index
// CHECK-NEXT: %[[ODD:.*]] = arith.addi %[[EVEN]], %[[C1]] : index
// CHECK-NEXT: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[EVEN]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<?x2x4xf32> to tensor<2x4xf32>
// CHECK-NEXT: %[[FIRST:.*]] = arith.addf %[[A]], %[[XT]] : tensor<2x4xf32>
// CHECK-NEXT: %[[Y1:.*]] = tensor.insert_slice %[[FIRST]] into %[[Y]][%[[EVEN]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<?x2x4xf32>
// CHECK-NEXT: %[[XT2:.*]] = tensor.extract_slice %[[X]][%[[ODD]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK-NEXT: %[[SECOND:.*]] = arith.addf %[[FIRST]], %[[XT2]] : tensor<2x4xf32>
// CHECK-NEXT: %[[Y2:.*]] = tensor.insert_slice %[[SECOND]] into %[[Y1]][%[[ODD]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK-NEXT: scf.yield %[[SECOND]], %[[FIRST]], %[[Y2]] : tensor<2x4xf32>, tensor<2x4xf32>, tensor<?x2x4xf32>
// CHECK-NEXT: }
// CHECK: %[[LAST:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK: %[[REM:.*]] = arith.remui %[[T]], %[[C2]] : index
// CHECK: %[[TAIL:.*]]:3 = scf.for %{{.*}} = %[[C0]] to %[[REM]] step %[[C1]] iter_args(%[[TA:.*]] = %[[LOOP]]#0, %{{.*}} = %[[LOOP]]#1, %[[TY:.*]] = %[[LOOP]]#2)
// CHECK-NEXT: %[[XL:.*]] = tensor.extract_slice %[[X]][%[[LAST]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK-NEXT: %[[STEP:.*]] = arith.addf %[[TA]], %[[XL]] : tensor<2x4xf32>
// CHECK-NEXT: %[[TYN:.*]] = tensor.insert_slice %[[STEP]] into %[[TY]][%[[LAST]], 0, 0]
// CHECK-NEXT: scf.yield %[[TA]], %[[STEP]], %[[TYN]] : tensor<2x4xf32>, tensor<2x4xf32>, tensor<?x2x4xf32>
// CHECK-NEXT: }
// CHECK: %[[ISODD:.*]] = arith.cmpi ne, %[[REM]], %[[C0]] : index
// CHECK: %[[H:.*]] = arith.select %[[ISODD]], %[[TAIL]]#1, %[[TAIL]]#0 : tensor<2x4xf32>
// CHECK-NOT: seq.recurrence
// CHECK: return %[[H]], %[[TAIL]]#2
func.func @forward(%h0: tensor<2x4xf32>, %x: tensor<?x2x4xf32>,
                   %y0: tensor<?x2x4xf32>) -> (tensor<2x4xf32>, tensor<?x2x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<?x2x4xf32>) outs(%y0 : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %y : tensor<2x4xf32>, tensor<?x2x4xf32>
}

// -----

// A next state computed by a destination-style op into a tensor.empty is
// computed into the other buffer instead: B in the first step, A in the
// second, B in the tail. Each state has a spare of its own (two states of
// one shape must not share one).
// CHECK-LABEL: func.func @ping_pong
// CHECK-SAME: (%[[H0:.*]]: tensor<2x4xf32>, %[[C0:.*]]: tensor<2x4xf32>, %{{.*}}: tensor<?x2x4xf32>)
// CHECK: %[[HS:.*]] = bufferization.alloc_tensor() : tensor<2x4xf32>
// CHECK: %[[CS:.*]] = bufferization.alloc_tensor() : tensor<2x4xf32>
// CHECK: scf.for {{.*}} iter_args(%[[HA:.*]] = %[[H0]], %[[CA:.*]] = %[[C0]], %[[HB:.*]] = %[[HS]], %[[CB:.*]] = %[[CS]])
// CHECK-NOT: tensor.empty
// CHECK: %[[H1:.*]] = linalg.add ins(%[[HA]], %{{.*}} : {{.*}}) outs(%[[HB]] : tensor<2x4xf32>)
// CHECK-NEXT: %[[C1:.*]] = linalg.mul ins(%[[CA]], %[[H1]] : {{.*}}) outs(%[[CB]] : tensor<2x4xf32>)
// CHECK: %[[H2:.*]] = linalg.add ins(%[[H1]], %{{.*}} : {{.*}}) outs(%[[HA]] : tensor<2x4xf32>)
// CHECK-NEXT: %[[C2:.*]] = linalg.mul ins(%[[C1]], %[[H2]] : {{.*}}) outs(%[[CA]] : tensor<2x4xf32>)
// CHECK-NEXT: scf.yield %[[H2]], %[[C2]], %[[H1]], %[[C1]]
// CHECK: scf.for {{.*}} iter_args(%[[TH:.*]] = %{{.*}}#0, %[[TC:.*]] = %{{.*}}#1, %[[TBH:.*]] = %{{.*}}#2, %[[TBC:.*]] = %{{.*}}#3)
// CHECK: %[[LH:.*]] = linalg.add ins(%[[TH]], %{{.*}} : {{.*}}) outs(%[[TBH]] : tensor<2x4xf32>)
// CHECK-NEXT: %[[LC:.*]] = linalg.mul ins(%[[TC]], %[[LH]] : {{.*}}) outs(%[[TBC]] : tensor<2x4xf32>)
// CHECK-NEXT: scf.yield %[[TH]], %[[TC]], %[[LH]], %[[LC]]
func.func @ping_pong(%h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>, %x: tensor<?x2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %h, %c = seq.recurrence forward inits(%h0, %c0 : tensor<2x4xf32>, tensor<2x4xf32>)
      inputs(%x : tensor<?x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %cp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %e = tensor.empty() : tensor<2x4xf32>
    %s = linalg.add ins(%hp, %xt : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    %m = linalg.mul ins(%cp, %s : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    seq.yield %s, %m : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %c : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Reverse: step s runs at t = (T - 1) - s, in the pair loop and in the tail.
// CHECK-LABEL: func.func @reverse
// CHECK-SAME: (%[[H0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x4xf32>
// CHECK: scf.for %[[IV:[^ ]+]] =
// CHECK-NEXT: %[[EVEN:.*]] = arith.muli %[[IV]]
// CHECK-NEXT: %[[ODD:.*]] = arith.addi %[[EVEN]], %[[C1]]
// CHECK-NEXT: %[[LAST:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK-NEXT: %[[TIME:.*]] = arith.subi %[[LAST]], %[[EVEN]] : index
// CHECK-NEXT: tensor.extract_slice %[[X]][%[[TIME]], 0] [1, 4] [1, 1] : tensor<?x4xf32> to tensor<4xf32>
// CHECK: %[[LAST2:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK-NEXT: %[[TIME2:.*]] = arith.subi %[[LAST2]], %[[ODD]] : index
// CHECK-NEXT: tensor.extract_slice %[[X]][%[[TIME2]], 0] [1, 4] [1, 1]
// CHECK: scf.yield
// The tail's step is the last one, s = T - 1: it runs at t = 0.
// CHECK: %[[LASTSTEP:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK: scf.for
// CHECK-NEXT: %[[LAST3:.*]] = arith.subi %[[T]], %[[C1]] : index
// CHECK-NEXT: %[[TIME3:.*]] = arith.subi %[[LAST3]], %[[LASTSTEP]] : index
// CHECK-NEXT: tensor.extract_slice %[[X]][%[[TIME3]], 0] [1, 4] [1, 1]
func.func @reverse(%h0: tensor<4xf32>, %x: tensor<?x4xf32>) -> tensor<4xf32> {
  %h = seq.recurrence reverse inits(%h0 : tensor<4xf32>) inputs(%x : tensor<?x4xf32>) {
  ^bb0(%hp: tensor<4xf32>, %xt: tensor<4xf32>):
    %s = arith.addf %hp, %xt : tensor<4xf32>
    seq.yield %s : tensor<4xf32>
  }
  return %h : tensor<4xf32>
}

// -----

// A static reverse recurrence: the trip counts and T - 1 fold to constants
// (5 steps: 2 pairs, then the tail at t = 0).
// CHECK-LABEL: func.func @reverse_static
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: scf.for %[[IV:[^ ]+]] = %[[C0]] to %[[C2]] step
// CHECK-NEXT: %[[EVEN:.*]] = arith.muli %[[IV]], %[[C2]]
// CHECK-NEXT: arith.addi
// CHECK-NEXT: %[[TIME:.*]] = arith.subi %[[C4]], %[[EVEN]] : index
// CHECK-NEXT: tensor.extract_slice %arg1[%[[TIME]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[TIME]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C1]] step
// CHECK-NEXT: tensor.extract_slice %arg1[%[[C0]], 0, 0] [1, 2, 4] [1, 1, 1]
func.func @reverse_static(%h0: tensor<2x4xf32>, %x: tensor<5x2x4xf32>,
                          %y0: tensor<5x2x4xf32>) -> tensor<5x2x4xf32> {
  %h, %y = seq.recurrence reverse inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<5x2x4xf32>) outs(%y0 : tensor<5x2x4xf32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %y : tensor<5x2x4xf32>
}

// -----

// lengths are expanded first (seq-expand-lengths, tested on its own): the
// steps compare t with each row's length and mask the states and outputs.
// CHECK-LABEL: func.func @lengths
// CHECK-NOT: seq.recurrence
// CHECK: scf.for
// CHECK: arith.cmpi sgt
// CHECK: arith.select
// CHECK: scf.yield
// CHECK: scf.for
// CHECK: arith.cmpi sgt
// CHECK: arith.select
// CHECK: scf.yield
func.func @lengths(%h0: tensor<2x4xf32>, %x: tensor<5x2x4xf32>,
                   %y0: tensor<5x2x4xf32>, %len: tensor<2xi32>)
    -> (tensor<2x4xf32>, tensor<5x2x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<2x4xf32>)
      inputs(%x : tensor<5x2x4xf32>) outs(%y0 : tensor<5x2x4xf32>)
      lengths(%len : tensor<2xi32>) {
  ^bb0(%hp: tensor<2x4xf32>, %xt: tensor<2x4xf32>):
    %s = arith.addf %hp, %xt : tensor<2x4xf32>
    seq.yield %s, %s : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %h, %y : tensor<2x4xf32>, tensor<5x2x4xf32>
}

// -----

// The time index is the step's t.
// CHECK-LABEL: func.func @time_index
// CHECK: scf.for %[[IV:[^ ]+]] =
// CHECK-NEXT: %[[EVEN:.*]] = arith.muli %[[IV]]
// CHECK-NEXT: %[[ODD:.*]] = arith.addi %[[EVEN]]
// CHECK-NEXT: %[[V0:.*]] = tensor.from_elements %[[EVEN]] : tensor<index>
// CHECK-NEXT: tensor.insert_slice %[[V0]] into %{{.*}}[%[[EVEN]]] [1] [1]
// CHECK-NEXT: %[[V1:.*]] = tensor.from_elements %[[ODD]] : tensor<index>
// CHECK-NEXT: tensor.insert_slice %[[V1]] into %{{.*}}[%[[ODD]]] [1] [1]
func.func @time_index(%y0: tensor<?xindex>) -> tensor<?xindex> {
  %y = seq.recurrence forward time_index outs(%y0 : tensor<?xindex>) {
  ^bb0(%t: index):
    %v = tensor.from_elements %t : tensor<index>
    seq.yield %v : tensor<index>
  }
  return %y : tensor<?xindex>
}

// -----

// Without inputs the time size comes from the first out; a step value
// defined outside the body is inserted at every step.
// CHECK-LABEL: func.func @outs_only
// CHECK-SAME: (%[[V:.*]]: tensor<3xf32>, %[[Y0:.*]]: tensor<?x3xf32>)
// CHECK: %[[T:.*]] = tensor.dim %[[Y0]], %{{.*}} : tensor<?x3xf32>
// CHECK: %[[PAIRS:.*]] = arith.divui %[[T]]
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} to %[[PAIRS]] step %{{.*}} iter_args(%[[Y:.*]] = %[[Y0]]) -> (tensor<?x3xf32>) {
// CHECK: %[[YN:.*]] = tensor.insert_slice %[[V]] into %[[Y]][%{{.*}}, 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<?x3xf32>
// CHECK-NEXT: %[[YN2:.*]] = tensor.insert_slice %[[V]] into %[[YN]][%{{.*}}, 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<?x3xf32>
// CHECK-NEXT: scf.yield %[[YN2]] : tensor<?x3xf32>
func.func @outs_only(%v: tensor<3xf32>, %y0: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = seq.recurrence forward outs(%y0 : tensor<?x3xf32>) {
    seq.yield %v : tensor<3xf32>
  }
  return %y : tensor<?x3xf32>
}

// -----

// Two states and two inputs: each input is sliced at t, the states are
// carried in order.
// CHECK-LABEL: func.func @two_states_two_inputs
// CHECK-SAME: (%[[A0:.*]]: tensor<4xf32>, %[[B0:.*]]: tensor<4xf32>, %[[X:.*]]: tensor<6x4xf32>, %[[Z:.*]]: tensor<6x4xf32>)
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} iter_args(%[[A:.*]] = %[[A0]], %[[B:.*]] = %[[B0]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
// CHECK: %[[XT:.*]] = tensor.extract_slice %[[X]][%{{.*}}, 0] [1, 4] [1, 1]
// CHECK-NEXT: %[[ZT:.*]] = tensor.extract_slice %[[Z]][%{{.*}}, 0] [1, 4] [1, 1]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[XT]] : tensor<4xf32>
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[B]], %[[ZT]] : tensor<4xf32>
// CHECK: %[[S2:.*]] = arith.addf %[[M]], %{{.*}} : tensor<4xf32>
// CHECK-NEXT: %[[M2:.*]] = arith.mulf %[[S]], %{{.*}} : tensor<4xf32>
// CHECK-NEXT: scf.yield %[[M2]], %[[S2]], %[[M]], %[[S]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
func.func @two_states_two_inputs(%a0: tensor<4xf32>, %b0: tensor<4xf32>,
    %x: tensor<6x4xf32>, %z: tensor<6x4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a, %b = seq.recurrence forward inits(%a0, %b0 : tensor<4xf32>, tensor<4xf32>)
      inputs(%x, %z : tensor<6x4xf32>, tensor<6x4xf32>) {
  ^bb0(%ap: tensor<4xf32>, %bp: tensor<4xf32>, %xt: tensor<4xf32>, %zt: tensor<4xf32>):
    %s = arith.addf %ap, %xt : tensor<4xf32>
    %m = arith.mulf %bp, %zt : tensor<4xf32>
    seq.yield %m, %s : tensor<4xf32>, tensor<4xf32>
  }
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// seq.parallel_width asks the runtime, declared once.
// CHECK: func.func private @seqc_rt_parallel_width() -> i64
// CHECK-LABEL: func.func @parallel_width
// CHECK: %[[W:.*]] = call @seqc_rt_parallel_width() : () -> i64
// CHECK: %[[I:.*]] = arith.index_cast %[[W]] : i64 to index
// CHECK: %[[W2:.*]] = call @seqc_rt_parallel_width() : () -> i64
// CHECK: return %[[I]], %{{.*}} : index, index
func.func @parallel_width() -> (index, index) {
  %w = seq.parallel_width
  %v = seq.parallel_width
  return %w, %v : index, index
}
