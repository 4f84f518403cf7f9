// Prints the static geometry struct that the conv and pool kernels take, readably wrapped.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "codegen/emitter.h"
#include "ops/conv_geometry.h"

namespace mtc {

// Emits `static const TYPE VAR = {.field = value, ...};` (C99 designated initializers), a few
// fields per line.
inline void emit_struct(EmitContext &ctx, const std::string &type, const std::string &var,
                        const std::vector<std::pair<std::string, std::string>> &fields) {
  ctx.line("  static const " + type + " " + var + " = {");
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string f = "." + fields[i].first + " = " + fields[i].second + (i + 1 < fields.size() ? "," : "};");
    if (!line.empty() && line.size() + f.size() > 90) {
      ctx.line("      " + line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + f;
  }
  ctx.line("      " + line);
}

// `static const TYPE p = {...}` with integer fields.
inline void emit_params_struct(EmitContext &ctx, const std::string &type,
                               const std::vector<std::pair<const char *, int64_t>> &fields) {
  std::vector<std::pair<std::string, std::string>> text;
  for (const auto &[name, value] : fields) text.emplace_back(name, std::to_string(value));
  emit_struct(ctx, type, "p", text);
}

// The window fields that the convolution and pooling geometry structs share (2-D geometry g).
inline std::vector<std::pair<const char *, int64_t>> window_fields(const WindowGeometry &g) {
  return {{"h", g.in[0]},          {"w", g.in[1]},          {"oh", g.out[0]},          {"ow", g.out[1]},
          {"kh", g.kernel[0]},     {"kw", g.kernel[1]},     {"stride_h", g.stride[0]}, {"stride_w", g.stride[1]},
          {"dilation_h", g.dilation[0]}, {"dilation_w", g.dilation[1]}, {"pad_top", g.pad_begin[0]},
          {"pad_left", g.pad_begin[1]}};
}

// The fields of a convolution-shaped kernel's geometry: input x, `oc` output channels, 2-D
// geometry g, `group` groups (mtc_conv2d_params and mtc_conv_transpose2d_params share them).
inline std::vector<std::pair<const char *, int64_t>> conv_like_fields(const Shape &x, int64_t oc,
                                                                      const WindowGeometry &g, int64_t group) {
  std::vector<std::pair<const char *, int64_t>> f = {{"n", x[0]}, {"c", x[1]}, {"oc", oc}};
  for (const auto &w : window_fields(g)) f.push_back(w);
  f.emplace_back("group", group);
  return f;
}

// `static const TYPE p` for a convolution-shaped kernel (conv_like_fields).
inline void emit_conv_like_params(EmitContext &ctx, const std::string &type, const Shape &x, int64_t oc,
                                  const WindowGeometry &g, int64_t group) {
  emit_params_struct(ctx, type, conv_like_fields(x, oc, g, group));
}

// mtc_conv2d_params holds the plane sizes in 32 bits and the other fields in 16 (runtime
// mtc_conv.h): a layer beyond them gets a clear error, never a truncated field.
inline void check_conv2d_fields(EmitContext &ctx, const std::vector<std::pair<const char *, int64_t>> &fields) {
  for (const auto &[name, value] : fields) {
    const std::string f = name;
    const bool plane = f == "h" || f == "w" || f == "oh" || f == "ow";
    const int64_t max = plane ? INT32_MAX : 65535;
    if (value < 0 || value > max)
      ctx.fail("its convolution " + f + " of " + std::to_string(value) + " is beyond what the kernels take (0.." +
               std::to_string(max) + ")");
  }
}

// `static const mtc_conv2d_params p` (checked fields).
inline void emit_conv2d_fields(EmitContext &ctx, const Shape &x, int64_t oc, const WindowGeometry &g, int64_t group) {
  const auto fields = conv_like_fields(x, oc, g, group);
  check_conv2d_fields(ctx, fields);
  emit_params_struct(ctx, "mtc_conv2d_params", fields);
}

// The same fields as a brace initializer, for a geometry inside a larger struct.
inline std::string conv_params_initializer(EmitContext &ctx, const Shape &x, int64_t oc, const WindowGeometry &g,
                                           int64_t group) {
  check_conv2d_fields(ctx, conv_like_fields(x, oc, g, group));
  std::string out = "{";
  for (const auto &[name, value] : conv_like_fields(x, oc, g, group))
    out += std::string(out.size() > 1 ? ", ." : ".") + name + " = " + std::to_string(value);
  return out + "}";
}

// `static const mtc_conv2d_params p` for input x, weights w (2-D geometry g) and the node's group.
inline void emit_conv2d_params(EmitContext &ctx, const Shape &x, const Shape &w, const WindowGeometry &g) {
  emit_conv2d_fields(ctx, x, w[0], g, ctx.attrs().get_int("group", 1));
}

// `static const mtc_pool2d_params p` for input x over the 2-D window geometry g.
inline void emit_pool2d_params(EmitContext &ctx, const Shape &x, const WindowGeometry &g, int64_t count_include_pad) {
  std::vector<std::pair<const char *, int64_t>> f = {{"planes", x[0] * x[1]}};
  for (const auto &w : window_fields(g)) f.push_back(w);
  f.insert(f.end(), {{"pad_bottom", g.pad_end[0]}, {"pad_right", g.pad_end[1]}, {"count_include_pad", count_include_pad}});
  emit_params_struct(ctx, "mtc_pool2d_params", f);
}

}  // namespace mtc
