// C for MaxPool / AveragePool (static geometry struct, 1-D as h = 1) and the global pools.
#include "codegen/emitter.h"
#include "codegen/kernels/window_params.h"
#include "ops/conv_geometry.h"

namespace mtc {

namespace {

void emit_pool(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  WindowGeometry g0;
  std::string why;
  if (!pool_window(ctx.attrs(), x, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  bool is_max = ctx.node().op == "MaxPool";
  DType t = ctx.in(0).dtype;
  std::string fn = !is_max          ? "mtc_avgpool2d_f32"
                   : t == DType::U8 ? "mtc_maxpool2d_u8"
                   : t == DType::I8 ? "mtc_maxpool2d_i8"
                                    : "mtc_maxpool2d_f32";
  std::string act = t == DType::F32 ? ", " + ctx.act_expr() : "";
  int64_t include_pad = is_max ? 0 : ctx.attrs().get_int("count_include_pad", 0);
  ctx.use_kernel(fn);
  ctx.line("{");
  emit_pool2d_params(ctx, x, g, include_pad);
  ctx.line("  " + fn + "(&p, " + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + act + ");");
  ctx.line("}");
}

void emit_global_pool(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  std::string fn = ctx.node().op == "GlobalMaxPool" ? "mtc_global_maxpool_f32" : "mtc_global_avgpool_f32";
  int64_t planes = x[0] * x[1];
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + std::to_string(planes) + ", " +
           std::to_string(shape_elements(x) / planes) + ", " + ctx.act_expr() + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("MaxPool", emit_pool)
MTC_REGISTER_EMITTER("AveragePool", emit_pool)
MTC_REGISTER_EMITTER("GlobalAveragePool", emit_global_pool)
MTC_REGISTER_EMITTER("GlobalMaxPool", emit_global_pool)

}  // namespace mtc
