// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file -verify-diagnostics | FileCheck %s
// The elementwise table (Elementwise.cpp): each op one linalg.generic over
// the broadcast result, with its scalar formula in the body.

// Pow: an integer exponent is converted to the base's float type.
// CHECK-LABEL: func.func @pow_int_exponent
// CHECK: ^bb0(%[[X:.*]]: f32, %[[E:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[EF:.*]] = arith.sitofp %[[E]] : i64 to f32
// CHECK-NEXT: %[[P:.*]] = math.powf %[[X]], %[[EF]] : f32
// CHECK-NEXT: linalg.yield %[[P]] : f32
func.func @pow_int_exponent(%x: tensor<?x4xf32>, %e: tensor<4xi64>) -> tensor<?x4xf32> {
  %y = onnx.Pow %x, %e : (tensor<?x4xf32>, tensor<4xi64>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An integer base: pow in f64, truncated back to the base's type.
// CHECK-LABEL: func.func @pow_int_base
// CHECK: ^bb0(%[[X:.*]]: i32, %[[E:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: %[[XF:.*]] = arith.sitofp %[[X]] : i32 to f64
// CHECK-NEXT: %[[EF:.*]] = arith.sitofp %[[E]] : i32 to f64
// CHECK-NEXT: %[[P:.*]] = math.powf %[[XF]], %[[EF]] : f64
// CHECK-NEXT: %[[R:.*]] = arith.fptosi %[[P]] : f64 to i32
// CHECK-NEXT: linalg.yield %[[R]] : i32
func.func @pow_int_base(%x: tensor<3xi32>, %e: tensor<3xi32>) -> tensor<3xi32> {
  %y = onnx.Pow %x, %e : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %y : tensor<3xi32>
}

// -----

// Variadic ops fold their inputs, all broadcast into one generic; float Min
// propagates NaN (minimumf).
// CHECK-LABEL: func.func @min3
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<?x1x4xf32>, tensor<3x1xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<?x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[AB:.*]] = arith.minimumf %[[A]], %[[B]] : f32
// CHECK-NEXT: %[[ABC:.*]] = arith.minimumf %[[AB]], %[[C]] : f32
// CHECK-NEXT: linalg.yield %[[ABC]] : f32
func.func @min3(%a: tensor<?x1x4xf32>, %b: tensor<3x1xf32>, %c: tensor<4xf32>) -> tensor<?x3x4xf32> {
  %y = onnx.Min %a, %b, %c : (tensor<?x1x4xf32>, tensor<3x1xf32>, tensor<4xf32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @mean2
// CHECK: %[[S:.*]] = arith.addf
// CHECK-NEXT: %[[N:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[S]], %[[N]] : f32
func.func @mean2(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %y = onnx.Mean %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Selu: gamma * (x > 0 ? x : alpha * (e^x - 1)), the attributes' values.
// CHECK-LABEL: func.func @selu
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[E:.*]] = math.exp %[[X]] : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.mulf %[[ALPHA]], %{{.*}} : f32
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : f32
// CHECK-NEXT: %[[Y:.*]] = arith.select %[[POS]], %[[X]], %{{.*}} : f32
// CHECK-NEXT: %[[GAMMA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: arith.mulf %[[GAMMA]], %[[Y]] : f32
func.func @selu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = onnx.Selu %x {alpha = 1.5 : f32, gamma = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Gelu, approximate = "tanh": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = onnx.Gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Gelu: 0.5 x (1 + erf(x / sqrt 2)).
// CHECK-LABEL: func.func @gelu(
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R2:.*]] = arith.constant 0.707106769 : f32
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[X]], %[[R2]] : f32
// CHECK-NEXT: math.erf %[[S]] : f32
// CHECK-NOT: math.tanh
func.func @gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = onnx.Gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Integer Sign: 1, -1 or 0.
// CHECK-LABEL: func.func @sign_i64
// CHECK: ^bb0(%[[X:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: %[[BELOW:.*]] = arith.cmpi slt, %[[X]], %[[ZERO]] : i64
// CHECK: %[[MINUS:.*]] = arith.constant -1 : i64
// CHECK: %[[Y:.*]] = arith.select %[[BELOW]], %[[MINUS]], %[[ZERO]] : i64
// CHECK: %[[ABOVE:.*]] = arith.cmpi sgt, %[[X]], %[[ZERO]] : i64
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: arith.select %[[ABOVE]], %[[ONE]], %[[Y]] : i64
func.func @sign_i64(%x: tensor<4xi64>) -> tensor<4xi64> {
  %y = onnx.Sign %x : (tensor<4xi64>) -> tensor<4xi64>
  return %y : tensor<4xi64>
}

// -----

// Round: half to even, as ONNX says.
// CHECK-LABEL: func.func @round
// CHECK: math.roundeven
func.func @round(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = onnx.Round %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Sum and Mean are float-only in ONNX.
func.func @sum_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+2 {{'onnx.Sum' op is not defined for element type 'i64'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Sum'}}
  %y = onnx.Sum %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %y : tensor<4xi64>
}

// -----

// Comparisons give bools, chosen by the operands' type (ordered float
// predicates: NaN compares false); Where selects by its bool condition and
// takes X's type.
// CHECK-LABEL: func.func @compare_and_select
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x3xi1>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt, %[[A]], %[[B]] : f32
// CHECK-NEXT: linalg.yield %[[LT]] : i1
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<?x3xi1>, tensor<?x3xi64>, tensor<1xi64>) outs(%{{.*}} : tensor<?x3xi64>)
// CHECK-NEXT: ^bb0(%[[C:.*]]: i1, %[[X:.*]]: i64, %[[Y:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT: %[[S:.*]] = arith.select %[[C]], %[[X]], %[[Y]] : i64
// CHECK-NEXT: linalg.yield %[[S]] : i64
func.func @compare_and_select(%a: tensor<?x3xf32>, %b: tensor<3xf32>, %x: tensor<?x3xi64>, %y: tensor<1xi64>) -> tensor<?x3xi64> {
  %c = onnx.Less %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  %z = onnx.Where %c, %x, %y : (tensor<?x3xi1>, tensor<?x3xi64>, tensor<1xi64>) -> tensor<?x3xi64>
  return %z : tensor<?x3xi64>
}

// -----

// Integer comparisons are signed; IsNaN is an unordered self-comparison; Not
// flips a bool.
// CHECK-LABEL: func.func @int_compare_isnan_not
// CHECK: arith.cmpi sge
// CHECK: arith.cmpf uno, %[[V:.*]], %[[V]] : f32
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @int_compare_isnan_not(%a: tensor<4xi32>, %b: tensor<4xi32>, %x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  %ge = onnx.GreaterOrEqual %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %nan = onnx.IsNaN %x : (tensor<4xf32>) -> tensor<4xi1>
  %not = onnx.Not %nan : (tensor<4xi1>) -> tensor<4xi1>
  return %ge, %not : tensor<4xi1>, tensor<4xi1>
}

// -----

// Cast: float to integer truncates (fptosi), bool converts as 0 / 1 (uitofp,
// extui), anything to bool is "not zero"; CastLike converts its first input
// only.
// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<3xf32>) outs(%{{.*}} : tensor<3xf64>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.extf %{{.*}} : f32 to f64
func.func @casts(%f: tensor<3xf32>, %b: tensor<3xi1>, %i: tensor<3xi64>, %like: tensor<1xf64>)
    -> (tensor<3xi64>, tensor<3xf32>, tensor<3xi64>, tensor<3xi1>, tensor<3xi32>, tensor<3xf64>) {
  %0 = onnx.Cast %f {to = 7 : i64} : (tensor<3xf32>) -> tensor<3xi64>
  %1 = onnx.Cast %b {to = 1 : i64} : (tensor<3xi1>) -> tensor<3xf32>
  %2 = onnx.Cast %b {to = 7 : i64} : (tensor<3xi1>) -> tensor<3xi64>
  %3 = onnx.Cast %f {to = 9 : i64} : (tensor<3xf32>) -> tensor<3xi1>
  %4 = onnx.Cast %i {to = 6 : i64} : (tensor<3xi64>) -> tensor<3xi32>
  %5 = onnx.CastLike %f, %like : (tensor<3xf32>, tensor<1xf64>) -> tensor<3xf64>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi64>, tensor<3xf32>, tensor<3xi64>, tensor<3xi1>, tensor<3xi32>, tensor<3xf64>
}

// -----

// Dynamic sizes broadcast at run time: the result's size is the first
// operand's unless that is 1; each operand must be 1 or that size, and one
// whose size differs (so is 1) is first copied out to the result's size by
// an scf.if; otherwise it is used as it is.
// CHECK-LABEL: func.func @add_dynamic_broadcast
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[DA:.*]] = tensor.dim %arg0
// CHECK-DAG: %[[DB:.*]] = tensor.dim %arg1
// CHECK: %[[AIS1:.*]] = arith.cmpi eq, %[[DA]], %[[C1]]
// CHECK: %[[SIZE:.*]] = arith.select %[[AIS1]], %[[DB]], %[[DA]]
// CHECK: cf.assert %{{.*}}, "input 0 dimension 0 is neither 1 nor the broadcast size"
// CHECK: cf.assert %{{.*}}, "input 1 dimension 0 is neither 1 nor the broadcast size"
// CHECK: %[[NEEDA:.*]] = arith.cmpi ne, %{{.*}}, %[[SIZE]]
// CHECK: %[[A:.*]] = scf.if %[[NEEDA]] -> (tensor<?x4xf32>) {
// CHECK:   tensor.empty(%[[SIZE]]) : tensor<?x4xf32>
// CHECK:   tensor.extract %arg0
// CHECK: } else {
// CHECK:   scf.yield %arg0
// CHECK: %[[B:.*]] = scf.if
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK: arith.addf
func.func @add_dynamic_broadcast(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = onnx.Add %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
