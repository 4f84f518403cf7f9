// The activation formulas of the reference evaluator (ONNX definitions).
#include "ops/activation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mtc {

Activation fused_activation(const Attributes &a) {
  Activation act;
  act.kind = a.get_string("activation", "");
  act.alpha = a.get_float("activation_alpha", 0.f);
  act.beta = a.get_float("activation_beta", 0.f);
  return act;
}

void set_fused_activation(Attributes &a, const Activation &act) {
  a.set("activation", act.kind);
  a.set("activation_alpha", act.alpha);
  a.set("activation_beta", act.beta);
}

float apply_activation(const Activation &act, float x) {
  const std::string &k = act.kind;
  if (k.empty()) return x;
  if (k == "Relu") return x > 0.f ? x : 0.f;
  if (k == "Clip") return std::min(std::max(x, act.alpha), act.beta);
  if (k == "LeakyRelu") return x >= 0.f ? x : act.alpha * x;
  if (k == "Sigmoid") return 1.f / (1.f + std::exp(-x));
  if (k == "HardSigmoid") return std::max(0.f, std::min(1.f, act.alpha * x + act.beta));
  if (k == "HardSwish") return x * std::max(0.f, std::min(1.f, x / 6.f + 0.5f));
  if (k == "Tanh") return std::tanh(x);
  return x;
}

}  // namespace mtc
