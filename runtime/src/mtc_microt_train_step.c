/* mtc_microt_train_step: on-device SGD for an exit head (contract in mtc_microt.h). */
#include "mtc_microt.h"

#include "mtc_exp_impl.h"

void mtc_microt_train_step(float *weight, float *bias, int32_t features, int32_t classes, const float *x,
                           int32_t label, float rate, const float *mean, const float *inv_sd, float *logits, float *u) {
  int32_t k, j, best = 0;
  float sum = 0.0f, s = 0.0f;
  for (k = 0; k < classes; ++k) {
    const float *w = weight + k * features;
    float l = bias[k];
    for (j = 0; j < features; ++j) l += w[j] * x[j];
    logits[k] = l;
    if (l > logits[best]) best = k;
  }
  {
    const float top = logits[best];
    for (k = 0; k < classes; ++k) sum += (logits[k] = mtc_exp_nonpositive(logits[k] - top));
  }
  for (j = 0; j < features; ++j) {
    u[j] = (x[j] - mean[j]) * inv_sd[j] * inv_sd[j];
    s += u[j] * mean[j];
  }
  for (k = 0; k < classes; ++k) {
    float *w = weight + k * features;
    const float c = rate * (logits[k] / sum - (k == label ? 1.0f : 0.0f));
    for (j = 0; j < features; ++j) w[j] -= c * u[j];
    bias[k] -= c * (1.0f - s);
  }
}
