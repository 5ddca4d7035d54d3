//===- DataMovement.cpp - ONNX shape and data-movement ops to tensor/linalg
//===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

/// Element `i` of a 1-D integer tensor as an index value.
Value extractIndex(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  Value pos = arith::ConstantIndexOp::create(b, loc, i);
  Value element = tensor::ExtractOp::create(b, loc, tensor, pos);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), element);
}

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

struct ConstantLowering : OpConversionPattern<onnx::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TypedAttr value = convertToStorage(onnx::getConstantValue(op));
    if (!value)
      return op.emitOpError("cannot hold this constant's elements");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<onnx::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // An Identity may also retype its input to a compatible, less static
    // type (onnx-expand-sequences does).
    Type type = onnx::getStorageType(op.getType());
    Value input = adaptor.getInput();
    if (input.getType() != type)
      input = tensor::CastOp::create(rewriter, op.getLoc(), type, input);
    rewriter.replaceOp(op, input);
    return success();
  }
};

/// Axes normalised to [0, rank).
SmallVector<int64_t> normalizedAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t a : axes)
    result.push_back(a < 0 ? a + rank : a);
  return result;
}

/// Axes read at run time (Squeeze, Unsqueeze): each normalised into [0,
/// rank), checked to be in range and distinct.
static SmallVector<Value> readRuntimeAxes(OpBuilder &b, Location loc,
                                          Value axes, int64_t rank,
                                          StringRef opName) {
  auto type = cast<RankedTensorType>(axes.getType());
  auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  SmallVector<Value> values;
  for (int64_t k = 0; k < type.getDimSize(0); ++k) {
    Value raw = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        tensor::ExtractOp::create(b, loc, axes, ValueRange{index(k)}));
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, raw, index(0));
    Value axis = arith::SelectOp::create(
        b, loc, negative, arith::AddIOp::create(b, loc, raw, index(rank)), raw);
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, axis, index(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis,
                              index(rank)));
    checkCondition(b, loc, inRange, opName + "'s axis is out of range");
    for (Value earlier : values)
      checkCondition(b, loc,
                     arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                           axis, earlier),
                     opName + "'s axes repeat");
    values.push_back(axis);
  }
  return values;
}

/// Whether dimension `d` is one of `axes`, and how many of them are below
/// it (index values).
static std::pair<Value, Value> locateAmongAxes(OpBuilder &b, Location loc,
                                               ArrayRef<Value> axes, int64_t d) {
  Value position = arith::ConstantIndexOp::create(b, loc, d);
  Value isAxis = arith::ConstantIntOp::create(b, loc, 0, 1);
  Value below = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (Value axis : axes) {
    isAxis = arith::OrIOp::create(
        b, loc, isAxis,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, axis, position));
    Value less =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis, position);
    below = arith::AddIOp::create(
        b, loc, below,
        arith::SelectOp::create(b, loc, less, one,
                                arith::ConstantIndexOp::create(b, loc, 0)));
  }
  return {isAxis, below};
}

/// Squeeze: a reshape to the input's sizes without the squeezed dimensions
/// (the `axes`, or every static 1 without them); a dynamic dimension it
/// removes is checked to be 1 at run time.
struct SqueezeLowering : OpConversionPattern<onnx::SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    SmallVector<int64_t> axes;
    auto type = getStorageTensorType(op.getResult());
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> constant =
          onnx::getConstantInts(op.getAxes());
      if (!constant) {
        rewriter.replaceOp(op, squeezeAtRunTime(rewriter, loc, data,
                                                adaptor.getAxes(), type));
        return success();
      }
      axes = normalizedAxes(*constant, inType.getRank());
    } else
      for (int64_t i = 0; i < inType.getRank(); ++i)
        if (inType.getDimSize(i) == 1)
          axes.push_back(i);
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      if (!llvm::is_contained(axes, i))
        sizes.push_back(inSizes[i]);
      else
        checkSizesEqual(rewriter, loc, inSizes[i], rewriter.getIndexAttr(1),
                        "Squeeze removes dimension " + Twine(i) +
                            ", which is not 1");
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, data, type, sizes));
    return success();
  }

  /// Output size j is that of the j-th kept input dimension d: the one not
  /// among the axes with d - (axes below d) = j.
  static Value squeezeAtRunTime(OpBuilder &b, Location loc, Value data,
                                Value axesTensor, RankedTensorType type) {
    int64_t rank = cast<RankedTensorType>(data.getType()).getRank();
    SmallVector<Value> axes = readRuntimeAxes(b, loc, axesTensor, rank, "Squeeze");
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    SmallVector<Value> sizes(type.getRank(), zero);
    for (int64_t d = 0; d < rank; ++d) {
      auto [isAxis, below] = locateAmongAxes(b, loc, axes, d);
      Value size = tensor::DimOp::create(b, loc, data, d);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      checkCondition(
          b, loc,
          arith::OrIOp::create(
              b, loc,
              arith::XOrIOp::create(b, loc, isAxis,
                                    arith::ConstantIntOp::create(b, loc, 1, 1)),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, one)),
          "Squeeze removes a dimension that is not 1");
      Value position = arith::SubIOp::create(
          b, loc, arith::ConstantIndexOp::create(b, loc, d), below);
      for (int64_t j = 0; j < type.getRank(); ++j) {
        Value here = arith::AndIOp::create(
            b, loc,
            arith::XOrIOp::create(b, loc, isAxis,
                                  arith::ConstantIntOp::create(b, loc, 1, 1)),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, position,
                                  arith::ConstantIndexOp::create(b, loc, j)));
        sizes[j] = arith::AddIOp::create(
            b, loc, sizes[j], arith::SelectOp::create(b, loc, here, size, zero));
      }
    }
    return reshapeTo(b, loc, data, type, getAsOpFoldResult(sizes));
  }
};

/// Unsqueeze: a reshape to the input's sizes with 1 inserted at `axes`.
struct UnsqueezeLowering : OpConversionPattern<onnx::UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto type = getStorageTensorType(op.getResult());
    std::optional<SmallVector<int64_t>> constant =
        onnx::getConstantInts(op.getAxes());
    if (!constant) {
      // Output j is 1 when among the axes, else input dimension j - (axes
      // below j).
      int64_t rank = type.getRank();
      SmallVector<Value> axes =
          readRuntimeAxes(rewriter, loc, adaptor.getAxes(), rank, "Unsqueeze");
      int64_t inRank = cast<RankedTensorType>(data.getType()).getRank();
      SmallVector<OpFoldResult> sizes;
      for (int64_t j = 0; j < rank; ++j) {
        auto [isAxis, below] = locateAmongAxes(rewriter, loc, axes, j);
        Value source = arith::MinSIOp::create(
            rewriter, loc,
            arith::SubIOp::create(rewriter, loc,
                                  arith::ConstantIndexOp::create(rewriter, loc, j),
                                  below),
            arith::ConstantIndexOp::create(rewriter, loc, inRank - 1));
        Value size = inRank ? tensor::DimOp::create(rewriter, loc, data, source)
                                  .getResult()
                            : arith::ConstantIndexOp::create(rewriter, loc, 1)
                                  .getResult();
        sizes.push_back(
            arith::SelectOp::create(rewriter, loc, isAxis,
                                    arith::ConstantIndexOp::create(rewriter, loc, 1),
                                    size)
                .getResult());
      }
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, data, type, sizes));
      return success();
    }
    SmallVector<int64_t> axes = normalizedAxes(*constant, type.getRank());
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0, next = 0; i < type.getRank(); ++i)
      sizes.push_back(llvm::is_contained(axes, i) ? rewriter.getIndexAttr(1)
                                                  : inSizes[next++]);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, data, type, sizes));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<onnx::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildTranspose(
                rewriter, op.getLoc(), adaptor.getData(),
                onnx::getPermutation(op, op.getData().getType().getRank())));
    return success();
  }
};

/// Reshape with ONNX's 0 (copy the input's dimension) and -1 (infer), built
/// from the shape tensor's elements at run time; when the shape is a constant
/// everything folds to static sizes.
/// Expand: the input broadcast to the shape. A requested size of 1 keeps
/// the input's; a dynamic input dimension of 1 broadcasts at run time.
struct ExpandLowering : OpConversionPattern<onnx::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    auto type = getStorageTensorType(op.getOutput());
    int64_t rank = type.getRank(), offset = rank - inType.getRank();
    int64_t shapeOffset =
        rank - cast<RankedTensorType>(adaptor.getShape().getType()).getDimSize(0);
    SmallVector<OpFoldResult> inSizes = tensor::getMixedSizes(b, loc, input);
    SmallVector<OpFoldResult> sizes;
    Value one = indexConst(b, loc, 1);
    if (!type.hasStaticShape())
      checkValuesInRange(
          b, loc, adaptor.getShape(), b.getIndexAttr(0),
          b.getIndexAttr(std::numeric_limits<int64_t>::max()), "Expand's shape");
    for (int64_t i = 0; i < rank; ++i) {
      int64_t j = i - offset;
      bool hasInput = j >= 0;
      if (!type.isDynamicDim(i)) {
        sizes.push_back(b.getIndexAttr(type.getDimSize(i)));
      } else if (i < shapeOffset) {
        sizes.push_back(inSizes[j]); // only the input has this dimension
      } else {
        Value requested =
            extractIndex(b, loc, adaptor.getShape(), i - shapeOffset);
        if (hasInput && inType.getDimSize(j) != 1) {
          Value isOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              requested, one);
          requested = arith::SelectOp::create(
              b, loc, isOne,
              getValueOrCreateConstantIndexOp(b, loc, inSizes[j]), requested);
        }
        sizes.push_back(requested);
      }
      if (hasInput && inType.isDynamicDim(j)) {
        Value in = getValueOrCreateConstantIndexOp(b, loc, inSizes[j]);
        Value out = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
        Value fits = arith::OrIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, in, out),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, in, one));
        checkCondition(b, loc, fits,
                       "Expand's input dimension " + Twine(j) +
                           " is neither 1 nor the requested size");
      }
    }
    input = expandRuntimeBroadcast(b, loc, input, type, sizes);
    rewriter.replaceOp(op, broadcastTo(b, loc, input, type, sizes));
    return success();
  }
};

/// Flatten: a reshape to the products of the dimensions before and from
/// `axis`.
struct FlattenLowering : OpConversionPattern<onnx::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
    Value outer = indexConst(b, loc, 1), inner = indexConst(b, loc, 1);
    for (auto [i, size] : llvm::enumerate(sizes)) {
      Value &product = (int64_t)i < axis ? outer : inner;
      product = arith::MulIOp::create(
          b, loc, product, getValueOrCreateConstantIndexOp(b, loc, size));
    }
    auto type = getStorageTensorType(op.getOutput());
    rewriter.replaceOp(op, reshapeTo(b, loc, input, type, {outer, inner}));
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<onnx::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto type = getStorageTensorType(op.getResult());
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    SmallVector<OpFoldResult> inSizes = tensor::getMixedSizes(b, loc, data);
    Value numElements = indexConst(b, loc, 1);
    for (OpFoldResult s : inSizes)
      numElements = arith::MulIOp::create(
          b, loc, numElements, getValueOrCreateConstantIndexOp(b, loc, s));

    Value zero = indexConst(b, loc, 0), one = indexConst(b, loc, 1),
          minusOne = indexConst(b, loc, -1);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      Value v = extractIndex(b, loc, adaptor.getShape(), i);
      if (!op.getAllowzero() && i < inType.getRank()) {
        Value isZero =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, zero);
        v = arith::SelectOp::create(
            b, loc, isZero, getValueOrCreateConstantIndexOp(b, loc, inSizes[i]),
            v);
      }
      sizes.push_back(v);
    }
    Value known = one;
    for (Value v : sizes) {
      Value isInferred =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, minusOne);
      known = arith::MulIOp::create(
          b, loc, known, arith::SelectOp::create(b, loc, isInferred, one, v));
    }
    // A zero-sized known part only arises with an empty tensor; keep the
    // division defined.
    Value isZeroKnown =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, known, zero);
    Value divisor = arith::SelectOp::create(b, loc, isZeroKnown, one, known);
    Value inferred = arith::DivUIOp::create(b, loc, numElements, divisor);
    SmallVector<OpFoldResult> resultSizes;
    Value resultElements = one;
    for (auto [i, v] : llvm::enumerate(sizes)) {
      if (!type.isDynamicDim(i)) {
        resultSizes.push_back(b.getIndexAttr(type.getDimSize(i)));
        continue;
      }
      Value isInferred =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, minusOne);
      resultSizes.push_back(
          arith::SelectOp::create(b, loc, isInferred, inferred, v).getResult());
    }
    for (OpFoldResult size : resultSizes)
      resultElements =
          arith::MulIOp::create(b, loc, resultElements,
                                getValueOrCreateConstantIndexOp(b, loc, size));
    checkSizesEqual(b, loc, resultElements, numElements,
                    "the requested shape does not hold the input's elements");
    rewriter.replaceOp(op, reshapeTo(b, loc, data, type, resultSizes));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<onnx::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = getStorageTensorType(op.getResult());
    int64_t axis =
        op.getAxis() < 0 ? op.getAxis() + type.getRank() : op.getAxis();
    if (adaptor.getInputs().size() == 1) {
      rewriter.replaceOp(op, adaptor.getInputs()[0]);
      return success();
    }
    Value first = adaptor.getInputs()[0];
    for (auto [i, input] : llvm::enumerate(adaptor.getInputs().drop_front()))
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (d != axis)
          checkSizesEqual(rewriter, op.getLoc(),
                          tensor::getMixedSize(rewriter, op.getLoc(), input, d),
                          tensor::getMixedSize(rewriter, op.getLoc(), first, d),
                          "input " + Twine(i + 1) + " dimension " + Twine(d) +
                              " differs from input 0's");
    // An input empty along the axis adds nothing; tensor.concat would place
    // it at an offset equal to the axis' size, which its slices refuse.
    SmallVector<Value> inputs;
    for (Value input : adaptor.getInputs())
      if (cast<RankedTensorType>(input.getType()).getDimSize(axis) != 0)
        inputs.push_back(input);
    if (inputs.empty())
      inputs.push_back(adaptor.getInputs().front());
    if (inputs.size() == 1) {
      Value only = inputs.front();
      if (only.getType() != type)
        only = tensor::CastOp::create(rewriter, op.getLoc(), type, only);
      rewriter.replaceOp(op, only);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, type, axis, inputs);
    return success();
  }
};

/// A strided gather: out[j] = source[first_d + j_d * step_d] in every
/// dimension d (first 0 and step 1 where null), over `sizes`.
Value gatherStrided(OpBuilder &b, Location loc, Value source,
                    RankedTensorType type, ArrayRef<OpFoldResult> sizes,
                    ArrayRef<Value> firsts, ArrayRef<Value> steps) {
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, init,
             SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange) {
               SmallVector<Value> coords;
               for (int64_t d = 0; d < rank; ++d) {
                 Value index = linalg::IndexOp::create(nb, nl, d);
                 if (steps[d])
                   index = arith::MulIOp::create(nb, nl, index, steps[d]);
                 if (firsts[d])
                   index = arith::AddIOp::create(nb, nl, firsts[d], index);
                 coords.push_back(index);
               }
               linalg::YieldOp::create(
                   nb, nl,
                   tensor::ExtractOp::create(nb, nl, source, coords).getResult());
             })
      .getResult(0);
}

/// Slice with ONNX's clamping, computed at run time from the (usually
/// constant) starts/ends so that dynamic dimensions are handled. Positive
/// steps become an extract_slice; axes with a negative step are then read
/// backwards by a linalg.generic (extract_slice has no negative strides).
struct SliceLowering : OpConversionPattern<onnx::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  /// Steps beyond any size take one element, as INT64_MAX does; clamped to
  /// this, |step| and the size arithmetic (ceildiv) cannot overflow.
  static constexpr int64_t kMaxStep = int64_t(1) << 62;

  LogicalResult
  matchAndRewrite(onnx::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto type = getStorageTensorType(op.getResult());
    Value data = adaptor.getData();
    int64_t rank = type.getRank();
    int64_t count =
        cast<RankedTensorType>(op.getStarts().getType()).getDimSize(0);
    if (ShapedType::isDynamic(count))
      return op.emitOpError("slice_c4: starts must have a static size");
    std::optional<SmallVector<int64_t>> axes;
    std::optional<SmallVector<int64_t>> steps;
    if ((op.getAxes() && !(axes = onnx::getConstantInts(op.getAxes()))) ||
        (op.getSteps() && !(steps = onnx::getConstantInts(op.getSteps())))) {
      rewriter.replaceOp(op, sliceAtRunTime(b, loc, adaptor, count, type));
      return success();
    }
    if (steps && llvm::is_contained(*steps, 0))
      return op.emitOpError("slice_c3: steps must not be 0");

    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, data);
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
    Value zero = indexConst(b, loc, 0);
    // Axes read backwards (extract_slice has no negative strides): their
    // first index and step, for a gather after the slice.
    SmallVector<Value> firsts(rank), backSteps(rank);
    bool backwards = false;
    SmallVector<OpFoldResult> resultSizes(rank);
    for (int64_t i = 0; i < count; ++i) {
      int64_t axis = axes ? (*axes)[i] : i;
      if (axis < 0)
        axis += rank;
      int64_t step =
          std::clamp<int64_t>(steps ? (*steps)[i] : 1, -kMaxStep, kMaxStep);
      Value dim = getValueOrCreateConstantIndexOp(b, loc, sizes[axis]);
      // Negative bounds count from the end; then ONNX clamps into [0, dim]
      // for positive steps, and into [0, dim-1] / [-1, dim-1] (start / end)
      // for negative ones.
      Value dimMinusOne =
          arith::SubIOp::create(b, loc, dim, indexConst(b, loc, 1));
      auto clamp = [&](Value bound, Value low, Value high) {
        Value isNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                            bound, zero);
        Value shifted = arith::SelectOp::create(
            b, loc, isNeg, arith::AddIOp::create(b, loc, bound, dim), bound);
        Value clamped = arith::MaxSIOp::create(b, loc, shifted, low);
        return arith::MinSIOp::create(b, loc, clamped, high).getResult();
      };
      Value rawStart = extractIndex(b, loc, adaptor.getStarts(), i);
      Value rawEnd = extractIndex(b, loc, adaptor.getEnds(), i);
      if (step > 0) {
        Value start = clamp(rawStart, zero, dim);
        Value end = clamp(rawEnd, zero, dim);
        Value extent = arith::MaxSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, end, start), zero);
        offsets[axis] = start;
        sizes[axis] =
            arith::CeilDivSIOp::create(b, loc, extent, indexConst(b, loc, step))
                .getResult();
        strides[axis] = b.getIndexAttr(step);
        continue;
      }
      Value start = clamp(rawStart, zero, dimMinusOne);
      Value end = clamp(rawEnd, indexConst(b, loc, -1), dimMinusOne);
      Value extent = arith::MaxSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, start, end), zero);
      firsts[axis] = start;
      backSteps[axis] = indexConst(b, loc, step);
      backwards = true;
      resultSizes[axis] =
          arith::CeilDivSIOp::create(b, loc, extent, indexConst(b, loc, -step))
              .getResult();
    }
    for (int64_t d = 0; d < rank; ++d)
      if (!resultSizes[d])
        resultSizes[d] = sizes[d];
    Value slice =
        tensor::ExtractSliceOp::create(b, loc, data, offsets, sizes, strides);
    if (backwards)
      slice = gatherStrided(b, loc, slice, type, resultSizes, firsts, backSteps);
    if (slice.getType() != type)
      slice = tensor::CastOp::create(b, loc, type, slice);
    rewriter.replaceOp(op, slice);
    return success();
  }

  /// Axes or steps known only at run time: every dimension gets its first
  /// index, step and size at run time (the whole dimension unless an axis
  /// names it), and one linalg.generic reads out[j] = data[first + j *
  /// step] in each dimension.
  static Value sliceAtRunTime(OpBuilder &b, Location loc, OpAdaptor adaptor,
                              int64_t count, RankedTensorType type) {
    Value data = adaptor.getData();
    int64_t rank = type.getRank();
    auto c = [&](int64_t v) { return indexConst(b, loc, v); };
    auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) {
      return arith::CmpIOp::create(b, loc, p, x, y).getResult();
    };
    auto select = [&](Value cond, Value x, Value y) {
      return arith::SelectOp::create(b, loc, cond, x, y).getResult();
    };
    SmallVector<Value> firsts(rank, c(0)), steps(rank, c(1)), sizes;
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(tensor::DimOp::create(b, loc, data, d));
    SmallVector<Value> dims(sizes);
    SmallVector<Value> seen;
    for (int64_t i = 0; i < count; ++i) {
      Value axis = adaptor.getAxes() ? extractIndex(b, loc, adaptor.getAxes(), i)
                                     : c(i);
      axis = select(cmp(arith::CmpIPredicate::slt, axis, c(0)),
                    arith::AddIOp::create(b, loc, axis, c(rank)), axis);
      checkCondition(b, loc,
                     arith::AndIOp::create(
                         b, loc, cmp(arith::CmpIPredicate::sge, axis, c(0)),
                         cmp(arith::CmpIPredicate::slt, axis, c(rank))),
                     "Slice's axis is out of range");
      for (Value earlier : seen)
        checkCondition(b, loc, cmp(arith::CmpIPredicate::ne, axis, earlier),
                       "Slice's axes repeat");
      seen.push_back(axis);
      Value step = adaptor.getSteps() ? extractIndex(b, loc, adaptor.getSteps(), i)
                                      : c(1);
      step = arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, step, c(-kMaxStep)),
          c(kMaxStep));
      checkCondition(b, loc, cmp(arith::CmpIPredicate::ne, step, c(0)),
                     "Slice's step is 0");
      for (int64_t d = 0; d < rank; ++d) {
        Value here = cmp(arith::CmpIPredicate::eq, axis, c(d));
        Value dim = dims[d];
        Value last = arith::SubIOp::create(b, loc, dim, c(1));
        // Negative bounds count from the end, then ONNX clamps into [0,
        // dim] with a positive step and [0, dim-1] / [-1, dim-1] (start /
        // end) with a negative one.
        auto clamp = [&](Value bound, Value low, Value high) {
          Value shifted =
              select(cmp(arith::CmpIPredicate::slt, bound, c(0)),
                     arith::AddIOp::create(b, loc, bound, dim), bound);
          return arith::MinSIOp::create(
                     b, loc, arith::MaxSIOp::create(b, loc, shifted, low), high)
              .getResult();
        };
        Value rawStart = extractIndex(b, loc, adaptor.getStarts(), i);
        Value rawEnd = extractIndex(b, loc, adaptor.getEnds(), i);
        Value forward = cmp(arith::CmpIPredicate::sgt, step, c(0));
        Value start = select(forward, clamp(rawStart, c(0), dim),
                             clamp(rawStart, c(0), last));
        Value end = select(forward, clamp(rawEnd, c(0), dim),
                           clamp(rawEnd, c(-1), last));
        Value extent = select(forward, arith::SubIOp::create(b, loc, end, start),
                              arith::SubIOp::create(b, loc, start, end));
        // At least 1: a step of 0 fails its check, but the sizes are
        // computed before the checks are read.
        Value stride = arith::MaxSIOp::create(
            b, loc,
            select(forward, step, arith::SubIOp::create(b, loc, c(0), step)),
            c(1));
        Value size = arith::CeilDivSIOp::create(
            b, loc, arith::MaxSIOp::create(b, loc, extent, c(0)), stride);
        firsts[d] = select(here, start, firsts[d]);
        steps[d] = select(here, step, steps[d]);
        sizes[d] = select(here, size, sizes[d]);
      }
    }
    Value result = gatherStrided(b, loc, data, type, getAsOpFoldResult(sizes),
                                 firsts, steps);
    if (result.getType() != type)
      result = tensor::CastOp::create(b, loc, type, result);
    return result;
  }
};

/// Gather along one axis: a linalg.generic over the result whose body reads
/// the data at the gathered index. Negative indices count from the end;
/// indices outside the axis are clamped so the generated code never reads
/// outside the input.
struct GatherLowering : OpConversionPattern<onnx::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto type = getStorageTensorType(op.getResult());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t axis =
        op.getAxis() < 0 ? op.getAxis() + dataType.getRank() : op.getAxis();
    int64_t numIdx = indicesType.getRank();

    SmallVector<OpFoldResult> sizes =
        onnx::reifyGatherSizes(b, loc, data, indices, axis);
    Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
    Value axisSize = getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, data, axis));
    // ONNX: indices lie in [-size, size-1]. Checked before the run; the
    // clamping below keeps the kernel inside the data whatever happens.
    checkValuesInRange(b, loc, indices,
                       arith::SubIOp::create(
                           b, loc, indexConst(b, loc, 0), axisSize)
                           .getResult(),
                       arith::SubIOp::create(b, loc, axisSize,
                                             indexConst(b, loc, 1))
                           .getResult(),
                       "Gather indices out of range");

    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < numIdx; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(type.getRank(), 0, idxExprs, ctx),
        b.getMultiDimIdentityMap(type.getRank())};
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, loc, type, indices, init, maps, iterators,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value idx =
              arith::IndexCastOp::create(nb, nloc, nb.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(nb, nloc, 0);
          Value isNeg = arith::CmpIOp::create(
              nb, nloc, arith::CmpIPredicate::slt, idx, zero);
          idx = arith::SelectOp::create(
              nb, nloc, isNeg, arith::AddIOp::create(nb, nloc, idx, axisSize),
              idx);
          Value last = arith::SubIOp::create(
              nb, nloc, axisSize, arith::ConstantIndexOp::create(nb, nloc, 1));
          idx = arith::MaxSIOp::create(
              nb, nloc, arith::MinSIOp::create(nb, nloc, idx, last), zero);
          SmallVector<Value> coords;
          for (int64_t i = 0; i < axis; ++i)
            coords.push_back(linalg::IndexOp::create(nb, nloc, i));
          coords.push_back(idx);
          for (int64_t i = axis + 1; i < dataType.getRank(); ++i)
            coords.push_back(linalg::IndexOp::create(nb, nloc, i - 1 + numIdx));
          Value v = tensor::ExtractOp::create(nb, nloc, data, coords);
          linalg::YieldOp::create(nb, nloc, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ShapeLowering : OpConversionPattern<onnx::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto [start, end] = onnx::getShapeRange(
        op, cast<RankedTensorType>(data.getType()).getRank());
    SmallVector<Value> dims;
    for (int64_t i = start; i < end; ++i) {
      Value dim = tensor::DimOp::create(rewriter, loc, data, i);
      dims.push_back(arith::IndexCastOp::create(rewriter, loc,
                                                rewriter.getI64Type(), dim));
    }
    auto type = cast<RankedTensorType>(op.getResult().getType());
    if (dims.empty())
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, DenseElementsAttr::get(type, ArrayRef<int64_t>{}));
    else
      rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, type, dims);
    return success();
  }
};

/// Split: consecutive slices along the axis, sizes from `split` (constant or
/// read at run time, checked to add up) or equal parts.
struct SplitLowering : OpConversionPattern<onnx::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    int64_t parts = op.getNumResults();
    FailureOr<SmallVector<int64_t>> known =
        onnx::getSplitSizes(op, onnx::OpError(op));
    if (failed(known))
      return failure();
    Value size = tensor::DimOp::create(rewriter, loc, input, axis);
    SmallVector<Value> sizes;
    if (Value split = adaptor.getSplit()) {
      for (int64_t i = 0; i < parts; ++i)
        sizes.push_back((*known)[i] != ShapedType::kDynamic
                            ? indexConst(rewriter, loc, (*known)[i])
                            : extractIndex(rewriter, loc, split, i));
    } else {
      // ceil(size / parts) each, the last one what is left.
      Value part = arith::CeilDivUIOp::create(
          rewriter, loc, size, indexConst(rewriter, loc, parts));
      if (!op.getNumOutputs())
        checkCondition(
            rewriter, loc,
            arith::CmpIOp::create(
                rewriter, loc, arith::CmpIPredicate::eq,
                arith::RemUIOp::create(rewriter, loc, size,
                                       indexConst(rewriter, loc, parts)),
                indexConst(rewriter, loc, 0)),
            "the dimension does not split into equal parts");
      Value left = size;
      for (int64_t i = 0; i < parts; ++i) {
        Value s = arith::MinSIOp::create(rewriter, loc, part, left);
        sizes.push_back(s);
        left = arith::SubIOp::create(rewriter, loc, left, s);
      }
    }
    // Constant sizes give static slices (createOrFold keeps them constant).
    OpFoldResult total = rewriter.getIndexAttr(0);
    SmallVector<Value> results;
    for (auto [i, s] : llvm::enumerate(sizes)) {
      OpFoldResult extent = getAsOpFoldResult(s);
      if (!getConstantIntValue(extent))
        checkCondition(rewriter, loc,
                       arith::CmpIOp::create(rewriter, loc,
                                             arith::CmpIPredicate::sge, s,
                                             indexConst(rewriter, loc, 0)),
                       "a split size is negative");
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
          extents = tensor::getMixedSizes(rewriter, loc, input),
          strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = total;
      extents[axis] = extent;
      auto resultType = getStorageTensorType(op.getResult(i));
      // An empty part is no slice (its offset may lie at the end).
      Value part =
          getConstantIntValue(extent) == 0 || type.getDimSize(axis) == 0
              ? Value(tensor::EmptyOp::create(rewriter, loc, extents,
                                              type.getElementType()))
              : Value(tensor::ExtractSliceOp::create(rewriter, loc, input,
                                                     offsets, extents, strides));
      if (part.getType() != resultType)
        part = tensor::CastOp::create(rewriter, loc, resultType, part);
      results.push_back(part);
      total = getAsOpFoldResult(rewriter.createOrFold<arith::AddIOp>(
          loc, getValueOrCreateConstantIndexOp(rewriter, loc, total), s));
    }
    checkSizesEqual(rewriter, loc, total, size, "the split sizes' sum");
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct SizeLowering : OpConversionPattern<onnx::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value size = indexConst(rewriter, loc, 1);
    for (int64_t i = 0; i < cast<RankedTensorType>(data.getType()).getRank();
         ++i)
      size = arith::MulIOp::create(
          rewriter, loc, size, tensor::DimOp::create(rewriter, loc, data, i));
    Value count =
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), size);
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(
        op, cast<RankedTensorType>(op.getSize().getType()), count);
    return success();
  }
};

} // namespace

void seqc::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, IdentityLowering, SqueezeLowering,
               UnsqueezeLowering, TransposeLowering, ExpandLowering,
               FlattenLowering, ReshapeLowering, ConcatLowering, SliceLowering,
               GatherLowering, ShapeLowering, SizeLowering, SplitLowering>(
      patterns.getContext());
}
