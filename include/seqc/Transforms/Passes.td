//===- Passes.td - seqc passes that are not conversions -*- tablegen -*-===//
//
// The model function's calling convention, built in steps around
// bufferization: the shape function and the result destinations on tensors
// (so that bufferization writes results into the caller's buffers), the
// status result and C interface on buffers, and the allocation checks once
// the loops are branches.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_TRANSFORMS_PASSES
#define SEQC_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def SeqcFuseElementwise : Pass<"seqc-fuse-elementwise"> {
  let summary = "Fuse chains of elementwise linalg ops, in bounded pieces";
  let description = [{
    Upstream's elementwise fusion patterns (a producer with one use goes
    into its consumer's body; fills fold into their consumers), with one
    limit: a fused body holds at most `max-body-ops` ops. Fusing a chain of
    n ops one producer at a time clones O(n^2) ops; pieces of bounded size
    keep compile time linear, and bodies small enough to vectorise well.
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "unsigned", "64",
           "The most ops a fused body may hold">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def SeqcCreateShapeFunction
    : Pass<"seqc-create-shape-function", "::mlir::ModuleOp"> {
  let summary = "Derive the model's output-shape function";
  let description = [{
    Works on the tensor-level model function `@F` (tensors in, tensors out)
    and adds `@F_shapes(inputs..., %dims: memref<Nxi64>)`, which stores the
    sizes of every result dimension (all results, row-major) into `%dims`.
    It is a copy of `@F` returning `tensor.dim`s of the results, simplified
    by resolving dims through `ReifyRankedShapedTypeOpInterface` and
    canonicalization, so that it normally reads only input sizes.

    The `cf.assert`s of run-time size checks move into `@F_shapes`: after the
    dims it stores a status (the number, from 1, of the first failing check
    in program order, or 0) and the two sizes that check compared; the
    messages go into the module attribute `seqc.runtime_checks`. `@F` loses
    its asserts: the runtime calls the shape function before every run.
  }];
  let options = [
    Option<"functionName", "function", "std::string", "\"main_graph\"",
           "The model function">
  ];
  let dependentDialects = [
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def SeqcResultsToDestinations
    : Pass<"seqc-results-to-destinations", "::mlir::ModuleOp"> {
  let summary = "Make the model function write its results into out-params";
  let description = [{
    Rewrites the tensor-level `@F` into destination-passing style: one memref
    out-parameter per result, written through
    `bufferization.materialize_in_destination`, so that one-shot
    bufferization computes the results straight into the caller's buffers
    (tensor.empty results are replaced by the out-parameters). Inputs are
    marked non-writable: compiled code never writes into the caller's inputs.
  }];
  let options = [
    Option<"functionName", "function", "std::string", "\"main_graph\"",
           "The model function">
  ];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def SeqcCreateKernelAbi : Pass<"seqc-create-kernel-abi", "::mlir::ModuleOp"> {
  let summary = "Give the bufferized model function the C API's convention";
  let description = [{
    Works on the bufferized `@F` (memrefs in, out-params, no results) and
    `@F_shapes`: `@F` returns an `i32` status (`SEQC_OK`, 0, when it runs to
    its end; `seqc-check-allocations` adds the out-of-memory exits) and is
    marked `seqc.kernel`; both get `llvm.emit_c_interface`.
  }];
  let options = [
    Option<"functionName", "function", "std::string", "\"main_graph\"",
           "The model function">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def SeqcCheckAllocations
    : Pass<"seqc-check-allocations", "::mlir::func::FuncOp"> {
  let summary = "Return SEQC_ERROR_OUT_OF_MEMORY when an allocation fails";
  let description = [{
    In a function marked `seqc.kernel` whose control flow is branches (after
    `convert-scf-to-cf`), every `memref.alloc` is followed by a test of its
    pointer: a null pointer returns status 3 (`SEQC_ERROR_OUT_OF_MEMORY`)
    instead of writing through it. A parallel loop's outlined body
    (`seqc.out_of_memory_flag`) sets the i32 flag at the start of its env
    and returns instead; after each call of the pool that carries that
    attribute, a set flag returns status 3.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect"
  ];
}

def SeqcLowerExpandShape : Pass<"seqc-lower-expand-shape"> {
  let summary = "memref.expand_shape of a contiguous buffer as a reinterpret_cast";
  let description = [{
    An expand_shape of an identity-layout memref is that buffer with new
    sizes and row-major strides: it becomes `memref.reinterpret_cast`, its
    strides the products of the trailing sizes. Runs before
    `expand-strided-metadata`, whose own rewrite of expand_shape crashes in
    MLIR 22 when one group splits into two dynamic sizes (what
    seq-hoist-input-projection makes of `[T*B, N]` -> `[T, B, N]`).

    ```mlir
    %e = memref.expand_shape %m [[0, 1], [2]] output_shape [%t, %b, 16]
        : memref<?x16xf32> into memref<?x?x16xf32>
    // becomes
    %s = arith.muli %b, %c16 : index
    %e = memref.reinterpret_cast %m to offset: [0], sizes: [%t, %b, 16],
        strides: [%s, 16, 1] : memref<?x16xf32> to memref<?x?x16xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"
  ];
}

def SeqcVectorizeMatmul
    : Pass<"seqc-vectorize-matmul", "::mlir::ModuleOp"> {
  let summary = "f32 linalg.matmul on buffers as register-tiled vector code";
  let description = [{
    `C += A B` (`[M, K] x [K, N]`, f32, B and C contiguous along N) becomes
    loops over register tiles: a tile of `rows` x `vectors * width` elements
    of C lives in vector registers while k runs over K, each step loading
    `vectors` vectors of B's row k and broadcasting one element of A per
    row, multiplied and added with `contract` (an FMA where the target has
    one). Rows go 4 at a time with 2 vectors per row (the GEMM of an input
    projection), the remaining rows one at a time with 4 vectors (the
    batch-1 recurrent step, a GEMV: four independent accumulators); columns
    left over after whole tiles take single vectors, and fewer than `width`
    columns stay a linalg.matmul (scalar loops). Other matmuls are left
    alone. Row blocks go in chunks of 64 rows, column panel by column panel,
    so that each panel of B is reused from cache by the whole chunk; and K in
    slices whose 2-vector panel of B is 16 KiB, so that it is reused from L1.

    When B is (a static view of) a constant global, its whole vectors of
    columns are repacked at compile time into a new constant global
    `[N / width, K, width]`: every vector column of B is one contiguous
    stream (reading B row by row strides N floats per k, a new page every k
    for large N).

    When the op right before the matmul writes all of C (ops without memory
    effects aside) with a `linalg.fill`, a `linalg.broadcast` of a vector
    along the rows (an input projection's bias) or a `memref.copy` from
    another buffer (a step's slice of the input projection), the tiles
    start their sums from that value in the first slice of K, C is not
    read, and the op is erased: C is then written once instead of written,
    read and written again. Only where every column is in a vector tile (N
    a static multiple of the width) and K is static and positive.

    A matmul of at least `min-parallel-work` multiply-adds (or of dynamic
    size) is split into parts in an `scf.parallel`, for the context's
    threads (see seqc-outline-parallel-loops): 64-row chunks when M has at
    least two, otherwise panels of 8 vectors of columns (a recurrent step:
    each thread reads its own slice of the weights at every step). Below
    the threshold at run time there is one part.

    With `kernels=halide`, each part of a matmul whose C starts from a known
    value (above) is instead a call of a kernel that Halide generates when
    the model's object is built (lib/Kernels): `func.call
    @seqc_rt_halide_matmul(@kernel, A, B, init, scalar, C)` on the part's
    views, `@kernel` a declaration `@seqc_halide_matmul_k<K>[_scalar]`
    marked `seqc.halide_matmul = {k = K, scalar_init}`, its K a compile-time
    constant; B is not repacked. A bias row becomes an init matrix with row
    stride 0. Other matmuls keep the vector tiles. `kernels=auto` gives
    Halide the matmuls with constant weights of at least 2 MiB, where
    bench/ measured its kernels faster (see `preferHalide`). Constant
    weights are packed once per module, however many matmuls read them.
  }];
  let options = [
    Option<"width", "width", "int64_t", "8",
           "f32 lanes per vector register (4 SSE/NEON, 8 AVX2, 16 AVX-512)">,
    Option<"kernels", "kernels", "std::string", "\"mlir\"",
           "who writes the matmul kernels: mlir (vector tiles), halide "
           "(calls of Halide kernels), auto (per matmul)">,
    Option<"minWork", "min-parallel-work", "int64_t", "131072",
           "multiply-adds from which a matmul is split for threads "
           "(negative: never)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def SeqcParallelizeElementwise
    : Pass<"seqc-parallelize-elementwise", "::mlir::ModuleOp"> {
  let summary = "Large elementwise linalg ops on buffers split for threads";
  let description = [{
    A linalg op on buffers whose loops are all parallel, at least two of
    them (a recurrent step's gate math over [B, H], the bias broadcast over
    [T, B, 4H]), and of at least `min-parallel-work` iterations becomes an
    `scf.parallel` over its outermost loop whose body is the op on one slice
    (linalg tiling by 1 along the first loop); seqc-outline-parallel-loops
    then runs it on the context's threads, each thread a contiguous range of
    slices. Of dynamic size, the op is versioned: an `scf.if` on the
    iteration count runs the split op or the op as it was. Ops inside an
    `scf.parallel` are left alone.

    ```mlir
    linalg.generic {iterator_types = ["parallel", "parallel"]}
        ins(%a : memref<64x256xf32>) outs(%b : memref<64x256xf32>) {...}
    // becomes
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      %sa = memref.subview %a[%i, 0] [1, 256] [1, 1] : ...
      %sb = memref.subview %b[%i, 0] [1, 256] [1, 1] : ...
      linalg.generic ... ins(%sa : ...) outs(%sb : ...) {...}
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-parallel-work", "int64_t", "16384",
           "iterations from which an op is split for threads "
           "(negative: never)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::affine::AffineDialect"
  ];
}

def SeqcOutlineParallelLoops
    : Pass<"seqc-outline-parallel-loops", "::mlir::ModuleOp"> {
  let summary = "Run outermost 1-d scf.parallel loops on the context's threads";
  let description = [{
    Each outermost one-dimensional `scf.parallel` without reductions
    becomes a call of the runtime's worker pool,
    `seqc_rt_parallel_for(n, body, env)`, which runs `body(begin, end, env)`
    on one contiguous slice of the `n` iterations per thread. `body` is a
    new internal function with that C signature whose `scf.for` runs the
    loop's body for iterations `[begin, end)`. The values it reads from
    outside the loop travel in `env`, a struct on the caller's stack (one
    alloca in the entry block): memrefs as their LLVM descriptors (through
    `unrealized_conversion_cast`, resolved by the conversion to LLVM),
    index as i64, other scalars as themselves. Constants and
    `memref.get_global` are recomputed in the body instead. A body that
    allocates gets an i32 flag as env's first field, and it and the call
    are marked `seqc.out_of_memory_flag` for seqc-check-allocations, which
    makes a failed allocation the kernel's status.

    ```mlir
    scf.parallel (%i) = (%c0) to (%n) step (%c1) {
      memref.store %x, %buf[%i] : memref<?xf32>
    }
    // becomes
    %env = llvm.alloca %c1_i64 x !llvm.struct<(f32, struct<(ptr, ptr, i64,
        array<1 x i64>, array<1 x i64>)>)>      // at the function's entry
    llvm.store %x, ...; llvm.store %buf_descriptor, ...
    %f = func.constant @kernel_parallel : (i64, i64, !llvm.ptr) -> ()
    call @seqc_rt_parallel_for(%n_i64, %f, %env)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect"
  ];
}

def SeqcApproximateMath : Pass<"seqc-approximate-math"> {
  let summary = "f32 tanh and exp as inline polynomials that vectorise";
  let description = [{
    `math.tanh` and `math.exp` on f32 become MLIR's polynomial
    approximations (ordinary arith ops): LLVM vectorises the loops around
    them, where a libm call per element would stay scalar. These carry the
    gate activations of every recurrent cell (sigmoid is `1 / (1 + exp(-x))`).
    Measured error against float64 (test/e2e/test_activation_accuracy.py):
    see docs/performance.md. Other element types keep libm (f16 and bf16
    compute in f32 and are rounded afterwards anyway).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // SEQC_TRANSFORMS_PASSES
