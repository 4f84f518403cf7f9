/* mtc_global_avgpool_f32: the mean of each of `planes` contiguous planes of `spatial` floats. */
#include "mtc_pool.h"

#include <stdint.h>

void mtc_global_avgpool_f32(const float *x, float *y, int32_t planes, int32_t spatial, mtc_act act) {
  int32_t c, i;
  for (c = 0; c < planes; ++c) {
    const float *xp = x + c * spatial;
    float sum = 0.0f;
    for (i = 0; i < spatial; ++i) sum += xp[i];
    y[c] = mtc_act_apply(sum / (float)spatial, act);
  }
}
