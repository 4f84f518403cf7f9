// QSoftmax: DequantizeLinear of an int8 tensor (per-tensor scale and zero point, the same inputs)
// followed by Softmax along the same axis attributes, as one op: the float logits are never
// stored (pass fuse-dequantize-softmax). The result is the pair's, value for value.
#include <vector>

#include "ops/op.h"
#include "ops/softmax.h"

namespace mtc {

namespace {

void infer_qsoftmax(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::I8, "expects int8 input");
  ctx.check(ctx.in_dtype(1) == DType::F32 && shape_elements(ctx.in_shape(1)) == 1, "expects one float32 scale");
  ctx.check(ctx.in_dtype(2) == DType::I8 && shape_elements(ctx.in_shape(2)) == 1, "expects one int8 zero point");
  const Shape &s = ctx.in_shape(0);
  ctx.check(!s.empty(), "input must have rank >= 1");
  if (softmax_axis(ctx.attrs(), int64_t(s.size())) < 0) ctx.fail("axis is out of range");
  ctx.set_output(0, DType::F32, s);
}

void eval_qsoftmax(EvalContext &ctx) {
  const Value &x = ctx.in(0);
  const float scale = ctx.in(1).data<float>()[0];
  const int64_t zp = ctx.in(2).get_i64(0);
  std::vector<float> logits(size_t(x.elements()));
  // as DequantizeLinear: the exact difference, one rounding to float32, one float32 product
  for (size_t i = 0; i < logits.size(); ++i) logits[i] = float(x.get_i64(int64_t(i)) - zp) * scale;
  softmax_eval(logits.data(), ctx.out(0).data<float>(), softmax_layout(ctx.attrs(), x.shape), false);
}

OpDef qsoftmax_op() {
  OpDef d;
  d.name = "QSoftmax";
  d.min_inputs = d.max_inputs = 3;
  d.infer = infer_qsoftmax;
  d.eval = eval_qsoftmax;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qsoftmax_op())

}  // namespace mtc
