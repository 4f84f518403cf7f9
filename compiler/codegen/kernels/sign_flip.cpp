// C for U8ToI8 / I8ToU8 (ops/quantized/sign_flip.cpp): one pass over the bytes.
#include "codegen/emitter.h"

namespace mtc {

namespace {

void emit_flip(EmitContext &ctx, const char *kernel) {
  ctx.use_kernel(kernel);
  ctx.line(std::string(kernel) + "(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(shape_elements(ctx.in(0).shape)) + ");");
}

void emit_u8_to_i8(EmitContext &ctx) { emit_flip(ctx, "mtc_u8_to_s8"); }
void emit_i8_to_u8(EmitContext &ctx) { emit_flip(ctx, "mtc_s8_to_u8"); }

}  // namespace

MTC_REGISTER_EMITTER("U8ToI8", emit_u8_to_i8)
MTC_REGISTER_EMITTER("I8ToU8", emit_i8_to_u8)

}  // namespace mtc
