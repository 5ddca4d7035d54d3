// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Conv is one linalg.generic over (n, g, m, o..., c, k...) on the
// zero-padded input, or, in f32 with one group and static weights, a
// linalg.matmul of the gathered windows by the weights (im2col); Pad is one
// linalg.generic over the output reading the input at the index the mode
// maps to.

// An f32 Conv of one group with constant weights and a bias: each output
// position's window X[n, c, o*2 + k] is gathered into a row of [N * O, C *
// K]; the weights [M, C, K] become the constant [C * K, M] (transposed at
// compile time); the product starts from the bias broadcast along the rows
// and goes back to [N, M, O] by an expand and a transpose.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1 * 2 + d3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_as_matmul
// CHECK: %[[WINDOWS:.*]] = linalg.generic {indexing_maps = [#[[WIN]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<?x1x9xf32>) outs(%{{.*}} : tensor<?x4x1x3xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[WINDOWS]] {{\[}}[0, 1], [2, 3]] : tensor<?x4x1x3xf32> into tensor<?x3xf32>
// CHECK: %[[COLUMNS:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%{{.*}} : tensor<2xf32>) outs(%{{.*}} : tensor<?x2xf32>) dimensions = [0]
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[ROWS]], %[[COLUMNS]] : tensor<?x3xf32>, tensor<3x2xf32>) outs(%[[INIT]] : tensor<?x2xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [%{{.*}}, 4, 2] : tensor<?x2xf32> into tensor<?x4x2xf32>
// CHECK: linalg.transpose ins(%[[E]] : tensor<?x4x2xf32>) outs(%{{.*}} : tensor<?x2x4xf32>) permutation = [0, 2, 1]
func.func @conv_as_matmul(%x: tensor<?x1x9xf32>, %b: tensor<2xf32>) -> tensor<?x2x4xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]]> : tensor<2x1x3xf32>
  %y = "onnx.Conv"(%x, %w, %b) {strides = [2]} : (tensor<?x1x9xf32>, tensor<2x1x3xf32>, tensor<2xf32>) -> tensor<?x2x4xf32>
  return %y : tensor<?x2x4xf32>
}

// -----

// A grouped, strided, dilated 1-D Conv with pads and a bias: the input is
// padded once, the bias initialises the [N, group, M/group, O] result, the
// contraction reads X[n, g*Cg + c, o*stride + k*dilation] and W[g*Mg + m, c,
// k], and the result collapses to [N, M, O].
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d3 * 3 + d5 * 2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1 * 2 + d2, d4, d5)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d1 * 2 + d2)>
// CHECK-LABEL: func.func @conv1d
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 2]
// CHECK: tensor<1x4x10xf32> to tensor<1x4x13xf32>
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[B]], {{.*}}]{{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<1x2x2x3xf32>)
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %{{.*}} : tensor<1x4x13xf32>, tensor<4x2x3xf32>) outs(%[[INIT]] : tensor<1x2x2x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3]] : tensor<1x2x2x3xf32> into tensor<1x4x3xf32>
func.func @conv1d(%x: tensor<1x4x10xf32>, %w: tensor<4x2x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x3xf32> {
  %y = "onnx.Conv"(%x, %w, %b) {group = 2 : i64, strides = [3], dilations = [2], pads = [1, 2]} : (tensor<1x4x10xf32>, tensor<4x2x3xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  return %y : tensor<1x4x3xf32>
}

// -----

// A window of C * K elements past int64 (hostile declared weights): the
// generic convolution.
// CHECK-LABEL: func.func @conv_window_overflow
// CHECK-NOT: linalg.matmul
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
func.func @conv_window_overflow(%x: tensor<1x4611686018427387904x9xf32>, %w: tensor<1x4611686018427387904x3xf32>) -> tensor<1x1x7xf32> {
  %y = "onnx.Conv"(%x, %w) : (tensor<1x4611686018427387904x9xf32>, tensor<1x4611686018427387904x3xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// -----

// A dynamic batch and length: the output length is computed at run time,
// max(0, (L + pads - span) / stride + 1); no padding without pads. Weights
// that are an argument are transposed at run time.
// CHECK-LABEL: func.func @conv_dynamic
// CHECK-NOT: tensor.pad
// CHECK: arith.divsi
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: linalg.transpose ins(%{{.*}} : tensor<5x12xf32>) outs(%{{.*}} : tensor<12x5xf32>) permutation = [1, 0]
// CHECK: linalg.matmul
func.func @conv_dynamic(%x: tensor<?x3x?xf32>, %w: tensor<5x3x4xf32>) -> tensor<?x5x?xf32> {
  %y = "onnx.Conv"(%x, %w) {strides = [2]} : (tensor<?x3x?xf32>, tensor<5x3x4xf32>) -> tensor<?x5x?xf32>
  return %y : tensor<?x5x?xf32>
}

// -----

// Reflect padding of the last axis by constant pads: index o - 2 folded into
// [0, 3] with period 2 * (4 - 1); untouched dimensions read o itself.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x7xf32>)
// CHECK: %[[I0:.*]] = linalg.index 0 : index
// CHECK: %[[I1:.*]] = linalg.index 1 : index
// CHECK: arith.subi %[[I1]]
// CHECK: arith.remsi
// CHECK: arith.cmpi sgt
// CHECK: %[[V:.*]] = tensor.extract %{{.*}}[%[[I0]], %{{.*}}] : tensor<2x4xf32>
// CHECK: linalg.yield %[[V]]
func.func @pad_reflect(%x: tensor<2x4xf32>) -> tensor<2x7xf32> {
  %pads = onnx.Constant {value = dense<[0, 2, 0, 1]> : tensor<4xi64>} : tensor<4xi64>
  %y = "onnx.Pad"(%x, %pads) {mode = "reflect", operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x4xf32>, tensor<4xi64>) -> tensor<2x7xf32>
  return %y : tensor<2x7xf32>
}

// -----

// Constant padding with pads read at run time: the output sizes are
// size + begin + end, checked non-negative; an element outside the input is
// the constant value, chosen by a branch (an empty input has nothing to
// read).
// CHECK-LABEL: func.func @pad_constant_runtime
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[P:.*]]: tensor<2xi64>, %[[V:.*]]: tensor<f32>)
// CHECK: tensor.extract %[[P]]
// CHECK: cf.assert %{{.*}}, "negative pads crop dimension 0 below 0"
// CHECK: %[[FILL:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK: scf.if
// CHECK: tensor.extract %[[X]]
// CHECK: } else {
// CHECK: scf.yield %[[FILL]]
func.func @pad_constant_runtime(%x: tensor<3xf32>, %pads: tensor<2xi64>, %v: tensor<f32>) -> tensor<?xf32> {
  %y = "onnx.Pad"(%x, %pads, %v) {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<3xf32>, tensor<2xi64>, tensor<f32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// ConvTranspose spreads X over zeros at stride 2 from offset (K-1)*d - pad
// = 1, then convolves with the kernel reversed: Y[o] reads Z[o + 2 - k] and
// W (as [group, Cg, Mg, K]) at k. Full length 2*4 + 3 + output_padding 1 =
// 12, less pads 1 + 0: 11.
// CHECK-DAG: #[[ZMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d3 - d5 + 2)>
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d4, d2, d5)>
// CHECK-LABEL: func.func @conv_transpose1d
// CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [2, 2, 3, 3] : tensor<4x3x3xf32> into tensor<2x2x3x3xf32>
// CHECK: %[[Z:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1] [1, 4, 5] [1, 1, 2] : tensor<1x4x5xf32> into tensor<1x4x13xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ZMAP]], #[[WMAP]], {{.*}}]{{.*}} ins(%[[Z]], %[[W]] : tensor<1x4x13xf32>, tensor<2x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x11xf32>)
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x2x3x11xf32> into tensor<1x6x11xf32>
func.func @conv_transpose1d(%x: tensor<1x4x5xf32>, %w: tensor<4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x11xf32> {
  %y = "onnx.ConvTranspose"(%x, %w, %b) {group = 2 : i64, strides = [2], pads = [1, 0], output_padding = [1]} : (tensor<1x4x5xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x11xf32>
  return %y : tensor<1x6x11xf32>
}

// -----

// Pads beyond the kernel's reach (offset 1 - 3 < 0): Z gets a margin of 2
// before the data, and the reads shift by it.
// CHECK-DAG: #[[SHIFTED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d3 - d5 + 3)>
// CHECK-LABEL: func.func @conv_transpose_large_pads
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 2, 6] [1, 1, 1] : tensor<1x2x6xf32> into tensor<1x2x6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[SHIFTED]],
func.func @conv_transpose_large_pads(%x: tensor<1x2x6xf32>, %w: tensor<2x2x2xf32>) -> tensor<1x2x2xf32> {
  %y = "onnx.ConvTranspose"(%x, %w) {pads = [3, 2]} : (tensor<1x2x6xf32>, tensor<2x2x2xf32>) -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}
