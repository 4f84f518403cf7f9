#include "quant/qbinary_params.h"

#include <algorithm>

#include "quant/fixed_point.h"

namespace mtc {

namespace {
constexpr int kAddLeftShift = 20;  // headroom for the rescaled operands, as TFLite's int8 Add
}

QBinaryParams make_qadd_params(const Graph &g, const Node &n) {
  const QuantParams &a = require_quant(g, n, n.inputs[0], "input A"), &b = require_quant(g, n, n.inputs[1], "input B"),
                    &y = require_quant(g, n, n.outputs[0], "output");
  QBinaryParams p;
  p.a_zero_point = a.zero_point[0];
  p.b_zero_point = b.zero_point[0];
  if (requant_mode(n) == RequantMode::Float) {
    p.a_ratio = a.scale[0] / y.scale[0];
    p.b_ratio = b.scale[0] / y.scale[0];
    p.out = make_scalar_requant(n, 1.0, y, DType::I8);
    activation_range(g, n, y, DType::I8, p.out.act_min, p.out.act_max);
    return p;
  }
  double twice_max = 2.0 * std::max(double(a.scale[0]), double(b.scale[0]));
  p.left_shift = kAddLeftShift;
  quantize_multiplier(double(a.scale[0]) / twice_max, p.a_multiplier, p.a_shift);
  quantize_multiplier(double(b.scale[0]) / twice_max, p.b_multiplier, p.b_shift);
  p.out = make_scalar_requant(n, twice_max / (double(1 << kAddLeftShift) * double(y.scale[0])), y, DType::I8);
  activation_range(g, n, y, DType::I8, p.out.act_min, p.out.act_max);
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
