// C for standalone activation nodes: one pass of mtc_activation_f32 over the tensor.
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

void emit_activation(EmitContext &ctx) {
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
