#include "quant/qbinary_params.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "quant/fixed_point.h"
#include "support/error.h"

namespace mtc {

namespace {
constexpr int kAddLeftShift = 20;  // headroom for the rescaled operands, as TFLite's int8 Add
// One-rounding Add: shifts at most 22 keep y_zp * 2^S below 2^29 (no int32 overflow, see
// one_rounding_add); at least 11 keep the multipliers' rounding error below 1/8 of an output step.
constexpr int kSumMaxShift = 22, kSumMinShift = 11;
constexpr int64_t kM16Max = 32767;
}  // namespace

bool one_rounding_add(double a_ratio, double b_ratio, int32_t a_zp, int32_t b_zp, int32_t y_zp, QBinaryParams &p) {
  // at S = 1 the multipliers are 2 * ratio: ratios from 2^14 on never fit
  if (!(a_ratio > 0.0 && a_ratio < 16384.0 && b_ratio > 0.0 && b_ratio < 16384.0)) return false;
  int s = kSumMaxShift;
  int64_t ma = 0, mb = 0;
  for (; s >= 1; --s) {
    ma = std::llround(std::ldexp(a_ratio, s));
    mb = std::llround(std::ldexp(b_ratio, s));
    if (std::max(ma, mb) <= kM16Max) break;
  }
  // Precision. Each multiplier is within 2^-(S+1) of its ratio * 2^S and |a - a_zp| <= 255, so the
  // sum before the floor is within 255 * 2^-S of the exact a_ratio * (a - a_zp) + b_ratio * (b -
  // b_zp) + y_zp + 1/2: at most 1/8 of a step for S >= 11 (ratios below 16). The result is then
  // the exact value rounded (half up) except within 1/8 of a tie, and never more than 1 away. A
  // multiplier that rounds to 0 has a ratio below 2^-12: its operand moves the exact sum by less
  // than 1/16 of a step, inside that bound. Where S is capped at 22 (largest ratio below 2^-7),
  // the larger multiplier must keep 13 significant bits (ratio 2^-9 or more), or the Add stays
  // fixed point.
  if (s < kSumMinShift || std::max(ma, mb) < (int64_t(1) << 13)) return false;
  const int64_t bias = (int64_t(1) << (s - 1)) - ma * a_zp - mb * b_zp + int64_t(y_zp) * (int64_t(1) << s);
  // The kernels' promise (runtime/include/mtc_qnn.h): with the clamp's low end folded into the bias
  // (at most 128 * 2^S more) no sum overflows int32, and every shifted sum fits int16. Both hold
  // for int8 zero points and S in [11, 22]: the bound is at most 2^21 + 2^8 * 2^15 (zero points) +
  // 2^7 * 2^22 (y_zp) + 2^7 * 2^22 (clamp) + 2^8 * 2^15 (operands) < 2^30 + 2^25, and the bound >> S
  // at most 1 + 256 + 2^9 * 2^15 / 2^11 < 8500.
  const int64_t bound = std::abs(bias) + 128 * (int64_t(1) << s) + 128 * (ma + mb);
  if (bound > int64_t(INT32_MAX) || (bound >> s) >= 32767) return false;
  p.a_m16 = int32_t(ma);
  p.b_m16 = int32_t(mb);
  p.sum_bias = int32_t(bias);
  p.sum_shift = s;
  return true;
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
    if (mode == RequantMode::MulHigh)
      one_rounding_add(double(a.scale[0]) / double(y.scale[0]), double(b.scale[0]) / double(y.scale[0]), p.a_zero_point,
                       p.b_zero_point, y.zero_point[0], p);
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
  const RequantMode m = mode == 1 ? RequantMode::Float : mode == 2 ? RequantMode::MulHigh : RequantMode::Fixed;
  add = make_qadd_params(conv_out, s, y, m, int32_t(lo), int32_t(hi));
  return true;
}

int32_t apply_qadd(const QBinaryParams &p, int32_t a, int32_t b) {
  if (p.sum_shift > 0) {
    const int64_t acc = int64_t(p.a_m16) * a + int64_t(p.b_m16) * b + p.sum_bias, d = int64_t(1) << p.sum_shift;
    const int64_t v = acc >= 0 ? acc / d : -((-acc + d - 1) / d);  // floor(acc / 2^S)
    return int32_t(std::clamp<int64_t>(std::clamp<int64_t>(v, -128, 127), p.out.act_min, p.out.act_max));
  }
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
