/* mtc_maxpool2d_f32: 2-D max pooling with strides, dilations and padding (see mtc_pool.h). Padding
 * never wins: only taps inside the input are compared. */
#include "mtc_pool.h"

#include <math.h>
#include <stdint.h>

void mtc_maxpool2d_f32(const mtc_pool2d_params *p, const float *x, float *y, mtc_act act) {
  int32_t c, oy, ox, ky, kx;
  for (c = 0; c < p->planes; ++c) {
    const float *xp = x + c * p->h * p->w;
    float *yp = y + c * p->oh * p->ow;
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        float m = -INFINITY;
        for (ky = 0; ky < p->kh; ++ky) {
          const int32_t iy = iy0 + ky * p->dilation_h;
          if (iy < 0 || iy >= p->h) continue;
          for (kx = 0; kx < p->kw; ++kx) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            if (ix >= 0 && ix < p->w && xp[iy * p->w + ix] > m) m = xp[iy * p->w + ix];
          }
        }
        yp[oy * p->ow + ox] = mtc_act_apply(m, act);
      }
    }
  }
}
