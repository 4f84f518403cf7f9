// Sliding-window geometry shared by Conv and the pooling ops: output sizes and the begin/end
// padding implied by kernel_shape, strides, dilations, pads, auto_pad and ceil_mode (ONNX rules).
#pragma once
#include <string>
#include <vector>

#include "ir/attributes.h"
#include "ir/dtype.h"

namespace mtc {

// One entry per spatial axis.
struct WindowGeometry {
  std::vector<int64_t> in, kernel, stride, dilation, pad_begin, pad_end, out;
  size_t rank() const { return in.size(); }
};

// Computes the window geometry of a node with these attributes over the spatial sizes `in`, for a
// kernel of spatial size `kernel` (already checked against kernel_shape by the caller). With
// `allow_ceil` the node's ceil_mode attribute applies (pooling); `use_dilations` is false for ops
// without dilations. Returns false with a reason in `why` for inconsistent attributes.
// Attribute values beyond this are hostile: keeps every product of two of them inside int64.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 28;

// Reads a per-spatial-axis integer attribute (default `def` on every axis), checking its length
// and that every value lies in [min, kMaxWindowAttr]; `why` explains a failure.
bool read_window_ints(const Attributes &a, const char *name, size_t rank, int64_t def, int64_t min,
                      std::vector<int64_t> &out, std::string &why);

bool window_geometry(const Attributes &a, const std::vector<int64_t> &in, const std::vector<int64_t> &kernel,
                     bool allow_ceil, bool use_dilations, WindowGeometry &g, std::string &why);

// Conv: X [N, C, spatial...], W [M, C/group, kernel...]; checks ranks, kernel_shape against W and
// that the spatial rank is 1 or 2 (the C kernels are 2-D).
bool conv_window(const Attributes &a, const Shape &x, const Shape &w, WindowGeometry &g, std::string &why);
// MaxPool / AveragePool: X [N, C, spatial...] with the required kernel_shape attribute.
bool pool_window(const Attributes &a, const Shape &x, WindowGeometry &g, std::string &why);
// The same geometry with a leading unit axis when it is 1-D, so 1-D ops run through 2-D kernels.
WindowGeometry as_2d(const WindowGeometry &g);

// The first and one-past-last kernel taps of output position `o` on one axis that read inside
// the input (the others read padding).
void window_taps(const WindowGeometry &g, size_t axis, int64_t o, int64_t &first, int64_t &last);

}  // namespace mtc
