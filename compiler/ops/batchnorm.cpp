// BatchNormalization, inference form (float32): y = (x - mean) / sqrt(var + epsilon) * scale + B
// per channel (axis 1), input rank >= 2. Used when fold-batchnorm cannot merge it into a Conv/Gemm.
#include <cmath>

#include "ops/activation.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_batchnorm(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  ctx.check(ctx.attrs().get_int("training_mode", 0) == 0,
            "training_mode=1 is not supported (inference only)");
  ctx.check(x.size() >= 2, "input must have rank >= 2 (N, C, ...), got " + shape_str(x));
  for (int64_t d : x) ctx.check(d >= 1, "empty input " + shape_str(x) + " is not supported");
  static const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  for (size_t i = 0; i < 5; ++i) {
    ctx.check(ctx.in_dtype(i) == DType::F32,
              std::string("supports float32 only, ") + names[i] + " is " + dtype_name(ctx.in_dtype(i)));
    if (i > 0)
      ctx.check(ctx.in_shape(i) == Shape{x[1]}, std::string(names[i]) + " has shape " +
                                                    shape_str(ctx.in_shape(i)) + "; expected [" +
                                                    std::to_string(x[1]) + "] (one per channel)");
  }
  ctx.set_output(0, DType::F32, x);
}

void eval_batchnorm(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape;
  int64_t n = xs[0], c = xs[1], nc = n * c, inner = nc > 0 ? ctx.in(0).elements() / nc : 0;
  double eps = ctx.attrs().get_float("epsilon", 1e-5f);
  const float *x = ctx.in(0).data<float>(), *scale = ctx.in(1).data<float>(), *bias = ctx.in(2).data<float>();
  const float *mean = ctx.in(3).data<float>(), *var = ctx.in(4).data<float>();
  float *y = ctx.out(0).data<float>();
  Activation act = fused_activation(ctx.attrs());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      double s = double(scale[ch]) / std::sqrt(double(var[ch]) + eps);
      for (int64_t i = 0; i < inner; ++i) {
        int64_t k = (b * c + ch) * inner + i;
        y[k] = apply_activation(act, float((double(x[k]) - mean[ch]) * s + bias[ch]));
      }
    }
}

int64_t batchnorm_macs(const Graph &g, const Node &n) { return shape_elements(g.tensor(n.inputs[0]).shape); }

OpDef batchnorm_op() {
  OpDef d;
  d.name = "BatchNormalization";
  d.min_inputs = 5;
  d.max_inputs = 5;
  d.infer = infer_batchnorm;
  d.eval = eval_batchnorm;
  d.macs = batchnorm_macs;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(batchnorm_op())

}  // namespace mtc
