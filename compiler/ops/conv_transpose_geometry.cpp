// ConvTranspose geometry: out = stride*(in-1) + output_padding + dilated kernel - pads, or the pads
// implied by output_shape / auto_pad (ONNX rules).
#include "ops/conv_transpose_geometry.h"

namespace mtc {

namespace {

// Python-style floor division by 2: the ONNX split of a (possibly negative) total padding.
int64_t floor_half(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

}  // namespace

bool conv_transpose_window(const Attributes &a, const Shape &x, const Shape &w, WindowGeometry &g,
                           std::string &why) {
  if (x.size() < 3) {
    why = "input must have rank >= 3 (N, C, spatial...), got " + shape_str(x);
    return false;
  }
  if (x.size() > 4) {
    why = std::to_string(x.size() - 2) + "-D transposed convolution is not supported (only 1-D and 2-D)";
    return false;
  }
  for (int64_t d : x)
    if (d < 1 || d > kMaxWindowAttr) {
      why = "input shape " + shape_str(x) + " is empty or too large";
      return false;
    }
  if (w.size() != x.size()) {
    why = "weights " + shape_str(w) + " must have the same rank as the input " + shape_str(x);
    return false;
  }
  for (int64_t d : w)
    if (d < 1 || d > kMaxWindowAttr) {
      why = "weights shape " + shape_str(w) + " is empty or too large";
      return false;
    }
  size_t rank = x.size() - 2;
  g = WindowGeometry{};
  g.in.assign(x.begin() + 2, x.end());
  g.kernel.assign(w.begin() + 2, w.end());
  if (a.has("kernel_shape") && a.get_ints("kernel_shape") != g.kernel) {
    why = "kernel_shape does not match the weights " + shape_str(w);
    return false;
  }
  std::vector<int64_t> pads, out_pad;
  if (!read_window_ints(a, "strides", rank, 1, 1, g.stride, why)) return false;
  if (!read_window_ints(a, "dilations", rank, 1, 1, g.dilation, why)) return false;
  if (!read_window_ints(a, "pads", 2 * rank, 0, 0, pads, why)) return false;
  if (!read_window_ints(a, "output_padding", rank, 0, 0, out_pad, why)) return false;
  for (size_t d = 0; d < rank; ++d)
    if (out_pad[d] >= g.stride[d] && out_pad[d] >= g.dilation[d]) {
      why = "output_padding " + std::to_string(out_pad[d]) + " on spatial axis " + std::to_string(d) +
            " must be smaller than the stride or the dilation";
      return false;
    }
  std::vector<int64_t> out_shape;
  bool has_out_shape = a.has("output_shape");
  if (has_out_shape) {
    out_shape = a.get_ints("output_shape");
    // Some exporters give the full N, C, spatial... shape: only the spatial part matters.
    if (out_shape.size() == rank + 2) out_shape.erase(out_shape.begin(), out_shape.begin() + 2);
    if (out_shape.size() != rank) {
      why = "output_shape has " + std::to_string(a.get_ints("output_shape").size()) + " values; expected " +
            std::to_string(rank);
      return false;
    }
    for (int64_t v : out_shape)
      if (v < 1 || v > kMaxWindowAttr) {
        why = "output_shape value " + std::to_string(v) + " is out of range";
        return false;
      }
  }
  std::string auto_pad = a.get_string("auto_pad", "NOTSET");
  bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
  if (!same && auto_pad != "NOTSET" && auto_pad != "VALID") {
    why = "auto_pad '" + auto_pad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID";
    return false;
  }
  g.pad_begin.assign(rank, 0);
  g.pad_end.assign(rank, 0);
  g.out.assign(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    // The full transposed output, before any padding is removed.
    int64_t full = g.stride[d] * (g.in[d] - 1) + out_pad[d] + (g.kernel[d] - 1) * g.dilation[d] + 1;
    if (has_out_shape || same) {
      g.out[d] = has_out_shape ? out_shape[d] : g.in[d] * g.stride[d];
      int64_t total = full - g.out[d];
      if (auto_pad == "SAME_UPPER") {
        g.pad_begin[d] = floor_half(total);
        g.pad_end[d] = total - g.pad_begin[d];
      } else {
        g.pad_end[d] = floor_half(total);
        g.pad_begin[d] = total - g.pad_end[d];
      }
    } else {
      if (auto_pad == "NOTSET") {
        g.pad_begin[d] = pads[d];
        g.pad_end[d] = pads[rank + d];
      }
      g.out[d] = full - g.pad_begin[d] - g.pad_end[d];
    }
    if (g.out[d] < 1) {
      why = "output size " + std::to_string(g.out[d]) + " on spatial axis " + std::to_string(d) +
            " is not positive: the pads remove more than the full output of " + std::to_string(full);
      return false;
    }
    if (g.out[d] > kMaxWindowAttr) {
      why = "output size " + std::to_string(g.out[d]) + " on spatial axis " + std::to_string(d) +
            " is too large";
      return false;
    }
  }
  return true;
}

}  // namespace mtc
