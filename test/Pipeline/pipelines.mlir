// RUN: seqc-opt %s -seqc-to-seq=function=f | FileCheck %s --check-prefix=SEQ --implicit-check-not="onnx."
// RUN: seqc-opt %s -seqc-to-seq=function=f | seqc-opt -seqc-bufferize | FileCheck %s --check-prefix=BUF --implicit-check-not="{{[ (](tensor|seq|bufferization)\.[a-z]}}"
// RUN: seqc-opt %s -seqc-to-seq=function=f | seqc-opt -seqc-bufferize | seqc-opt -seqc-to-llvm | FileCheck %s --check-prefix=LLVM --implicit-check-not="{{[ (](arith|math|memref|scf|cf|func|linalg|tensor|seq|bufferization|builtin)\.[a-z]}}"
// RUN: seqc-opt %s -seqc-compile=function=f | FileCheck %s --check-prefix=LLVM --implicit-check-not="{{[ (](arith|math|memref|scf|cf|func|linalg|tensor|seq|bufferization|builtin)\.[a-z]}}"
// RUN: not seqc-opt %s -seqc-to-seq 2>&1 | FileCheck %s --check-prefix=DEFAULT
// The named pipelines on an LSTM with sequence_lens followed by an Add.

// seqc-to-seq: onnx lowered, the kernel ABI created, canonicalized.
// SEQ-LABEL: func.func @f_shapes
// SEQ-SAME: memref<10xi64>
// SEQ-NOT: seq.recurrence
// SEQ: return
// SEQ-LABEL: func.func @f
// SEQ-SAME: {bufferization.writable = false}
// SEQ-SAME: memref<?x1x2x4xf32>, %{{.*}}: memref<1x2x4xf32>) attributes {llvm.emit_c_interface}
// SEQ: seq.recurrence forward
// SEQ-SAME: lengths(%arg1 : tensor<2xi32>)
// SEQ: linalg.matmul
// SEQ: seq.yield
// SEQ: bufferization.materialize_in_destination
// SEQ: bufferization.materialize_in_destination

// seqc-bufferize: an scf.for over time on buffers, no tensor op left.
// BUF-LABEL: func.func @f_shapes
// BUF-SAME: (%{{.*}}: memref<?x2x3xf32>, %{{.*}}: memref<2xi32>, %{{.*}}: memref<10xi64>)
// BUF: memref.dim
// BUF-LABEL: func.func @f(
// BUF-SAME: %{{.*}}: memref<?x2x3xf32>, %{{.*}}: memref<2xi32>, %{{.*}}: memref<?x1x2x4xf32>, %{{.*}}: memref<1x2x4xf32>)
// BUF: memref.alloc
// BUF: scf.for
// BUF: linalg.matmul
// BUF: arith.cmpi slt
// BUF: arith.select
// BUF: scf.yield
// BUF: memref.copy {{.*}}, %arg2
// BUF: memref.copy {{.*}}, %arg3
// BUF: return

// seqc-to-llvm / seqc-compile: LLVM dialect only, with the C wrappers.
// LLVM: llvm.func @f_shapes(
// LLVM: llvm.func @_mlir_ciface_f_shapes(
// LLVM-SAME: attributes {llvm.emit_c_interface}
// LLVM: llvm.call @f_shapes(
// LLVM: llvm.func @f(
// LLVM: llvm.intr.tanh
// LLVM: llvm.func @_mlir_ciface_f(
// LLVM-SAME: attributes {llvm.emit_c_interface}
// LLVM: llvm.call @f(

// DEFAULT: error: no model function @main_graph

func.func @f(%x: tensor<?x2x3xf32>, %len: tensor<2xi32>)
    -> (tensor<?x1x2x4xf32>, tensor<1x2x4xf32>) {
  %w = onnx.Constant {value = dense<0.1> : tensor<1x16x3xf32>} : tensor<1x16x3xf32>
  %r = onnx.Constant {value = dense<0.2> : tensor<1x16x4xf32>} : tensor<1x16x4xf32>
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %len) {hidden_size = 4 : i64,
      operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>}
    : (tensor<?x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, tensor<2xi32>)
    -> (tensor<?x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  %s = onnx.Add %yh, %yc : (tensor<1x2x4xf32>, tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  return %y, %s : tensor<?x1x2x4xf32>, tensor<1x2x4xf32>
}
