// LayerNormalization (opset 17, float32): normalises X over dims [axis, rank), then multiplies by Scale
// and adds B, both broadcast to those dims. Optional outputs Mean and InvStdDev keep X's rank with
// the normalised dims set to 1.
#include <cmath>

#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_layer_norm(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  const int64_t rank = int64_t(x.size());
  ctx.check(rank >= 1, "input must have rank >= 1");
  for (int64_t d : x) ctx.check(d >= 1, "empty input " + shape_str(x) + " is not supported");
  const size_t axis = size_t(normalize_axis(ctx, ctx.attrs().get_int("axis", -1), rank));
  ctx.check(ctx.attrs().get_int("stash_type", 1) == 1, "only stash_type 1 (float32 statistics) is supported");
  const Shape norm(x.begin() + std::ptrdiff_t(axis), x.end());
  static const char *names[] = {"X", "Scale", "B"};
  for (size_t i = 0; i < 3; ++i) {
    if (!ctx.has_input(i)) continue;
    ctx.check(ctx.in_dtype(i) == DType::F32,
              std::string("supports float32 only, ") + names[i] + " is " + dtype_name(ctx.in_dtype(i)));
    if (i == 0) continue;
    // Scale and B broadcast to the normalised dims only: they never vary along the outer ones
    const Shape &s = ctx.in_shape(i);
    bool ok = s.size() <= norm.size();
    for (size_t k = 0; ok && k < s.size(); ++k) {
      int64_t d = s[s.size() - 1 - k], n = norm[norm.size() - 1 - k];
      ok = d == 1 || d == n;
    }
    ctx.check(ok, std::string(names[i]) + " has shape " + shape_str(s) +
                      ", which does not broadcast to the normalised dims " + shape_str(norm));
  }
  ctx.set_output(0, DType::F32, x);
  Shape stat = x;
  for (size_t a = axis; a < stat.size(); ++a) stat[a] = 1;
  ctx.set_output(1, DType::F32, stat);
  ctx.set_output(2, DType::F32, stat);
}

void eval_layer_norm(EvalContext &ctx) {
  const Value &xv = ctx.in(0);
  const size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", -1), int64_t(xv.shape.size())));
  const Shape norm(xv.shape.begin() + std::ptrdiff_t(axis), xv.shape.end());
  const int64_t inner = product(xv.shape, axis, xv.shape.size()), outer = xv.elements() / inner;
  const double eps = ctx.attrs().get_float("epsilon", 1e-5f);
  // element j of the normalised block reads Scale/B at these broadcast strides
  std::vector<int64_t> scale_st = broadcast_strides(ctx.in(1).shape, norm), bias_st;
  if (ctx.has(2)) bias_st = broadcast_strides(ctx.in(2).shape, norm);
  const std::vector<int64_t> norm_st = contiguous_strides(norm);
  auto at = [&](const Value &v, const std::vector<int64_t> &st, int64_t j) {
    int64_t k = 0;
    for (size_t a = 0; a < norm.size(); ++a) k += (j / norm_st[a]) % norm[a] * st[a];
    return double(v.data<float>()[k]);
  };
  const float *x = xv.data<float>();
  float *y = ctx.out(0).data<float>();
  for (int64_t o = 0; o < outer; ++o) {
    const float *xb = x + o * inner;
    double mean = 0, var = 0;
    for (int64_t j = 0; j < inner; ++j) mean += xb[j];
    mean /= double(inner);
    for (int64_t j = 0; j < inner; ++j) var += (xb[j] - mean) * (xb[j] - mean);
    var /= double(inner);
    const double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t j = 0; j < inner; ++j) {
      double v = (xb[j] - mean) * inv * at(ctx.in(1), scale_st, j);
      if (ctx.has(2)) v += at(ctx.in(2), bias_st, j);
      y[o * inner + j] = float(v);
    }
    if (ctx.num_outputs() > 1 && !ctx.out(1).bytes.empty()) ctx.out(1).data<float>()[o] = float(mean);
    if (ctx.num_outputs() > 2 && !ctx.out(2).bytes.empty()) ctx.out(2).data<float>()[o] = float(inv);
  }
}

int64_t layer_norm_macs(const Graph &g, const Node &n) { return 2 * shape_elements(g.tensor(n.inputs[0]).shape); }

OpDef layer_norm_op() {
  OpDef d;
  d.name = "LayerNormalization";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.max_outputs = 3;
  d.infer = infer_layer_norm;
  d.eval = eval_layer_norm;
  d.macs = layer_norm_macs;
  return d;
}

}  // namespace

MTC_REGISTER_OP(layer_norm_op())

}  // namespace mtc
