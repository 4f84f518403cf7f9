// The stage decision as the generated C computes it (runtime mtc_microt_classify): the same float32
// operations in the same order, so the compiler's thresholds and predictions are the device's.
#pragma once
#include <cstdint>

#include "microt/logistic.h"

namespace mtc {

// The runtime's exponential of x <= 0 (runtime/include/mtc_exp_impl.h), operation for operation.
float exp_nonpositive(float x);

struct HeadDecision {
  int64_t label = 0;
  float confidence = 0;  // maximum softmax probability
};

// logits in float32 (bias, then the products in feature order), the first largest, and
// 1 / sum exp(l - max).
HeadDecision classify(const LinearHead &h, const float *features);

// The stay margin of the runtime's gate (mtc_microt_gate_set in runtime/include/mtc_microt.h): a
// part head whose top logit leads the runner-up by less cannot reach `threshold`, so the sample
// stays without exponentials. Computed here in double for the generated initial gates; the device
// computes it in float when the threshold changes. Both sit a relative 1e-3 of the threshold below
// the exact bound, so either gives classify's decision.
float stay_margin(float threshold, int64_t classes);

}  // namespace mtc
