// RUN: seqc-opt %s -seqc-to-seq -seqc-sequence-passes | FileCheck %s --check-prefix=SEQ --implicit-check-not="onnx."
// RUN: seqc-opt %s -seqc-to-seq -seqc-sequence-passes | seqc-opt -seqc-bufferize=function=f | FileCheck %s --check-prefix=BUF --implicit-check-not="{{[ (](tensor|seq|bufferization)\.[a-z]}}"
// RUN: seqc-opt %s -seqc-to-seq -seqc-sequence-passes | seqc-opt -seqc-bufferize=function=f -seqc-kernel-abi=function=f | FileCheck %s --check-prefix=ABI
// RUN: seqc-opt %s -seqc-to-seq -seqc-sequence-passes | seqc-opt -seqc-bufferize=function=f -seqc-kernel-abi=function=f | seqc-opt -seqc-to-llvm | FileCheck %s --check-prefix=LLVM --implicit-check-not="{{[ (](arith|math|memref|scf|cf|func|linalg|tensor|seq|bufferization|builtin)\.[a-z]}}"
// RUN: seqc-opt %s -seqc-compile=function=f | FileCheck %s --check-prefix=LLVM --implicit-check-not="{{[ (](arith|math|memref|scf|cf|func|linalg|tensor|seq|bufferization|builtin)\.[a-z]}}"
// RUN: seqc-opt %s -seqc-to-seq -seqc-sequence-passes | not seqc-opt -seqc-bufferize 2>&1 | FileCheck %s --check-prefix=DEFAULT
// The named pipelines on an LSTM with sequence_lens followed by an Add.

// seqc-to-seq + seqc-sequence-passes: onnx lowered to a recurrence on
// tensors, loop-invariant work hoisted; no kernel ABI yet.
// SEQ-NOT: @f_shapes
// SEQ-LABEL: func.func @f(
// SEQ-SAME: tensor<?x2x3xf32>, %{{.*}}: tensor<2xi32>) -> (tensor<?x1x2x4xf32>, tensor<1x2x4xf32>)
// SEQ: linalg.broadcast
// SEQ: seq.recurrence forward
// SEQ-SAME: lengths(%arg1 : tensor<2xi32>)
// SEQ: linalg.matmul
// SEQ: seq.yield
// SEQ-NOT: linalg.broadcast
// SEQ: return

// seqc-bufferize: the shape function, destinations, then an scf.for over
// time on buffers (two steps per iteration, then the odd last step), no
// tensor op left. sequence_lens masks the states and outputs.
// BUF-LABEL: func.func @f_shapes
// BUF-SAME: (%{{.*}}: memref<?x2x3xf32>, %{{.*}}: memref<2xi32>, %{{.*}}: memref<10xi64>)
// BUF: memref.dim
// BUF-LABEL: func.func @f(
// BUF-SAME: %{{.*}}: memref<?x2x3xf32>, %{{.*}}: memref<2xi32>, %{{.*}}: memref<?x1x2x4xf32>, %{{.*}}: memref<1x2x4xf32>)
// BUF: scf.for
// BUF-NOT: memref.alloc
// BUF: linalg.matmul
// BUF: arith.cmpi sgt
// BUF: arith.select
// BUF-NOT: memref.alloc
// BUF: linalg.matmul
// BUF-NOT: memref.alloc
// BUF: }
// BUF: scf.for
// BUF-NOT: memref.alloc
// BUF: linalg.matmul
// BUF-NOT: memref.alloc
// BUF: }
// BUF: arith.select {{.*}} : memref<2x4xf32>
// BUF: linalg.generic {{.*}} outs(%arg3 : memref<1x2x4xf32>)
// BUF: return

// seqc-kernel-abi: the model function returns a status, both functions get
// C wrappers.
// ABI: func.func @f_shapes({{.*}}) attributes {llvm.emit_c_interface}
// ABI: func.func @f({{.*}}) -> i32 attributes {llvm.emit_c_interface, seqc.kernel}
// ABI: return %{{.*}} : i32

// seqc-to-llvm / seqc-compile: LLVM dialect only, with the C wrappers.
// LLVM: llvm.func @f_shapes(
// LLVM: llvm.func @_mlir_ciface_f_shapes(
// LLVM-SAME: attributes {llvm.emit_c_interface}
// LLVM: llvm.call @f_shapes(
// LLVM: llvm.func @f(
// The matmuls in vectors of the default width, tanh a polynomial.
// LLVM: llvm.load {{.*}} -> vector<8xf32>
// LLVM: llvm.fmul {{.*}} {fastmathFlags = #llvm.fastmath<contract>} : vector<8xf32>
// LLVM-NOT: llvm.intr.tanh
// LLVM: llvm.func @_mlir_ciface_f(
// LLVM-SAME: -> i32 attributes {llvm.emit_c_interface, seqc.kernel}
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
