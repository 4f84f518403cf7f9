// Conv (1-D and 2-D, float32): groups, strides, dilations, pads / auto_pad, optional bias and a
// fused activation. Shape rules are in conv_geometry.
#include "ops/activation.h"
#include "ops/conv_geometry.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_conv(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0), &w = ctx.in_shape(1);
  for (size_t i = 0; i < 3; ++i)
    if (ctx.has_input(i))
      ctx.check(ctx.in_dtype(i) == DType::F32, std::string("supports float32 only, input ") +
                                                   std::to_string(i) + " is " + dtype_name(ctx.in_dtype(i)));
  WindowGeometry g;
  std::string why;
  if (!conv_window(ctx.attrs(), x, w, g, why)) ctx.fail(why);
  int64_t group = ctx.attrs().get_int("group", 1);
  ctx.check(group >= 1, "group must be >= 1");
  ctx.check(x[1] % group == 0, "group " + std::to_string(group) + " does not divide the " +
                                   std::to_string(x[1]) + " input channels");
  ctx.check(w[0] % group == 0, "group " + std::to_string(group) + " does not divide the " +
                                   std::to_string(w[0]) + " output channels");
  ctx.check(w[1] * group == x[1], "weights " + shape_str(w) + " expect " + std::to_string(w[1] * group) +
                                      " input channels, the input " + shape_str(x) + " has " +
                                      std::to_string(x[1]));
  if (ctx.has_input(2))
    ctx.check(ctx.in_shape(2) == Shape{w[0]},
              "bias shape " + shape_str(ctx.in_shape(2)) + " must be [" + std::to_string(w[0]) + "]");
  Shape out = {x[0], w[0]};
  out.insert(out.end(), g.out.begin(), g.out.end());
  ctx.set_output(0, DType::F32, out);
}

void eval_conv(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape, &ws = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_window(ctx.attrs(), xs, ws, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  int64_t n = xs[0], c = xs[1], m = ws[0], group = ctx.attrs().get_int("group", 1);
  int64_t cg = c / group, mg = m / group;
  int64_t h = g.in[0], wd = g.in[1], oh = g.out[0], ow = g.out[1], kh = g.kernel[0], kw = g.kernel[1];
  const float *x = ctx.in(0).data<float>(), *w = ctx.in(1).data<float>();
  const float *b = ctx.has(2) ? ctx.in(2).data<float>() : nullptr;
  float *y = ctx.out(0).data<float>();
  Activation act = fused_activation(ctx.attrs());
  for (int64_t in = 0; in < n; ++in)
    for (int64_t oc = 0; oc < m; ++oc) {
      int64_t first_ic = (oc / mg) * cg;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double acc = b ? b[oc] : 0.0;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
              if (iy < 0 || iy >= h) continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
                if (ix < 0 || ix >= wd) continue;
                acc += double(x[((in * c + first_ic + ic) * h + iy) * wd + ix]) *
                       double(w[((oc * cg + ic) * kh + ky) * kw + kx]);
              }
            }
          y[((in * m + oc) * oh + oy) * ow + ox] = apply_activation(act, float(acc));
        }
    }
}

int64_t conv_macs(const Graph &gr, const Node &n) {
  const Shape &w = gr.tensor(n.inputs[1]).shape, &y = gr.tensor(n.outputs[0]).shape;
  // Each output element reads (C/group) * prod(kernel) = prod(W.shape[1:]) weights.
  return shape_elements(y) * (w.empty() ? 0 : shape_elements(w) / w[0]);
}

OpDef conv_op() {
  OpDef d;
  d.name = "Conv";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_conv;
  d.eval = eval_conv;
  d.macs = conv_macs;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(conv_op())

}  // namespace mtc
