// C for PatchPlace (ops/patch_place.cpp): one strided copy of the patch into T's buffer. The
// planner runs it in place over the previous patches' tensor; otherwise that tensor is copied first.
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

}  // namespace

MTC_REGISTER_EMITTER("PatchPlace", emit_patch_place)

}  // namespace mtc
