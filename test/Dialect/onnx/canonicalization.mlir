// RUN: seqc-opt %s -split-input-file -canonicalize | FileCheck %s
// The folders of the onnx ops: data movement on constants becomes one
// onnx.Constant of the op's result type; an operand known only at run time,
// a dynamic result shape or an index out of range leaves the op in place.

// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[ARG:.*]]: tensor<2xf32>)
// CHECK-DAG: %[[C:.*]] = onnx.Constant {value = dense<[1, 2]> : tensor<2xi64>}
// CHECK-NOT: onnx.Identity
// CHECK: return %[[C]], %[[ARG]]
func.func @identity(%a: tensor<2xf32>) -> (tensor<2xi64>, tensor<2xf32>) {
  %c = onnx.Constant {value = dense<[1, 2]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.Identity %c : (tensor<2xi64>) -> tensor<2xi64>
  %1 = onnx.Identity %a : (tensor<2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xi64>, tensor<2xf32>
}

// -----

// perm as given, and by default the dimensions reversed; f16 and f64.
// CHECK-LABEL: func.func @transpose
// CHECK-DAG: %[[P:.*]] = onnx.Constant {value = dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf16>}
// CHECK-DAG: %[[D:.*]] = onnx.Constant {value = dense<{{\[}}{{\[}}[0.000000e+00, 6.000000e+00], [2.000000e+00, 8.000000e+00], [4.000000e+00, 1.000000e+01]], {{\[}}[1.000000e+00, 7.000000e+00], [3.000000e+00, 9.000000e+00], [5.000000e+00, 1.100000e+01]]]> : tensor<2x3x2xf64>}
// CHECK-NOT: onnx.Transpose
// CHECK: return %[[P]], %[[D]]
func.func @transpose() -> (tensor<3x2xf16>, tensor<2x3x2xf64>) {
  %a = onnx.Constant {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf16>} : tensor<2x3xf16>
  %0 = onnx.Transpose %a {perm = [1, 0]} : (tensor<2x3xf16>) -> tensor<3x2xf16>
  %b = onnx.Constant {value = dense<[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[6.0, 7.0], [8.0, 9.0], [10.0, 11.0]]]> : tensor<2x3x2xf64>} : tensor<2x3x2xf64>
  %1 = onnx.Transpose %b : (tensor<2x3x2xf64>) -> tensor<2x3x2xf64>
  return %0, %1 : tensor<3x2xf16>, tensor<2x3x2xf64>
}

// -----

// A splat stays a splat.
// CHECK-LABEL: func.func @transpose_splat
// CHECK: %[[C:.*]] = onnx.Constant {value = dense<2.500000e+00> : tensor<4x3xf32>}
// CHECK-NEXT: return %[[C]]
func.func @transpose_splat() -> tensor<4x3xf32> {
  %a = onnx.Constant {value = dense<2.5> : tensor<3x4xf32>} : tensor<3x4xf32>
  %0 = onnx.Transpose %a {perm = [1, 0]} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Concat along a middle axis, along a negative one, with an empty input, and
// of equal splats (a splat).
// CHECK-LABEL: func.func @concat
// CHECK-DAG: %[[M:.*]] = onnx.Constant {value = dense<{{\[}}{{\[}}[1, 2], [7, 8], [9, 10]], {{\[}}[3, 4], [11, 12], [13, 14]]]> : tensor<2x3x2xi32>}
// CHECK-DAG: %[[N:.*]] = onnx.Constant {value = dense<{{\[}}[1, 2, 5], [3, 4, 6]]> : tensor<2x3xi64>}
// CHECK-DAG: %[[E:.*]] = onnx.Constant {value = dense<[5, 6]> : tensor<2xi64>}
// CHECK-DAG: %[[S:.*]] = onnx.Constant {value = dense<1.000000e+00> : tensor<5xf32>}
// CHECK-NOT: onnx.Concat
// CHECK: return %[[M]], %[[N]], %[[E]], %[[S]]
func.func @concat() -> (tensor<2x3x2xi32>, tensor<2x3xi64>, tensor<2xi64>, tensor<5xf32>) {
  %a = onnx.Constant {value = dense<[[[1, 2]], [[3, 4]]]> : tensor<2x1x2xi32>} : tensor<2x1x2xi32>
  %b = onnx.Constant {value = dense<[[[7, 8], [9, 10]], [[11, 12], [13, 14]]]> : tensor<2x2x2xi32>} : tensor<2x2x2xi32>
  %0 = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x1x2xi32>, tensor<2x2x2xi32>) -> tensor<2x3x2xi32>
  %c = onnx.Constant {value = dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>} : tensor<2x2xi64>
  %d = onnx.Constant {value = dense<[[5], [6]]> : tensor<2x1xi64>} : tensor<2x1xi64>
  %1 = onnx.Concat %c, %d {axis = -1 : i64} : (tensor<2x2xi64>, tensor<2x1xi64>) -> tensor<2x3xi64>
  %e = onnx.Constant {value = dense<> : tensor<0xi64>} : tensor<0xi64>
  %f = onnx.Constant {value = dense<[5, 6]> : tensor<2xi64>} : tensor<2xi64>
  %2 = onnx.Concat %e, %f {axis = 0 : i64} : (tensor<0xi64>, tensor<2xi64>) -> tensor<2xi64>
  %g = onnx.Constant {value = dense<1.0> : tensor<2xf32>} : tensor<2xf32>
  %h = onnx.Constant {value = dense<1.0> : tensor<3xf32>} : tensor<3xf32>
  %3 = onnx.Concat %g, %h {axis = 0 : i64} : (tensor<2xf32>, tensor<3xf32>) -> tensor<5xf32>
  return %0, %1, %2, %3 : tensor<2x3x2xi32>, tensor<2x3xi64>, tensor<2xi64>, tensor<5xf32>
}

// -----

// One input known only at run time: no fold.
// CHECK-LABEL: func.func @concat_not_constant
// CHECK: onnx.Concat
func.func @concat_not_constant(%a: tensor<2xf32>) -> tensor<4xf32> {
  %c = onnx.Constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %0 = onnx.Concat %c, %a {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Slice on the leading axes without axes and steps; negative bounds; an end
// past the dimension (INT64_MAX) clamped; int32 parameters.
// CHECK-LABEL: func.func @slice
// CHECK-DAG: %[[A:.*]] = onnx.Constant {value = dense<{{\[}}[5, 6], [9, 10]]> : tensor<2x2xi64>}
// CHECK-DAG: %[[B:.*]] = onnx.Constant {value = dense<{{\[}}[2, 3], [6, 7], [10, 11]]> : tensor<3x2xi64>}
// CHECK-DAG: %[[C:.*]] = onnx.Constant {value = dense<{{\[}}[4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<2x4xi64>}
// CHECK-NOT: onnx.Slice
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @slice() -> (tensor<2x2xi64>, tensor<3x2xi64>, tensor<2x4xi64>) {
  %x = onnx.Constant {value = dense<[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xi64>} : tensor<3x4xi64>
  %s0 = onnx.Constant {value = dense<[1, 1]> : tensor<2xi64>} : tensor<2xi64>
  %e0 = onnx.Constant {value = dense<[3, -1]> : tensor<2xi64>} : tensor<2xi64>
  %0 = "onnx.Slice"(%x, %s0, %e0) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<3x4xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  %s1 = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %e1 = onnx.Constant {value = dense<[9223372036854775807]> : tensor<1xi64>} : tensor<1xi64>
  %a1 = onnx.Constant {value = dense<[-1]> : tensor<1xi64>} : tensor<1xi64>
  %1 = "onnx.Slice"(%x, %s1, %e1, %a1) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<3x4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3x2xi64>
  %s2 = onnx.Constant {value = dense<[1]> : tensor<1xi32>} : tensor<1xi32>
  %e2 = onnx.Constant {value = dense<[100]> : tensor<1xi32>} : tensor<1xi32>
  %a2 = onnx.Constant {value = dense<[0]> : tensor<1xi32>} : tensor<1xi32>
  %2 = "onnx.Slice"(%x, %s2, %e2, %a2) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<3x4xi64>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2x4xi64>
  return %0, %1, %2 : tensor<2x2xi64>, tensor<3x2xi64>, tensor<2x4xi64>
}

// -----

// Steps: 2 (the end rounds up), -1 from the last index to INT64_MIN (the
// whole axis reversed), -2 with a start past the end clamped to the last
// index, and an empty window (start after end with a positive step).
// CHECK-LABEL: func.func @slice_steps
// CHECK-DAG: %[[A:.*]] = onnx.Constant {value = dense<[0, 2, 4]> : tensor<3xi32>}
// CHECK-DAG: %[[B:.*]] = onnx.Constant {value = dense<[6, 5, 4, 3, 2, 1, 0]> : tensor<7xi32>}
// CHECK-DAG: %[[C:.*]] = onnx.Constant {value = dense<[6, 4]> : tensor<2xi32>}
// CHECK-DAG: %[[D:.*]] = onnx.Constant {value = dense<> : tensor<0xi32>}
// CHECK-NOT: onnx.Slice
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @slice_steps() -> (tensor<3xi32>, tensor<7xi32>, tensor<2xi32>, tensor<0xi32>) {
  %x = onnx.Constant {value = dense<[0, 1, 2, 3, 4, 5, 6]> : tensor<7xi32>} : tensor<7xi32>
  %zero = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %five = onnx.Constant {value = dense<[5]> : tensor<1xi64>} : tensor<1xi64>
  %two = onnx.Constant {value = dense<[2]> : tensor<1xi64>} : tensor<1xi64>
  %0 = "onnx.Slice"(%x, %zero, %five, %zero, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<7xi32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi32>
  %last = onnx.Constant {value = dense<[-1]> : tensor<1xi64>} : tensor<1xi64>
  %min = onnx.Constant {value = dense<[-9223372036854775808]> : tensor<1xi64>} : tensor<1xi64>
  %1 = "onnx.Slice"(%x, %last, %min, %zero, %last) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<7xi32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<7xi32>
  %big = onnx.Constant {value = dense<[100]> : tensor<1xi64>} : tensor<1xi64>
  %m2 = onnx.Constant {value = dense<[-2]> : tensor<1xi64>} : tensor<1xi64>
  %2 = "onnx.Slice"(%x, %big, %two, %zero, %m2) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<7xi32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi32>
  %3 = "onnx.Slice"(%x, %five, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<7xi32>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xi32>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<7xi32>, tensor<2xi32>, tensor<0xi32>
}

// -----

// Two axes, one of them reversed with step -2 and a negative axis.
// CHECK-LABEL: func.func @slice_two_axes
// CHECK: %[[C:.*]] = onnx.Constant {value = dense<{{\[}}[7.000000e+00, 5.000000e+00], [1.100000e+01, 9.000000e+00]]> : tensor<2x2xf32>}
// CHECK-NEXT: return %[[C]]
func.func @slice_two_axes() -> tensor<2x2xf32> {
  %x = onnx.Constant {value = dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]> : tensor<3x4xf32>} : tensor<3x4xf32>
  %s = onnx.Constant {value = dense<[-1, 1]> : tensor<2xi64>} : tensor<2xi64>
  %e = onnx.Constant {value = dense<[0, 3]> : tensor<2xi64>} : tensor<2xi64>
  %a = onnx.Constant {value = dense<[-1, 0]> : tensor<2xi64>} : tensor<2xi64>
  %st = onnx.Constant {value = dense<[-2, 1]> : tensor<2xi64>} : tensor<2xi64>
  %0 = "onnx.Slice"(%x, %s, %e, %a, %st) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Not folded: data known only at run time; bounds known only at run time
// (a dynamic result); a result type less static than what ONNX computes
// (valid: compatible with the inferred type, but not the folded one's).
// CHECK-LABEL: func.func @slice_not_folded
// CHECK-COUNT-3: onnx.Slice
func.func @slice_not_folded(%x: tensor<4xf32>, %s: tensor<1xi64>) -> (tensor<2xf32>, tensor<?xf32>, tensor<?xf32>) {
  %zero = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %two = onnx.Constant {value = dense<[2]> : tensor<1xi64>} : tensor<1xi64>
  %0 = "onnx.Slice"(%x, %zero, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  %c = onnx.Constant {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>} : tensor<4xf32>
  %1 = "onnx.Slice"(%c, %s, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  %2 = "onnx.Slice"(%c, %zero, %two) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<?xf32>, tensor<?xf32>
}

// -----

// Squeeze with axes and without, Unsqueeze, Reshape with 0 and -1 and with
// allowzero: the same elements in the result's shape.
// CHECK-LABEL: func.func @reshaping
// CHECK-DAG: %[[SQ:.*]] = onnx.Constant {value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf64>}
// CHECK-DAG: %[[SQA:.*]] = onnx.Constant {value = dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<1x3xf64>}
// CHECK-DAG: %[[USQ:.*]] = onnx.Constant {value = dense<{{\[}}{{\[}}[1.000000e+00], [2.000000e+00], [3.000000e+00]]]> : tensor<1x3x1xf64>}
// CHECK-DAG: %[[RS:.*]] = onnx.Constant {value = dense<{{\[}}[0, 1, 2], [3, 4, 5]]> : tensor<2x3xi32>}
// CHECK-DAG: %[[RZ:.*]] = onnx.Constant {value = dense<> : tensor<3x0xi32>}
// CHECK-NOT: onnx.Squeeze
// CHECK-NOT: onnx.Unsqueeze
// CHECK-NOT: onnx.Reshape
// CHECK: return %[[SQ]], %[[SQA]], %[[USQ]], %[[RS]], %[[RZ]]
func.func @reshaping() -> (tensor<3xf64>, tensor<1x3xf64>, tensor<1x3x1xf64>, tensor<2x3xi32>, tensor<3x0xi32>) {
  %x = onnx.Constant {value = dense<[[[1.0], [2.0], [3.0]]]> : tensor<1x3x1xf64>} : tensor<1x3x1xf64>
  %0 = "onnx.Squeeze"(%x) : (tensor<1x3x1xf64>) -> tensor<3xf64>
  %axes = onnx.Constant {value = dense<[-1]> : tensor<1xi64>} : tensor<1xi64>
  %1 = "onnx.Squeeze"(%x, %axes) : (tensor<1x3x1xf64>, tensor<1xi64>) -> tensor<1x3xf64>
  %axes2 = onnx.Constant {value = dense<[0, 2]> : tensor<2xi64>} : tensor<2xi64>
  %2 = onnx.Unsqueeze %0, %axes2 : (tensor<3xf64>, tensor<2xi64>) -> tensor<1x3x1xf64>
  %y = onnx.Constant {value = dense<[[[0, 1, 2]], [[3, 4, 5]]]> : tensor<2x1x3xi32>} : tensor<2x1x3xi32>
  %shape = onnx.Constant {value = dense<[0, -1]> : tensor<2xi64>} : tensor<2xi64>
  %3 = onnx.Reshape %y, %shape : (tensor<2x1x3xi32>, tensor<2xi64>) -> tensor<2x3xi32>
  %z = onnx.Constant {value = dense<> : tensor<0x3xi32>} : tensor<0x3xi32>
  %shape2 = onnx.Constant {value = dense<[3, 0]> : tensor<2xi64>} : tensor<2xi64>
  %4 = onnx.Reshape %z, %shape2 {allowzero = 1 : i64} : (tensor<0x3xi32>, tensor<2xi64>) -> tensor<3x0xi32>
  return %0, %1, %2, %3, %4 : tensor<3xf64>, tensor<1x3xf64>, tensor<1x3x1xf64>, tensor<2x3xi32>, tensor<3x0xi32>
}

// -----

// Not folded: a shape known only at run time, and a dynamic result.
// CHECK-LABEL: func.func @reshape_not_folded
// CHECK-COUNT-2: onnx.Reshape
func.func @reshape_not_folded(%s: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<?x?xf32>) {
  %c = onnx.Constant {value = dense<1.0> : tensor<6xf32>} : tensor<6xf32>
  %0 = onnx.Reshape %c, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %shape = onnx.Constant {value = dense<[2, -1]> : tensor<2xi64>} : tensor<2xi64>
  %1 = onnx.Reshape %c, %shape : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<?x?xf32>
}

// -----

// Gather along axis 0 with negative indices, along axis 1 with 2-D int32
// indices, with a scalar index (the axis disappears), and of booleans.
// CHECK-LABEL: func.func @gather
// CHECK-DAG: %[[A:.*]] = onnx.Constant {value = dense<{{\[}}[6, 7, 8], [0, 1, 2]]> : tensor<2x3xi64>}
// CHECK-DAG: %[[B:.*]] = onnx.Constant {value = dense<{{\[}}{{\[}}[2, 0], [1, 1]], {{\[}}[5, 3], [4, 4]], {{\[}}[8, 6], [7, 7]]]> : tensor<3x2x2xi64>}
// CHECK-DAG: %[[C:.*]] = onnx.Constant {value = dense<[1, 4, 7]> : tensor<3xi64>}
// CHECK-DAG: %[[D:.*]] = onnx.Constant {value = dense<[false, true, true]> : tensor<3xi1>}
// CHECK-NOT: onnx.Gather
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @gather() -> (tensor<2x3xi64>, tensor<3x2x2xi64>, tensor<3xi64>, tensor<3xi1>) {
  %x = onnx.Constant {value = dense<[[0, 1, 2], [3, 4, 5], [6, 7, 8]]> : tensor<3x3xi64>} : tensor<3x3xi64>
  %i = onnx.Constant {value = dense<[-1, 0]> : tensor<2xi64>} : tensor<2xi64>
  %0 = onnx.Gather %x, %i : (tensor<3x3xi64>, tensor<2xi64>) -> tensor<2x3xi64>
  %j = onnx.Constant {value = dense<[[-1, 0], [1, -2]]> : tensor<2x2xi32>} : tensor<2x2xi32>
  %1 = onnx.Gather %x, %j {axis = 1 : i64} : (tensor<3x3xi64>, tensor<2x2xi32>) -> tensor<3x2x2xi64>
  %k = onnx.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %2 = onnx.Gather %x, %k {axis = -1 : i64} : (tensor<3x3xi64>, tensor<i64>) -> tensor<3xi64>
  %b = onnx.Constant {value = dense<[true, false]> : tensor<2xi1>} : tensor<2xi1>
  %l = onnx.Constant {value = dense<[1, 0, -2]> : tensor<3xi64>} : tensor<3xi64>
  %3 = onnx.Gather %b, %l : (tensor<2xi1>, tensor<3xi64>) -> tensor<3xi1>
  return %0, %1, %2, %3 : tensor<2x3xi64>, tensor<3x2x2xi64>, tensor<3xi64>, tensor<3xi1>
}

// -----

// Not folded: an index out of range (the run-time check reports it) and
// indices known only at run time.
// CHECK-LABEL: func.func @gather_not_folded
// CHECK-COUNT-2: onnx.Gather
func.func @gather_not_folded(%i: tensor<1xi64>) -> (tensor<1xf32>, tensor<1xf32>) {
  %x = onnx.Constant {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : tensor<3xf32>
  %bad = onnx.Constant {value = dense<[-4]> : tensor<1xi64>} : tensor<1xi64>
  %0 = onnx.Gather %x, %bad : (tensor<3xf32>, tensor<1xi64>) -> tensor<1xf32>
  %1 = onnx.Gather %x, %i : (tensor<3xf32>, tensor<1xi64>) -> tensor<1xf32>
  return %0, %1 : tensor<1xf32>, tensor<1xf32>
}

// -----

// Shape of a static input needs no constant data; with start and end only
// the dimensions returned must be static.
// CHECK-LABEL: func.func @shape
// CHECK-DAG: %[[A:.*]] = onnx.Constant {value = dense<[2, 3, 4]> : tensor<3xi64>}
// CHECK-DAG: %[[B:.*]] = onnx.Constant {value = dense<4> : tensor<1xi64>}
// CHECK-DAG: %[[E:.*]] = onnx.Constant {value = dense<5> : tensor<1xi64>}
// CHECK-DAG: %[[C:.*]] = onnx.Constant {value = dense<> : tensor<0xi64>}
// CHECK: %[[D:.*]] = onnx.Shape %{{.*}} : (tensor<?x5xf32>) -> tensor<2xi64>
// CHECK: return %[[A]], %[[B]], %[[E]], %[[C]], %[[D]]
func.func @shape(%x: tensor<2x3x4xf32>, %y: tensor<?x5xf32>) -> (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, tensor<0xi64>, tensor<2xi64>) {
  %0 = onnx.Shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %1 = onnx.Shape %x {start = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<1xi64>
  %2 = onnx.Shape %y {start = 1 : i64} : (tensor<?x5xf32>) -> tensor<1xi64>
  %3 = onnx.Shape %x {start = 2 : i64, end = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<0xi64>
  %4 = onnx.Shape %y : (tensor<?x5xf32>) -> tensor<2xi64>
  return %0, %1, %2, %3, %4 : tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, tensor<0xi64>, tensor<2xi64>
}

// -----

// The weights of a recurrent op as an exporter computes them: gates
// reordered by Slice and Concat, transposed, a direction axis added. All of
// it folds into one constant.
// CHECK-LABEL: func.func @weights_chain
// CHECK: %[[W:.*]] = onnx.Constant {value = dense<{{\[}}{{\[}}[1.000000e+00, 5.000000e+00], [0.000000e+00, 4.000000e+00], [2.000000e+00, 6.000000e+00]]]> : tensor<1x3x2xf32>}
// CHECK-NEXT: return %[[W]]
func.func @weights_chain() -> tensor<1x3x2xf32> {
  %w = onnx.Constant {value = dense<[[0.0, 1.0, 2.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : tensor<2x3xf32>
  %one = onnx.Constant {value = dense<[1]> : tensor<1xi64>} : tensor<1xi64>
  %zero = onnx.Constant {value = dense<[0]> : tensor<1xi64>} : tensor<1xi64>
  %max = onnx.Constant {value = dense<[9223372036854775807]> : tensor<1xi64>} : tensor<1xi64>
  %a = "onnx.Slice"(%w, %one, %max, %one) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x2xf32>
  %b = "onnx.Slice"(%w, %zero, %one, %one) {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<2x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x1xf32>
  %c = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %t = onnx.Transpose %c {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %g = onnx.Constant {value = dense<[0, 2, 1]> : tensor<3xi64>} : tensor<3xi64>
  %r = onnx.Gather %t, %g : (tensor<3x2xf32>, tensor<3xi64>) -> tensor<3x2xf32>
  %u = onnx.Unsqueeze %r, %zero : (tensor<3x2xf32>, tensor<1xi64>) -> tensor<1x3x2xf32>
  return %u : tensor<1x3x2xf32>
}
