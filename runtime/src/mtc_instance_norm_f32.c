/* mtc_instance_norm_f32: instance normalization, statistics per (batch, channel) plane (see
 * mtc_layernorm.h). Two passes per plane (mean, then squared deviations) for accuracy. */
#include "mtc_layernorm.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

void mtc_instance_norm_f32(const float *x, const float *scale, const float *bias, float *y, int32_t n,
                           int32_t c, int32_t inner, float epsilon) {
  int32_t b, ch, i;
  for (b = 0; b < n; ++b) {
    for (ch = 0; ch < c; ++ch) {
      const ptrdiff_t base = ((ptrdiff_t)b * c + ch) * inner;
      const float *xp = x + base;
      float *yp = y + base;
      float m = 0.0f, v = 0.0f, s, t;
      for (i = 0; i < inner; ++i) m += xp[i];
      m /= (float)inner;
      for (i = 0; i < inner; ++i) v += (xp[i] - m) * (xp[i] - m);
      v /= (float)inner;
      s = scale[ch] / sqrtf(v + epsilon);
      t = bias[ch] - m * s;
      for (i = 0; i < inner; ++i) yp[i] = xp[i] * s + t;
    }
  }
}
