// RUN: seqc-opt %s -seq-parallelize-scan=mode=sequential -canonicalize -cse | FileCheck %s --check-prefix=SEQ
// RUN: seqc-opt %s -seq-parallelize-scan=mode=parallel -canonicalize -cse | FileCheck %s --check-prefix=PAR
// RUN: seqc-opt %s -seq-parallelize-scan -canonicalize -cse | FileCheck %s --check-prefix=AUTO
// RUN: not seqc-opt %s -seq-parallelize-scan=mode=fast 2>&1 | FileCheck %s --check-prefix=BAD
// seq-parallelize-scan: seq.linear_scan step by step (a recurrence of
// multiply-adds), as a chunked parallel scan, or either at run time.

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

// The chunked scan: T padded to chunks * length with identity steps (a = 1,
// b = 0), the chunks side by side ([length, chunks, 4]); local scans from
// zero that also multiply up a; the carries over the chunks, from the
// initial state; the fix-up local + P * carry-in back in time order.
// PAR-LABEL: func.func @scan
// PAR-SAME: (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>, %[[H0:.*]]: tensor<4xf32>, %{{.*}}: tensor<?x4xf32>)
// PAR-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// PAR-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// PAR-DAG: %[[C32:.*]] = arith.constant 32 : index
// PAR: %[[T:.*]] = tensor.dim %[[B]]
// PAR: %[[CHUNKS:.*]] = arith.minui %{{.*}}, %[[C32]] : index
// PAR: %[[LEN:.*]] = arith.ceildivui %[[T]], %[[CHUNKS]] : index
// PAR: %[[BPAD:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// PAR: tensor.insert_slice %[[B]] into %[[BPAD]]
// PAR: %[[BT:.*]] = linalg.transpose {{.*}} permutation = [1, 0, 2]
// PAR: %[[APAD:.*]] = linalg.fill ins(%[[ONE]] : f32)
// PAR: tensor.insert_slice %[[A]] into %[[APAD]]
// PAR: %[[AT:.*]] = linalg.transpose {{.*}} permutation = [1, 0, 2]
// PAR: %[[LOCAL:.*]]:4 = seq.recurrence forward inits(%{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32>) inputs(%[[AT]], %[[BT]] : tensor<?x?x4xf32>, tensor<?x?x4xf32>)
// PAR: seq.yield
// PAR: %[[CARRY:.*]]:2 = seq.recurrence forward inits(%[[H0]] : tensor<4xf32>) inputs(%[[LOCAL]]#1, %[[LOCAL]]#0 : tensor<?x4xf32>, tensor<?x4xf32>)
// PAR: seq.yield %{{.*}}, %[[CARRY_IN:.*]] : tensor<4xf32>, tensor<4xf32>
// PAR: %[[FIXED:.*]] = linalg.generic {{.*}} ins(%[[LOCAL]]#2, %[[LOCAL]]#3, %[[CARRY]]#1 : tensor<?x?x4xf32>, tensor<?x?x4xf32>, tensor<?x4xf32>)
// PAR-NEXT: ^bb0(%[[L:.*]]: f32, %[[PV:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32):
// PAR-NEXT: %[[M:.*]] = arith.mulf %[[PV]], %[[CV]] : f32
// PAR-NEXT: arith.addf %[[M]], %[[L]] : f32
// PAR: %[[FLAT:.*]] = tensor.collapse_shape %[[FIXED]]
// PAR: %[[STATES:.*]] = tensor.extract_slice %[[FLAT]][0, 0] [%[[T]], 4] [1, 1]
// PAR: return %[[CARRY]]#0, %[[STATES]]

// AUTO-LABEL: func.func @scan
// AUTO: %[[LONG:.*]] = arith.cmpi uge, %{{.*}}, %c1024 : index
// AUTO: scf.if %[[LONG]] -> (tensor<4xf32>, tensor<?x4xf32>) {
// AUTO: linalg.transpose
// AUTO: } else {
// AUTO-NOT: linalg.transpose
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
// PAR: seq.recurrence reverse inits(%{{.*}} : tensor<?x4xf32>) inputs(%{{.*}} : tensor<?x?x4xf32>) {
// PAR-NOT: arith.mulf
// PAR: %[[FINAL:.*]] = seq.recurrence reverse inits(%{{.*}} : tensor<4xf32>)
// PAR: seq.yield
// PAR-NEXT: }
// PAR-NEXT: return %[[FINAL]]
func.func @sum(%b: tensor<?x4xf32>) -> tensor<4xf32> {
  %f = seq.linear_scan reverse b(%b : tensor<?x4xf32>) -> tensor<4xf32>
  return %f : tensor<4xf32>
}
