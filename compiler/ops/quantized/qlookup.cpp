// QLookup: y = table[x + 128] for int8 x, with a constant 256-entry int8 table. The quantize pass
// turns any elementwise function of one int8 tensor (activations, requantization between two
// parameter sets, arithmetic with a constant scalar) into a table computed at compile time, which
// is exact with respect to the quantized float function and costs one load per element.
#include "ops/op.h"

namespace mtc {

namespace {

void infer_qlookup(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::I8, "expects int8 input");
  ctx.check(ctx.in_dtype(1) == DType::I8 && ctx.in_shape(1) == Shape{256}, "table must be int8[256]");
  ctx.require_const(1, "table");
  ctx.set_output(0, DType::I8, ctx.in_shape(0));
}

void eval_qlookup(EvalContext &ctx) {
  const int8_t *x = ctx.in(0).data<int8_t>(), *t = ctx.in(1).data<int8_t>();
  int8_t *y = ctx.out(0).data<int8_t>();
  int64_t n = shape_elements(ctx.in(0).shape);
  for (int64_t i = 0; i < n; ++i) y[i] = t[int32_t(x[i]) + 128];
}

OpDef qlookup_op() {
  OpDef d;
  d.name = "QLookup";
  d.min_inputs = d.max_inputs = 2;
  d.infer = infer_qlookup;
  d.eval = eval_qlookup;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qlookup_op())

}  // namespace mtc
