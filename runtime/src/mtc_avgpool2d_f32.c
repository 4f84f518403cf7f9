/* mtc_avgpool2d_f32: 2-D average pooling with strides, dilations, padding and count_include_pad
 * (see mtc_pool.h for the divisor rule). */
#include "mtc_pool.h"

#include <stdint.h>

void mtc_avgpool2d_f32(const mtc_pool2d_params *p, const float *x, float *y, mtc_act act) {
  const int32_t padded_h = p->h + p->pad_bottom, padded_w = p->w + p->pad_right;
  int32_t c, oy, ox, ky, kx;
  for (c = 0; c < p->planes; ++c) {
    const float *xp = x + c * p->h * p->w;
    float *yp = y + c * p->oh * p->ow;
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        float sum = 0.0f;
        int32_t count = 0;
        for (ky = 0; ky < p->kh; ++ky) {
          const int32_t iy = iy0 + ky * p->dilation_h;
          for (kx = 0; kx < p->kw; ++kx) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            if (iy >= 0 && iy < p->h && ix >= 0 && ix < p->w) {
              sum += xp[iy * p->w + ix];
              ++count;
            } else if (p->count_include_pad && iy < padded_h && ix < padded_w) {
              ++count;
            }
          }
        }
        yp[oy * p->ow + ox] = mtc_act_apply(count > 0 ? sum / (float)count : 0.0f, act);
      }
    }
  }
}
