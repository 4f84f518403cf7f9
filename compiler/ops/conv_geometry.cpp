// Output sizes and padding of sliding-window ops (Conv, MaxPool, AveragePool) per ONNX.
#include "ops/conv_geometry.h"

#include <algorithm>

namespace mtc {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

}  // namespace

bool read_window_ints(const Attributes &a, const char *name, size_t rank, int64_t def, int64_t min,
               std::vector<int64_t> &out, std::string &why) {
  out = a.get_ints(name, std::vector<int64_t>(rank, def));
  if (out.size() != rank) {
    why = std::string(name) + " has " + std::to_string(out.size()) + " values; expected " +
          std::to_string(rank);
    return false;
  }
  for (int64_t v : out)
    if (v < min || v > kMaxWindowAttr) {
      why = std::string(name) + " value " + std::to_string(v) + " is out of range";
      return false;
    }
  return true;
}

bool window_geometry(const Attributes &a, const std::vector<int64_t> &in, const std::vector<int64_t> &kernel,
                     bool allow_ceil, bool use_dilations, WindowGeometry &g, std::string &why) {
  size_t rank = in.size();
  g = WindowGeometry{};
  g.in = in;
  g.kernel = kernel;
  if (kernel.size() != rank) {
    why = "kernel has " + std::to_string(kernel.size()) + " spatial axes but the input has " +
          std::to_string(rank);
    return false;
  }
  for (int64_t k : kernel)
    if (k < 1 || k > kMaxWindowAttr) {
      why = "kernel size " + std::to_string(k) + " is out of range";
      return false;
    }
  if (!read_window_ints(a, "strides", rank, 1, 1, g.stride, why)) return false;
  if (use_dilations) {
    if (!read_window_ints(a, "dilations", rank, 1, 1, g.dilation, why)) return false;
  } else {
    g.dilation.assign(rank, 1);
  }
  std::vector<int64_t> pads;
  if (!read_window_ints(a, "pads", 2 * rank, 0, 0, pads, why)) return false;
  std::string auto_pad = a.get_string("auto_pad", "NOTSET");
  bool ceil_mode = allow_ceil && a.get_int("ceil_mode", 0) != 0;
  g.pad_begin.assign(rank, 0);
  g.pad_end.assign(rank, 0);
  g.out.assign(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    int64_t extent = (kernel[d] - 1) * g.dilation[d] + 1, s = g.stride[d];
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      g.out[d] = ceil_div(in[d], s);
      int64_t total = std::max<int64_t>(0, (g.out[d] - 1) * s + extent - in[d]);
      g.pad_begin[d] = auto_pad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
      g.pad_end[d] = total - g.pad_begin[d];
      continue;
    }
    if (auto_pad == "NOTSET") {
      g.pad_begin[d] = pads[d];
      g.pad_end[d] = pads[rank + d];
    } else if (auto_pad != "VALID") {
      why = "auto_pad '" + auto_pad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID";
      return false;
    }
    if (in[d] + g.pad_begin[d] + g.pad_end[d] > kMaxWindowAttr) {
      why = "the padded input is too large on spatial axis " + std::to_string(d);
      return false;
    }
    int64_t span = in[d] + g.pad_begin[d] + g.pad_end[d] - extent;
    if (span < 0) {
      why = "the kernel (extent " + std::to_string(extent) +
            " with dilation) is larger than the padded input (" +
            std::to_string(in[d] + g.pad_begin[d] + g.pad_end[d]) + ") on spatial axis " + std::to_string(d);
      return false;
    }
    g.out[d] = (ceil_mode ? ceil_div(span, s) : span / s) + 1;
    // ONNX/PyTorch: with ceil_mode the last window must start inside the input or the left padding.
    if (ceil_mode && (g.out[d] - 1) * s >= in[d] + g.pad_begin[d]) --g.out[d];
  }
  return true;
}

namespace {

bool check_spatial_rank(const Shape &x, const char *what, std::string &why) {
  if (x.size() < 3) {
    why = "input must have rank >= 3 (N, C, spatial...), got " + shape_str(x);
    return false;
  }
  if (x.size() > 4) {
    why = std::to_string(x.size() - 2) + "-D " + what + " is not supported (only 1-D and 2-D)";
    return false;
  }
  for (int64_t d : x)
    if (d < 1) {
      why = "empty input " + shape_str(x) + " is not supported";
      return false;
    }
  return true;
}

}  // namespace

bool conv_window(const Attributes &a, const Shape &x, const Shape &w, WindowGeometry &g, std::string &why) {
  if (!check_spatial_rank(x, "convolution", why)) return false;
  if (w.size() != x.size()) {
    why = "weights " + shape_str(w) + " must have the same rank as the input " + shape_str(x);
    return false;
  }
  if (w[0] < 1 || w[1] < 1) {
    why = "empty weights " + shape_str(w) + " are not supported";
    return false;
  }
  std::vector<int64_t> kernel(w.begin() + 2, w.end());
  if (a.has("kernel_shape") && a.get_ints("kernel_shape") != kernel) {
    why = "kernel_shape does not match the weights " + shape_str(w);
    return false;
  }
  return window_geometry(a, std::vector<int64_t>(x.begin() + 2, x.end()), kernel, false, true, g, why);
}

bool pool_window(const Attributes &a, const Shape &x, WindowGeometry &g, std::string &why) {
  if (!check_spatial_rank(x, "pooling", why)) return false;
  if (!a.has("kernel_shape")) {
    why = "the kernel_shape attribute is required";
    return false;
  }
  return window_geometry(a, std::vector<int64_t>(x.begin() + 2, x.end()), a.get_ints("kernel_shape"), true,
                         true, g, why);
}

WindowGeometry as_2d(const WindowGeometry &g) {
  if (g.rank() != 1) return g;
  WindowGeometry r;
  auto two = [](int64_t first, const std::vector<int64_t> &v) { return std::vector<int64_t>{first, v[0]}; };
  r.in = two(1, g.in);
  r.kernel = two(1, g.kernel);
  r.stride = two(1, g.stride);
  r.dilation = two(1, g.dilation);
  r.pad_begin = two(0, g.pad_begin);
  r.pad_end = two(0, g.pad_end);
  r.out = two(1, g.out);
  return r;
}

void window_taps(const WindowGeometry &g, size_t axis, int64_t o, int64_t &first, int64_t &last) {
  int64_t start = o * g.stride[axis] - g.pad_begin[axis], d = g.dilation[axis];
  first = start < 0 ? ceil_div(-start, d) : 0;
  last = std::min(g.kernel[axis], ceil_div(g.in[axis] - start, d));
  if (first > g.kernel[axis]) first = g.kernel[axis];
  if (last < first) last = first;
}

}  // namespace mtc
