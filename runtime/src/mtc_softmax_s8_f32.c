/* mtc_softmax_s8_f32: Softmax over dequantized int8 logits (contract in mtc_softmax.h). Every value
 * is computed as the dequantization kernel and mtc_softmax_f32 compute it; the maximum is taken in
 * integers (scale > 0 keeps the order, and rounding is monotonic), so it is the same float. */
#include "mtc_softmax.h"

#include "mtc_exp_impl.h"
#include "mtc_simd.h"

MTC_OPTIMIZE_SIZE void mtc_softmax_s8_f32(const int8_t *x, const float *scale, int32_t zp, float *y, int32_t outer, int32_t len,
                        int32_t inner) {
  const float s = scale[0];
  int32_t o, in, i;
  for (o = 0; o < outer; ++o)
    for (in = 0; in < inner; ++in) {
      const int8_t *xv = x + o * len * inner + in;
      float *yv = y + o * len * inner + in;
      int32_t mx = -128;
      float fmx, sum = 0.0f, inv;
      for (i = 0; i < len; ++i)
        if (xv[i * inner] > mx) mx = xv[i * inner];
      fmx = (float)(mx - zp) * s;
      for (i = 0; i < len; ++i) {
        const float e = mtc_exp_nonpositive((float)(xv[i * inner] - zp) * s - fmx);
        yv[i * inner] = e;
        sum += e;
      }
      inv = 1.0f / sum;
      for (i = 0; i < len; ++i) yv[i * inner] *= inv;
    }
}
