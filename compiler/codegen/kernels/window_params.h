// Prints the static geometry struct that the conv and pool kernels take, readably wrapped.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "codegen/emitter.h"
#include "ops/conv_geometry.h"

namespace mtc {

// Emits `static const TYPE p = {.field = value, ...};` (C99 designated initializers), a few fields per line.
inline void emit_params_struct(EmitContext &ctx, const std::string &type,
                               const std::vector<std::pair<const char *, int64_t>> &fields) {
  ctx.line("  static const " + type + " p = {");
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string f = std::string(".") + fields[i].first + " = " + std::to_string(fields[i].second) +
                    (i + 1 < fields.size() ? "," : "};");
    if (!line.empty() && line.size() + f.size() > 90) {
      ctx.line("      " + line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + f;
  }
  ctx.line("      " + line);
}

// `static const TYPE p` for a convolution-shaped kernel: input x, `oc` output channels, 2-D
// geometry g, `group` groups (mtc_conv2d_params and mtc_conv_transpose2d_params share the fields).
inline void emit_conv_like_params(EmitContext &ctx, const std::string &type, const Shape &x, int64_t oc,
                                  const WindowGeometry &g, int64_t group) {
  emit_params_struct(ctx, type,
                     {{"n", x[0]},
                      {"c", x[1]},
                      {"h", g.in[0]},
                      {"w", g.in[1]},
                      {"oc", oc},
                      {"oh", g.out[0]},
                      {"ow", g.out[1]},
                      {"kh", g.kernel[0]},
                      {"kw", g.kernel[1]},
                      {"stride_h", g.stride[0]},
                      {"stride_w", g.stride[1]},
                      {"dilation_h", g.dilation[0]},
                      {"dilation_w", g.dilation[1]},
                      {"pad_top", g.pad_begin[0]},
                      {"pad_left", g.pad_begin[1]},
                      {"group", group}});
}

// `static const mtc_conv2d_params p` for input x, weights w (2-D geometry g) and the node's group.
inline void emit_conv2d_params(EmitContext &ctx, const Shape &x, const Shape &w, const WindowGeometry &g) {
  emit_conv_like_params(ctx, "mtc_conv2d_params", x, w[0], g, ctx.attrs().get_int("group", 1));
}

// `static const mtc_pool2d_params p` for input x over the 2-D window geometry g.
inline void emit_pool2d_params(EmitContext &ctx, const Shape &x, const WindowGeometry &g, int64_t count_include_pad) {
  emit_params_struct(ctx, "mtc_pool2d_params",
                     {{"planes", x[0] * x[1]},
                      {"h", g.in[0]},
                      {"w", g.in[1]},
                      {"oh", g.out[0]},
                      {"ow", g.out[1]},
                      {"kh", g.kernel[0]},
                      {"kw", g.kernel[1]},
                      {"stride_h", g.stride[0]},
                      {"stride_w", g.stride[1]},
                      {"dilation_h", g.dilation[0]},
                      {"dilation_w", g.dilation[1]},
                      {"pad_top", g.pad_begin[0]},
                      {"pad_left", g.pad_begin[1]},
                      {"pad_bottom", g.pad_end[0]},
                      {"pad_right", g.pad_end[1]},
                      {"count_include_pad", count_include_pad}});
}

}  // namespace mtc
