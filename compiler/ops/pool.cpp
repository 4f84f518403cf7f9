// MaxPool and AveragePool (1-D and 2-D; float32, MaxPool also uint8/int8): strides, dilations, pads /
// auto_pad, ceil_mode, count_include_pad, fused activation. MaxPool's optional Indices output is not
// supported.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/activation.h"
#include "ops/conv_geometry.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_pool(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  DType t = ctx.in_dtype(0);
  if (ctx.node().op == "MaxPool") {
    ctx.check(t == DType::F32 || t == DType::U8 || t == DType::I8,
              std::string("supports float32, uint8 and int8 only, not ") + dtype_name(t));
    ctx.check(ctx.num_outputs() < 2 || ctx.node().outputs[1] == kNoTensor,
              "the Indices output (argmax) is not supported; only the pooled values can be computed");
  } else {
    ctx.check(t == DType::F32, std::string("supports float32 only, not ") + dtype_name(t));
    int64_t cip = ctx.attrs().get_int("count_include_pad", 0);
    ctx.check(cip == 0 || cip == 1, "count_include_pad must be 0 or 1");
  }
  WindowGeometry g;
  std::string why;
  if (!pool_window(ctx.attrs(), x, g, why)) ctx.fail(why);
  Shape out = {x[0], x[1]};
  out.insert(out.end(), g.out.begin(), g.out.end());
  ctx.set_output(0, t, out);
}

// Integer MaxPool (no fused activation: fusion is float-only). A window wholly in padding gives the
// type's minimum, as in the C kernels.
template <class T>
void eval_int_maxpool(EvalContext &ctx, const WindowGeometry &g, int64_t planes) {
  int64_t h = g.in[0], w = g.in[1], oh = g.out[0], ow = g.out[1];
  const T *x = ctx.in(0).data<T>();
  T *y = ctx.out(0).data<T>();
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        T m = std::numeric_limits<T>::min();
        for (int64_t ky = 0; ky < g.kernel[0]; ++ky)
          for (int64_t kx = 0; kx < g.kernel[1]; ++kx) {
            int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
            int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) m = std::max(m, x[(p * h + iy) * w + ix]);
          }
        y[(p * oh + oy) * ow + ox] = m;
      }
}

// Windows that lie entirely in padding give -inf (max) or 0 (average); the C kernels agree.
void eval_pool(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape;
  WindowGeometry g0;
  std::string why;
  if (!pool_window(ctx.attrs(), xs, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  bool is_max = ctx.node().op == "MaxPool";
  if (ctx.in(0).dtype == DType::U8) return eval_int_maxpool<uint8_t>(ctx, g, xs[0] * xs[1]);
  if (ctx.in(0).dtype == DType::I8) return eval_int_maxpool<int8_t>(ctx, g, xs[0] * xs[1]);
  bool include_pad = !is_max && ctx.attrs().get_int("count_include_pad", 0) != 0;
  int64_t planes = xs[0] * xs[1], h = g.in[0], w = g.in[1], oh = g.out[0], ow = g.out[1];
  const float *x = ctx.in(0).data<float>();
  float *y = ctx.out(0).data<float>();
  Activation act = fused_activation(ctx.attrs());
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        double acc = is_max ? -INFINITY : 0.0;
        int64_t count = 0;
        for (int64_t ky = 0; ky < g.kernel[0]; ++ky)
          for (int64_t kx = 0; kx < g.kernel[1]; ++kx) {
            int64_t iy = oy * g.stride[0] - g.pad_begin[0] + ky * g.dilation[0];
            int64_t ix = ox * g.stride[1] - g.pad_begin[1] + kx * g.dilation[1];
            bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            // count_include_pad counts padding taps, but not taps past the end padding (ceil_mode).
            bool in_padded = iy < h + g.pad_end[0] && ix < w + g.pad_end[1];
            if (inside || (include_pad && in_padded)) ++count;
            if (!inside) continue;
            double v = x[(p * h + iy) * w + ix];
            if (is_max)
              acc = v > acc ? v : acc;
            else
              acc += v;
          }
        float r = is_max ? float(acc) : (count ? float(acc / double(count)) : 0.f);
        y[(p * oh + oy) * ow + ox] = apply_activation(act, r);
      }
}

int64_t pool_macs(const Graph &gr, const Node &n) {
  int64_t window = 1;
  for (int64_t k : n.attrs.get_ints("kernel_shape")) window *= k;
  return shape_elements(gr.tensor(n.outputs[0]).shape) * window;
}

OpDef pool_op(const char *name) {
  OpDef d;
  d.name = name;
  d.max_outputs = std::string(name) == "MaxPool" ? 2 : 1;
  d.infer = infer_pool;
  d.eval = eval_pool;
  d.macs = pool_macs;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(pool_op("MaxPool"))
MTC_REGISTER_OP(pool_op("AveragePool"))

}  // namespace mtc
