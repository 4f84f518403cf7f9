// C for PRelu and Pow: one broadcasting binary kernel call (mtc_prelu_f32, mtc_pow_f32, or
// mtc_pow_mixed when an operand is an integer).
#include "codegen/emitter.h"
#include "codegen/kernels/broadcast_call.h"

namespace mtc {

namespace {

void emit_prelu(EmitContext &ctx) {
  emit_broadcast_call(ctx, "mtc_prelu_f32", ctx.in_ptr(0), ctx.in(0).shape, ctx.in_ptr(1), ctx.in(1).shape);
}

const char *type_code(EmitContext &ctx, DType t) {
  switch (t) {
  case DType::F32: return "MTC_DTYPE_F32";
  case DType::I32: return "MTC_DTYPE_I32";
  case DType::I64: return "MTC_DTYPE_I64";
  default: ctx.fail(std::string("no C kernel for element type ") + dtype_name(t));
  }
}

void emit_pow(EmitContext &ctx) {
  DType ta = ctx.in(0).dtype, tb = ctx.in(1).dtype;
  if (ta == DType::F32 && tb == DType::F32) {
    emit_broadcast_call(ctx, "mtc_pow_f32", ctx.in_ptr(0), ctx.in(0).shape, ctx.in_ptr(1), ctx.in(1).shape);
    return;
  }
  std::string ca = type_code(ctx, ta), cb = type_code(ctx, tb);
  emit_broadcast_call(ctx, "mtc_pow_mixed", ctx.in_ptr(0), ctx.in(0).shape, ctx.in_ptr(1), ctx.in(1).shape,
                      "", ", " + ca, ", " + cb);
}

}  // namespace

MTC_REGISTER_EMITTER("PRelu", emit_prelu)
MTC_REGISTER_EMITTER("Pow", emit_pow)

}  // namespace mtc
