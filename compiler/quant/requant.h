// Per-channel requantization of an int32 accumulator to an int8 output, computed once from the
// tensors' quantization parameters; the evaluator applies it and the emitter prints it, so both
// use the same integers.
#pragma once
#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "ops/activation.h"

namespace mtc {

// Fixed: TFLite's Q31 multiplier and shift (two roundings). Float: onnxruntime's float32 scale.
// MulHigh: round(acc * multiplier / 2^32), one rounding; microtc's own quantizer asks for it
// (attribute "requant" 2) and gets Fixed for a node whose multipliers do not fit (see
// quantize_multiplier_mulhigh). On QAdd, 2 asks for the one-rounding Add instead
// (quant/qbinary_params.h), Fixed where it is not precise enough.
enum class RequantMode { Fixed = 0, Float = 1, MulHigh = 2 };

struct Requant {
  RequantMode mode = RequantMode::Fixed;
  std::vector<int32_t> multiplier, shift;  // fixed point (shift: Fixed only): one per channel (or one)
  std::vector<float> scale;                // float: one per channel (or one)
  int32_t out_zero_point = 0;
  int32_t act_min = -128, act_max = 127;   // output integers, activation included

  bool per_channel() const { return (mode == RequantMode::Float ? scale.size() : multiplier.size()) > 1; }
  int32_t apply(int32_t acc, size_t channel) const;
};

// The high-multiply mode with the whole int8 range as clamp: what the runtime kernels' fast paths
// cover (mtc_requant_is_mulhi_int8, the same test); layers outside it get mtc_requant_any.
inline bool requant_is_mulhi_int8(const Requant &rq) {
  return rq.mode == RequantMode::MulHigh && rq.out_zero_point >= -128 && rq.out_zero_point <= 127 &&
         rq.act_min <= -128 && rq.act_max >= 127;
}

// The node attribute that selects the mode ("requant": 0 fixed point, 1 float, 2 high multiply
// where the multipliers fit).
RequantMode requant_mode(const Node &n);

// For ops whose accumulator is sum((x - x_zp) * (w - w_zp)) (+ bias): real multiplier
// x_scale * w_scale[c] / y_scale. `w` may be per-axis with `channels` entries or per tensor.
// The float mode computes the multiplier as (x_scale * w_scale) / y_scale in float32, the order
// onnxruntime uses. The fused activation of `n` becomes the clamp range.
Requant make_requant(const Graph &g, const Node &n, const QuantParams &x, const QuantParams &w,
                     const QuantParams &y, DType y_type, size_t channels);

// Requantization by a single real multiplier m (pooling averages, rescaling): y = m * acc.
Requant make_scalar_requant(const Node &n, double m, const QuantParams &y, DType y_type);
// The same for a node whose "requant" attribute is `mode`.
Requant make_scalar_requant(RequantMode mode, double m, const QuantParams &y, DType y_type);

// The integer range of the fused activation (none, Relu, Clip) on an output with these
// parameters; throws naming the node for activations that are not a clamp.
void activation_range(const Graph &g, const Node &n, const QuantParams &y, DType y_type, int32_t &lo, int32_t &hi);

// Quantization parameters of an input or output a quantized op requires; throws naming the node.
const QuantParams &require_quant(const Graph &g, const Node &n, TensorId id, const char *role);

}  // namespace mtc

namespace mtc {
// Global average pooling: sum(x - x_zp) over `count` positions times x_scale / (y_scale * count).
Requant global_pool_requant(const Node &n, const QuantParams &x, const QuantParams &y, int64_t count);
}  // namespace mtc
