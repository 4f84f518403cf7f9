// int8 average pooling.
// QAveragePool: AveragePool's geometry; the output has the input's quantization parameters, so
//   y = x_zp + round(sum(x - x_zp) / count) with ties away from zero (TFLite's int8 rule).
// QGlobalAveragePool: mean over all spatial positions requantized to the output's own parameters
//   by x_scale / (y_scale * count) ("requant" attribute as QConv); ONNX contrib
//   QLinearGlobalAveragePool maps here.
#include "ops/conv_geometry.h"
#include "ops/op.h"
#include "ops/quantized/quantized_util.h"
#include "quant/requant.h"

namespace mtc {

namespace {

void infer_qavgpool(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::I8, "expects int8 input");
  check_tensor_quant(ctx, ctx.node().inputs[0], "input");
  WindowGeometry g;
  std::string why;
  if (!pool_window(ctx.attrs(), ctx.in_shape(0), g, why)) ctx.fail(why);
  Shape out = {ctx.in_shape(0)[0], ctx.in_shape(0)[1]};
  out.insert(out.end(), g.out.begin(), g.out.end());
  ctx.set_output(0, DType::I8, out);
}

int32_t rounded_average(int32_t sum, int32_t count) {
  return sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
}

void eval_qavgpool(EvalContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &yq = require_quant(gr, n, n.outputs[0], "output");
  if (xq != yq) ctx.fail("input and output quantization parameters must be equal");
  const Shape &xs = ctx.in(0).shape;
  WindowGeometry g0;
  std::string why;
  if (!pool_window(ctx.attrs(), xs, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  bool include_pad = ctx.attrs().get_int("count_include_pad", 0) != 0;
  int64_t planes = xs[0] * xs[1], h = g.in[0], w = g.in[1], oh = g.out[0], ow = g.out[1];
  const int8_t *x = ctx.in(0).data<int8_t>();
  int8_t *y = ctx.out(0).data<int8_t>();
  int32_t zp = xq.zero_point[0];
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        int32_t sum = 0, count = 0;
        for (int64_t ky = 0; ky < g.kernel[0]; ++ky)
          for (int64_t kx = 0; kx < g.kernel[1]; ++kx) {
            int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
            int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
            bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            bool in_padded = iy < h + g.pad_end[0] && ix < w + g.pad_end[1];
            if (inside || (include_pad && in_padded)) ++count;
            if (inside) sum += int32_t(x[(p * h + iy) * w + ix]) - zp;
          }
        int32_t v = zp + (count ? rounded_average(sum, count) : 0);
        y[(p * oh + oy) * ow + ox] = int8_t(v < -128 ? -128 : (v > 127 ? 127 : v));
      }
}

void infer_qglobal(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::I8, "expects int8 input");
  check_tensor_quant(ctx, ctx.node().inputs[0], "input");
  const Shape &x = ctx.in_shape(0);
  ctx.check(x.size() >= 3, "input must be [N, C, spatial...], got " + shape_str(x));
  Shape out = x;
  for (size_t i = 2; i < out.size(); ++i) out[i] = 1;
  ctx.set_output(0, DType::I8, out);
}

void eval_qglobal(EvalContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &yq = require_quant(gr, n, n.outputs[0], "output");
  const Shape &xs = ctx.in(0).shape;
  int64_t planes = xs[0] * xs[1], spatial = shape_elements(xs) / planes;
  Requant rq = global_pool_requant(n, xq, yq, spatial);
  const int8_t *x = ctx.in(0).data<int8_t>();
  int8_t *y = ctx.out(0).data<int8_t>();
  for (int64_t p = 0; p < planes; ++p) {
    int32_t sum = 0;
    for (int64_t i = 0; i < spatial; ++i) sum += int32_t(x[p * spatial + i]) - xq.zero_point[0];
    y[p] = int8_t(rq.apply(sum, 0));
  }
}

OpDef qavgpool_op() {
  OpDef d;
  d.name = "QAveragePool";
  d.infer = infer_qavgpool;
  d.eval = eval_qavgpool;
  return d;
}

OpDef qglobal_op() {
  OpDef d;
  d.name = "QGlobalAveragePool";
  d.infer = infer_qglobal;
  d.eval = eval_qglobal;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qavgpool_op())
MTC_REGISTER_OP(qglobal_op())

}  // namespace mtc
