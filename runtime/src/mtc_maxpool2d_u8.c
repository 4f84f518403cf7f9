/* mtc_maxpool2d_u8: 2-D max pooling of uint8_t (see mtc_pool.h); a window wholly in padding gives 0. */
#include "mtc_pool.h"

#include <stdint.h>

void mtc_maxpool2d_u8(const mtc_pool2d_params *p, const uint8_t *x, uint8_t *y) {
  int32_t c, oy, ox, ky, kx;
  for (c = 0; c < p->planes; ++c) {
    const uint8_t *xp = x + c * p->h * p->w;
    uint8_t *yp = y + c * p->oh * p->ow;
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        uint8_t m = 0;
        for (ky = 0; ky < p->kh; ++ky) {
          const int32_t iy = iy0 + ky * p->dilation_h;
          if (iy < 0 || iy >= p->h) continue;
          for (kx = 0; kx < p->kw; ++kx) {
            const int32_t ix = ix0 + kx * p->dilation_w;
            if (ix >= 0 && ix < p->w && xp[iy * p->w + ix] > m) m = xp[iy * p->w + ix];
          }
        }
        yp[oy * p->ow + ox] = m;
      }
    }
  }
}
