// C for the unary math operators (Exp, Log, Erf, Elu, ...): one pass of mtc_unary_f32.
#include "codegen/emitter.h"
#include "ops/unary_math.h"

namespace mtc {

namespace {

void emit_unary(EmitContext &ctx) {
  const UnaryMathDef *def = find_unary_math(ctx.node().op);
  if (!def) ctx.fail("is not a unary math operator");
  if (ctx.in(0).dtype != DType::F32)
    ctx.fail(std::string("no C kernel for element type ") + dtype_name(ctx.in(0).dtype));
  float alpha, beta;
  unary_math_params(ctx.node(), alpha, beta);
  ctx.use_kernel("mtc_unary_f32");
  ctx.line("mtc_unary_f32(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(shape_elements(ctx.out(0).shape)) + ", " + def->c_enum + ", " + c_float(alpha) +
           ", " + c_float(beta) + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("Exp", emit_unary)
MTC_REGISTER_EMITTER("Log", emit_unary)
MTC_REGISTER_EMITTER("Sqrt", emit_unary)
MTC_REGISTER_EMITTER("Neg", emit_unary)
MTC_REGISTER_EMITTER("Abs", emit_unary)
MTC_REGISTER_EMITTER("Reciprocal", emit_unary)
MTC_REGISTER_EMITTER("Floor", emit_unary)
MTC_REGISTER_EMITTER("Ceil", emit_unary)
MTC_REGISTER_EMITTER("Erf", emit_unary)
MTC_REGISTER_EMITTER("Softplus", emit_unary)
MTC_REGISTER_EMITTER("Softsign", emit_unary)
MTC_REGISTER_EMITTER("Elu", emit_unary)
MTC_REGISTER_EMITTER("Selu", emit_unary)
MTC_REGISTER_EMITTER("Sin", emit_unary)
MTC_REGISTER_EMITTER("Cos", emit_unary)
MTC_REGISTER_EMITTER("Sign", emit_unary)
MTC_REGISTER_EMITTER("Round", emit_unary)

}  // namespace mtc
