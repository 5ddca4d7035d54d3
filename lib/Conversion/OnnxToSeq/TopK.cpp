//===- TopK.cpp - ONNX TopK by ranks --------------------------------------===//
//
// Output position j along the axis holds the element of rank j, where an
// element's rank counts the elements before it in the order (larger first
// with `largest`, smaller first otherwise; equal values by index, as ONNX
// orders ties). One linalg.generic over the output computes, for each j,
// the ranks of the row's elements with two nested scf.for loops and keeps
// the one of rank j: O(K n^2) per row, no sorting network, and exactly the
// ONNX order.
//
//===----------------------------------------------------------------------===//

#include "ElementTypes.h"
#include "Patterns.h"
#include "RuntimeChecks.h"
#include "TensorBuilders.h"

#include "dialects/onnx/OnnxOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace seqc;

namespace {

struct TopKLowering : OpConversionPattern<onnx::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    Type elt = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool largest = op.getLargest() != 0;
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value n = tensor::DimOp::create(rewriter, loc, x, axis);
    Value k = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(),
        tensor::ExtractOp::create(rewriter, loc, adaptor.getK(), ValueRange{c(0)}));
    checkCondition(
        rewriter, loc,
        arith::AndIOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, k, c(0)),
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sle, k, n)),
        "K is outside [0, the axis size]");
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
    sizes[axis] = k;
    auto valuesType = getStorageTensorType(op.getValues());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    Value valuesInit = tensor::EmptyOp::create(rewriter, loc, sizes, elt);
    Value indicesInit =
        tensor::EmptyOp::create(rewriter, loc, sizes, rewriter.getI64Type());
    auto dynamicType = cast<RankedTensorType>(valuesInit.getType());
    bool isFloat = isa<FloatType>(elt);
    bool isUnsigned = getElementTypeOrSelf(op.getX()).isUnsignedInteger();
    auto generic = linalg::GenericOp::create(
        rewriter, loc,
        TypeRange{valuesInit.getType(), indicesInit.getType()}, ValueRange{},
        ValueRange{valuesInit, indicesInit},
        SmallVector<AffineMap>(2, rewriter.getMultiDimIdentityMap(rank)),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          Value j = at[axis];
          auto read = [&](OpBuilder &rb, Location rl, Value i) {
            SmallVector<Value> pos(at);
            pos[axis] = i;
            return tensor::ExtractOp::create(rb, rl, x, pos).getResult();
          };
          // f comes before e in the order.
          auto before = [&](OpBuilder &rb, Location rl, Value xf, Value f,
                            Value xe, Value e) -> Value {
            Value strict, equal;
            if (isFloat) {
              strict = arith::CmpFOp::create(
                  rb, rl,
                  largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                  xf, xe);
              equal = arith::CmpFOp::create(rb, rl, arith::CmpFPredicate::OEQ,
                                            xf, xe);
            } else {
              strict = arith::CmpIOp::create(
                  rb, rl,
                  !isUnsigned ? (largest ? arith::CmpIPredicate::sgt
                                         : arith::CmpIPredicate::slt)
                              : (largest ? arith::CmpIPredicate::ugt
                                         : arith::CmpIPredicate::ult),
                  xf, xe);
              equal = arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::eq,
                                            xf, xe);
            }
            Value earlier =
                arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::ult, f, e);
            return arith::OrIOp::create(
                rb, rl, strict, arith::AndIOp::create(rb, rl, equal, earlier));
          };
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value first = read(b, l, zero);
          auto outer = scf::ForOp::create(
              b, l, zero, n, one, ValueRange{first, zero},
              [&](OpBuilder &ob, Location ol, Value e, ValueRange found) {
                Value xe = read(ob, ol, e);
                auto count = scf::ForOp::create(
                    ob, ol, zero, n, one, ValueRange{zero},
                    [&](OpBuilder &ib, Location il, Value f, ValueRange acc) {
                      Value xf = read(ib, il, f);
                      Value add = arith::SelectOp::create(
                          ib, il, before(ib, il, xf, f, xe, e), one, zero);
                      scf::YieldOp::create(
                          ib, il,
                          ValueRange{arith::AddIOp::create(ib, il, acc[0], add)});
                    });
                Value isJ = arith::CmpIOp::create(
                    ob, ol, arith::CmpIPredicate::eq, count.getResult(0), j);
                scf::YieldOp::create(
                    ob, ol,
                    ValueRange{arith::SelectOp::create(ob, ol, isJ, xe, found[0]),
                               arith::SelectOp::create(ob, ol, isJ, e, found[1])});
              });
          Value index = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                   outer.getResult(1));
          linalg::YieldOp::create(b, l, ValueRange{outer.getResult(0), index});
        });
    Value values = generic.getResult(0), indices = generic.getResult(1);
    if (dynamicType != valuesType) {
      values = tensor::CastOp::create(rewriter, loc, valuesType, values);
      indices = tensor::CastOp::create(rewriter, loc, indicesType, indices);
    }
    rewriter.replaceOp(op, {values, indices});
    return success();
  }
};

} // namespace

void seqc::populateTopKPatterns(RewritePatternSet &patterns) {
  patterns.add<TopKLowering>(patterns.getContext());
}
