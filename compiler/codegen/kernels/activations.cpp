// C for standalone activation nodes: one pass of mtc_activation_f32 over the tensor, or of
// mtc_clip_i8/u8 for an 8-bit integer Clip.
#include "codegen/emitter.h"
#include "ops/activation.h"

namespace mtc {

namespace {

const char *act_enum(const std::string &kind) {
  if (kind == "Relu") return "MTC_ACT_RELU";
  if (kind == "Clip") return "MTC_ACT_CLIP";
  if (kind == "LeakyRelu") return "MTC_ACT_LEAKY_RELU";
  if (kind == "Sigmoid") return "MTC_ACT_SIGMOID";
  if (kind == "HardSigmoid") return "MTC_ACT_HARD_SIGMOID";
  if (kind == "HardSwish") return "MTC_ACT_HARD_SWISH";
  if (kind == "Tanh") return "MTC_ACT_TANH";
  return "MTC_ACT_NONE";
}

// An integer Clip bound: the constant's value, the tensor read at run time, or the type's limit.
std::string int_bound(EmitContext &ctx, size_t i, int64_t limit) {
  if (!ctx.has_input(i)) return std::to_string(limit);
  if (!ctx.in(i).is_constant()) return ctx.in_ptr(i) + "[0]";
  return std::to_string(ctx.in(i).constant->get_i64(0));
}

void emit_int_clip(EmitContext &ctx) {
  bool is_signed = ctx.in(0).dtype == DType::I8;
  std::string fn = is_signed ? "mtc_clip_i8" : "mtc_clip_u8";
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(shape_elements(ctx.out(0).shape)) + ", " + int_bound(ctx, 1, is_signed ? -128 : 0) +
           ", " + int_bound(ctx, 2, is_signed ? 127 : 255) + ");");
}

void emit_activation(EmitContext &ctx) {
  if (ctx.node().op == "Clip" && (ctx.in(0).dtype == DType::I8 || ctx.in(0).dtype == DType::U8))
    return emit_int_clip(ctx);
  if (ctx.in(0).dtype != DType::F32)
    ctx.fail(std::string("no C kernel for element type ") + dtype_name(ctx.in(0).dtype));
  Activation a = standalone_activation(ctx.graph(), ctx.node());
  std::string alpha = c_float(a.alpha), beta = c_float(a.beta);
  // Clip bounds computed at run time are read from their tensors when the kernel is called.
  if (ctx.node().op == "Clip") {
    if (ctx.has_input(1) && !ctx.in(1).is_constant()) alpha = ctx.in_ptr(1) + "[0]";
    if (ctx.has_input(2) && !ctx.in(2).is_constant()) beta = ctx.in_ptr(2) + "[0]";
  }
  ctx.use_kernel("mtc_activation_f32");
  ctx.line("mtc_activation_f32(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(shape_elements(ctx.out(0).shape)) + ", (mtc_act){" + act_enum(a.kind) + ", " +
           alpha + ", " + beta + "});");
}

}  // namespace

MTC_REGISTER_EMITTER("Relu", emit_activation)
MTC_REGISTER_EMITTER("LeakyRelu", emit_activation)
MTC_REGISTER_EMITTER("Sigmoid", emit_activation)
MTC_REGISTER_EMITTER("HardSigmoid", emit_activation)
MTC_REGISTER_EMITTER("HardSwish", emit_activation)
MTC_REGISTER_EMITTER("Tanh", emit_activation)
MTC_REGISTER_EMITTER("Clip", emit_activation)

}  // namespace mtc
