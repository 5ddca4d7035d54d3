//===- ExpandSequences.cpp - ONNX sequences and optionals as tensors ------===//
//
// The onnx-expand-sequences pass, a 1:N dialect conversion at the onnx
// level. A sequence is carried by two tensors:
//
//   data   tensor<?xT>      the elements, flattened, back to back
//   shapes tensor<?x9xi64>  per element: its rank, then its dims padded
//                           with 1 (so a row's product is its size)
//
// and an optional by a bool scalar (whether it holds a value) followed by
// its value's tensors, which describe an empty value when it holds none.
// The sequence ops become onnx tensor ops on those (an element is a Slice of
// the data, Reshaped to a row of the table; its start is an exclusive
// CumSum of the rows' products), so the lowering, its run-time checks and
// the shape function treat them like any other ops. Positions outside the
// sequence are made out of range for the Gather that reads at them, whose
// run-time check reports the node.
//
//===----------------------------------------------------------------------===//

#include "seqc/Conversion/Passes.h"
#include "seqc/Import/OnnxImporter.h"
#include "seqc/Runtime/SeqcTypes.h"

#include "dialects/onnx/OnnxOps.h"

#include "llvm/Support/MathExtras.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

namespace seqc {
#define GEN_PASS_DEF_ONNXEXPANDSEQUENCES
#include "seqc/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::onnx;

namespace {

constexpr int64_t kMaxRank = SEQC_SEQUENCE_MAX_RANK;
constexpr int64_t kRowSize = kMaxRank + 1;
constexpr int64_t kDynamic = ShapedType::kDynamic;

/// The tensors that carry a value of `type`, appended to `types`.
void getCarrierTypes(Type type, SmallVectorImpl<Type> &types) {
  if (auto sequence = dyn_cast<SequenceType>(type)) {
    auto i64 = IntegerType::get(type.getContext(), 64);
    types.push_back(RankedTensorType::get(
        {kDynamic}, sequence.getElementType().getElementType()));
    types.push_back(RankedTensorType::get({kDynamic, kRowSize}, i64));
    return;
  }
  if (auto optional = dyn_cast<OptionalType>(type)) {
    types.push_back(
        RankedTensorType::get({}, IntegerType::get(type.getContext(), 1)));
    getCarrierTypes(optional.getValueType(), types);
    return;
  }
  types.push_back(type);
}

bool isCarriedByTensors(Type type) {
  return isa<SequenceType, OptionalType>(type);
}

/// The ops that make or read sequences and optionals (one without operands
/// makes a bool of nothing: OptionalHasElement()).
bool isSequenceOrOptionalOp(Operation *op) {
  return isa<SequenceEmptyOp, SequenceConstructOp, SequenceInsertOp,
             SequenceAtOp, SequenceLengthOp, SequenceEraseOp, OptionalOp,
             OptionalHasElementOp, OptionalGetElementOp>(op);
}

/// The onnx tensor ops a sequence op expands to, at one location.
struct TensorOps {
  OpBuilder &b;
  Location loc;

  Value i64s(ArrayRef<int64_t> values, ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, b.getI64Type());
    return ConstantOp::create(b, loc, type,
                              DenseIntElementsAttr::get(type, values), nullptr,
                              nullptr, nullptr, nullptr);
  }
  Value i64(int64_t value) { return i64s({value}, {1}); }
  Value boolean(bool value) {
    auto type = RankedTensorType::get({}, b.getI1Type());
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value),
                              nullptr, nullptr, nullptr, nullptr);
  }
  /// `value` typed as `type`, a compatible type (onnx.Identity retypes).
  Value retype(Value value, Type type) {
    if (value.getType() == type)
      return value;
    return IdentityOp::create(b, loc, type, value);
  }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value concat(ValueRange parts, int64_t axis = 0) {
    return parts.size() == 1 ? parts.front()
                             : ConcatOp::create(b, loc, parts, axis);
  }
  /// data[from:to] along axis 0; `from` and `to` are tensor<1xi64>.
  Value slice(Value data, Value from, Value to) {
    return SliceOp::create(b, loc, data, from, to, /*axes=*/i64(0), Value());
  }
  Value sliceToEnd(Value data, Value from) {
    return slice(data, from, i64(std::numeric_limits<int64_t>::max()));
  }
  Value gather(Value data, Value index) {
    return GatherOp::create(b, loc, data, index, /*axis=*/0);
  }

  /// A tensor's elements in one dimension.
  Value flatten(Value x) { return ReshapeOp::create(b, loc, x, i64(-1)); }
  /// A tensor's row of the shapes table: tensor<1x9xi64>.
  Value shapeRow(Value x) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    SmallVector<Value> parts = {i64(rank)};
    if (rank > 0)
      parts.push_back(ShapeOp::create(b, loc, x, nullptr, nullptr));
    if (rank < kMaxRank)
      parts.push_back(
          i64s(SmallVector<int64_t>(kMaxRank - rank, 1), {kMaxRank - rank}));
    return ReshapeOp::create(b, loc, concat(parts), i64s({1, kRowSize}, {2}));
  }
  /// The number of elements, as tensor<1xi64>.
  Value count(Value shapes) {
    return ShapeOp::create(b, loc, shapes, b.getI64IntegerAttr(0),
                           b.getI64IntegerAttr(1));
  }
  /// Each element's number of values.
  Value sizes(Value shapes) {
    Value dims =
        SliceOp::create(b, loc, shapes, i64(1), i64(kRowSize), i64(1), Value());
    return ReduceProdOp::create(b, loc, dims, i64(1), /*keepdims=*/0);
  }
  /// Where each element starts in the data.
  Value starts(Value sizes) {
    return CumSumOp::create(b, loc, sizes, i64s({0}, {}), /*exclusive=*/1);
  }
  /// ONNX `position` (an int32/int64 scalar, negative counting from the
  /// end) as a tensor<1xi64> in [0, n), or [0, n] with `allowEnd`; one
  /// outside is turned into n (n + 1), out of range for the Gather that
  /// reads at it.
  Value position(Value position, Value n, bool allowEnd) {
    Value p = ReshapeOp::create(
        b, loc, CastOp::create(b, loc, position, /*to=*/7), i64(1));
    Value zero = i64(0);
    Value wrapped =
        WhereOp::create(b, loc, LessOp::create(b, loc, p, zero), add(p, n), p);
    Value outside = allowEnd ? add(n, i64(1)) : n;
    return WhereOp::create(b, loc, LessOp::create(b, loc, wrapped, zero),
                           outside, wrapped);
  }

  /// A value of `type` that holds nothing: a sequence without elements, a
  /// tensor of zeros (its dynamic dims 0), an optional that is empty.
  void appendEmpty(Type type, SmallVectorImpl<Value> &values) {
    if (auto optional = dyn_cast<OptionalType>(type)) {
      values.push_back(boolean(false));
      appendEmpty(optional.getValueType(), values);
      return;
    }
    SmallVector<Type> carriers;
    getCarrierTypes(type, carriers);
    for (Type carrier : carriers) {
      auto tensor = cast<RankedTensorType>(carrier);
      SmallVector<int64_t> shape(tensor.getShape());
      for (int64_t &d : shape)
        d = ShapedType::isDynamic(d) ? 0 : d;
      auto empty = RankedTensorType::get(shape, tensor.getElementType());
      auto zeros =
          DenseElementsAttr::get(empty, b.getZeroAttr(tensor.getElementType()));
      values.push_back(retype(ConstantOp::create(b, loc, empty, zeros, nullptr,
                                                 nullptr, nullptr, nullptr),
                              tensor));
    }
  }
};

/// The flattened carriers of `groups`.
SmallVector<Value> flatten(ArrayRef<ValueRange> groups) {
  SmallVector<Value> values;
  for (ValueRange group : groups)
    llvm::append_range(values, group);
  return values;
}

/// `values` cut into one group per type of `types`, by their carriers.
SmallVector<SmallVector<Value>> regroup(TypeRange types, ValueRange values) {
  SmallVector<SmallVector<Value>> groups;
  for (Type type : types) {
    SmallVector<Type> carriers;
    getCarrierTypes(type, carriers);
    groups.emplace_back(values.take_front(carriers.size()));
    values = values.drop_front(carriers.size());
  }
  return groups;
}

SmallVector<Type> getCarrierTypes(TypeRange types) {
  SmallVector<Type> carriers;
  for (Type type : types)
    getCarrierTypes(type, carriers);
  return carriers;
}

/// A sequence's carriers, checked to be the data and the shapes table.
std::pair<Value, Value> asSequence(ValueRange carriers) {
  assert(carriers.size() == 2 && "a sequence has two carriers");
  return {carriers[0], carriers[1]};
}

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

template <typename Op> struct ExpandPattern : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  using OneToNOpAdaptor = typename OpConversionPattern<Op>::OneToNOpAdaptor;

  /// Replaces `op` by the carriers `values` of its results.
  void replace(ConversionPatternRewriter &rewriter, Op op,
               ValueRange results) const {
    TensorOps ops{rewriter, op.getLoc()};
    SmallVector<Value> values(results);
    SmallVector<Type> carriers = getCarrierTypes(op->getResultTypes());
    for (auto [value, type] : llvm::zip(values, carriers))
      value = ops.retype(value, type);
    rewriter.replaceOpWithMultiple(op, regroup(op->getResultTypes(), values));
  }
};

struct SequenceEmptyExpansion : ExpandPattern<SequenceEmptyOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceEmptyOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> values;
    TensorOps{rewriter, op.getLoc()}.appendEmpty(op.getType(), values);
    replace(rewriter, op, values);
    return success();
  }
};

struct SequenceConstructExpansion : ExpandPattern<SequenceConstructOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceConstructOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    SmallVector<Value> data, rows;
    for (Value input : flatten(adaptor.getInputs())) {
      data.push_back(ops.flatten(input));
      rows.push_back(ops.shapeRow(input));
    }
    replace(rewriter, op, {ops.concat(data), ops.concat(rows)});
    return success();
  }
};

struct SequenceInsertExpansion : ExpandPattern<SequenceInsertOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceInsertOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    auto [data, shapes] = asSequence(adaptor.getInputSequence());
    Value tensor = adaptor.getTensor().front();
    Value flat = ops.flatten(tensor), row = ops.shapeRow(tensor);
    if (adaptor.getPosition().empty()) {
      replace(rewriter, op,
              {ops.concat({data, flat}), ops.concat({shapes, row})});
      return success();
    }
    Value at = ops.position(adaptor.getPosition().front(), ops.count(shapes),
                            /*allowEnd=*/true);
    Value offsets = ops.concat(
        {ops.starts(ops.sizes(shapes)),
         ShapeOp::create(rewriter, op.getLoc(), data, nullptr, nullptr)});
    Value offset = ops.gather(offsets, at);
    Value zero = ops.i64(0);
    replace(rewriter, op,
            {ops.concat({ops.slice(data, zero, offset), flat,
                         ops.sliceToEnd(data, offset)}),
             ops.concat({ops.slice(shapes, zero, at), row,
                         ops.sliceToEnd(shapes, at)})});
    return success();
  }
};

struct SequenceAtExpansion : ExpandPattern<SequenceAtOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceAtOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    auto [data, shapes] = asSequence(adaptor.getInputSequence());
    auto type = cast<RankedTensorType>(op.getType());
    Value sizes = ops.sizes(shapes);
    Value at = ops.position(adaptor.getPosition().front(), ops.count(shapes),
                            /*allowEnd=*/false);
    Value start = ops.gather(ops.starts(sizes), at);
    Value flat = ops.slice(data, start, ops.add(start, ops.gather(sizes, at)));
    // The row's dims, 1 x rank, as the shape to restore.
    Value row = ops.gather(shapes, at);
    Value dims =
        SliceOp::create(rewriter, op.getLoc(), row, ops.i64(1),
                        ops.i64(1 + type.getRank()), ops.i64(1), Value());
    dims =
        ReshapeOp::create(rewriter, op.getLoc(), dims, ops.i64(type.getRank()));
    replace(rewriter, op,
            {ReshapeOp::create(rewriter, op.getLoc(), flat, dims,
                               /*allowzero=*/1)});
    return success();
  }
};

struct SequenceLengthExpansion : ExpandPattern<SequenceLengthOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceLengthOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    Value count = ops.count(asSequence(adaptor.getInputSequence()).second);
    replace(
        rewriter, op,
        {ReshapeOp::create(rewriter, op.getLoc(), count, ops.i64s({}, {0}))});
    return success();
  }
};

struct SequenceEraseExpansion : ExpandPattern<SequenceEraseOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(SequenceEraseOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    auto [data, shapes] = asSequence(adaptor.getInputSequence());
    Value position = adaptor.getPosition().empty()
                         ? ops.i64s({-1}, {})
                         : adaptor.getPosition().front();
    Value sizes = ops.sizes(shapes);
    Value at = ops.position(position, ops.count(shapes), /*allowEnd=*/false);
    Value start = ops.gather(ops.starts(sizes), at);
    Value end = ops.add(start, ops.gather(sizes, at));
    Value zero = ops.i64(0);
    replace(
        rewriter, op,
        {ops.concat({ops.slice(data, zero, start), ops.sliceToEnd(data, end)}),
         ops.concat({ops.slice(shapes, zero, at),
                     ops.sliceToEnd(shapes, ops.add(at, ops.i64(1)))})});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

struct OptionalExpansion : ExpandPattern<OptionalOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(OptionalOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    SmallVector<Value> values;
    if (adaptor.getInput().empty()) {
      ops.appendEmpty(op.getOutput().getType(), values);
    } else {
      values.push_back(ops.boolean(true));
      llvm::append_range(values, adaptor.getInput());
    }
    replace(rewriter, op, values);
    return success();
  }
};

struct OptionalHasElementExpansion : ExpandPattern<OptionalHasElementOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(OptionalHasElementOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorOps ops{rewriter, op.getLoc()};
    Value input = op.getInput();
    Value present = !input ? ops.boolean(false)
                    : isa<OptionalType>(input.getType())
                        ? adaptor.getInput().front()
                        : ops.boolean(true);
    replace(rewriter, op, {present});
    return success();
  }
};

/// The held value; taking it from an empty optional is a run-time error
/// (an onnx.If whose other branch is onnx.branch_error).
struct OptionalGetElementExpansion : ExpandPattern<OptionalGetElementOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(OptionalGetElementOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ValueRange carriers = adaptor.getInput();
    if (!isa<OptionalType>(op.getInput().getType())) {
      replace(rewriter, op, carriers);
      return success();
    }
    Location loc = op.getLoc();
    ValueRange held = carriers.drop_front();
    auto ifOp = IfOp::create(rewriter, loc, held.getTypes(), carriers.front());
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.createBlock(&ifOp.getThenBranch());
      YieldOp::create(rewriter, loc, held);
      rewriter.createBlock(&ifOp.getElseBranch());
      auto error = BranchErrorOp::create(
          rewriter, loc, held.getTypes(),
          "OptionalGetElement: the optional holds no value");
      YieldOp::create(rewriter, loc, error.getResults());
    }
    replace(rewriter, op, ifOp.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Ops that carry any value: their operands and results become the carriers
//===----------------------------------------------------------------------===//

struct IdentityExpansion : ExpandPattern<IdentityOp> {
  using ExpandPattern::ExpandPattern;
  LogicalResult
  matchAndRewrite(IdentityOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replace(rewriter, op, adaptor.getInput());
    return success();
  }
};

struct YieldExpansion : OpConversionPattern<YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(YieldOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<YieldOp>(op, flatten(adaptor.getOperands()));
    return success();
  }
};

struct ReturnExpansion : OpConversionPattern<func::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<func::ReturnOp>(op,
                                                flatten(adaptor.getOperands()));
    return success();
  }
};

struct BranchErrorExpansion : OpConversionPattern<BranchErrorOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BranchErrorOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto error = BranchErrorOp::create(rewriter, op.getLoc(),
                                       getCarrierTypes(op.getResultTypes()),
                                       op.getMessage());
    rewriter.replaceOpWithMultiple(
        op, regroup(op.getResultTypes(), error.getResults()));
    return success();
  }
};

struct IfExpansion : OpConversionPattern<IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IfOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto ifOp = IfOp::create(rewriter, op.getLoc(),
                             getCarrierTypes(op.getResultTypes()),
                             adaptor.getCond().front());
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenBranch(),
                                ifOp.getThenBranch().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseBranch(),
                                ifOp.getElseBranch().end());
    rewriter.replaceOpWithMultiple(
        op, regroup(op.getResultTypes(), ifOp.getResults()));
    return success();
  }
};

struct LoopExpansion : OpConversionPattern<LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LoopOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto first = [](ValueRange range) {
      return range.empty() ? Value() : range.front();
    };
    auto loop = LoopOp::create(
        rewriter, op.getLoc(), getCarrierTypes(op.getResultTypes()),
        first(adaptor.getMaxTripCount()), first(adaptor.getCond()),
        flatten(adaptor.getInits()));
    rewriter.inlineRegionBefore(op.getBody(), loop.getBody(),
                                loop.getBody().end());
    if (failed(
            rewriter.convertRegionTypes(&loop.getBody(), *getTypeConverter())))
      return failure();
    rewriter.replaceOpWithMultiple(
        op, regroup(op.getResultTypes(), loop.getResults()));
    return success();
  }
};

/// The interface attributes of the tensors that carry an argument or
/// result of `type` described by `attrs` (the importer's: name, element
/// type, dim names).
void appendCarrierAttrs(DictionaryAttr attrs, Type type,
                        SmallVectorImpl<DictionaryAttr> &carriers) {
  if (!isCarriedByTensors(type) || !attrs) {
    SmallVector<Type> types;
    getCarrierTypes(type, types);
    carriers.append(types.size(), attrs);
    return;
  }
  Builder b(type.getContext());
  auto describe = [&](int32_t elemType, int64_t rank, StringRef role,
                      ArrayRef<NamedAttribute> extra = {}) {
    SmallVector<NamedAttribute> entries = {
        b.getNamedAttr(seqc::attrs::kName, attrs.get(seqc::attrs::kName)),
        b.getNamedAttr(seqc::attrs::kElemType, b.getI32IntegerAttr(elemType)),
        b.getNamedAttr(seqc::attrs::kDimNames,
                       b.getStrArrayAttr(SmallVector<StringRef>(rank, ""))),
        b.getNamedAttr(seqc::attrs::kRole, b.getStringAttr(role))};
    llvm::append_range(entries, extra);
    carriers.push_back(b.getDictionaryAttr(entries));
  };
  if (auto optional = dyn_cast<OptionalType>(type)) {
    describe(/*BOOL*/ 9, 0, seqc::attrs::kRolePresent);
    appendCarrierAttrs(attrs, optional.getValueType(), carriers);
    return;
  }
  TensorType element = cast<SequenceType>(type).getElementType();
  describe(attrs.getAs<IntegerAttr>(seqc::attrs::kElemType).getInt(), 1,
           seqc::attrs::kRoleSequenceData);
  SmallVector<NamedAttribute> dims;
  if (element.hasRank()) {
    SmallVector<int64_t> declared;
    for (int64_t d : element.getShape())
      declared.push_back(ShapedType::isDynamic(d) ? -1 : d);
    dims.push_back(
        b.getNamedAttr(seqc::attrs::kElementDims, b.getI64ArrayAttr(declared)));
  }
  describe(/*INT64*/ 7, 2, seqc::attrs::kRoleSequenceShapes, dims);
}

/// The model function: each sequence or optional argument and result
/// becomes its carriers, with interface attributes for each.
struct FuncExpansion : OpConversionPattern<func::FuncOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::FuncOp func, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FunctionType type = func.getFunctionType();
    TypeConverter::SignatureConversion signature(type.getNumInputs());
    SmallVector<DictionaryAttr> argAttrs, resultAttrs;
    for (auto [i, input] : llvm::enumerate(type.getInputs())) {
      SmallVector<Type> carriers;
      getCarrierTypes(input, carriers);
      signature.addInputs(i, carriers);
      appendCarrierAttrs(func.getArgAttrDict(i), input, argAttrs);
    }
    for (auto [i, result] : llvm::enumerate(type.getResults()))
      appendCarrierAttrs(func.getResultAttrDict(i), result, resultAttrs);
    rewriter.applySignatureConversion(&func.getBody().front(), signature,
                                      getTypeConverter());
    rewriter.modifyOpInPlace(func, [&] {
      func.setType(FunctionType::get(getContext(),
                                     signature.getConvertedTypes(),
                                     getCarrierTypes(type.getResults())));
      func.setAllArgAttrs(argAttrs);
      func.setAllResultAttrs(resultAttrs);
    });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// A value of `type` (a sequence or an optional) as the `expected` type of
/// its use, which may be an optional holding it.
Value coerce(OpBuilder &b, Location loc, Value value, Type expected) {
  if (value.getType() == expected || !isa<OptionalType>(expected) ||
      isa<OptionalType>(value.getType()))
    return value;
  return OptionalOp::create(b, loc, value, TypeAttr());
}

/// Where a branch or a Loop yields a value for an optional (ONNX allows
/// it), wraps the value in onnx.Optional; likewise for a Loop's initial
/// values.
void wrapValuesOfOptionals(ModuleOp module) {
  module.walk([](Operation *op) {
    auto yield = dyn_cast<YieldOp>(op);
    if (yield) {
      Operation *parent = yield->getParentOp();
      SmallVector<Type> expected;
      if (auto ifOp = dyn_cast<IfOp>(parent))
        llvm::append_range(expected, ifOp.getResultTypes());
      else if (auto loop = dyn_cast<LoopOp>(parent))
        llvm::append_range(expected,
                           llvm::drop_begin(loop.getBody().getArgumentTypes()));
      OpBuilder b(yield);
      for (auto [i, type] : llvm::enumerate(expected))
        if (i < yield->getNumOperands())
          yield->setOperand(
              i, coerce(b, yield.getLoc(), yield->getOperand(i), type));
    }
    if (auto loop = dyn_cast<LoopOp>(op)) {
      OpBuilder b(loop);
      for (auto [init, arg] :
           llvm::zip(loop.getInitsMutable(),
                     loop.getBody().getArguments().drop_front(2)))
        init.set(coerce(b, loop.getLoc(), init.get(), arg.getType()));
    }
  });
}

/// Whether a tensor's static sizes alone make more than 2^40 values.
bool exceedsSequenceElementSize(RankedTensorType type) {
  constexpr int64_t kMaxValues = int64_t(1) << 40;
  int64_t values = 1;
  for (int64_t size : type.getShape())
    if (!ShapedType::isDynamic(size) &&
        (llvm::MulOverflow(values, size, values) || values > kMaxValues))
      return true;
  return false;
}

/// What the expansion cannot carry, refused at the node.
LogicalResult checkCarriable(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    for (Value value : op->getResults()) {
      auto optional = dyn_cast<OptionalType>(value.getType());
      auto tensor = optional ? dyn_cast<TensorType>(optional.getValueType())
                             : TensorType();
      if (tensor && !tensor.hasRank()) {
        op->emitOpError("an optional tensor of unknown rank is not "
                        "supported: seqc compiles tensors at a known rank");
        return WalkResult::interrupt();
      }
    }
    if (isa<ScanOp>(op) &&
        llvm::any_of(op->getOperandTypes(), isCarriedByTensors)) {
      op->emitOpError("sequences and optionals as Scan states are not "
                      "supported");
      return WalkResult::interrupt();
    }
    if (isa<SequenceConstructOp, SequenceInsertOp>(op)) {
      for (Value operand : op->getOperands()) {
        auto type = dyn_cast<RankedTensorType>(operand.getType());
        if (!type)
          continue;
        if (type.getRank() > kMaxRank) {
          op->emitOpError("sequence elements of rank above ")
              << kMaxRank << " are not supported, found " << type;
          return WalkResult::interrupt();
        }
        // The elements lie end to end in one flat tensor, whose size must
        // fit in int64 (found by seqc-GraphFuzzer: two elements of
        // INT64_MAX values).
        if (exceedsSequenceElementSize(type)) {
          op->emitOpError("sequence elements of more than 2^40 values are "
                          "not supported, found ")
              << type;
          return WalkResult::interrupt();
        }
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct OnnxExpandSequences
    : seqc::impl::OnnxExpandSequencesBase<OnnxExpandSequences> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool any = false;
    module.walk([&](Operation *op) {
      any |= isSequenceOrOptionalOp(op) ||
             llvm::any_of(op->getResultTypes(), isCarriedByTensors) ||
             llvm::any_of(op->getOperandTypes(), isCarriedByTensors);
    });
    module.walk([&](func::FuncOp func) {
      any |= llvm::any_of(func.getArgumentTypes(), isCarriedByTensors);
    });
    if (!any)
      return;
    if (failed(checkCarriable(module)))
      return signalPassFailure();
    wrapValuesOfOptionals(module);

    TypeConverter converter;
    converter.addConversion(
        [](Type type, SmallVectorImpl<Type> &results) -> LogicalResult {
          getCarrierTypes(type, results);
          return success();
        });
    ConversionTarget target(getContext());
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (isSequenceOrOptionalOp(op))
        return false;
      if (auto func = dyn_cast<func::FuncOp>(op))
        return converter.isSignatureLegal(func.getFunctionType());
      return converter.isLegal(op) &&
             llvm::all_of(op->getRegions(), [&](Region &region) {
               return converter.isLegal(&region);
             });
    });
    RewritePatternSet patterns(&getContext());
    patterns
        .add<SequenceEmptyExpansion, SequenceConstructExpansion,
             SequenceInsertExpansion, SequenceAtExpansion,
             SequenceLengthExpansion, SequenceEraseExpansion, OptionalExpansion,
             OptionalHasElementExpansion, OptionalGetElementExpansion,
             IdentityExpansion, YieldExpansion, ReturnExpansion,
             BranchErrorExpansion, IfExpansion, LoopExpansion, FuncExpansion>(
            converter, &getContext());
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
