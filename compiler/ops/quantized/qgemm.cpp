// QGemm: int8 fully connected layer / matrix product with constant weights.
// y[..., n] = requant(sum_k (x[..., k] - x_zp) * (w[k, n] - w_zp[n]) + bias[n]); x int8 [..., K],
// w int8 constant [K, N] quantized per tensor or per column (axis 1), optional int32 bias [N].
// Fused activation and "requant" attribute as QConv.
#include "ops/op.h"
#include "ops/quantized/quantized_util.h"
#include "quant/requant.h"

namespace mtc {

namespace {

void infer_qgemm(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0), &w = ctx.in_shape(1);
  ctx.check(ctx.in_dtype(0) == DType::I8 && ctx.in_dtype(1) == DType::I8, "expects int8 input and weights");
  ctx.require_const(1, "weights");
  ctx.check(w.size() == 2, "weights must be [K, N], got " + shape_str(w));
  ctx.check(!x.empty() && x.back() == w[0],
            "input " + shape_str(x) + " does not end in the weights' K = " + std::to_string(w[0]));
  if (ctx.has_input(2)) {
    ctx.check(ctx.in_dtype(2) == DType::I32, "bias must be int32");
    ctx.require_const(2, "bias");
    ctx.check(ctx.in_shape(2) == Shape{w[1]}, "bias must have one entry per output column");
  }
  check_tensor_quant(ctx, ctx.node().inputs[0], "input");
  check_weight_quant(ctx, 1, 1);
  Shape out = x;
  out.back() = w[1];
  ctx.set_output(0, DType::I8, out);
}

void eval_qgemm(EvalContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const Shape &xs = ctx.in(0).shape, &ws = ctx.in(1).shape;
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &wq = require_quant(gr, n, n.inputs[1], "weights"),
                    &yq = require_quant(gr, n, n.outputs[0], "output");
  int64_t k = ws[0], cols = ws[1], rows = shape_elements(xs) / k;
  Requant rq = make_requant(gr, n, xq, wq, yq, DType::I8, size_t(cols));
  const int8_t *x = ctx.in(0).data<int8_t>(), *w = ctx.in(1).data<int8_t>();
  const int32_t *b = ctx.has(2) ? ctx.in(2).data<int32_t>() : nullptr;
  int8_t *y = ctx.out(0).data<int8_t>();
  int32_t xzp = xq.zero_point[0];
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      int32_t acc = b ? b[c] : 0, wzp = wq.zero_point_at(size_t(c));
      for (int64_t i = 0; i < k; ++i)
        acc += (int32_t(x[r * k + i]) - xzp) * (int32_t(w[i * cols + c]) - wzp);
      y[r * cols + c] = int8_t(rq.apply(acc, size_t(c)));
    }
}

OpDef qgemm_op() {
  OpDef d;
  d.name = "QGemm";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_qgemm;
  d.eval = eval_qgemm;
  d.macs = [](const Graph &gr, const Node &n) {
    return shape_elements(gr.tensor(n.outputs[0]).shape) * gr.tensor(n.inputs[1]).shape[0];
  };
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qgemm_op())

}  // namespace mtc
