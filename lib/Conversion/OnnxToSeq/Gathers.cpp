//===- Gathers.cpp - ONNX ops that read their input at computed indices ---===//
//
// Tile, GatherElements, GatherND, OneHot, DepthToSpace and SpaceToDepth are
// each one linalg.generic over the output whose body computes where to read
// (tensor.extract) from the output's indices. Indices read from data are
// checked against the sizes at run time, once, before the generic.
//
//===----------------------------------------------------------------------===//

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

using GatherBodyFn = function_ref<Value(OpBuilder &, Location,
                                        ArrayRef<Value> outIndices,
                                        ValueRange inputs)>;

/// A generic over `type` (sizes `sizes`); `sameShaped` operands are read at
/// the output's position and passed to `body` with the output's indices.
Value buildGather(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes, ValueRange sameShaped,
                  GatherBodyFn body) {
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[d]));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType(), dynamicSizes);
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(sameShaped.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
             b, loc, type, sameShaped, empty, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               SmallVector<Value> indices;
               for (int64_t d = 0; d < rank; ++d)
                 indices.push_back(linalg::IndexOp::create(nb, nl, d));
               Value v = body(nb, nl, indices, args.drop_back());
               linalg::YieldOp::create(nb, nl, v);
             })
      .getResult(0);
}

struct TileLowering : OpConversionPattern<onnx::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = getStorageTensorType(op.getOutput());
    SmallVector<Value> inSizes;
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      Value size = tensor::DimOp::create(rewriter, loc, input, d);
      inSizes.push_back(size);
      if (!type.isDynamicDim(d)) {
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        continue;
      }
      Value pos = arith::ConstantIndexOp::create(rewriter, loc, d);
      Value repeat = toIndex(
          rewriter, loc,
          tensor::ExtractOp::create(rewriter, loc, adaptor.getRepeats(), pos));
      checkCondition(rewriter, loc,
                     arith::CmpIOp::create(
                         rewriter, loc, arith::CmpIPredicate::sge, repeat,
                         arith::ConstantIndexOp::create(rewriter, loc, 0)),
                     "a repeat is negative");
      sizes.push_back(
          arith::MulIOp::create(rewriter, loc, size, repeat).getResult());
    }
    rewriter.replaceOp(
        op, buildGather(rewriter, loc, type, sizes, {},
                        [&](OpBuilder &b, Location l, ArrayRef<Value> out,
                            ValueRange) {
                          SmallVector<Value> at;
                          for (auto [o, size] : llvm::zip(out, inSizes))
                            at.push_back(arith::RemUIOp::create(b, l, o, size));
                          return Value(tensor::ExtractOp::create(b, l, input, at));
                        }));
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<onnx::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto type = getStorageTensorType(op.getOutput());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    OpFoldResult axisSize = tensor::getMixedSize(rewriter, loc, data, axis);
    checkIndicesInRange(rewriter, loc, indices, axisSize, "an index");
    Value size = getValueOrCreateConstantIndexOp(rewriter, loc, axisSize);
    rewriter.replaceOp(
        op, buildGather(rewriter, loc, type,
                        tensor::getMixedSizes(rewriter, loc, indices), indices,
                        [&](OpBuilder &b, Location l, ArrayRef<Value> out,
                            ValueRange in) {
                          SmallVector<Value> at(out);
                          at[axis] = wrapNegative(b, l, toIndex(b, l, in[0]), size);
                          return Value(tensor::ExtractOp::create(b, l, data, at));
                        }));
    return success();
  }
};

struct GatherNDLowering : OpConversionPattern<onnx::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto type = getStorageTensorType(op.getOutput());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batch = op.getBatchDims();
    int64_t q = indicesType.getRank();
    int64_t k = indicesType.getDimSize(q - 1);
    SmallVector<Value> dataSizes;
    for (int64_t d = 0; d < cast<RankedTensorType>(data.getType()).getRank(); ++d)
      dataSizes.push_back(tensor::DimOp::create(rewriter, loc, data, d));
    for (int64_t d = 0; d < batch; ++d)
      checkSizesEqual(rewriter, loc, tensor::getMixedSize(rewriter, loc, indices, d),
                      dataSizes[d], "batch dimension " + Twine(d));
    // Output sizes: indices' leading dimensions, then data's trailing ones.
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d + 1 < q; ++d)
      sizes.push_back(tensor::getMixedSize(rewriter, loc, indices, d));
    for (int64_t d = batch + k; d < (int64_t)dataSizes.size(); ++d)
      sizes.push_back(dataSizes[d]);
    // Every index component is checked against its data dimension.
    for (int64_t j = 0; j < k; ++j) {
      SmallVector<OpFoldResult> offsets(q, rewriter.getIndexAttr(0)),
          strides(q, rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> extents =
          tensor::getMixedSizes(rewriter, loc, indices);
      offsets[q - 1] = rewriter.getIndexAttr(j);
      extents[q - 1] = rewriter.getIndexAttr(1);
      Value column = tensor::ExtractSliceOp::create(rewriter, loc, indices,
                                                    offsets, extents, strides);
      checkIndicesInRange(rewriter, loc, column, dataSizes[batch + j],
                   "index component " + Twine(j));
    }
    rewriter.replaceOp(
        op, buildGather(rewriter, loc, type, sizes, {},
                        [&](OpBuilder &b, Location l, ArrayRef<Value> out,
                            ValueRange) {
                          SmallVector<Value> at(out.take_front(batch));
                          SmallVector<Value> lead(out.take_front(q - 1));
                          for (int64_t j = 0; j < k; ++j) {
                            lead.push_back(arith::ConstantIndexOp::create(b, l, j));
                            Value i = toIndex(
                                b, l, tensor::ExtractOp::create(b, l, indices, lead));
                            lead.pop_back();
                            at.push_back(
                                wrapNegative(b, l, i, dataSizes[batch + j]));
                          }
                          llvm::append_range(at, out.drop_front(q - 1));
                          return Value(tensor::ExtractOp::create(b, l, data, at));
                        }));
    return success();
  }
};

struct OneHotLowering : OpConversionPattern<onnx::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value indices = adaptor.getIndices(), values = adaptor.getValues();
    auto type = cast<RankedTensorType>(op.getOutput().getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    auto depthType = cast<RankedTensorType>(adaptor.getDepth().getType());
    SmallVector<Value> zeros(depthType.getRank(), c(0));
    Value depth = toIndex(rewriter, loc,
                          tensor::ExtractOp::create(rewriter, loc,
                                                    adaptor.getDepth(), zeros));
    checkCondition(rewriter, loc,
                   arith::CmpIOp::create(rewriter, loc,
                                         arith::CmpIPredicate::sgt, depth, c(0)),
                   "depth must be positive");
    Value off = tensor::ExtractOp::create(rewriter, loc, values, ValueRange{c(0)});
    Value on = tensor::ExtractOp::create(rewriter, loc, values, ValueRange{c(1)});
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    sizes.insert(sizes.begin() + axis, depth);
    rewriter.replaceOp(
        op, buildGather(rewriter, loc, type, sizes, {},
                        [&](OpBuilder &b, Location l, ArrayRef<Value> out,
                            ValueRange) {
                          SmallVector<Value> at(out);
                          Value position = at[axis];
                          at.erase(at.begin() + axis);
                          Value i = wrapNegative(
                              b, l,
                              toIndex(b, l, tensor::ExtractOp::create(b, l, indices, at)),
                              depth);
                          Value hot = arith::CmpIOp::create(
                              b, l, arith::CmpIPredicate::eq, i, position);
                          return Value(arith::SelectOp::create(b, l, hot, on, off));
                        }));
    return success();
  }
};

/// DepthToSpace: out[n, c, h, w] = in[n, channel, h / b, w / b] with channel
/// (h % b * b + w % b) * C' + c (DCR) or c * b * b + h % b * b + w % b
/// (CRD). SpaceToDepth: out[n, (bh * b + bw) * C + c, h, w] (DCR; CRD:
/// c * b * b + bh * b + bw) = in[n, c, h * b + bh, w * b + bw].
template <typename BlockOp>
struct BlockRearrangeLowering : OpConversionPattern<BlockOp> {
  using OpConversionPattern<BlockOp>::OpConversionPattern;
  static constexpr bool toSpace = std::is_same_v<BlockOp, onnx::DepthToSpaceOp>;

  LogicalResult
  matchAndRewrite(BlockOp op, typename BlockOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = getStorageTensorType(op.getOutput());
    int64_t block = op.getBlocksize();
    bool crd = op.getMode() == "CRD";
    SmallVector<OpFoldResult> in = tensor::getMixedSizes(rewriter, loc, input);
    auto v = [&](OpFoldResult f) {
      return getValueOrCreateConstantIndexOp(rewriter, loc, f);
    };
    auto c = [&](int64_t x) {
      return arith::ConstantIndexOp::create(rewriter, loc, x);
    };
    Value bb = c(block * block), b1 = c(block);
    SmallVector<OpFoldResult> sizes = {in[0]};
    Value channels = v(in[1]);
    if (toSpace) {
      checkCondition(rewriter, loc,
                     arith::CmpIOp::create(
                         rewriter, loc, arith::CmpIPredicate::eq,
                         arith::RemUIOp::create(rewriter, loc, channels, bb), c(0)),
                     "the channels are not a multiple of blocksize^2");
      Value outChannels = arith::DivUIOp::create(rewriter, loc, channels, bb);
      sizes.push_back(outChannels);
      sizes.push_back(arith::MulIOp::create(rewriter, loc, v(in[2]), b1).getResult());
      sizes.push_back(arith::MulIOp::create(rewriter, loc, v(in[3]), b1).getResult());
      channels = outChannels;
    } else {
      for (int d : {2, 3})
        checkCondition(rewriter, loc,
                       arith::CmpIOp::create(
                           rewriter, loc, arith::CmpIPredicate::eq,
                           arith::RemUIOp::create(rewriter, loc, v(in[d]), b1),
                           c(0)),
                       "dimension " + Twine(d) +
                           " is not a multiple of blocksize");
      sizes.push_back(arith::MulIOp::create(rewriter, loc, channels, bb).getResult());
      sizes.push_back(arith::DivUIOp::create(rewriter, loc, v(in[2]), b1).getResult());
      sizes.push_back(arith::DivUIOp::create(rewriter, loc, v(in[3]), b1).getResult());
    }
    rewriter.replaceOp(
        op,
        buildGather(
            rewriter, loc, type, sizes, {},
            [&](OpBuilder &b, Location l, ArrayRef<Value> out, ValueRange) {
              auto ci = [&](int64_t x) {
                return arith::ConstantIndexOp::create(b, l, x);
              };
              auto mul = [&](Value x, Value y) {
                return arith::MulIOp::create(b, l, x, y).getResult();
              };
              auto add = [&](Value x, Value y) {
                return arith::AddIOp::create(b, l, x, y).getResult();
              };
              Value bl = ci(block);
              if (toSpace) {
                Value bh = arith::RemUIOp::create(b, l, out[2], bl);
                Value bw = arith::RemUIOp::create(b, l, out[3], bl);
                Value offset = add(mul(bh, bl), bw);
                Value channel =
                    crd ? add(mul(out[1], ci(block * block)), offset)
                        : add(mul(offset, channels), out[1]);
                SmallVector<Value> at = {
                    out[0], channel, arith::DivUIOp::create(b, l, out[2], bl),
                    arith::DivUIOp::create(b, l, out[3], bl)};
                return Value(tensor::ExtractOp::create(b, l, input, at));
              }
              // DCR: channel = block * C + c; CRD: c * b * b + block.
              Value bb2 = ci(block * block);
              Value blockIndex =
                  crd ? Value(arith::RemUIOp::create(b, l, out[1], bb2))
                      : Value(arith::DivUIOp::create(b, l, out[1], channels));
              Value c0 = crd ? Value(arith::DivUIOp::create(b, l, out[1], bb2))
                             : Value(arith::RemUIOp::create(b, l, out[1], channels));
              Value bh = arith::DivUIOp::create(b, l, blockIndex, bl);
              Value bw = arith::RemUIOp::create(b, l, blockIndex, bl);
              SmallVector<Value> at = {out[0], c0, add(mul(out[2], bl), bh),
                                       add(mul(out[3], bl), bw)};
              return Value(tensor::ExtractOp::create(b, l, input, at));
            }));
    return success();
  }
};

} // namespace

void seqc::populateGatherPatterns(RewritePatternSet &patterns) {
  patterns.add<TileLowering, GatherElementsLowering, GatherNDLowering,
               OneHotLowering, BlockRearrangeLowering<onnx::DepthToSpaceOp>,
               BlockRearrangeLowering<onnx::SpaceToDepthOp>>(
      patterns.getContext());
}
