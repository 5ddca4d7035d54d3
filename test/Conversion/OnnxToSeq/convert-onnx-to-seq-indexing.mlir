// RUN: seqc-opt %s -convert-onnx-to-seq -split-input-file | FileCheck %s
// Ops that read or write at computed indices: gathers are one generic over
// the output reading with tensor.extract; scatters are loop nests carrying
// a copy of the data; Split is slices; CumSum a loop over the axis; Einsum
// one generic with a loop per label; TopK a generic ranking the elements.

// Tile: the output index modulo the input size.
// CHECK-LABEL: func.func @tile
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x9xf32>)
// CHECK: arith.remui
// CHECK: tensor.extract %arg0
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x9xf32> {
  %r = onnx.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %y = onnx.Tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x9xf32>
  return %y : tensor<4x9xf32>
}

// -----

// GatherElements: indices checked in [-size, size), read at the output's
// position, negative ones wrapped.
// CHECK-LABEL: func.func @gather_elements
// CHECK: cf.assert
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<2x2xi64>)
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: tensor.extract %arg0
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2xf32> {
  %y = onnx.GatherElements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// ScatterElements with reduction add: a copy of data, a loop nest over the
// indices, each element read, combined and inserted.
// CHECK-LABEL: func.func @scatter_elements
// CHECK: linalg.copy
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @scatter_elements(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %y = onnx.ScatterElements %x, %i, %u {reduction = "add"} : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

// Split into constant sizes: consecutive slices.
// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %arg0[0, 0] [2, 2] [1, 1] : tensor<2x5xf32> to tensor<2x2xf32>
// CHECK: tensor.extract_slice %arg0[0, 2] [2, 3] [1, 1] : tensor<2x5xf32> to tensor<2x3xf32>
func.func @split(%x: tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>) {
  %s = onnx.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %a, %b = "onnx.Split"(%x, %s) {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x3xf32>)
  return %a, %b : tensor<2x2xf32>, tensor<2x3xf32>
}

// -----

// CumSum: a linear scan with a = 1 (no coefficients) over the axis, from
// zero (no init), every partial sum kept.
// CHECK-LABEL: func.func @cumsum
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<3x4xf32>
// CHECK: %{{.*}}, %[[SUMS:.*]] = seq.linear_scan forward b(%arg0 : tensor<3x4xf32>) outs(%[[OUT]] : tensor<3x4xf32>) -> tensor<4xf32>, tensor<3x4xf32>
// CHECK: return %[[SUMS]]
func.func @cumsum(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %a = onnx.Constant {value = dense<0> : tensor<i64>} : tensor<i64>
  %y = onnx.CumSum %x, %a : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Einsum "bij,bjk->bik": loops (b, i, k | j).
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %y = onnx.Einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

// TopK: values and indices from one generic; each position j finds the
// element of rank j (two nested loops).
// CHECK-LABEL: func.func @top_k
// CHECK: cf.assert %{{.*}}, "K is outside [0, the axis size]"
// CHECK: linalg.generic
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
func.func @top_k(%x: tensor<2x6xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %k = onnx.Constant {value = dense<3> : tensor<1xi64>} : tensor<1xi64>
  %v, %i = onnx.TopK %x, %k : (tensor<2x6xf32>, tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x3xi64>
}
