//===- OnnxOps.td - ONNX operators seqc imports -*- tablegen -*-===//
//
// One op per ONNX operator type, named as ONNX names it. Constraints the
// verifiers check are named after the op (`lstm_c3`) in their messages, and
// the negative lit tests are named after the constraint.
//
//===----------------------------------------------------------------------===//

#ifndef SEQC_ONNX_OPS
#define SEQC_ONNX_OPS

include "dialects/onnx/OnnxDialect.td"
include "dialects/onnx/OnnxInterfaces.td"
include "dialects/onnx/OnnxTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// ONNX's integer attributes are signed int64 (axis = -1): read them as such.
// (ODS's I64Attr returns uint64_t.)
def Onnx_IntAttr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                "64-bit signed integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

// Every op's type and shape rule is its `inferReturnTypes` (ONNX's type and
// shape inference, written here rather than taken from libonnx). A result
// type needs only be compatible with the inferred one: it may be less
// static than what a later, more constant operand lets the rule infer.
// Ops whose result sizes at run time follow from their operands' sizes
// implement reifyResultShapes (ShapeReification.cpp).
def ReifyResultSizes
    : DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                                ["reifyResultShapes"]>;

// Ops whose results have the sizes of one operand: `SizesOf<"getX">.body`.
class SizesOf<string getter> {
  code body = [{
    ::llvm::LogicalResult $cppClass::reifyResultShapes(
        ::mlir::OpBuilder &b, ::mlir::ReifiedRankedShapedTypeDims &shapes) {
      return ::seqc::onnx::reifySameSizes(b, *this, }] # getter # [{(), shapes);
    }
  }];
}
defvar SizesOfInput = SizesOf<"getInput">.body;

class Onnx_Op<string mnemonic, int numInputs, list<Trait> traits = [],
              int numOutputs = 1>
    : Op<Onnx_Dialect, mnemonic,
         !listconcat(traits, [Pure, OnnxOpInterface, InferTypeOpAdaptor])> {
  // The ONNX inputs are the first `numInputs` arguments; the required ones
  // are those not declared Optional.
  int numRequiredInputs = !foldl(0, !range(numInputs), n, i, !add(n,
      !if(!isa<Optional>(!getdagarg<TypeConstraint>(arguments, i)), 0, 1)));
  let extraClassDeclaration = [{
    static unsigned getNumOnnxInputs() { return }] # numInputs # [{; }
    static unsigned getNumRequiredOnnxInputs() { return }]
        # numRequiredInputs # [{; }
    static unsigned getNumOnnxOutputs() { return }] # numOutputs # [{; }
    static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                        ::mlir::TypeRange actual) {
      return ::seqc::onnx::areCompatibleResultTypes(inferred, actual);
    }
  }];
}

// Ops whose operands are all required get a compact assembly format.
class Onnx_SimpleOp<string mnemonic, int numInputs, list<Trait> traits = []>
    : Onnx_Op<mnemonic, numInputs, traits> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Recurrent operators
//===----------------------------------------------------------------------===//

// Attributes all three recurrent ops share, with ONNX's defaults.
defvar RecurrentAttrs = (ins
  OptionalAttr<F32ArrayAttr>:$activation_alpha,
  OptionalAttr<F32ArrayAttr>:$activation_beta,
  OptionalAttr<StrArrayAttr>:$activations,
  OptionalAttr<F32Attr>:$clip,
  DefaultValuedStrAttr<StrAttr, "forward">:$direction,
  OptionalAttr<Onnx_IntAttr>:$hidden_size,
  DefaultValuedAttr<Onnx_IntAttr, "0">:$layout);

def Onnx_LSTMOp : Onnx_Op<"LSTM", 8, [AttrSizedOperandSegments], 3> {
  let summary = "ONNX LSTM: long short-term memory over a whole sequence";
  let description = [{
    Gates are laid out `[i, o, f, c]` in `W`, `R` and `B`; peepholes `P` are
    `[i, o, f]`. All three results always exist; an ONNX node that omits an
    output simply leaves that result unused.

    ```mlir
    %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r) {hidden_size = 4 : i64,
        operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>}
      : (tensor<5x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>)
      -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
    ```
  }];
  let arguments = !con((ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$R,
      Optional<AnyTensor>:$B, Optional<AnyTensor>:$sequence_lens,
      Optional<AnyTensor>:$initial_h, Optional<AnyTensor>:$initial_c,
      Optional<AnyTensor>:$P),
    RecurrentAttrs, (ins DefaultValuedAttr<Onnx_IntAttr, "0">:$input_forget));
  let results = (outs AnyTensor:$Y, AnyTensor:$Y_h, AnyTensor:$Y_c);
  let hasVerifier = 1;
}

def Onnx_GRUOp : Onnx_Op<"GRU", 6, [AttrSizedOperandSegments], 2> {
  let summary = "ONNX GRU: gated recurrent unit over a whole sequence";
  let description = [{
    Gates are laid out `[z, r, h]`. `linear_before_reset` applies the reset
    gate after the recurrent matrix product (PyTorch's formulation).
  }];
  let arguments = !con((ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$R,
      Optional<AnyTensor>:$B, Optional<AnyTensor>:$sequence_lens,
      Optional<AnyTensor>:$initial_h),
    RecurrentAttrs,
    (ins DefaultValuedAttr<Onnx_IntAttr, "0">:$linear_before_reset));
  let results = (outs AnyTensor:$Y, AnyTensor:$Y_h);
  let hasVerifier = 1;
}

def Onnx_RNNOp : Onnx_Op<"RNN", 6, [AttrSizedOperandSegments], 2> {
  let summary = "ONNX RNN: a simple (Elman) recurrent layer over a sequence";
  let arguments = !con((ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$R,
      Optional<AnyTensor>:$B, Optional<AnyTensor>:$sequence_lens,
      Optional<AnyTensor>:$initial_h),
    RecurrentAttrs);
  let results = (outs AnyTensor:$Y, AnyTensor:$Y_h);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

// The data-movement ops fold when their operands are constants (OnnxFolds.cpp),
// so that weights computed from initializers reach the lowering as constants.

def Onnx_ConstantOp : Onnx_Op<"Constant", 0, [ConstantLike]> {
  let summary = "ONNX Constant (one of value, value_float(s), value_int(s))";
  let arguments = (ins OptionalAttr<ElementsAttr>:$value,
                       OptionalAttr<F32Attr>:$value_float,
                       OptionalAttr<F32ArrayAttr>:$value_floats,
                       OptionalAttr<Onnx_IntAttr>:$value_int,
                       OptionalAttr<I64ArrayAttr>:$value_ints);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_IdentityOp : Onnx_SimpleOp<"Identity", 1, [ReifyResultSizes]> {
  let summary = "ONNX Identity";
  let extraClassDefinition = SizesOfInput;
  let arguments = (ins Onnx_AnyValue:$input);
  let results = (outs Onnx_AnyValue:$output);
  let hasFolder = 1;
}

def Onnx_SqueezeOp : Onnx_Op<"Squeeze", 2, [ReifyResultSizes]> {
  let summary = "ONNX Squeeze (axes as an input, as since opset 13)";
  let description = [{
    The importer turns the `axes` attribute of opsets before 13 into a
    constant input, so this op has one form.
  }];
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes);
  let results = (outs AnyTensor:$squeezed);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_UnsqueezeOp : Onnx_SimpleOp<"Unsqueeze", 2, [ReifyResultSizes]> {
  let summary = "ONNX Unsqueeze (axes as an input, as since opset 13)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$axes);
  let results = (outs AnyTensor:$expanded);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_TransposeOp : Onnx_SimpleOp<"Transpose", 1, [ReifyResultSizes]> {
  let summary = "ONNX Transpose";
  let arguments = (ins AnyTensor:$data, OptionalAttr<I64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_ExpandOp : Onnx_SimpleOp<"Expand", 2> {
  let summary = "ONNX Expand: the input broadcast with a shape (both ways)";
  let arguments = (ins AnyTensor:$input, AnyTensor:$shape);
  let results = (outs AnyTensor:$output);
}

def Onnx_FlattenOp : Onnx_SimpleOp<"Flatten", 1, [ReifyResultSizes]> {
  let summary = "ONNX Flatten: [prod(dims before axis), prod(dims from axis)]";
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$axis);
  let results = (outs AnyTensor:$output);
}

def Onnx_ReshapeOp : Onnx_SimpleOp<"Reshape", 2> {
  let summary = "ONNX Reshape (0 copies a dimension unless allowzero, -1 is inferred)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$shape,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_ConcatOp : Onnx_Op<"Concat", 1, [ReifyResultSizes]> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<AnyTensor>:$inputs, Onnx_IntAttr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_SliceOp : Onnx_Op<"Slice", 5, [AttrSizedOperandSegments]> {
  let summary = "ONNX Slice (starts/ends/axes/steps as inputs, as since opset 10)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$starts, AnyTensor:$ends,
                       Optional<AnyTensor>:$axes, Optional<AnyTensor>:$steps);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_GatherOp : Onnx_SimpleOp<"Gather", 2, [ReifyResultSizes]> {
  let summary = "ONNX Gather";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_ShapeOp : Onnx_SimpleOp<"Shape", 1> {
  let summary = "ONNX Shape (with the start/end of opset 15)";
  let arguments = (ins AnyTensor:$data, OptionalAttr<Onnx_IntAttr>:$start,
                       OptionalAttr<Onnx_IntAttr>:$end);
  let results = (outs AnyTensor:$shape);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

def Onnx_MatMulOp : Onnx_SimpleOp<"MatMul", 2, [ReifyResultSizes]> {
  let summary = "ONNX MatMul (numpy.matmul semantics, batch dims broadcast)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
  let hasVerifier = 1;
}

def Onnx_GemmOp : Onnx_Op<"Gemm", 3> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, Optional<AnyTensor>:$C,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$transA,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$transB);
  let results = (outs AnyTensor:$Y);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions: axes as an input (older opsets' attribute is moved there on
// import), constant; empty axes reduce everything unless
// noop_with_empty_axes.
//===----------------------------------------------------------------------===//

class Onnx_ReduceOp<string mnemonic>
    : Onnx_SimpleOp<mnemonic, 2, [ReifyResultSizes]> {
  let summary = "ONNX " # mnemonic;
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$keepdims,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::seqc::onnx::inferReduce(
          ::seqc::onnx::OpError(context, loc, getOperationName()),
          adaptor.getData(), adaptor.getAxes(), adaptor.getKeepdims(),
          adaptor.getNoopWithEmptyAxes(), types);
    }
    ::llvm::LogicalResult $cppClass::reifyResultShapes(
        ::mlir::OpBuilder &b, ::mlir::ReifiedRankedShapedTypeDims &shapes) {
      return ::seqc::onnx::reifyReduce(b, *this, getData(), getAxes(),
                                       getKeepdims() != 0,
                                       getNoopWithEmptyAxes() != 0, shapes);
    }
  }];
}
def Onnx_ReduceSumOp : Onnx_ReduceOp<"ReduceSum">;
def Onnx_ReduceMeanOp : Onnx_ReduceOp<"ReduceMean">;
def Onnx_ReduceMaxOp : Onnx_ReduceOp<"ReduceMax">;
def Onnx_ReduceMinOp : Onnx_ReduceOp<"ReduceMin">;
def Onnx_ReduceProdOp : Onnx_ReduceOp<"ReduceProd">;
def Onnx_ReduceL1Op : Onnx_ReduceOp<"ReduceL1">;
def Onnx_ReduceL2Op : Onnx_ReduceOp<"ReduceL2">;
def Onnx_ReduceSumSquareOp : Onnx_ReduceOp<"ReduceSumSquare">;
def Onnx_ReduceLogSumOp : Onnx_ReduceOp<"ReduceLogSum">;
def Onnx_ReduceLogSumExpOp : Onnx_ReduceOp<"ReduceLogSumExp">;

//===----------------------------------------------------------------------===//
// Generators: tensors made from a shape or from scalars
//===----------------------------------------------------------------------===//

def Onnx_ConstantOfShapeOp : Onnx_SimpleOp<"ConstantOfShape", 1> {
  let summary = "ONNX ConstantOfShape: `value` (one element, default float 0) "
                "repeated over the shape the input lists";
  let arguments = (ins AnyTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Onnx_RangeOp : Onnx_SimpleOp<"Range", 3> {
  let summary = "ONNX Range: start, start + delta, ... up to limit (excluded)";
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise operators: one line each. Their type rules are shared
// (seqc::onnx::inferSameType, inferBroadcast, verifySameElementTypes), and
// lib/Conversion/OnnxToSeq/Elementwise.cpp lowers them from one table.
//===----------------------------------------------------------------------===//

class Onnx_ElementwiseOp<string mnemonic, int numInputs, string infer,
                         string verify = "">
    : Onnx_SimpleOp<mnemonic, numInputs, [ReifyResultSizes]> {
  let summary = "ONNX " # mnemonic;
  let hasVerifier = !ne(verify, "");
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::seqc::onnx::}] # infer # [{(
          ::seqc::onnx::OpError(context, loc, getOperationName()),
          adaptor.getOperands(), types);
    }
    ::llvm::LogicalResult $cppClass::reifyResultShapes(
        ::mlir::OpBuilder &b, ::mlir::ReifiedRankedShapedTypeDims &shapes) {
      return ::seqc::onnx::reifyBroadcastResult(b, *this, shapes);
    }
  }] # !if(!ne(verify, ""), [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::seqc::onnx::}] # verify # [{(*this);
    }
  }], "");
}

// Y = f(X), of X's type; attributes are f's parameters.
class Onnx_UnaryOp<string mnemonic, dag attrs = (ins)>
    : Onnx_ElementwiseOp<mnemonic, 1, "inferSameType"> {
  let arguments = !con((ins AnyTensor:$X), attrs);
  let results = (outs AnyTensor:$Y);
}
def Onnx_SigmoidOp : Onnx_UnaryOp<"Sigmoid">;
def Onnx_TanhOp : Onnx_UnaryOp<"Tanh">;
def Onnx_ReluOp : Onnx_UnaryOp<"Relu">;
def Onnx_ExpOp : Onnx_UnaryOp<"Exp">;
def Onnx_LogOp : Onnx_UnaryOp<"Log">;
def Onnx_SqrtOp : Onnx_UnaryOp<"Sqrt">;
def Onnx_ReciprocalOp : Onnx_UnaryOp<"Reciprocal">;
def Onnx_ErfOp : Onnx_UnaryOp<"Erf">;
def Onnx_SinOp : Onnx_UnaryOp<"Sin">;
def Onnx_CosOp : Onnx_UnaryOp<"Cos">;
def Onnx_FloorOp : Onnx_UnaryOp<"Floor">;
def Onnx_CeilOp : Onnx_UnaryOp<"Ceil">;
def Onnx_RoundOp : Onnx_UnaryOp<"Round">;
def Onnx_AbsOp : Onnx_UnaryOp<"Abs">;
def Onnx_NegOp : Onnx_UnaryOp<"Neg"> { let hasFolder = 1; }
def Onnx_SignOp : Onnx_UnaryOp<"Sign">;
def Onnx_SoftplusOp : Onnx_UnaryOp<"Softplus">;
def Onnx_SoftsignOp : Onnx_UnaryOp<"Softsign">;
def Onnx_MishOp : Onnx_UnaryOp<"Mish">;
def Onnx_HardSwishOp : Onnx_UnaryOp<"HardSwish">;
def Onnx_LeakyReluOp : Onnx_UnaryOp<"LeakyRelu",
    (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def Onnx_EluOp : Onnx_UnaryOp<"Elu",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Onnx_SeluOp : Onnx_UnaryOp<"Selu",
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def Onnx_HardSigmoidOp : Onnx_UnaryOp<"HardSigmoid",
    (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def Onnx_GeluOp : Onnx_UnaryOp<"Gelu",
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)>;

// Along one axis (opset 13's definition; the importer adapts older models).
def Onnx_SoftmaxOp : Onnx_UnaryOp<"Softmax",
    (ins DefaultValuedAttr<Onnx_IntAttr, "-1">:$axis)>;
def Onnx_LogSoftmaxOp : Onnx_UnaryOp<"LogSoftmax",
    (ins DefaultValuedAttr<Onnx_IntAttr, "-1">:$axis)>;

// C = A op B with numpy broadcasting; A and B of one element type.
class Onnx_BinaryOp<string mnemonic>
    : Onnx_ElementwiseOp<mnemonic, 2, "inferBroadcast",
                         "verifySameElementTypes"> {
  let summary = "ONNX " # mnemonic # " (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
}
def Onnx_AddOp : Onnx_BinaryOp<"Add"> { let hasFolder = 1; }
def Onnx_PReluOp : Onnx_BinaryOp<"PRelu">;

// fmod 0 is the modulo with the divisor's sign (Python's %), fmod 1 C's.
def Onnx_ModOp : Onnx_ElementwiseOp<"Mod", 2, "inferBroadcast",
                                    "verifySameElementTypes"> {
  let summary = "ONNX Mod (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$fmod);
  let results = (outs AnyTensor:$C);
}

// BitShift: direction LEFT or RIGHT (arithmetic for signed types); a shift
// out of [0, bit width) gives 0, or -1 for a negative value shifted right.
def Onnx_BitShiftOp : Onnx_ElementwiseOp<"BitShift", 2, "inferBroadcast",
                                         "verifySameElementTypes"> {
  let summary = "ONNX BitShift (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y, StrAttr:$direction);
  let results = (outs AnyTensor:$Z);
}

// min and max are optional scalars (attributes before opset 11: the
// importer moves them to inputs).
def Onnx_ClipOp : Onnx_Op<"Clip", 3, [AttrSizedOperandSegments,
                                      ReifyResultSizes]> {
  let summary = "ONNX Clip: min(max(input, min), max)";
  let extraClassDefinition = SizesOfInput;
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$min,
                       Optional<AnyTensor>:$max);
  let results = (outs AnyTensor:$output);
}

// At inference the output is the input and the mask all true; in training
// mode the mask is drawn from MT19937 seeded with `seed`
// (lib/Conversion/OnnxToSeq/Dropout.cpp).
def Onnx_DropoutOp : Onnx_Op<"Dropout", 3, [AttrSizedOperandSegments], 2> {
  let summary = "ONNX Dropout";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$ratio,
                       Optional<AnyTensor>:$training_mode,
                       OptionalAttr<Onnx_IntAttr>:$seed);
  let results = (outs AnyTensor:$output, AnyTensor:$mask);
}
def Onnx_SubOp : Onnx_BinaryOp<"Sub"> { let hasFolder = 1; }
def Onnx_MulOp : Onnx_BinaryOp<"Mul"> { let hasFolder = 1; }
def Onnx_DivOp : Onnx_BinaryOp<"Div"> { let hasFolder = 1; }

// Z = X ^ Y: the exponent may have another numeric type than the base; Z
// has the base's.
def Onnx_PowOp : Onnx_ElementwiseOp<"Pow", 2, "inferBroadcast"> {
  let summary = "ONNX Pow (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$Z);
}

// C = A cmp B with numpy broadcasting: bool.
class Onnx_ComparisonOp<string mnemonic>
    : Onnx_ElementwiseOp<mnemonic, 2, "inferBroadcastToBool",
                         "verifySameElementTypes"> {
  let summary = "ONNX " # mnemonic # " (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
}
def Onnx_EqualOp : Onnx_ComparisonOp<"Equal"> { let hasFolder = 1; }
def Onnx_LessOp : Onnx_ComparisonOp<"Less">;
def Onnx_GreaterOp : Onnx_ComparisonOp<"Greater">;
def Onnx_LessOrEqualOp : Onnx_ComparisonOp<"LessOrEqual">;
def Onnx_GreaterOrEqualOp : Onnx_ComparisonOp<"GreaterOrEqual">;

// Logical operators on bool tensors.
def Onnx_AndOp : Onnx_BinaryOp<"And">;
def Onnx_OrOp : Onnx_BinaryOp<"Or">;
def Onnx_XorOp : Onnx_BinaryOp<"Xor">;
def Onnx_NotOp : Onnx_UnaryOp<"Not"> { let hasFolder = 1; }

def Onnx_IsNaNOp : Onnx_ElementwiseOp<"IsNaN", 1, "inferSameShapeBool"> {
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

// output = condition ? X : Y, the three broadcast together.
def Onnx_WhereOp : Onnx_ElementwiseOp<"Where", 3, "inferWhere", "verifyWhere"> {
  let summary = "ONNX Where (multidirectional broadcasting)";
  let arguments = (ins AnyTensor:$condition, AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$output);
}

// Conversions between element types: `to` names a TensorProto data type;
// CastLike takes target_type's. saturate concerns the 8-bit float formats
// (out of range: the largest finite value, or infinity/NaN), round_mode only
// FLOAT8E8M0 (up, down or nearest).
def Onnx_CastOp : Onnx_SimpleOp<"Cast", 1, [ReifyResultSizes]> {
  let summary = "ONNX Cast";
  let extraClassDefinition = SizesOfInput;
  let arguments = (ins AnyTensor:$input, Onnx_IntAttr:$to,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$saturate,
                       DefaultValuedStrAttr<StrAttr, "up">:$round_mode);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}
def Onnx_CastLikeOp : Onnx_SimpleOp<"CastLike", 2, [ReifyResultSizes]> {
  let summary = "ONNX CastLike";
  let extraClassDefinition = SizesOfInput;
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$saturate,
                       DefaultValuedStrAttr<StrAttr, "up">:$round_mode);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
}

// BitCast: the same bits as TensorProto type `to`, of the same width.
def Onnx_BitCastOp : Onnx_SimpleOp<"BitCast", 1, [ReifyResultSizes]> {
  let summary = "ONNX BitCast";
  let extraClassDefinition = SizesOfInput;
  let arguments = (ins AnyTensor:$input, Onnx_IntAttr:$to);
  let results = (outs AnyTensor:$output);
}

// One or more inputs of one element type, broadcast together.
class Onnx_VariadicOp<string mnemonic>
    : Onnx_ElementwiseOp<mnemonic, 1, "inferBroadcast",
                         "verifySameElementTypes"> {
  let summary = "ONNX " # mnemonic # " of its inputs (multidirectional broadcasting)";
  let arguments = (ins Variadic<AnyTensor>:$data_0);
  let results = (outs AnyTensor:$result);
}
def Onnx_MinOp : Onnx_VariadicOp<"Min">;
def Onnx_MaxOp : Onnx_VariadicOp<"Max">;
def Onnx_SumOp : Onnx_VariadicOp<"Sum">;
def Onnx_MeanOp : Onnx_VariadicOp<"Mean">;


//===----------------------------------------------------------------------===//
// Convolution and padding
//===----------------------------------------------------------------------===//

def Onnx_ConvOp : Onnx_Op<"Conv", 3, [ReifyResultSizes]> {
  let summary = "ONNX Conv over 1, 2 or 3 spatial dimensions (N, C, D...)";
  let description = [{
    Grouped, strided and dilated; `pads` lists the begins then the ends, and
    `auto_pad` (SAME_UPPER, SAME_LOWER, VALID) replaces them. The kernel shape
    is W's, which must be static.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let hasVerifier = 1;
}

def Onnx_ConvTransposeOp : Onnx_Op<"ConvTranspose", 3> {
  let summary = "ONNX ConvTranspose over 1, 2 or 3 spatial dimensions";
  let description = [{
    The gradient of Conv: W is [C, M/group, k...]. `output_shape` (which
    needs static spatial input sizes) or `auto_pad` SAME_* decide the pads;
    `output_padding` adds zeros at the end of each spatial dimension.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                       DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$output_padding,
                       OptionalAttr<I64ArrayAttr>:$output_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let hasVerifier = 1;
}

def Onnx_ResizeOp : Onnx_Op<"Resize", 4, [AttrSizedOperandSegments]> {
  let summary = "ONNX Resize: nearest, linear and cubic interpolation";
  let description = [{
    One of `scales` and `sizes` gives the output's size along `axes` (all
    dimensions without it); either may be known only at run time, except
    where `keep_aspect_ratio_policy` or `antialias` needs it at compile time.
    `roi` matters to tf_crop_and_resize only, and must then be a constant.
    The importer builds it also from Resize-10 and Upsample (asymmetric
    coordinates, nearest rounding down).
  }];
  let arguments = (ins AnyTensor:$X, Optional<AnyTensor>:$roi,
      Optional<AnyTensor>:$scales, Optional<AnyTensor>:$sizes,
      DefaultValuedAttr<Onnx_IntAttr, "0">:$antialias,
      OptionalAttr<I64ArrayAttr>:$axes,
      DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
      DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
      DefaultValuedAttr<Onnx_IntAttr, "0">:$exclude_outside,
      DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
      DefaultValuedStrAttr<StrAttr, "stretch">:$keep_aspect_ratio_policy,
      DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
      DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode);
  let results = (outs AnyTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Spectral operators (lib/Conversion/OnnxToSeq/Spectral.cpp)
//===----------------------------------------------------------------------===//

def Onnx_DFTOp : Onnx_Op<"DFT", 3, [AttrSizedOperandSegments]> {
  let summary = "ONNX DFT (opset 20 form: axis as an input)";
  let description = [{
    Along `axis` (a scalar, constant or read at run time; -2 without it) of
    a real ([..., 1]) or complex ([..., 2]) input. `dft_length` zero-pads or
    truncates the signal; `onesided` keeps the first N/2 + 1 bins, and with
    `inverse` takes a one-sided spectrum to a real signal (irfft). The
    importer moves opset 17's `axis` attribute into the input.
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$dft_length,
                       Optional<AnyTensor>:$axis,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$inverse,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$onesided);
  let results = (outs AnyTensor:$output);
}

def Onnx_STFTOp : Onnx_Op<"STFT", 4, [AttrSizedOperandSegments]> {
  let summary = "ONNX STFT: windowed DFTs of frames of a [batch, length, 1 "
                "or 2] signal";
  let arguments = (ins AnyTensor:$signal, AnyTensor:$frame_step,
                       Optional<AnyTensor>:$window,
                       Optional<AnyTensor>:$frame_length,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$onesided);
  let results = (outs AnyTensor:$output);
}

// HannWindow, HammingWindow and BlackmanWindow: `size` values of the window,
// of TensorProto type `output_datatype`.
class Onnx_WindowOp<string mnemonic> : Onnx_SimpleOp<mnemonic, 1> {
  let summary = "ONNX " # mnemonic # " (periodic or symmetric)";
  let arguments = (ins AnyTensor:$size,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$output_datatype,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$periodic);
  let results = (outs AnyTensor:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::seqc::onnx::inferWindow(
          ::seqc::onnx::OpError(context, loc, getOperationName()),
          adaptor.getSize(), adaptor.getOutputDatatype(), types);
    }
  }];
}
def Onnx_HannWindowOp : Onnx_WindowOp<"HannWindow">;
def Onnx_HammingWindowOp : Onnx_WindowOp<"HammingWindow">;
def Onnx_BlackmanWindowOp : Onnx_WindowOp<"BlackmanWindow">;

// MelWeightMatrix: the [dft_length / 2 + 1, num_mel_bins] triangular filters
// that map a one-sided spectrum onto mel bins, as ONNX's reference computes
// them; of TensorProto type `output_datatype`.
def Onnx_MelWeightMatrixOp : Onnx_SimpleOp<"MelWeightMatrix", 5> {
  let summary = "ONNX MelWeightMatrix";
  let arguments = (ins AnyTensor:$num_mel_bins, AnyTensor:$dft_length,
                       AnyTensor:$sample_rate, AnyTensor:$lower_edge_hertz,
                       AnyTensor:$upper_edge_hertz,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$output_datatype);
  let results = (outs AnyTensor:$output);
}

def Onnx_PadOp : Onnx_Op<"Pad", 4, [AttrSizedOperandSegments]> {
  let summary = "ONNX Pad (pads, constant_value and axes as inputs, as since "
                "opset 18)";
  let description = [{
    `mode` is constant, reflect, edge or wrap. The importer moves the `pads`
    and `value` attributes of opsets before 11 into inputs. Negative pads
    crop.
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$pads,
                       Optional<AnyTensor>:$constant_value,
                       Optional<AnyTensor>:$axes,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
}

def Onnx_SizeOp : Onnx_SimpleOp<"Size", 1> {
  let summary = "ONNX Size: the number of elements, an int64 scalar";
  let arguments = (ins AnyTensor:$data);
  let results = (outs AnyTensor:$size);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Control flow. Not ONNX nodes of the importer's generic path: the importer
// builds them from a node's subgraphs (OnnxImporter.cpp).
//===----------------------------------------------------------------------===//

// Their result types follow from their bodies (the rules are in
// OnnxShapeInference.cpp, beside the other ops').
class Onnx_ControlFlowOp<string mnemonic, list<Trait> traits>
    : Op<Onnx_Dialect, mnemonic,
         !listconcat(traits, [RecursiveMemoryEffects, InferTypeOpAdaptor])> {
  code compatibleResultTypes = [{
    static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                        ::mlir::TypeRange actual) {
      return ::seqc::onnx::areCompatibleResultTypes(inferred, actual);
    }
  }];
  let extraClassDeclaration = compatibleResultTypes;
}

def Onnx_IfOp : Onnx_ControlFlowOp<"If", [NoRegionArguments]> {
  let summary = "ONNX If: one of two subgraphs, chosen by a bool scalar";
  let description = [{
    Each branch is one block ending in `onnx.yield`. A result's type joins
    the branches' types: a dimension they disagree on is dynamic. Branches
    whose results differ in rank or element type are refused by the
    importer, unless the condition is known at compile time, in which case
    only the chosen branch is imported.
  }];
  let arguments = (ins AnyTensor:$cond);
  let results = (outs Variadic<Onnx_AnyValue>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $cond `:` type($cond) (`->` type($outputs)^)? `then` $then_branch
    `else` $else_branch attr-dict
  }];
  let hasVerifier = 1;
}

def Onnx_ScanOp : Onnx_ControlFlowOp<"Scan", [AttrSizedOperandSegments]> {
  let summary = "ONNX Scan (opset 9 on): a body run once per step of the "
                "scan inputs, carrying states";
  let description = [{
    The body's block arguments are the states (typed as `inits`), then one
    step of each scan input (the input without its scan axis); it yields
    the next states, then one step of each scan output. Results: the final
    states, then the step outputs stacked along their scan axes. Axes and
    directions are attributes with ONNX's defaults (axis 0, forward).
  }];
  let arguments = (ins Variadic<AnyTensor>:$inits,
                       Variadic<AnyTensor>:$scan_inputs,
                       OptionalAttr<I64ArrayAttr>:$scan_input_axes,
                       OptionalAttr<I64ArrayAttr>:$scan_input_directions,
                       OptionalAttr<I64ArrayAttr>:$scan_output_axes,
                       OptionalAttr<I64ArrayAttr>:$scan_output_directions);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `inits` `(` $inits `:` type($inits) `)`
    `scan_inputs` `(` $scan_inputs `:` type($scan_inputs) `)`
    (`->` type($outputs)^)? $body attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = compatibleResultTypes # [{
    unsigned getNumStates() { return getInits().size(); }
    /// Attribute `list`'s entry i, or `fallback` without the attribute.
    static int64_t getEntry(std::optional<::mlir::ArrayAttr> list,
                            unsigned i, int64_t fallback) {
      return list ? ::llvm::cast<::mlir::IntegerAttr>((*list)[i]).getInt()
                  : fallback;
    }
  }];
}

def Onnx_LoopOp : Onnx_ControlFlowOp<"Loop", [AttrSizedOperandSegments]> {
  let summary = "ONNX Loop: a body run while the iteration count is below "
                "`max_trip_count` and the condition holds";
  let description = [{
    The body's block arguments are the iteration number (int64 scalar), the
    condition (bool scalar) and the loop-carried values (typed as their
    initial values); it yields the next condition, the next loop-carried
    values, then one step of each scan output. Results: the final
    loop-carried values, then the scan outputs stacked along a new first
    dimension.
  }];
  let arguments = (ins Optional<AnyTensor>:$max_trip_count,
                       Optional<AnyTensor>:$cond,
                       Variadic<Onnx_AnyValue>:$inits);
  let results = (outs Variadic<Onnx_AnyValue>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max_trip_count` `(` $max_trip_count^ `:` type($max_trip_count) `)`)?
    (`cond` `(` $cond^ `:` type($cond) `)`)?
    `inits` `(` $inits `:` type($inits) `)`
    (`->` type($outputs)^)? $body attr-dict
  }];
}

def Onnx_RefineShapeOp : Op<Onnx_Dialect, "refine_shape", [Pure]> {
  let summary = "A subgraph output at the sizes the model declares for it";
  let description = [{
    A subgraph may declare an output more precisely than inference finds
    it: a Loop body's scan output that slices one element at the iteration
    number is `?` to inference and `1` in the model. The importer keeps the
    declared sizes with this op, so that the outputs stack into a tensor of
    known step shape; the lowering checks them at run time.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Onnx_BranchErrorOp : Op<Onnx_Dialect, "branch_error", []> {
  let summary = "An If branch that cannot run on these input shapes";
  let description = [{
    ONNX fails an If branch only when it is taken. A branch the importer
    cannot type for the compiled input shapes (the 8 kHz branch of a model
    specialised to 16 kHz chunks) becomes this op: taking it reports
    `message` at run time. Its results only give the branch its types.
  }];
  let arguments = (ins StrAttr:$message);
  let results = (outs Variadic<Onnx_AnyValue>:$outputs);
  let assemblyFormat = "$message attr-dict (`:` type($outputs)^)?";
}

def Onnx_YieldOp : Op<Onnx_Dialect, "yield", [Pure, Terminator,
                                               ParentOneOf<["IfOp", "ScanOp", "LoopOp"]>]> {
  let summary = "The outputs of an onnx.If branch or an onnx.Scan or "
                "onnx.Loop body";
  let arguments = (ins Variadic<Onnx_AnyValue>:$outputs);
  let assemblyFormat = "($outputs^ `:` type($outputs))? attr-dict";
}

//===----------------------------------------------------------------------===//
// Sequences and optionals. Their results are typed by their rules (the
// importer builds them with placeholder types first); onnx-expand-sequences
// rewrites them into tensor ops.
//===----------------------------------------------------------------------===//

def Onnx_SequenceEmptyOp : Onnx_SimpleOp<"SequenceEmpty", 0> {
  let summary = "ONNX SequenceEmpty: no elements, of element type `dtype` "
                "(float by default)";
  let arguments = (ins OptionalAttr<Onnx_IntAttr>:$dtype);
  let results = (outs Onnx_AnyValue:$output);
}

def Onnx_SequenceConstructOp : Onnx_SimpleOp<"SequenceConstruct", 1> {
  let summary = "ONNX SequenceConstruct: a sequence of the inputs, in order";
  let arguments = (ins Variadic<AnyTensor>:$inputs);
  let results = (outs Onnx_AnyValue:$output_sequence);
}

def Onnx_SequenceInsertOp : Onnx_SimpleOp<"SequenceInsert", 3> {
  let summary = "ONNX SequenceInsert: `tensor` inserted before `position` "
                "(in [-n, n]; at the end when absent)";
  let arguments = (ins Onnx_SequenceType:$input_sequence, AnyTensor:$tensor,
                       Optional<AnyTensor>:$position);
  let results = (outs Onnx_AnyValue:$output_sequence);
}

def Onnx_SequenceAtOp : Onnx_SimpleOp<"SequenceAt", 2> {
  let summary = "ONNX SequenceAt: the element at `position` (in [-n, n-1])";
  let description = [{
    The elements' rank must be known at compile time: seqc compiles every
    tensor at a known rank.
  }];
  let arguments = (ins Onnx_SequenceType:$input_sequence, AnyTensor:$position);
  let results = (outs AnyTensor:$tensor);
}

def Onnx_SequenceLengthOp : Onnx_SimpleOp<"SequenceLength", 1> {
  let summary = "ONNX SequenceLength: the number of elements (int64 scalar)";
  let arguments = (ins Onnx_SequenceType:$input_sequence);
  let results = (outs AnyTensor:$length);
}

def Onnx_SequenceEraseOp : Onnx_SimpleOp<"SequenceErase", 2> {
  let summary = "ONNX SequenceErase: without the element at `position` (in "
                "[-n, n-1]; the last when absent)";
  let arguments = (ins Onnx_SequenceType:$input_sequence,
                       Optional<AnyTensor>:$position);
  let results = (outs Onnx_AnyValue:$output_sequence);
}

def Onnx_OptionalOp : Onnx_SimpleOp<"Optional", 1> {
  let summary = "ONNX Optional: `input`, or nothing of type `type`";
  let arguments = (ins Optional<Onnx_AnyValue>:$input,
                       OptionalAttr<TypeAttr>:$type);
  let results = (outs Onnx_AnyValue:$output);
}

def Onnx_OptionalHasElementOp : Onnx_SimpleOp<"OptionalHasElement", 1> {
  let summary = "ONNX OptionalHasElement: whether `input` holds a value (a "
                "tensor or a sequence always does, no input never)";
  let arguments = (ins Optional<Onnx_AnyValue>:$input);
  let results = (outs AnyTensor:$output);
}

def Onnx_OptionalGetElementOp : Onnx_SimpleOp<"OptionalGetElement", 1> {
  let summary = "ONNX OptionalGetElement: the value an optional holds (an "
                "error at run time when it holds none); a tensor or a "
                "sequence as it is";
  let arguments = (ins Onnx_AnyValue:$input);
  let results = (outs Onnx_AnyValue:$output);
}

//===----------------------------------------------------------------------===//
// Normalisation (inference)
//===----------------------------------------------------------------------===//

def Onnx_LayerNormalizationOp : Onnx_Op<"LayerNormalization", 3, [], 3> {
  let summary = "ONNX LayerNormalization over the dimensions from `axis` on";
  let description = [{
    Y = (X - mean) * InvStdDev * Scale + B, Scale and B broadcast to the
    normalised dimensions; Mean and InvStdDev keep X's rank with 1s from
    `axis` on. Statistics are computed in float32 (stash_type 1) or, for
    float64 inputs, in float64.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Scale, Optional<AnyTensor>:$B,
                       DefaultValuedAttr<Onnx_IntAttr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y, AnyTensor:$Mean, AnyTensor:$InvStdDev);
}

def Onnx_BatchNormalizationOp : Onnx_Op<"BatchNormalization", 5, [], 3> {
  let summary = "ONNX BatchNormalization: with the running statistics, or "
                "the batch's (training_mode 1)";
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$B,
                       AnyTensor:$input_mean, AnyTensor:$input_var,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$training_mode,
                       OptionalAttr<Onnx_IntAttr>:$spatial,
                       OptionalAttr<Onnx_IntAttr>:$is_test,
                       OptionalAttr<Onnx_IntAttr>:$consumed_inputs);
  let results = (outs AnyTensor:$Y, AnyTensor:$running_mean,
                      AnyTensor:$running_var);
}

def Onnx_InstanceNormalizationOp
    : Onnx_Op<"InstanceNormalization", 3, [ReifyResultSizes]> {
  let extraClassDefinition = SizesOf<"getInput">.body;
  let summary = "ONNX InstanceNormalization: per sample and channel, over "
                "the spatial dimensions";
  let arguments = (ins AnyTensor:$input, AnyTensor:$scale, AnyTensor:$B,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon);
  let results = (outs AnyTensor:$output);
}

//===----------------------------------------------------------------------===//
// Pooling and arg-reductions
//===----------------------------------------------------------------------===//

// Attributes MaxPool and AveragePool share with Conv's window.
defvar PoolAttrs = (ins
  DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
  DefaultValuedAttr<Onnx_IntAttr, "0">:$ceil_mode,
  OptionalAttr<I64ArrayAttr>:$dilations,
  I64ArrayAttr:$kernel_shape,
  OptionalAttr<I64ArrayAttr>:$pads,
  OptionalAttr<I64ArrayAttr>:$strides);

def Onnx_MaxPoolOp : Onnx_Op<"MaxPool", 1, [ReifyResultSizes], 2> {
  let summary = "ONNX MaxPool (the Indices output is not supported)";
  let arguments = !con((ins AnyTensor:$X), PoolAttrs,
      (ins DefaultValuedAttr<Onnx_IntAttr, "0">:$storage_order));
  let results = (outs AnyTensor:$Y, AnyTensor:$Indices);
}

def Onnx_AveragePoolOp : Onnx_Op<"AveragePool", 1, [ReifyResultSizes]> {
  let summary = "ONNX AveragePool";
  let arguments = !con((ins AnyTensor:$X), PoolAttrs,
      (ins DefaultValuedAttr<Onnx_IntAttr, "0">:$count_include_pad));
  let results = (outs AnyTensor:$Y);
}

def Onnx_GlobalAveragePoolOp : Onnx_SimpleOp<"GlobalAveragePool", 1,
                                               [ReifyResultSizes]> {
  let summary = "ONNX GlobalAveragePool: the mean over the spatial dimensions";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}
def Onnx_GlobalMaxPoolOp : Onnx_SimpleOp<"GlobalMaxPool", 1,
                                           [ReifyResultSizes]> {
  let summary = "ONNX GlobalMaxPool: the maximum over the spatial dimensions";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

class Onnx_ArgOp<string mnemonic>
    : Onnx_SimpleOp<mnemonic, 1, [ReifyResultSizes]> {
  let summary = "ONNX " # mnemonic # ": int64 indices along one axis";
  let arguments = (ins AnyTensor:$data,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$axis,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$keepdims,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$select_last_index);
  let results = (outs AnyTensor:$reduced);
}
def Onnx_ArgMaxOp : Onnx_ArgOp<"ArgMax">;
def Onnx_ArgMinOp : Onnx_ArgOp<"ArgMin">;

//===----------------------------------------------------------------------===//
// Indexing, tiling and rearranging
//===----------------------------------------------------------------------===//

def Onnx_TileOp : Onnx_SimpleOp<"Tile", 2> {
  let summary = "ONNX Tile: the input repeated `repeats` times per dimension";
  let arguments = (ins AnyTensor:$input, AnyTensor:$repeats);
  let results = (outs AnyTensor:$output);
}

// Variadic outputs: as many as the node lists (getNumOnnxOutputs is 0).
def Onnx_SplitOp : Onnx_Op<"Split", 2, [], 0> {
  let summary = "ONNX Split: parts along one axis, sizes from `split` or equal "
                "(the last one smaller with num_outputs)";
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$split,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$axis,
                       OptionalAttr<Onnx_IntAttr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let hasVerifier = 1;
}

def Onnx_GatherElementsOp
    : Onnx_SimpleOp<"GatherElements", 2, [ReifyResultSizes]> {
  let extraClassDefinition = SizesOf<"getIndices">.body;
  let summary = "ONNX GatherElements: data at `indices` along one axis";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$axis);
  let results = (outs AnyTensor:$output);
}

def Onnx_GatherNDOp : Onnx_SimpleOp<"GatherND", 2> {
  let summary = "ONNX GatherND: slices of data at the index tuples of the "
                "last dimension of `indices`";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$batch_dims);
  let results = (outs AnyTensor:$output);
}

def Onnx_ScatterElementsOp
    : Onnx_SimpleOp<"ScatterElements", 3, [ReifyResultSizes]> {
  let extraClassDefinition = SizesOf<"getData">.body;
  let summary = "ONNX ScatterElements: data with `updates` written (or "
                "combined by `reduction`) at `indices` along one axis";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
}

def Onnx_ScatterNDOp : Onnx_SimpleOp<"ScatterND", 3, [ReifyResultSizes]> {
  let extraClassDefinition = SizesOf<"getData">.body;
  let summary = "ONNX ScatterND: data with slices of `updates` written (or "
                "combined by `reduction`) at index tuples";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
}

def Onnx_OneHotOp : Onnx_SimpleOp<"OneHot", 3> {
  let summary = "ONNX OneHot: values[1] where the position along `axis` is "
                "the index, values[0] elsewhere";
  let arguments = (ins AnyTensor:$indices, AnyTensor:$depth, AnyTensor:$values,
                       DefaultValuedAttr<Onnx_IntAttr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
}

def Onnx_CumSumOp : Onnx_SimpleOp<"CumSum", 2, [ReifyResultSizes]> {
  let extraClassDefinition = SizesOf<"getX">.body;
  let summary = "ONNX CumSum along one axis (exclusive, reverse)";
  let arguments = (ins AnyTensor:$x, AnyTensor:$axis,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$exclusive,
                       DefaultValuedAttr<Onnx_IntAttr, "0">:$reverse);
  let results = (outs AnyTensor:$y);
}

def Onnx_DepthToSpaceOp : Onnx_SimpleOp<"DepthToSpace", 1> {
  let summary = "ONNX DepthToSpace (DCR or CRD)";
  let arguments = (ins AnyTensor:$input, Onnx_IntAttr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs AnyTensor:$output);
}

def Onnx_SpaceToDepthOp : Onnx_SimpleOp<"SpaceToDepth", 1> {
  let summary = "ONNX SpaceToDepth (DCR or CRD)";
  let arguments = (ins AnyTensor:$input, Onnx_IntAttr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs AnyTensor:$output);
}

def Onnx_EinsumOp : Onnx_Op<"Einsum", 1> {
  let summary = "ONNX Einsum: a contraction written as subscripts";
  let arguments = (ins Variadic<AnyTensor>:$Inputs, StrAttr:$equation);
  let results = (outs AnyTensor:$Output);
  let assemblyFormat = "$Inputs attr-dict `:` functional-type($Inputs, results)";
}

def Onnx_TopKOp : Onnx_Op<"TopK", 2, [], 2> {
  let summary = "ONNX TopK: the K largest (or smallest) along one axis, with "
                "their indices";
  let arguments = (ins AnyTensor:$X, AnyTensor:$K,
                       DefaultValuedAttr<Onnx_IntAttr, "-1">:$axis,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$largest,
                       DefaultValuedAttr<Onnx_IntAttr, "1">:$sorted);
  let results = (outs AnyTensor:$Values, AnyTensor:$Indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // SEQC_ONNX_OPS
