// RUN: seqc-opt %s -seq-parallelize-scan=mode=sequential -canonicalize -cse | FileCheck %s --check-prefix=SEQ
// RUN: seqc-opt %s -seq-parallelize-scan=mode=parallel -canonicalize -cse | FileCheck %s --check-prefix=PAR
// RUN: seqc-opt %s -seq-parallelize-scan -canonicalize -cse | FileCheck %s --check-prefix=SEQ
// RUN: seqc-opt %s -seq-parallelize-scan=auto-max-state=64 -canonicalize -cse | FileCheck %s --check-prefix=AUTO
// RUN: not seqc-opt %s -seq-parallelize-scan=mode=fast 2>&1 | FileCheck %s --check-prefix=BAD
// seq-parallelize-scan: seq.linear_scan step by step (a recurrence of
// multiply-adds), as a chunked parallel scan, or either at run time (auto
// with auto-max-state; auto by default is step by step).

// SEQ-LABEL: func.func @scan
// SEQ-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>, %[[H0:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<?x4xf32>)
// SEQ: %[[R:.*]]:2 = seq.recurrence forward inits(%[[H0]] : tensor<4xf32>) inputs(%[[A]], %[[B]] : tensor<?x4xf32>, tensor<?x4xf32>) outs(%[[Y]] : tensor<?x4xf32>) {
// SEQ-NEXT: ^bb0(%[[H:.*]]: tensor<4xf32>, %[[AT:.*]]: tensor<4xf32>, %[[BT:.*]]: tensor<4xf32>):
// SEQ: linalg.generic {{.*}} ins(%[[H]], %[[AT]], %[[BT]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// SEQ-NEXT: ^bb0(%[[HV:.*]]: f32, %[[AV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// SEQ-NEXT: %[[P:.*]] = arith.mulf %[[AV]], %[[HV]] : f32
// SEQ-NEXT: %[[S:.*]] = arith.addf %[[P]], %[[BV]] : f32
// SEQ-NEXT: linalg.yield %[[S]] : f32
// SEQ: return %[[R]]#0, %[[R]]#1

// The chunked scan: the first chunks * length steps read in place; the
// threads take shares of the chunks (an scf.forall): a share's rows of
// steps, and local scans from zero whose step l is the strided slice of
// every chunk's step l (stride: the chunk length), multiplying up a; the
// carries over the chunks from the initial state; the fix-up local + P *
// carry-in in time order; the last T mod chunks steps step by step from the
// chunks' final state; both parts' states into the destination.
// PAR-LABEL: func.func @scan
// PAR-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>, %[[H0:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<?x4xf32>)
// PAR-DAG: %[[C32:.*]] = arith.constant 32 : index
// PAR: %[[T:.*]] = tensor.dim %[[B]]
// PAR: %[[CHUNKS:.*]] = arith.minui %{{.*}}, %[[C32]] : index
// PAR: %[[LEN:.*]] = arith.divui %[[T]], %[[CHUNKS]] : index
// PAR: %[[HEAD:.*]] = arith.muli %[[CHUNKS]], %[[LEN]] : index
// PAR: %[[TAIL:.*]] = arith.subi %[[T]], %[[HEAD]] : index
// PAR: %[[YTAIL:.*]] = tensor.extract_slice %[[Y]][%[[HEAD]], 0] [%[[TAIL]], 4] [1, 1]
// PAR: seq.parallel_width
// PAR: %[[LOCAL:.*]]:4 = scf.forall (%{{.*}}) in (%{{.*}}) shared_outs(
// PAR: %[[AROWS:.*]] = tensor.extract_slice %[[A]][%{{.*}}, 0] [%{{.*}}, 4] [1, 1]
// PAR: %[[BROWS:.*]] = tensor.extract_slice %[[B]][%{{.*}}, 0] [%{{.*}}, 4] [1, 1]
// PAR: seq.recurrence forward time_index inits(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32>) outs(
// PAR-NEXT: ^bb0(%[[L:.*]]: index, %[[H:.*]]: tensor<?x4xf32>, %[[P:.*]]: tensor<?x4xf32>):
// PAR-NEXT: tensor.extract_slice %[[BROWS]][%[[L]], 0] [%{{.*}}, 4] [%[[LEN]], 1]
// PAR-NEXT: tensor.extract_slice %[[AROWS]][%[[L]], 0] [%{{.*}}, 4] [%[[LEN]], 1]
// PAR: scf.forall.in_parallel
// PAR-COUNT-4: tensor.parallel_insert_slice
// PAR: %[[CARRY:.*]]:2 = seq.recurrence forward inits(%[[H0]] : tensor<4xf32>) inputs(%[[LOCAL]]#1, %[[LOCAL]]#0 : tensor<?x4xf32>, tensor<?x4xf32>)
// PAR: seq.yield %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>
// PAR: %[[FIXED:.*]] = linalg.generic {{.*}} ins(%[[LOCAL]]#2, %[[LOCAL]]#3, %[[CARRY]]#1 : tensor<?x?x4xf32>, tensor<?x?x4xf32>, tensor<?x4xf32>)
// PAR-NEXT: ^bb0(%[[LV:.*]]: f32, %[[PV:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32):
// PAR-NEXT: %[[M:.*]] = arith.mulf %[[PV]], %[[CV]] : f32
// PAR-NEXT: arith.addf %[[M]], %[[LV]] : f32
// PAR: %[[CHUNKED:.*]] = tensor.collapse_shape %[[FIXED]]
// PAR: %[[ATAIL:.*]] = tensor.extract_slice %[[A]][%[[HEAD]], 0] [%[[TAIL]], 4] [1, 1]
// PAR: %[[BTAIL:.*]] = tensor.extract_slice %[[B]][%[[HEAD]], 0] [%[[TAIL]], 4] [1, 1]
// PAR: %[[REST:.*]]:2 = seq.recurrence forward inits(%[[CARRY]]#0 : tensor<4xf32>) inputs(%[[ATAIL]], %[[BTAIL]] : tensor<?x4xf32>, tensor<?x4xf32>) outs(%[[YTAIL]] : tensor<?x4xf32>)
// PAR: %[[S1:.*]] = tensor.insert_slice %[[CHUNKED]] into %[[Y]][0, 0]
// PAR: %[[S2:.*]] = tensor.insert_slice %[[REST]]#1 into %[[S1]][%[[HEAD]], 0]
// PAR: return %[[REST]]#0, %[[S2]]

// AUTO-LABEL: func.func @scan
// AUTO: %[[LONG:.*]] = arith.cmpi uge, %{{.*}}, %c1024 : index
// AUTO: scf.if %[[LONG]] -> (tensor<4xf32>, tensor<?x4xf32>) {
// AUTO: scf.forall
// AUTO: } else {
// AUTO-NOT: scf.forall
// AUTO: seq.recurrence forward inits(%{{.*}} : tensor<4xf32>) inputs(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32>)

// BAD: error: seq-parallelize-scan: mode 'fast' is not sequential, parallel or auto
func.func @scan(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>, %h0: tensor<4xf32>,
                %y: tensor<?x4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
  %f, %all = seq.linear_scan forward a(%a : tensor<?x4xf32>) b(%b : tensor<?x4xf32>)
      init(%h0 : tensor<4xf32>) outs(%y : tensor<?x4xf32>) -> tensor<4xf32>, tensor<?x4xf32>
  return %f, %all : tensor<4xf32>, tensor<?x4xf32>
}

// A running sum (no a) from zero, final state only: no products to carry,
// and no fix-up.
// SEQ-LABEL: func.func @sum
// SEQ: %[[ZEROS:.*]] = linalg.fill
// SEQ: seq.recurrence reverse inits(%[[ZEROS]] : tensor<4xf32>) inputs(%{{.*}} : tensor<?x4xf32>) {
// SEQ: arith.addf
// PAR-LABEL: func.func @sum
// The reverse scan: the last T mod chunks steps first, from zero; then the
// chunks from their final state; no products, no fix-up.
// PAR: %[[REST:.*]] = seq.recurrence reverse inits(%{{.*}} : tensor<4xf32>) inputs(%{{.*}} : tensor<?x4xf32>) {
// PAR: scf.forall
// PAR: seq.recurrence reverse time_index inits(%{{.*}} : tensor<?x4xf32>) outs(%{{.*}} : tensor<?x1xi8>)
// PAR-NOT: arith.mulf
// PAR: %[[FINAL:.*]] = seq.recurrence reverse inits(%[[REST]] : tensor<4xf32>)
// PAR: seq.yield
// PAR-NEXT: }
// PAR-NEXT: return %[[FINAL]]
func.func @sum(%b: tensor<?x4xf32>) -> tensor<4xf32> {
  %f = seq.linear_scan reverse b(%b : tensor<?x4xf32>) -> tensor<4xf32>
  return %f : tensor<4xf32>
}
