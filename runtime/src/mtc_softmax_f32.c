/* mtc_softmax_f32: y = exp(x - max) / sum(exp(x - max)) along the middle axis of [outer, len, inner]
 * (contract in mtc_softmax.h). */
#include "mtc_softmax.h"

#include <math.h>
#include <stdint.h>

#include "mtc_exp_impl.h"
#include "mtc_simd.h"

MTC_OPTIMIZE_SIZE void mtc_softmax_f32(const float *x, float *y, int32_t outer, int32_t len, int32_t inner) {
  int32_t o, in, i;
  for (o = 0; o < outer; ++o)
    for (in = 0; in < inner; ++in) {
      const float *xv = x + o * len * inner + in;
      float *yv = y + o * len * inner + in;
      float mx = -INFINITY, sum = 0.0f, scale;
      for (i = 0; i < len; ++i)
        if (xv[i * inner] > mx) mx = xv[i * inner];
      /* Each x is read before the y at the same place is written, so x and y may alias. */
      for (i = 0; i < len; ++i) {
        float e = mtc_exp_nonpositive(xv[i * inner] - mx);
        yv[i * inner] = e;
        sum += e;
      }
      scale = 1.0f / sum;
      for (i = 0; i < len; ++i) yv[i * inner] *= scale;
    }
}
