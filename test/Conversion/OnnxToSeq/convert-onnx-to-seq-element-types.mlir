// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file -verify-diagnostics | FileCheck %s
// The onnx dialect keeps ONNX's element types apart (ui8 beside i8, i4,
// f8E4M3FN...); below it values are held in storage types (signless
// integers, one byte for the narrow formats), the function signature
// included, and each op computes by the type it was given.

// Unsigned integers: divided, compared and converted as unsigned.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{.*}}: tensor<3xi32>, %{{.*}}: tensor<3xi32>, %{{.*}}: tensor<3xi8>) -> (tensor<3xi32>, tensor<3xi1>, tensor<3xf32>)
// CHECK: arith.divui %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i32
// CHECK: arith.uitofp %{{.*}} : i8 to f32
func.func @unsigned(%a: tensor<3xui32>, %b: tensor<3xui32>, %c: tensor<3xui8>)
    -> (tensor<3xui32>, tensor<3xi1>, tensor<3xf32>) {
  %0 = "onnx.Div"(%a, %b) : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xui32>
  %1 = "onnx.Less"(%a, %b) : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  %2 = onnx.Cast %c {to = 1 : i64} : (tensor<3xui8>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<3xui32>, tensor<3xi1>, tensor<3xf32>
}

// -----

// Constants of unsigned and narrow types become their storage bits: 200 as
// i8 is -56; INT4 -1 is the low nibble 0x0F.
// CHECK-LABEL: func.func @constants
// CHECK-DAG: arith.constant dense<[-56, 7]> : tensor<2xi8>
// CHECK-DAG: arith.constant dense<[15, 7]> : tensor<2xi8>
func.func @constants() -> (tensor<2xui8>, tensor<2xi4>) {
  %0 = onnx.Constant {value = dense<[200, 7]> : tensor<2xui8>} : tensor<2xui8>
  %1 = onnx.Constant {value = dense<[-1, 7]> : tensor<2xi4>} : tensor<2xi4>
  return %0, %1 : tensor<2xui8>, tensor<2xi4>
}

// -----

// INT4 in: the nibble sign-extended (shift up 4, arithmetic shift down 4).
// INT4 out from a float: truncated toward zero, 0 out of [-8, 7], the low
// four bits kept.
// CHECK-LABEL: func.func @int4
// CHECK: %[[UP:.*]] = arith.shli %{{.*}}, %{{.*}} : i8
// CHECK: arith.shrsi %[[UP]], %{{.*}} : i8
// CHECK: math.trunc %{{.*}} : f32
// CHECK: arith.cmpf oge
// CHECK: arith.cmpf ole
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: arith.andi %{{.*}}, %{{.*}} : i8
func.func @int4(%x: tensor<4xi4>, %f: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xi4>) {
  %0 = onnx.Cast %x {to = 6 : i64} : (tensor<4xi4>) -> tensor<4xi32>
  %1 = onnx.Cast %f {to = 22 : i64} : (tensor<4xf32>) -> tensor<4xi4>
  return %0, %1 : tensor<4xi32>, tensor<4xi4>
}

// -----

// To FLOAT8E4M3FN: the magnitude rounded to nearest even at its spacing,
// above 448 the largest finite value (0x7E) when saturating, NaN (0x7F)
// with saturate = 0.
// CHECK-LABEL: func.func @float8
// CHECK: math.roundeven
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.select %{{.*}}, %c126_i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: math.roundeven
// CHECK: arith.select %{{.*}}, %c127_i32
func.func @float8(%f: tensor<4xf32>) -> (tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>) {
  %0 = onnx.Cast %f {to = 17 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  %1 = onnx.Cast %f {to = 17 : i64, saturate = 0 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0, %1 : tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>
}

// -----

// Out of FLOAT8E5M2 without saturation: infinity (0x7C).
// CHECK-LABEL: func.func @float8_e5m2
// CHECK: arith.select %{{.*}}, %c124_i32
func.func @float8_e5m2(%f: tensor<4xf32>) -> tensor<4xf8E5M2> {
  %0 = onnx.Cast %f {to = 19 : i64, saturate = 0 : i64} : (tensor<4xf32>) -> tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// bfloat16 stays a type of its own: the lowering to LLVM expands its
// conversions (seqc-to-llvm).
// CHECK-LABEL: func.func @to_bf16
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @to_bf16(%f: tensor<3xf32>) -> tensor<3xbf16> {
  %0 = onnx.Cast %f {to = 16 : i64} : (tensor<3xf32>) -> tensor<3xbf16>
  return %0 : tensor<3xbf16>
}

// -----

// Data movement takes any element type.
// CHECK-LABEL: func.func @moves
// CHECK-SAME: (%{{.*}}: tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK: linalg.transpose
func.func @moves(%x: tensor<2x3xf8E5M2>) -> tensor<3x2xf8E5M2> {
  %0 = "onnx.Transpose"(%x) {perm = [1, 0]} : (tensor<2x3xf8E5M2>) -> tensor<3x2xf8E5M2>
  return %0 : tensor<3x2xf8E5M2>
}

// -----

// An op that would compute on a type it does not know is refused.
func.func @refused(%x: tensor<3xf8E4M3FN>) -> tensor<3xf8E4M3FN> {
  // expected-error @+1 {{'onnx.Add' op does not support element type 'f8E4M3FN' yet (Cast it first)}}
  %0 = "onnx.Add"(%x, %x) : (tensor<3xf8E4M3FN>, tensor<3xf8E4M3FN>) -> tensor<3xf8E4M3FN>
  return %0 : tensor<3xf8E4M3FN>
}

// -----

func.func @refused_unsigned(%x: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error @+1 {{'onnx.Relu' op does not support element type 'ui8' yet (Cast it first)}}
  %0 = "onnx.Relu"(%x) : (tensor<3xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// BitShift right: arithmetic for signed values, logical for unsigned; a
// shift out of [0, width) selects 0 (or -1 for a negative signed value).
// CHECK-LABEL: func.func @bit_shift
// CHECK: arith.cmpi sge
// CHECK: arith.shrsi
// CHECK: arith.select
// CHECK: arith.cmpi uge
// CHECK: arith.shrui
// CHECK: arith.select
func.func @bit_shift(%a: tensor<3xi8>, %b: tensor<3xui8>) -> (tensor<3xi8>, tensor<3xui8>) {
  %0 = "onnx.BitShift"(%a, %a) {direction = "RIGHT"} : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
  %1 = "onnx.BitShift"(%b, %b) {direction = "RIGHT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0, %1 : tensor<3xi8>, tensor<3xui8>
}

// -----

// BitCast: arith.bitcast between storage types; the narrow formats are
// already their bits.
// CHECK-LABEL: func.func @bit_cast
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK-NOT: arith.bitcast
// CHECK: return
func.func @bit_cast(%f: tensor<3xf32>, %q: tensor<3xf8E4M3FN>) -> (tensor<3xui32>, tensor<3xi8>) {
  %0 = "onnx.BitCast"(%f) {to = 12 : i64} : (tensor<3xf32>) -> tensor<3xui32>
  %1 = "onnx.BitCast"(%q) {to = 3 : i64} : (tensor<3xf8E4M3FN>) -> tensor<3xi8>
  return %0, %1 : tensor<3xui32>, tensor<3xi8>
}
