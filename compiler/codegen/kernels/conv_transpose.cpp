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
  emit_conv_like_params(ctx, "mtc_conv_transpose2d_params", x, w[1] * group, g, group);
  ctx.line("  mtc_conv_transpose2d_f32(&p, " + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " +
           (ctx.has_input(2) ? ctx.in_ptr(2) : std::string("NULL")) + ", " + ctx.out_ptr(0) + ", " +
           ctx.act_expr() + ");");
  ctx.line("}");
}

}  // namespace

MTC_REGISTER_EMITTER("ConvTranspose", emit_conv_transpose)

}  // namespace mtc
