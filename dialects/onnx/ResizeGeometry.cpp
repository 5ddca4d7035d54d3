//===- ResizeGeometry.cpp - What ONNX Resize does to each dimension -------===//
//
// Resize's attributes and its roi/scales/sizes inputs resolved into one
// description per dimension of X (ResizeGeometry): the output size, the
// scale where it is known, and the region of interest. Shape inference and
// the lowering both read it, so they agree.
//
//===----------------------------------------------------------------------===//

#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace seqc::onnx;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// The values of a constant float tensor, as doubles.
static std::optional<SmallVector<double>> getConstantFloats(Value v) {
  Attribute attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto dense = dyn_cast<DenseFPElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &f : dense.getValues<APFloat>())
    values.push_back(f.convertToDouble());
  return values;
}

/// An optional input given as an empty tensor counts as absent (exporters
/// write empty `scales` next to `sizes`).
static Value presentOrNull(Value v) {
  if (!v)
    return v;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (type && type.hasStaticShape() && type.getNumElements() == 0)
    return Value();
  return v;
}

FailureOr<ResizeGeometry> seqc::onnx::getResizeGeometry(ResizeOp::Adaptor op,
                                                        const OpError &error) {
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType)
    return error("resize_c1: X must have a known rank, found ")
           << op.getX().getType();
  int64_t rank = xType.getRank();
  StringRef mode = op.getMode(), transform = op.getCoordinateTransformationMode(),
            nearest = op.getNearestMode(), policy = op.getKeepAspectRatioPolicy();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return error("resize_c2: unknown mode '") << mode << "'";
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                           "pytorch_half_pixel", "align_corners", "asymmetric",
                           "tf_crop_and_resize"},
                          transform))
    return error("resize_c2: unknown coordinate_transformation_mode '")
           << transform << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}, nearest))
    return error("resize_c2: unknown nearest_mode '") << nearest << "'";
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return error("resize_c2: unknown keep_aspect_ratio_policy '")
           << policy << "'";
  if (op.getAntialias() != 0 && mode == "nearest")
    return error("resize_c2: antialias applies to linear and cubic "
                 "modes only");

  ResizeGeometry g;
  g.resized.assign(rank, false);
  g.inputIndex.assign(rank, -1);
  SmallVector<int64_t> axes;
  if (std::optional<ArrayAttr> list = op.getAxes()) {
    for (Attribute a : *list) {
      int64_t axis = cast<IntegerAttr>(a).getInt();
      if (axis < -rank || axis >= rank)
        return error("resize_c3: axis ")
               << axis << " is out of range for rank " << rank;
      axis = axis < 0 ? axis + rank : axis;
      if (g.resized[axis])
        return error("resize_c3: axis ") << axis << " is repeated";
      g.resized[axis] = true;
      g.inputIndex[axis] = axes.size();
      axes.push_back(axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d) {
      g.resized[d] = true;
      g.inputIndex[d] = d;
      axes.push_back(d);
    }
  }
  int64_t count = axes.size();

  Value scales = presentOrNull(op.getScales()),
        sizes = presentOrNull(op.getSizes());
  if ((scales == nullptr) == (sizes == nullptr))
    return error("resize_c4: exactly one of scales and sizes must be "
                 "given");
  Value given = scales ? scales : sizes;
  auto givenType = dyn_cast<RankedTensorType>(given.getType());
  if (!givenType || givenType.getRank() != 1 ||
      (!givenType.isDynamicDim(0) && givenType.getDimSize(0) != count))
    return error("resize_c4: ")
           << (scales ? "scales" : "sizes") << " must be 1-D with " << count
           << " values, found " << given.getType();
  if (scales ? !isa<FloatType>(givenType.getElementType())
             : !givenType.getElementType().isInteger(64))
    return error("resize_c4: scales must be floats and sizes int64, "
                 "found ")
           << given.getType();
  g.fromScales = scales != nullptr;

  g.sizes.assign(xType.getShape().begin(), xType.getShape().end());
  g.scales.assign(rank, 1.0);
  for (int64_t d : axes) {
    g.sizes[d] = kDynamic;
    g.scales[d] = std::nullopt;
  }
  if (scales) {
    if (std::optional<SmallVector<double>> values = getConstantFloats(scales)) {
      for (int64_t d : axes) {
        double scale = (*values)[g.inputIndex[d]];
        if (!(scale > 0))
          return error("resize_c5: scales must be positive, found ") << scale;
        g.scales[d] = scale;
        if (!xType.isDynamicDim(d))
          g.sizes[d] = static_cast<int64_t>(scale * xType.getDimSize(d));
      }
    }
  } else if (std::optional<SmallVector<int64_t>> values =
                 getConstantInts(sizes)) {
    for (int64_t d : axes) {
      int64_t size = (*values)[g.inputIndex[d]];
      if (size < 0)
        return error("resize_c5: sizes must not be negative, found ") << size;
      g.sizes[d] = size;
      if (!xType.isDynamicDim(d))
        g.scales[d] = double(size) / double(xType.getDimSize(d));
    }
    if (policy != "stretch") {
      // One scale for all axes (the smallest or the largest), the sizes
      // rounded from it; at run time unless every scale is known.
      std::optional<double> common;
      bool known = llvm::all_of(axes, [&](int64_t d) { return g.scales[d]; });
      for (int64_t d : axes)
        if (known && (!common || (policy == "not_larger"
                                      ? *g.scales[d] < *common
                                      : *g.scales[d] > *common)))
          common = g.scales[d];
      for (int64_t d : axes) {
        g.scales[d] = common;
        g.sizes[d] = common ? static_cast<int64_t>(
                                  *common * xType.getDimSize(d) + 0.5)
                            : kDynamic;
      }
    }
  }
  g.roiStart.assign(rank, 0.0);
  g.roiEnd.assign(rank, 1.0);
  if (transform == "tf_crop_and_resize") {
    Value roi = presentOrNull(op.getRoi());
    auto roiType = roi ? dyn_cast<RankedTensorType>(roi.getType()) : nullptr;
    if (!roiType || roiType.getRank() != 1 ||
        !isa<FloatType>(roiType.getElementType()) ||
        (!roiType.isDynamicDim(0) && roiType.getDimSize(0) != 2 * count))
      return error("resize_c7: tf_crop_and_resize needs roi, 1-D "
                   "floats with ")
             << 2 * count << " values, found "
             << (roi ? roi.getType() : Type());
    if (std::optional<SmallVector<double>> values = getConstantFloats(roi)) {
      for (int64_t d : axes) {
        g.roiStart[d] = (*values)[g.inputIndex[d]];
        g.roiEnd[d] = (*values)[count + g.inputIndex[d]];
      }
    } else {
      g.roiAtRunTime = true;
    }
  }
  return g;
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  OpError error(context, loc, getOperationName());
  FailureOr<ResizeGeometry> g = getResizeGeometry(adaptor, error);
  if (failed(g))
    return failure();
  types.push_back(RankedTensorType::get(
      g->sizes,
      cast<RankedTensorType>(adaptor.getX().getType()).getElementType()));
  return success();
}
