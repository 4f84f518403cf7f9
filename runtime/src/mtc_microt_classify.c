/* mtc_microt_classify: an exit head's linear layer and confidence (contract in mtc_microt.h). */
#include "mtc_microt.h"

#include "mtc_exp_impl.h"

int32_t mtc_microt_classify(const mtc_microt_head *h, const float *features, float *logits, float *confidence) {
  int32_t k, j, best = 0;
  float sum = 0.0f;
  for (k = 0; k < h->classes; ++k) {
    const float *w = h->weight + k * h->features;
    float s = h->bias[k];
    for (j = 0; j < h->features; ++j) s += w[j] * features[j];
    logits[k] = s;
    if (s > logits[best]) best = k;
  }
  for (k = 0; k < h->classes; ++k) sum += mtc_exp_nonpositive(logits[k] - logits[best]);
  *confidence = 1.0f / sum;
  return best;
}
