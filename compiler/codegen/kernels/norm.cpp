// C for standalone BatchNormalization nodes (those fold-batchnorm could not merge into a Conv/Gemm).
#include "codegen/emitter.h"

namespace mtc {

namespace {

void emit_batchnorm(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  int64_t n = x[0], c = x[1], inner = shape_elements(x) / (n * c);
  ctx.use_kernel("mtc_batchnorm_f32");
  ctx.line("mtc_batchnorm_f32(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + ctx.in_ptr(2) + ", " +
           ctx.in_ptr(3) + ", " + ctx.in_ptr(4) + ", " + ctx.out_ptr(0) + ", " + std::to_string(n) + ", " +
           std::to_string(c) + ", " + std::to_string(inner) + ", " +
           c_float(ctx.attrs().get_float("epsilon", 1e-5f)) + ", " + ctx.act_expr() + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("BatchNormalization", emit_batchnorm)

}  // namespace mtc
