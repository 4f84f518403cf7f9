#include "microt/decision.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace mtc {

float exp_nonpositive(float x) {
  if (!(x > -87.0f)) return x != x ? x : 0.0f;
  float t = x * 1.44269504f;
  const int32_t k = int32_t(t - 0.5f);
  float r = x - float(k) * 0.693145752f;
  r = r - float(k) * 1.42860677e-6f;
  const float p =
      1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  const uint32_t bits = uint32_t(k + 127) << 23;
  std::memcpy(&t, &bits, 4);
  return p * t;
}

HeadDecision classify(const LinearHead &h, const float *features) {
  std::vector<float> logits(static_cast<size_t>(h.classes));
  int64_t best = 0;
  for (int64_t k = 0; k < h.classes; ++k) {
    const float *w = &h.weight[size_t(k * h.features)];
    float s = h.bias[size_t(k)];
    for (int64_t j = 0; j < h.features; ++j) s += w[j] * features[j];
    logits[size_t(k)] = s;
    if (s > logits[size_t(best)]) best = k;
  }
  float sum = 0.0f;
  for (float l : logits) sum += exp_nonpositive(l - logits[size_t(best)]);
  return {best, 1.0f / sum};
}

float stay_margin(float threshold, int64_t classes) {
  constexpr float kSlack = 1e-3f;         // MTC_MICROT_GATE_SLACK
  constexpr int64_t kMaxClasses = 10000;  // MTC_MICROT_GATE_MAX_CLASSES
  const float t = threshold * (1.0f - kSlack);
  if (std::isnan(threshold) || threshold > 1.0f) return INFINITY;
  if (!(t > 1e-30f) || classes < 2 || classes > kMaxClasses || t >= 1.0f) return -INFINITY;
  return float(std::log(double(t)) - std::log(1.0 - double(t)));
}

}  // namespace mtc
