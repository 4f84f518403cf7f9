// QAdd and QMul: int8 elementwise Add / Mul of two quantized tensors with numpy broadcasting, the
// result requantized to the output's parameters (quant/qbinary_params.h) and clamped to the fused
// activation. Attribute "requant" as QConv.
#include "ops/broadcast_walk.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/quantized/quantized_util.h"
#include "quant/qbinary_params.h"

namespace mtc {

namespace {

void infer_qbinary(InferContext &ctx) {
  for (size_t i = 0; i < 2; ++i) {
    ctx.check(ctx.in_dtype(i) == DType::I8, "expects int8 operands");
    check_tensor_quant(ctx, ctx.node().inputs[i], i == 0 ? "input A" : "input B");
  }
  Shape out;
  if (!broadcast_shapes(ctx.in_shape(0), ctx.in_shape(1), out))
    ctx.fail("shapes " + shape_str(ctx.in_shape(0)) + " and " + shape_str(ctx.in_shape(1)) + " do not broadcast");
  ctx.set_output(0, DType::I8, out);
}

template <bool kAdd> void eval_qbinary(EvalContext &ctx) {
  QBinaryParams p = kAdd ? make_qadd_params(ctx.graph(), ctx.node()) : make_qmul_params(ctx.graph(), ctx.node());
  const int8_t *a = ctx.in(0).data<int8_t>(), *b = ctx.in(1).data<int8_t>();
  int8_t *y = ctx.out(0).data<int8_t>();
  walk_broadcast({ctx.in(0).shape, ctx.in(1).shape}, ctx.out(0).shape,
                 [&](int64_t o, const std::vector<int64_t> &at) {
                   y[o] = int8_t(kAdd ? apply_qadd(p, a[at[0]], b[at[1]]) : apply_qmul(p, a[at[0]], b[at[1]]));
                 });
}

OpDef qbinary_op(const char *name, bool add) {
  OpDef d;
  d.name = name;
  d.min_inputs = d.max_inputs = 2;
  d.infer = infer_qbinary;
  d.eval = add ? eval_qbinary<true> : eval_qbinary<false>;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qbinary_op("QAdd", true))
MTC_REGISTER_OP(qbinary_op("QMul", false))

}  // namespace mtc
