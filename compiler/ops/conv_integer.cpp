// ConvInteger (opset 10): int32 y = conv(x - x_zero_point, w - w_zero_point) for uint8/int8 x and w,
// with Conv's attributes (geometry in conv_geometry). Padding holds x_zero_point, so padded taps
// add nothing. x_zero_point is a scalar; w_zero_point a scalar or one per output channel. Sums wrap
// modulo 2^32 like the C kernels' (runtime/src/mtc_conv_integer2d_*.c).
#include "ops/conv_geometry.h"
#include "ops/op.h"

namespace mtc {

namespace {

bool is_8bit(DType t) { return t == DType::U8 || t == DType::I8; }

void infer_conv_integer(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0), &w = ctx.in_shape(1);
  for (size_t i = 0; i < 2; ++i)
    ctx.check(is_8bit(ctx.in_dtype(i)),
              std::string(i ? "w" : "x") + " must be uint8 or int8, not " + dtype_name(ctx.in_dtype(i)));
  WindowGeometry g;
  std::string why;
  if (!conv_window(ctx.attrs(), x, w, g, why)) ctx.fail(why);
  int64_t group = ctx.attrs().get_int("group", 1);
  ctx.check(group >= 1, "group must be >= 1");
  ctx.check(x[1] % group == 0 && w[0] % group == 0,
            "group " + std::to_string(group) + " must divide the input and output channels");
  ctx.check(w[1] * group == x[1], "weights " + shape_str(w) + " expect " + std::to_string(w[1] * group) +
                                      " input channels, the input " + shape_str(x) + " has " +
                                      std::to_string(x[1]));
  if (ctx.has_input(2)) {
    ctx.check(ctx.in_dtype(2) == ctx.in_dtype(0), "x_zero_point must have x's element type");
    ctx.check(ctx.in_shape(2).size() <= 1 && shape_elements(ctx.in_shape(2)) == 1,
              "x_zero_point must be a scalar, not " + shape_str(ctx.in_shape(2)));
  }
  if (ctx.has_input(3)) {
    const Shape &zs = ctx.in_shape(3);
    ctx.check(ctx.in_dtype(3) == ctx.in_dtype(1), "w_zero_point must have w's element type");
    ctx.check(zs.size() <= 1 && (shape_elements(zs) == 1 || zs == Shape{w[0]}),
              "w_zero_point must be a scalar or one value per output channel, not " + shape_str(zs));
  }
  Shape out = {x[0], w[0]};
  out.insert(out.end(), g.out.begin(), g.out.end());
  ctx.set_output(0, DType::I32, out);
}

void eval_conv_integer(EvalContext &ctx) {
  const Value &xv = ctx.in(0), &wv = ctx.in(1);
  WindowGeometry g0;
  std::string why;
  if (!conv_window(ctx.attrs(), xv.shape, wv.shape, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  int64_t n = xv.shape[0], c = xv.shape[1], m = wv.shape[0], group = ctx.attrs().get_int("group", 1);
  int64_t cg = c / group, mg = m / group;
  int64_t h = g.in[0], wd = g.in[1], oh = g.out[0], ow = g.out[1], kh = g.kernel[0], kw = g.kernel[1];
  const int64_t x_zp = ctx.has(2) ? ctx.in(2).get_i64(0) : 0;
  int32_t *y = ctx.out(0).data<int32_t>();
  for (int64_t in = 0; in < n; ++in)
    for (int64_t oc = 0; oc < m; ++oc) {
      int64_t first_ic = (oc / mg) * cg;
      int64_t w_zp = 0;
      if (ctx.has(3)) w_zp = ctx.in(3).get_i64(ctx.in(3).elements() == 1 ? 0 : oc);
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          int64_t acc = 0;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
              if (iy < 0 || iy >= h) continue;  // padding: x_zero_point - x_zero_point = 0
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
                if (ix < 0 || ix >= wd) continue;
                acc += (xv.get_i64(((in * c + first_ic + ic) * h + iy) * wd + ix) - x_zp) *
                       (wv.get_i64(((oc * cg + ic) * kh + ky) * kw + kx) - w_zp);
              }
            }
          y[((in * m + oc) * oh + oy) * ow + ox] = int32_t(uint32_t(uint64_t(acc)));
        }
    }
}

int64_t conv_integer_macs(const Graph &gr, const Node &n) {
  const Shape &w = gr.tensor(n.inputs[1]).shape, &y = gr.tensor(n.outputs[0]).shape;
  return shape_elements(y) * (w.empty() || w[0] == 0 ? 0 : shape_elements(w) / w[0]);
}

OpDef conv_integer_op() {
  OpDef d;
  d.name = "ConvInteger";
  d.min_inputs = 2;
  d.max_inputs = 4;
  d.infer = infer_conv_integer;
  d.eval = eval_conv_integer;
  d.macs = conv_integer_macs;
  return d;
}

}  // namespace

MTC_REGISTER_OP(conv_integer_op())

}  // namespace mtc
