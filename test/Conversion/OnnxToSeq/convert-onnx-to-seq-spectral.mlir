// RUN: seqc-opt %s -convert-onnx-to-seq -canonicalize -split-input-file | FileCheck %s
// DFT: a table of twiddle factors W[k, j, c, p] (cos and sin of 2*pi*(k*j
// mod N)/N, in f64), then one contraction over the signal's terms j and its
// parts p, summed in f64 and rounded to the input's type.

// A real 8-point transform along axis 1, one-sided: 5 bins.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d2, d4)>
// CHECK-LABEL: func.func @dft_real_onesided
// CHECK: %[[TABLE:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<5x8x2x1xf64>)
// CHECK: arith.remui %{{.*}}, %c8 : index
// CHECK: math.cos
// CHECK: math.sin
// CHECK: %[[SUMS:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg0, %[[TABLE]] : tensor<2x8x1xf32>, tensor<5x8x2x1xf64>) outs(%{{.*}} : tensor<2x5x2xf64>)
// CHECK: arith.extf
// CHECK: linalg.generic {{.*}} ins(%[[SUMS]] : tensor<2x5x2xf64>) outs(%{{.*}} : tensor<2x5x2xf32>)
// CHECK: arith.truncf
func.func @dft_real_onesided(%x: tensor<2x8x1xf32>) -> tensor<2x5x2xf32> {
  %a = onnx.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %y = "onnx.DFT"(%x, %a) {onesided = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 1>} : (tensor<2x8x1xf32>, tensor<i64>) -> tensor<2x5x2xf32>
  return %y : tensor<2x5x2xf32>
}

// -----

// dft_length 6 shorter than the signal: the signal is cut to 6 terms.
// CHECK-LABEL: func.func @dft_cut
// CHECK: %[[CUT:.*]] = tensor.extract_slice %arg0[0, 0, 0] [1, 6, 2] [1, 1, 1] : tensor<1x10x2xf32> to tensor<1x6x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[CUT]], %{{.*}} : tensor<1x6x2xf32>, tensor<6x6x2x2xf64>)
func.func @dft_cut(%x: tensor<1x10x2xf32>) -> tensor<1x6x2xf32> {
  %n = onnx.Constant {value = dense<6> : tensor<i64>} : tensor<i64>
  %a = onnx.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %y = "onnx.DFT"(%x, %n, %a) {operandSegmentSizes = array<i32: 1, 1, 1>} : (tensor<1x10x2xf32>, tensor<i64>, tensor<i64>) -> tensor<1x6x2xf32>
  return %y : tensor<1x6x2xf32>
}

// -----

// MelWeightMatrix: one generic over (bin, mel) computing the three points of
// filter i (mel -> hz with expm1, floored to an FFT bin) and the triangle,
// in f64, truncated to the output type.
// CHECK-LABEL: func.func @mel_weight_matrix
// CHECK: math.log1p %{{.*}} : f32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x?xf32>)
// CHECK-COUNT-3: math.expm1 %{{.*}} : f64
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @mel_weight_matrix(%m: tensor<i64>, %n: tensor<i64>, %r: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<?x?xf32> {
  %y = onnx.MelWeightMatrix %m, %n, %r, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
