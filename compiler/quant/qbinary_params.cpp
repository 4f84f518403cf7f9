#include "quant/qbinary_params.h"

#include <algorithm>
#include <cmath>

#include "quant/fixed_point.h"
#include "support/error.h"

namespace mtc {

namespace {
constexpr int kAddLeftShift = 20;  // headroom for the rescaled operands, as TFLite's int8 Add
}

QBinaryParams make_qadd_params(const Graph &g, const Node &n) {
  const QuantParams &a = require_quant(g, n, n.inputs[0], "input A"), &b = require_quant(g, n, n.inputs[1], "input B"),
                    &y = require_quant(g, n, n.outputs[0], "output");
  int32_t lo, hi;
  activation_range(g, n, y, DType::I8, lo, hi);
  return make_qadd_params(a, b, y, requant_mode(n), lo, hi);
}

QBinaryParams make_qadd_params(const QuantParams &a, const QuantParams &b, const QuantParams &y, RequantMode mode,
                               int32_t act_min, int32_t act_max) {
  QBinaryParams p;
  p.a_zero_point = a.zero_point[0];
  p.b_zero_point = b.zero_point[0];
  if (mode == RequantMode::Float) {
    p.a_ratio = a.scale[0] / y.scale[0];
    p.b_ratio = b.scale[0] / y.scale[0];
    p.out = make_scalar_requant(mode, 1.0, y, DType::I8);
  } else {
    double twice_max = 2.0 * std::max(double(a.scale[0]), double(b.scale[0]));
    p.left_shift = kAddLeftShift;
    quantize_multiplier(double(a.scale[0]) / twice_max, p.a_multiplier, p.a_shift);
    quantize_multiplier(double(b.scale[0]) / twice_max, p.b_multiplier, p.b_shift);
    p.out = make_scalar_requant(mode, twice_max / (double(1 << kAddLeftShift) * double(y.scale[0])), y, DType::I8);
  }
  p.out.act_min = act_min;
  p.out.act_max = act_max;
  return p;
}

QBinaryParams make_qmul_params(const Graph &g, const Node &n) {
  const QuantParams &a = require_quant(g, n, n.inputs[0], "input A"), &b = require_quant(g, n, n.inputs[1], "input B"),
                    &y = require_quant(g, n, n.outputs[0], "output");
  QBinaryParams p;
  p.a_zero_point = a.zero_point[0];
  p.b_zero_point = b.zero_point[0];
  if (requant_mode(n) == RequantMode::Float)
    p.out = make_scalar_requant(n, double(a.scale[0] * b.scale[0] / y.scale[0]), y, DType::I8);
  else
    p.out = make_scalar_requant(n, double(a.scale[0]) * double(b.scale[0]) / double(y.scale[0]), y, DType::I8);
  activation_range(g, n, y, DType::I8, p.out.act_min, p.out.act_max);
  return p;
}

bool fused_residual(const Graph &g, const Node &n, QuantParams &conv_out, QBinaryParams &add) {
  if (n.op != "QConv" || n.inputs.size() < 4 || n.inputs[3] == kNoTensor) return false;
  if (!n.attrs.has("conv_out_scale") || !n.attrs.has("conv_out_zero_point"))
    throw CompileError(g.describe(n) + ": residual input without the convolution result's parameters");
  const float scale = n.attrs.get_float("conv_out_scale", 0.f);
  const int64_t zp = n.attrs.get_int("conv_out_zero_point", 0);
  if (!(scale > 0.f) || !std::isfinite(scale) || zp < -128 || zp > 127)
    throw CompileError(g.describe(n) + ": invalid parameters of the convolution result before the residual add");
  conv_out = per_tensor_quant(scale, int32_t(zp));
  const QuantParams &s = require_quant(g, n, n.inputs[3], "residual"), &y = require_quant(g, n, n.outputs[0], "output");
  const int64_t mode = n.attrs.get_int("add_requant", 0);
  const int64_t lo = n.attrs.get_int("add_min", -128), hi = n.attrs.get_int("add_max", 127);
  if (lo < -128 || hi > 127 || lo > hi) throw CompileError(g.describe(n) + ": invalid clamp of the residual add");
  add = make_qadd_params(conv_out, s, y, mode == 1 ? RequantMode::Float : RequantMode::Fixed, int32_t(lo), int32_t(hi));
  return true;
}

int32_t apply_qadd(const QBinaryParams &p, int32_t a, int32_t b) {
  if (p.out.mode == RequantMode::Float) {
    volatile float va = float(a - p.a_zero_point) * p.a_ratio;
    volatile float vb = float(b - p.b_zero_point) * p.b_ratio;
    volatile float sum = va + vb;
    int32_t v = float_to_int_saturate(round_half_even(sum), -(1 << 30), 1 << 30) + p.out.out_zero_point;
    return v < p.out.act_min ? p.out.act_min : (v > p.out.act_max ? p.out.act_max : v);
  }
  int32_t sa = requantize_fixed((a - p.a_zero_point) * (1 << p.left_shift), p.a_multiplier, p.a_shift);
  int32_t sb = requantize_fixed((b - p.b_zero_point) * (1 << p.left_shift), p.b_multiplier, p.b_shift);
  return p.out.apply(sa + sb, 0);
}

int32_t apply_qmul(const QBinaryParams &p, int32_t a, int32_t b) {
  return p.out.apply((a - p.a_zero_point) * (b - p.b_zero_point), 0);
}

}  // namespace mtc
