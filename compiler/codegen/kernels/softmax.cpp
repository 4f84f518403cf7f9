// C for Softmax / LogSoftmax: the input seen as [outer, len, inner] (see ops/softmax.h).
#include "codegen/emitter.h"
#include "ops/softmax.h"

namespace mtc {

namespace {

void emit_softmax(EmitContext &ctx) {
  SoftmaxLayout l = softmax_layout(ctx.attrs(), ctx.in(0).shape);
  std::string fn = ctx.node().op == "LogSoftmax" ? "mtc_log_softmax_f32" : "mtc_softmax_f32";
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + std::to_string(l.outer) + ", " +
           std::to_string(l.len) + ", " + std::to_string(l.inner) + ");");
}

// QSoftmax: the int8 logits with the DequantizeLinear's scale (a constant) and zero point.
void emit_qsoftmax(EmitContext &ctx) {
  SoftmaxLayout l = softmax_layout(ctx.attrs(), ctx.in(0).shape);
  if (!ctx.in(2).constant) ctx.fail("internal: QSoftmax needs a constant zero point");
  ctx.use_kernel("mtc_softmax_s8_f32");
  ctx.line("mtc_softmax_s8_f32(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " +
           std::to_string(ctx.in(2).constant->get_i64(0)) + ", " + ctx.out_ptr(0) + ", " + std::to_string(l.outer) +
           ", " + std::to_string(l.len) + ", " + std::to_string(l.inner) + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("QSoftmax", emit_qsoftmax)
MTC_REGISTER_EMITTER("Softmax", emit_softmax)
MTC_REGISTER_EMITTER("LogSoftmax", emit_softmax)

}  // namespace mtc
