// QConv: int8 convolution. x int8 per tensor, w int8 constant per output channel (axis 0) or per
// tensor, optional int32 bias with scale x_scale * w_scale[c]; the output is requantized to its own
// parameters and clamped to the fused activation (none, Relu, Clip). Attribute "requant" picks the
// rounding rules (quant/requant.h). Geometry attributes as Conv. Produced by the quantize pass and
// by the ONNX importer from QLinearConv / QDQ convolutions. An optional input 3 is a residual added
// to the result (quant/qbinary_params.h: fused_residual), as the pass fuse-residual-add makes it.
#include "ops/conv_geometry.h"
#include "ops/op.h"
#include "ops/quantized/quantized_util.h"
#include "quant/qbinary_params.h"
#include "quant/requant.h"

namespace mtc {

namespace {

void infer_qconv(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0), &w = ctx.in_shape(1);
  ctx.check(ctx.in_dtype(0) == DType::I8 && ctx.in_dtype(1) == DType::I8, "expects int8 input and weights");
  ctx.require_const(1, "weights");
  if (ctx.has_input(2)) {
    ctx.check(ctx.in_dtype(2) == DType::I32, "bias must be int32");
    ctx.require_const(2, "bias");
  }
  WindowGeometry g;
  std::string why;
  if (!conv_window(ctx.attrs(), x, w, g, why)) ctx.fail(why);
  int64_t group = ctx.attrs().get_int("group", 1);
  ctx.check(group >= 1 && x[1] % group == 0 && w[0] % group == 0 && w[1] * group == x[1],
            "weights " + shape_str(w) + " and group " + std::to_string(group) + " do not fit the input " +
                shape_str(x));
  if (ctx.has_input(2)) ctx.check(ctx.in_shape(2) == Shape{w[0]}, "bias must have one entry per output channel");
  check_tensor_quant(ctx, ctx.node().inputs[0], "input");
  check_weight_quant(ctx, 1, 0);
  Shape out = {x[0], w[0]};
  out.insert(out.end(), g.out.begin(), g.out.end());
  if (ctx.has_input(3)) {
    ctx.check(ctx.in_dtype(3) == DType::I8 && ctx.in_shape(3) == out,
              "residual input must be int8 of the output's shape " + shape_str(out));
    check_tensor_quant(ctx, ctx.node().inputs[3], "residual");
  }
  ctx.set_output(0, DType::I8, out);
}

void eval_qconv(EvalContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const Shape &xs = ctx.in(0).shape, &ws = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_window(ctx.attrs(), xs, ws, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &wq = require_quant(gr, n, n.inputs[1], "weights");
  // with a residual, the convolution's own int8 result (as the unfused QConv stored it) is then
  // added to input 3 as QAdd does
  QuantParams conv_out;
  QBinaryParams add;
  const bool residual = fused_residual(gr, n, conv_out, add);
  const QuantParams &yq = residual ? conv_out : require_quant(gr, n, n.outputs[0], "output");
  Requant rq = make_requant(gr, n, xq, wq, yq, DType::I8, size_t(ws[0]));
  const int8_t *res = residual ? ctx.in(3).data<int8_t>() : nullptr;
  int64_t nb = xs[0], c = xs[1], m = ws[0], group = ctx.attrs().get_int("group", 1);
  int64_t cg = c / group, mg = m / group;
  int64_t h = g.in[0], wd = g.in[1], oh = g.out[0], ow = g.out[1], kh = g.kernel[0], kw = g.kernel[1];
  const int8_t *x = ctx.in(0).data<int8_t>(), *w = ctx.in(1).data<int8_t>();
  const int32_t *b = ctx.has(2) ? ctx.in(2).data<int32_t>() : nullptr;
  int8_t *y = ctx.out(0).data<int8_t>();
  int32_t xzp = xq.zero_point[0];
  for (int64_t in = 0; in < nb; ++in)
    for (int64_t oc = 0; oc < m; ++oc) {
      int64_t first_ic = (oc / mg) * cg;
      int32_t wzp = wq.zero_point_at(size_t(oc));
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          int32_t acc = b ? b[oc] : 0;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
              if (iy < 0 || iy >= h) continue;  // padding reads the zero point: contributes 0
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
                if (ix < 0 || ix >= wd) continue;
                acc += (int32_t(x[((in * c + first_ic + ic) * h + iy) * wd + ix]) - xzp) *
                       (int32_t(w[((oc * cg + ic) * kh + ky) * kw + kx]) - wzp);
              }
            }
          const int64_t at = ((in * m + oc) * oh + oy) * ow + ox;
          const int32_t v = rq.apply(acc, size_t(oc));
          y[at] = int8_t(residual ? apply_qadd(add, v, res[at]) : v);
        }
    }
}

OpDef qconv_op() {
  OpDef d;
  d.name = "QConv";
  d.min_inputs = 2;
  d.max_inputs = 4;
  d.infer = infer_qconv;
  d.eval = eval_qconv;
  d.macs = [](const Graph &gr, const Node &n) {
    const Shape &w = gr.tensor(n.inputs[1]).shape;
    return shape_elements(gr.tensor(n.outputs[0]).shape) * (w.empty() ? 0 : shape_elements(w) / w[0]);
  };
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(qconv_op())

}  // namespace mtc
