#include "quant/requant.h"

#include <cmath>

#include "quant/fixed_point.h"
#include "support/error.h"

namespace mtc {

int32_t Requant::apply(int32_t acc, size_t channel) const {
  size_t c = per_channel() ? channel : 0;
  int32_t v = mode == RequantMode::Fixed     ? requantize_fixed(acc, multiplier[c], shift[c])
              : mode == RequantMode::MulHigh ? requantize_mulhigh(acc, multiplier[c])
                                             : requantize_float(acc, scale[c]);
  v += out_zero_point;
  return v < act_min ? act_min : (v > act_max ? act_max : v);
}

RequantMode requant_mode(const Node &n) {
  switch (n.attrs.get_int("requant", 0)) {
    case 1: return RequantMode::Float;
    case 2: return RequantMode::MulHigh;
    default: return RequantMode::Fixed;
  }
}

const QuantParams &require_quant(const Graph &g, const Node &n, TensorId id, const char *role) {
  if (id == kNoTensor || !g.tensor(id).quant)
    throw CompileError(g.describe(n) + ": " + role + " has no quantization parameters");
  return *g.tensor(id).quant;
}

namespace {

void type_range(DType t, int32_t &lo, int32_t &hi) {
  lo = t == DType::U8 ? 0 : -128;
  hi = t == DType::U8 ? 255 : 127;
}

int32_t quantize_bound(float v, const QuantParams &y) {
  double q = std::round(double(v) / double(y.scale[0])) + y.zero_point[0];
  if (q < -1e9) return -1000000000;
  if (q > 1e9) return 1000000000;
  return int32_t(q);
}

}  // namespace

void activation_range(const Graph &g, const Node &n, const QuantParams &y, DType y_type, int32_t &lo, int32_t &hi) {
  type_range(y_type, lo, hi);
  Activation act = fused_activation(n.attrs);
  if (act.kind.empty()) return;
  float a_lo, a_hi;
  if (act.kind == "Relu") {
    a_lo = 0.f;
    a_hi = INFINITY;
  } else if (act.kind == "Clip") {
    a_lo = act.alpha;
    a_hi = act.beta;
  } else {
    throw CompileError(g.describe(n) + ": fused activation " + act.kind + " cannot run as an int8 clamp");
  }
  if (std::isfinite(a_lo)) lo = std::max(lo, quantize_bound(a_lo, y));
  if (std::isfinite(a_hi)) hi = std::min(hi, quantize_bound(a_hi, y));
  if (lo > hi) lo = hi;  // a range narrower than one step: the output is constant
}

Requant make_requant(const Graph &g, const Node &n, const QuantParams &x, const QuantParams &w,
                     const QuantParams &y, DType y_type, size_t channels) {
  Requant r;
  r.mode = requant_mode(n);
  r.out_zero_point = y.zero_point.at(0);
  activation_range(g, n, y, y_type, r.act_min, r.act_max);
  size_t count = w.per_axis() ? channels : 1;
  if (r.mode == RequantMode::MulHigh) {
    for (size_t c = 0; c < count; ++c) {
      int32_t q;
      if (!quantize_multiplier_mulhigh(double(x.scale[0]) * double(w.scale_at(c)) / double(y.scale[0]), q)) {
        r.multiplier.clear();
        r.mode = RequantMode::Fixed;
        break;
      }
      r.multiplier.push_back(q);
    }
    if (r.mode == RequantMode::MulHigh) return r;
  }
  for (size_t c = 0; c < count; ++c) {
    if (r.mode == RequantMode::Float) {
      float prod = x.scale[0] * w.scale_at(c);
      r.scale.push_back(prod / y.scale[0]);
    } else {
      int32_t q, s;
      quantize_multiplier(double(x.scale[0]) * double(w.scale_at(c)) / double(y.scale[0]), q, s);
      r.multiplier.push_back(q);
      r.shift.push_back(s);
    }
  }
  return r;
}

Requant make_scalar_requant(const Node &n, double m, const QuantParams &y, DType y_type) {
  return make_scalar_requant(requant_mode(n), m, y, y_type);
}

Requant make_scalar_requant(RequantMode mode, double m, const QuantParams &y, DType y_type) {
  Requant r;
  // the pooling and elementwise kernels implement the fixed and float modes
  r.mode = mode == RequantMode::Float ? RequantMode::Float : RequantMode::Fixed;
  r.out_zero_point = y.zero_point.at(0);
  type_range(y_type, r.act_min, r.act_max);
  if (r.mode == RequantMode::Float) {
    r.scale.push_back(float(m));
  } else {
    int32_t q, s;
    quantize_multiplier(m, q, s);
    r.multiplier.push_back(q);
    r.shift.push_back(s);
  }
  return r;
}

}  // namespace mtc

namespace mtc {

Requant global_pool_requant(const Node &n, const QuantParams &x, const QuantParams &y, int64_t count) {
  if (requant_mode(n) == RequantMode::Float)
    return make_scalar_requant(n, double(x.scale[0] / (y.scale[0] * float(count))), y, DType::I8);
  return make_scalar_requant(n, double(x.scale[0]) / (double(y.scale[0]) * double(count)), y, DType::I8);
}

}  // namespace mtc
