/* mtc_microt_decide: an exit head's stage decision on the logit margin (contract in mtc_microt.h). */
#include "mtc_microt.h"

#include <math.h>

#include "mtc_exp_impl.h"

int32_t mtc_microt_decide(const mtc_microt_head *h, const float *features, float *logits, const mtc_microt_gate *g,
                          int32_t *label, float *confidence) {
  int32_t k, j, best = 0;
  float second = -INFINITY, sum = 0.0f;
  for (k = 0; k < h->classes; ++k) {
    const float *w = h->weight + k * h->features;
    float s = h->bias[k];
    for (j = 0; j < h->features; ++j) s += w[j] * features[j];
    logits[k] = s;
    if (s > logits[best]) best = k;
  }
  for (k = 0; k < h->classes; ++k)
    if (k != best && logits[k] > second) second = logits[k];
  *label = best;
  /* the runner-up alone keeps the top class's probability below the threshold: stay */
  if (logits[best] - second < g->stay_margin) return 0;
  for (k = 0; k < h->classes; ++k) sum += mtc_exp_nonpositive(logits[k] - logits[best]);
  *confidence = 1.0f / sum;
  return *confidence >= g->threshold;
}
