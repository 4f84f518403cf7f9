/* mtc_log_softmax_f32: y = x - max - log(sum(exp(x - max))) along the middle axis of
 * [outer, len, inner] (contract in mtc_softmax.h). */
#include "mtc_softmax.h"

#include <math.h>
#include <stdint.h>

void mtc_log_softmax_f32(const float *x, float *y, int32_t outer, int32_t len, int32_t inner) {
  int32_t o, in, i;
  for (o = 0; o < outer; ++o)
    for (in = 0; in < inner; ++in) {
      const float *xv = x + o * len * inner + in;
      float *yv = y + o * len * inner + in;
      float mx = -INFINITY, sum = 0.0f, lse;
      for (i = 0; i < len; ++i)
        if (xv[i * inner] > mx) mx = xv[i * inner];
      for (i = 0; i < len; ++i) sum += expf(xv[i * inner] - mx);
      lse = logf(sum);
      /* x - mx is exact for nearby values; adding mx to the log first would round at large x. */
      for (i = 0; i < len; ++i) yv[i * inner] = (xv[i * inner] - mx) - lse;
    }
}
