// GlobalAveragePool and GlobalMaxPool (float32, any rank >= 3): one value per (N, C) plane, spatial
// axes kept as size 1, optional fused activation.
#include <cmath>

#include "ops/activation.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_global_pool(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  ctx.check(ctx.in_dtype(0) == DType::F32,
            std::string("supports float32 only, not ") + dtype_name(ctx.in_dtype(0)));
  ctx.check(x.size() >= 3, "input must have rank >= 3 (N, C, spatial...), got " + shape_str(x));
  for (int64_t d : x) ctx.check(d >= 1, "empty input " + shape_str(x) + " is not supported");
  Shape out(x.size(), 1);
  out[0] = x[0];
  out[1] = x[1];
  ctx.set_output(0, DType::F32, out);
}

void eval_global_pool(EvalContext &ctx) {
  const Shape &xs = ctx.in(0).shape;
  bool is_max = ctx.node().op == "GlobalMaxPool";
  int64_t planes = xs[0] * xs[1], spatial = ctx.in(0).elements() / (planes ? planes : 1);
  const float *x = ctx.in(0).data<float>();
  float *y = ctx.out(0).data<float>();
  Activation act = fused_activation(ctx.attrs());
  for (int64_t p = 0; p < planes; ++p) {
    double acc = is_max ? -INFINITY : 0.0;
    for (int64_t i = 0; i < spatial; ++i) {
      double v = x[p * spatial + i];
      if (is_max)
        acc = v > acc ? v : acc;
      else
        acc += v;
    }
    y[p] = apply_activation(act, float(is_max ? acc : acc / double(spatial)));
  }
}

int64_t global_pool_macs(const Graph &g, const Node &n) {
  return shape_elements(g.tensor(n.inputs[0]).shape);
}

OpDef global_pool_op(const char *name) {
  OpDef d;
  d.name = name;
  d.infer = infer_global_pool;
  d.eval = eval_global_pool;
  d.macs = global_pool_macs;
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(global_pool_op("GlobalAveragePool"))
MTC_REGISTER_OP(global_pool_op("GlobalMaxPool"))

}  // namespace mtc
