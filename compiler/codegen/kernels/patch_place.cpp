// C for the internal ops of patch-based inference. PatchPlace (ops/patch_place.cpp): one strided
// copy of the patch into T's buffer; the planner runs it in place over the previous patches'
// tensor, otherwise that tensor is copied first. PatchQuantizeLinear (ops/patch_quantize.cpp): the
// QuantizeLinear kernel once per row of the window, reading the input where it lies.
#include "codegen/emitter.h"

namespace mtc {

namespace {

void emit_patch_place(EmitContext &ctx) {
  const Shape &p = ctx.in(0).shape, &y = ctx.out(0).shape;
  const int64_t es = int64_t(dtype_size(ctx.out(0).dtype));
  const std::string dst = ctx.out_ptr(0);
  if (ctx.has_input(1) && ctx.in_ptr(1) != dst)
    ctx.line("memcpy(" + dst + ", " + ctx.in_ptr(1) + ", " + std::to_string(shape_elements(y) * es) + ");");
  const int64_t offset = ctx.attrs().get_int("row") * y[3] + ctx.attrs().get_int("col");
  ctx.use_kernel("mtc_copy_nd");
  // tables declared in argument order (operands of + are evaluated in unspecified order)
  std::string shape = ctx.int_array({p[0] * p[1], p[2], p[3]}), ss = ctx.int_array({p[2] * p[3], p[3], 1}),
              ds = ctx.int_array({y[2] * y[3], y[3], 1});
  ctx.line("mtc_copy_nd(" + ctx.in_ptr(0) + ", " + (offset ? "(" + dst + " + " + std::to_string(offset) + ")" : dst) +
           ", " + std::to_string(es) + ", 3, " + shape + ", " + ss + ", " + ds + ");");
}

void emit_patch_quantize(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape, &y = ctx.out(0).shape;
  const std::string fn = ctx.out(0).dtype == DType::I8 ? "mtc_quantize_linear_i8" : "mtc_quantize_linear_u8";
  auto str = [](int64_t v) { return std::to_string(v); };
  // Per-channel parameters follow the plane's channel.
  const bool per_channel = shape_elements(ctx.in(1).shape) > 1;
  const std::string ch = per_channel ? " + p % " + str(x[1]) : "";
  ctx.use_kernel(fn);
  ctx.line("{");
  ctx.line("  int32_t p, r;");
  ctx.line("  for (p = 0; p < " + str(x[0] * x[1]) + "; ++p)");
  ctx.line("    for (r = 0; r < " + str(y[2]) + "; ++r)");
  ctx.line("      " + fn + "(" + ctx.in_ptr(0) + " + (p * " + str(x[2]) + " + " + str(ctx.attrs().get_int("row")) +
           " + r) * " + str(x[3]) + " + " + str(ctx.attrs().get_int("col")) + ", " + ctx.in_ptr(1) + ch + ", " +
           (ctx.has_input(2) ? ctx.in_ptr(2) + ch : std::string("NULL")) + ", " + ctx.out_ptr(0) + " + (p * " +
           str(y[2]) + " + r) * " + str(y[3]) + ", 1, 1, " + str(y[3]) + ");");
  ctx.line("}");
}

}  // namespace

MTC_REGISTER_EMITTER("PatchPlace", emit_patch_place)
MTC_REGISTER_EMITTER("PatchQuantizeLinear", emit_patch_quantize)

}  // namespace mtc
