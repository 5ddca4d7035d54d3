// RUN: seqc-opt %s -seq-parallelize-batch -split-input-file | FileCheck %s
// RUN: seqc-opt %s -seq-parallelize-batch=min-rows=8 -split-input-file | FileCheck %s --check-prefix=ROWS8
// RUN: seqc-opt %s -seq-parallelize-batch=max-weight-bytes=64 -split-input-file | FileCheck %s --check-prefix=WEIGHTS
// seq-parallelize-batch: a recurrence whose body keeps batch rows apart runs,
// when the call's threads allow two shares of at least min-rows rows, as an
// scf.forall over shares of the rows, each share a recurrence over all steps;
// otherwise unchanged.

// A cell like an RNN's: the state's product by constant weights into the
// step's projection, then elementwise math into an empty tensor of batch
// rows made outside the body (with the batch size from outside too).
// CHECK-LABEL: func.func @cell
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf32>, %[[R:.*]]: tensor<4x8xf32>)
// CHECK: %[[Y0:.*]] = tensor.empty
// CHECK: %[[H0:.*]] = linalg.fill
// CHECK: %[[B:.*]] = tensor.dim %[[H0]], %[[C0:.*]] : tensor<?x4xf32>
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[THREADS:.*]] = seq.parallel_width
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[MOST:.*]] = arith.ceildivsi %[[B]], %[[C4]]
// CHECK: %[[WANTED:.*]] = arith.minsi %[[THREADS]], %[[MOST]]
// CHECK: %[[SPLIT:.*]] = arith.cmpi sgt, %[[WANTED]], %[[C1]]
// CHECK: %[[RES:.*]]:2 = scf.if %[[SPLIT]] -> (tensor<?x4xf32>, tensor<?x?x4xf32>) {
// CHECK: %[[PER:.*]] = arith.ceildivsi %[[B]], %[[WANTED]]
// CHECK: %[[SHARES:.*]] = arith.ceildivsi %[[B]], %[[PER]]
// CHECK: %[[HDEST:.*]] = tensor.empty(%{{.*}}) : tensor<?x4xf32>
// CHECK: %[[PAR:.*]]:2 = scf.forall (%[[I:.*]]) in (%[[SHARES]]) shared_outs(%[[HS:.*]] = %[[HDEST]], %[[YS:.*]] = %[[Y0]])
// Rows [start, start + share) of the init, the step inputs and the outputs.
// CHECK: %[[START:.*]] = arith.muli %[[I]], %[[PER]]
// CHECK: %[[LEFT:.*]] = arith.subi %[[B]], %[[START]]
// CHECK: %[[SHARE:.*]] = arith.minsi %[[PER]], %[[LEFT]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[SHARE]]) : tensor<?x4xf32>
// CHECK: %[[HPART:.*]] = tensor.extract_slice %[[H0]][%[[START]], 0] [%[[SHARE]], 4] [1, 1]
// CHECK: %[[XPART:.*]] = tensor.extract_slice %[[X]][0, %[[START]], 0] [%{{.*}}, %[[SHARE]], 8] [1, 1, 1]
// CHECK: %[[YPART:.*]] = tensor.extract_slice %[[YS]][0, %[[START]], 0] [%{{.*}}, %[[SHARE]], 4] [1, 1, 1]
// CHECK: %[[P:.*]]:2 = seq.recurrence forward inits(%[[HPART]] : tensor<?x4xf32>) inputs(%[[XPART]] : tensor<?x?x8xf32>) outs(%[[YPART]] : tensor<?x?x4xf32>)
// The body sees the share's size and its own empty tensor.
// CHECK: linalg.matmul
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [%[[SHARE]], 4] [1, 1]
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[EMPTY]] : tensor<?x4xf32>)
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[P]]#0 into %[[HS]][%[[START]], 0]
// CHECK-NEXT: tensor.parallel_insert_slice %[[P]]#1 into %[[YS]][0, %[[START]], 0]
// CHECK: scf.yield %[[PAR]]#0, %[[PAR]]#1
// CHECK: } else {
// CHECK: %[[WHOLE:.*]]:2 = seq.recurrence forward inits(%[[H0]] : tensor<?x4xf32>) inputs(%[[X]] : tensor<?x?x8xf32>) outs(%[[Y0]] : tensor<?x?x4xf32>)
// CHECK: scf.yield %[[WHOLE]]#0, %[[WHOLE]]#1
// CHECK: return %[[RES]]#0, %[[RES]]#1
// Its weights (R: 128 bytes) above max-weight-bytes: left alone.
// WEIGHTS-LABEL: func.func @cell
// WEIGHTS-NOT: scf.forall
// WEIGHTS-NOT: seq.parallel_width
// WEIGHTS: seq.recurrence
// WEIGHTS-NOT: scf.forall
// WEIGHTS-LABEL: func.func @lengths
// WEIGHTS: scf.forall
// ROWS8-LABEL: func.func @cell
// ROWS8: %[[C8:.*]] = arith.constant 8 : index
// ROWS8: arith.ceildivsi %{{.*}}, %[[C8]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @cell(%x: tensor<?x?x8xf32>, %r: tensor<4x8xf32>)
    -> (tensor<?x4xf32>, tensor<?x?x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %steps = tensor.dim %x, %c0 : tensor<?x?x8xf32>
  %b = tensor.dim %x, %c1 : tensor<?x?x8xf32>
  %y0 = tensor.empty(%steps, %b) : tensor<?x?x4xf32>
  %empty = tensor.empty(%b) : tensor<?x4xf32>
  %h0 = linalg.fill ins(%zero : f32) outs(%empty : tensor<?x4xf32>) -> tensor<?x4xf32>
  %h, %y = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x8xf32>) outs(%y0 : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %p: tensor<?x8xf32>):
    %m = linalg.matmul ins(%hp, %r : tensor<?x4xf32>, tensor<4x8xf32>)
                       outs(%p : tensor<?x8xf32>) -> tensor<?x8xf32>
    %gate = tensor.extract_slice %m[0, 0] [%b, 4] [1, 1]
        : tensor<?x8xf32> to tensor<?x4xf32>
    %next = linalg.generic {indexing_maps = [#id, #id],
                            iterator_types = ["parallel", "parallel"]}
        ins(%gate : tensor<?x4xf32>) outs(%empty : tensor<?x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = math.tanh %in : f32
      linalg.yield %t : f32
    } -> tensor<?x4xf32>
    seq.yield %next, %next : tensor<?x4xf32>, tensor<?x4xf32>
  }
  return %h, %y : tensor<?x4xf32>, tensor<?x?x4xf32>
}

// -----

// With lengths, each share takes its rows of them.
// CHECK-LABEL: func.func @lengths
// CHECK: scf.forall (%[[I:.*]]) in
// CHECK: %[[LEN:.*]] = tensor.extract_slice %{{.*}}[%[[START:.*]]] [%[[SHARE:.*]]] [1] : tensor<?xi32> to tensor<?xi32>
// CHECK: seq.recurrence forward inits({{.*}}) inputs({{.*}}) outs({{.*}}) lengths(%[[LEN]] : tensor<?xi32>)
// CHECK: } else {
func.func @lengths(%h0: tensor<?x4xf32>, %x: tensor<?x?x4xf32>,
                   %y0: tensor<?x?x4xf32>, %len: tensor<?xi32>)
    -> (tensor<?x4xf32>, tensor<?x?x4xf32>) {
  %h, %y = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) outs(%y0 : tensor<?x?x4xf32>)
      lengths(%len : tensor<?xi32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %next = linalg.add ins(%hp, %xt : tensor<?x4xf32>, tensor<?x4xf32>)
                       outs(%hp : tensor<?x4xf32>) -> tensor<?x4xf32>
    seq.yield %next, %next : tensor<?x4xf32>, tensor<?x4xf32>
  }
  return %h, %y : tensor<?x4xf32>, tensor<?x?x4xf32>
}

// -----

// Weights of an element type without a bit width (index) count 8 bytes.
// CHECK-LABEL: func.func @index_weights
// CHECK: scf.forall
func.func @index_weights(%x: tensor<?x?x4xf32>, %steps: tensor<2xindex>)
    -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %h0 = tensor.empty(%rows) : tensor<?x4xf32>
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %s = tensor.extract %steps[%c0] : tensor<2xindex>
    %i = arith.index_cast %s : index to i32
    %f = arith.sitofp %i : i32 to f32
    %next = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                             affine_map<(d0, d1) -> (d0, d1)>],
                            iterator_types = ["parallel", "parallel"]}
        ins(%xt : tensor<?x4xf32>) outs(%hp : tensor<?x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %a = arith.addf %in, %f : f32
      linalg.yield %a : f32
    } -> tensor<?x4xf32>
    seq.yield %next : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}

// -----

// Left alone: rows that meet (a sum over the batch, the state as the
// weights of a matmul, a payload reading its row index), a batch that is
// static, and sizes not known to be the batch (without lengths, a state and
// a step input of unrelated sizes).
// CHECK-LABEL: func.func @rows_meet
// CHECK-NOT: scf.forall
// CHECK-NOT: seq.parallel_width
// CHECK-LABEL: func.func @state_as_weights
// CHECK-NOT: scf.forall
// CHECK-LABEL: func.func @row_index
// CHECK-NOT: scf.forall
// CHECK-LABEL: func.func @static_batch
// CHECK-NOT: scf.forall
// CHECK-LABEL: func.func @unrelated_sizes
// CHECK-NOT: scf.forall
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1) -> (d1)>
func.func @rows_meet(%x: tensor<?x?x4xf32>, %acc: tensor<4xf32>) -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %h0 = tensor.empty(%rows) : tensor<?x4xf32>
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %s = linalg.generic {indexing_maps = [#id, #sum],
                         iterator_types = ["reduction", "parallel"]}
        ins(%hp : tensor<?x4xf32>) outs(%acc : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %a = arith.addf %in, %out : f32
      linalg.yield %a : f32
    } -> tensor<4xf32>
    %next = linalg.generic {indexing_maps = [#sum, #id, #id],
                            iterator_types = ["parallel", "parallel"]}
        ins(%s, %xt : tensor<4xf32>, tensor<?x4xf32>)
        outs(%hp : tensor<?x4xf32>) {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %c = arith.addf %a, %b : f32
      linalg.yield %c : f32
    } -> tensor<?x4xf32>
    seq.yield %next : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}
func.func @state_as_weights(%x: tensor<?x?x4xf32>, %acc: tensor<4x4xf32>) -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %h0 = tensor.empty(%rows) : tensor<?x4xf32>
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    // hp^T xt: a contraction over the batch.
    %m = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>,
                                        affine_map<(d0, d1, d2) -> (d2, d1)>,
                                        affine_map<(d0, d1, d2) -> (d0, d1)>]
        ins(%hp, %xt : tensor<?x4xf32>, tensor<?x4xf32>)
        outs(%acc : tensor<4x4xf32>) -> tensor<4x4xf32>
    %next = linalg.matmul ins(%xt, %m : tensor<?x4xf32>, tensor<4x4xf32>)
                          outs(%hp : tensor<?x4xf32>) -> tensor<?x4xf32>
    seq.yield %next : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}
func.func @row_index(%x: tensor<?x?x4xf32>)
    -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c1 : tensor<?x?x4xf32>
  %h0 = tensor.empty(%rows) : tensor<?x4xf32>
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %next = linalg.generic {indexing_maps = [#id, #id],
                            iterator_types = ["parallel", "parallel"]}
        ins(%xt : tensor<?x4xf32>) outs(%hp : tensor<?x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %row = linalg.index 0 : index
      %i = arith.index_cast %row : index to i32
      %f = arith.sitofp %i : i32 to f32
      %a = arith.addf %in, %f : f32
      linalg.yield %a : f32
    } -> tensor<?x4xf32>
    seq.yield %next : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}
func.func @static_batch(%h0: tensor<8x4xf32>, %x: tensor<?x8x4xf32>)
    -> tensor<8x4xf32> {
  %h = seq.recurrence forward inits(%h0 : tensor<8x4xf32>)
      inputs(%x : tensor<?x8x4xf32>) {
  ^bb0(%hp: tensor<8x4xf32>, %xt: tensor<8x4xf32>):
    %next = linalg.add ins(%hp, %xt : tensor<8x4xf32>, tensor<8x4xf32>)
                       outs(%hp : tensor<8x4xf32>) -> tensor<8x4xf32>
    seq.yield %next : tensor<8x4xf32>
  }
  return %h : tensor<8x4xf32>
}
func.func @unrelated_sizes(%h0: tensor<?x4xf32>, %x: tensor<?x?x4xf32>)
    -> tensor<?x4xf32> {
  %h = seq.recurrence forward inits(%h0 : tensor<?x4xf32>)
      inputs(%x : tensor<?x?x4xf32>) {
  ^bb0(%hp: tensor<?x4xf32>, %xt: tensor<?x4xf32>):
    %next = linalg.add ins(%hp, %xt : tensor<?x4xf32>, tensor<?x4xf32>)
                       outs(%hp : tensor<?x4xf32>) -> tensor<?x4xf32>
    seq.yield %next : tensor<?x4xf32>
  }
  return %h : tensor<?x4xf32>
}
