/* mtc_batchnorm_f32: inference batch normalization, one scale and offset per channel (see
 * mtc_norm.h). The per-channel factor is computed once per channel, not per element. */
#include "mtc_norm.h"

#include <math.h>
#include <stdint.h>

void mtc_batchnorm_f32(const float *x, const float *scale, const float *bias, const float *mean,
                       const float *var, float *y, int32_t n, int32_t c, int32_t inner, float epsilon,
                       mtc_act act) {
  int32_t b, ch, i;
  for (b = 0; b < n; ++b) {
    for (ch = 0; ch < c; ++ch) {
      const float s = scale[ch] / sqrtf(var[ch] + epsilon);
      const float t = bias[ch] - mean[ch] * s;
      const int32_t base = (b * c + ch) * inner;
      for (i = 0; i < inner; ++i) y[base + i] = mtc_act_apply(x[base + i] * s + t, act);
    }
  }
}
