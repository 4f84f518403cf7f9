// C for ConvTranspose nodes: one mtc_conv_transpose2d_f32 call with a static geometry struct (1-D
// uses h = 1).
#include "codegen/emitter.h"
#include "codegen/kernels/window_params.h"
#include "ops/conv_transpose_geometry.h"

namespace mtc {

namespace {

void emit_conv_transpose(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape, &w = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_transpose_window(ctx.attrs(), x, w, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  int64_t group = ctx.attrs().get_int("group", 1);
  ctx.use_kernel("mtc_conv_transpose2d_f32");
  ctx.line("{");
  emit_params_struct(ctx, "mtc_conv_transpose2d_params",
                     {{"n", x[0]},
                      {"c", x[1]},
                      {"h", g.in[0]},
                      {"w", g.in[1]},
                      {"oc", w[1] * group},
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
  ctx.line("  mtc_conv_transpose2d_f32(&p, " + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " +
           (ctx.has_input(2) ? ctx.in_ptr(2) : std::string("NULL")) + ", " + ctx.out_ptr(0) + ", " +
           ctx.act_expr() + ");");
  ctx.line("}");
}

}  // namespace

MTC_REGISTER_EMITTER("ConvTranspose", emit_conv_transpose)

}  // namespace mtc
