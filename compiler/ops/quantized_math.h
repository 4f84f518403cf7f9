// The float-to-integer step of the ONNX quantization operators, for the reference evaluator:
// saturate(round_half_even(x / scale) + zero_point) in float32. Written independently of the C
// runtime (runtime/include/mtc_qops.h), which must agree bit for bit.
#pragma once
#include <cmath>
#include <cstdint>

namespace mtc {

// Nearest integer, ties to even (the default IEEE rounding mode, which nearbyint uses).
inline float round_ties_even(float v) { return std::nearbyint(v); }

// A rounded float saturated into [lo, hi]; NaN gives lo.
inline int32_t saturate_rounded(float r, int32_t lo, int32_t hi) {
  if (std::isnan(r) || r <= float(lo)) return lo;
  if (r >= float(hi)) return hi;
  return int32_t(r);
}

// One division in float32, rounded, plus the zero point, saturated.
inline int32_t quantize_float(float x, float scale, int32_t zero_point, int32_t lo, int32_t hi) {
  const float q = x / scale;
  return saturate_rounded(round_ties_even(q) + float(zero_point), lo, hi);
}

}  // namespace mtc
