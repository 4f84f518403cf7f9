/* mtc_layer_norm_f32: layer normalization over the inner dim of [outer][inner] (see mtc_layernorm.h).
 * Two passes per row (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2. */
#include "mtc_layernorm.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

void mtc_layer_norm_f32(const float *x, const float *scale, const float *bias, float *y, float *mean,
                        float *inv_std, int32_t outer, int32_t inner, float epsilon) {
  int32_t o, j;
  for (o = 0; o < outer; ++o) {
    const float *xr = x + (ptrdiff_t)o * inner;
    float *yr = y + (ptrdiff_t)o * inner;
    float m = 0.0f, v = 0.0f, inv;
    for (j = 0; j < inner; ++j) m += xr[j];
    m /= (float)inner;
    for (j = 0; j < inner; ++j) v += (xr[j] - m) * (xr[j] - m);
    v /= (float)inner;
    inv = 1.0f / sqrtf(v + epsilon);
    if (mean) mean[o] = m;
    if (inv_std) inv_std[o] = inv;
    if (bias) {
      for (j = 0; j < inner; ++j) yr[j] = (xr[j] - m) * inv * scale[j] + bias[j];
    } else {
      for (j = 0; j < inner; ++j) yr[j] = (xr[j] - m) * inv * scale[j];
    }
  }
}
