// InstanceNormalization (float32): each (batch, channel) plane of X [N, C, ...] is normalised by its
// own mean and variance, then scaled and shifted per channel: y = (x - mean) / sqrt(var + eps) * scale + B.
#include <cmath>

#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_instance_norm(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  ctx.check(x.size() >= 2, "input must have rank >= 2 (N, C, ...), got " + shape_str(x));
  for (int64_t d : x) ctx.check(d >= 1, "empty input " + shape_str(x) + " is not supported");
  static const char *names[] = {"input", "scale", "B"};
  for (size_t i = 0; i < 3; ++i) {
    ctx.check(ctx.in_dtype(i) == DType::F32,
              std::string("supports float32 only, ") + names[i] + " is " + dtype_name(ctx.in_dtype(i)));
    if (i > 0)
      ctx.check(ctx.in_shape(i) == Shape{x[1]}, std::string(names[i]) + " has shape " +
                                                    shape_str(ctx.in_shape(i)) + "; expected [" +
                                                    std::to_string(x[1]) + "] (one per channel)");
  }
  ctx.set_output(0, DType::F32, x);
}

void eval_instance_norm(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape;
  const int64_t n = xs[0], c = xs[1], inner = product(xs, 2, xs.size());
  const double eps = ctx.attrs().get_float("epsilon", 1e-5f);
  const float *x = ctx.in(0).data<float>(), *scale = ctx.in(1).data<float>(), *bias = ctx.in(2).data<float>();
  float *y = ctx.out(0).data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      const int64_t base = (b * c + ch) * inner;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < inner; ++i) mean += x[base + i];
      mean /= double(inner);
      for (int64_t i = 0; i < inner; ++i) var += (x[base + i] - mean) * (x[base + i] - mean);
      var /= double(inner);
      const double s = double(scale[ch]) / std::sqrt(var + eps);
      for (int64_t i = 0; i < inner; ++i) y[base + i] = float((x[base + i] - mean) * s + bias[ch]);
    }
}

int64_t instance_norm_macs(const Graph &g, const Node &n) {
  return 2 * shape_elements(g.tensor(n.inputs[0]).shape);
}

OpDef instance_norm_op() {
  OpDef d;
  d.name = "InstanceNormalization";
  d.min_inputs = 3;
  d.max_inputs = 3;
  d.infer = infer_instance_norm;
  d.eval = eval_instance_norm;
  d.macs = instance_norm_macs;
  return d;
}

}  // namespace

MTC_REGISTER_OP(instance_norm_op())

}  // namespace mtc
