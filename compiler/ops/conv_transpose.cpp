// ConvTranspose (1-D and 2-D, float32): groups, strides, dilations, pads / output_padding /
// output_shape / auto_pad, optional bias and a fused activation. Shape rules are in
// conv_transpose_geometry.
#include "ops/activation.h"
#include "ops/conv_transpose_geometry.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_conv_transpose(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0), &w = ctx.in_shape(1);
  for (size_t i = 0; i < 3; ++i)
    if (ctx.has_input(i))
      ctx.check(ctx.in_dtype(i) == DType::F32, std::string("supports float32 only, input ") +
                                                   std::to_string(i) + " is " + dtype_name(ctx.in_dtype(i)));
  WindowGeometry g;
  std::string why;
  if (!conv_transpose_window(ctx.attrs(), x, w, g, why)) ctx.fail(why);
  int64_t group = ctx.attrs().get_int("group", 1);
  ctx.check(group >= 1, "group must be >= 1");
  ctx.check(x[1] % group == 0, "group " + std::to_string(group) + " does not divide the " +
                                   std::to_string(x[1]) + " input channels");
  // W is [C_in, C_out/group, kernel...]: its first axis counts all input channels.
  ctx.check(w[0] == x[1], "weights " + shape_str(w) + " expect " + std::to_string(w[0]) +
                              " input channels, the input " + shape_str(x) + " has " + std::to_string(x[1]));
  int64_t out_channels = w[1] * group;
  if (ctx.has_input(2))
    ctx.check(ctx.in_shape(2) == Shape{out_channels},
              "bias shape " + shape_str(ctx.in_shape(2)) + " must be [" + std::to_string(out_channels) + "]");
  Shape out = {x[0], out_channels};
  out.insert(out.end(), g.out.begin(), g.out.end());
  ctx.set_output(0, DType::F32, out);
}

// The ONNX definition as a scatter: every input pixel adds its weighted kernel to the full output,
// whose [pad_begin, pad_begin + out) window is kept.
void eval_conv_transpose(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape, &ws = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_transpose_window(ctx.attrs(), xs, ws, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  int64_t n = xs[0], c = xs[1], group = ctx.attrs().get_int("group", 1);
  int64_t cg = c / group, mg = ws[1], m = mg * group;
  int64_t h = g.in[0], wd = g.in[1], oh = g.out[0], ow = g.out[1], kh = g.kernel[0], kw = g.kernel[1];
  const float *x = ctx.in(0).data<float>(), *w = ctx.in(1).data<float>();
  const float *b = ctx.has(2) ? ctx.in(2).data<float>() : nullptr;
  float *y = ctx.out(0).data<float>();
  Activation act = fused_activation(ctx.attrs());
  std::vector<double> acc(size_t(n * m * oh * ow), 0.0);
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic) {
      int64_t first_oc = (ic / cg) * mg;
      for (int64_t iy = 0; iy < h; ++iy)
        for (int64_t ix = 0; ix < wd; ++ix) {
          double xv = x[((in * c + ic) * h + iy) * wd + ix];
          for (int64_t j = 0; j < mg; ++j)
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t oy = iy * g.stride[0] + ky * g.dilation[0] - g.pad_begin[0];
              if (oy < 0 || oy >= oh) continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ox = ix * g.stride[1] + kx * g.dilation[1] - g.pad_begin[1];
                if (ox < 0 || ox >= ow) continue;
                acc[size_t(((in * m + first_oc + j) * oh + oy) * ow + ox)] +=
                    xv * double(w[((ic * mg + j) * kh + ky) * kw + kx]);
              }
            }
        }
    }
  for (int64_t in = 0; in < n; ++in)
    for (int64_t oc = 0; oc < m; ++oc)
      for (int64_t i = 0; i < oh * ow; ++i) {
        size_t k = size_t((in * m + oc) * oh * ow + i);
        y[k] = apply_activation(act, float(acc[k] + (b ? b[oc] : 0.0)));
      }
}

int64_t conv_transpose_macs(const Graph &gr, const Node &n) {
  const Shape &x = gr.tensor(n.inputs[0]).shape, &w = gr.tensor(n.inputs[1]).shape;
  // Each input element meets (C_out/group) * prod(kernel) = prod(W.shape[1:]) weights.
  return shape_elements(x) * (w.empty() ? 0 : shape_elements(w) / w[0]);
}

OpDef conv_transpose_op() {
  OpDef d;
  d.name = "ConvTranspose";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_conv_transpose;
  d.eval = eval_conv_transpose;
  d.macs = conv_transpose_macs;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(conv_transpose_op())

}  // namespace mtc
