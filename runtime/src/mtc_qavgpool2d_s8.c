/* mtc_qavgpool2d_s8: int8 average pooling with equal input and output parameters (mtc_qnn.h). */
#include "mtc_qavg_impl.h"
#include "mtc_qnn.h"

void mtc_qavgpool2d_s8(const mtc_pool2d_params *p, const int8_t *x, int32_t zp, int8_t *y) {
  const int32_t padded_h = p->h + p->pad_bottom, padded_w = p->w + p->pad_right;
  int32_t c, oy, ox, ky, kx;
  for (c = 0; c < p->planes; ++c) {
    const int8_t *xp = x + c * p->h * p->w;
    int8_t *yp = y + c * p->oh * p->ow;
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        int32_t sum = 0, count = 0;
        if (iy0 >= 0 && iy0 + (p->kh - 1) * p->dilation_h < p->h && ix0 >= 0 &&
            ix0 + (p->kw - 1) * p->dilation_w < p->w) {
          /* a window wholly inside the input (global pooling, most windows): no bounds checks, the
           * zero point subtracted once */
          const int8_t *row = xp + iy0 * p->w + ix0;
          if (p->dilation_w == 1 && p->kw == p->w && p->dilation_h == 1)
            sum = mtc_sum_s8(row, p->kh * p->kw); /* whole rows: one run (global pooling) */
          else if (p->dilation_w == 1)
            for (ky = 0; ky < p->kh; ++ky, row += p->dilation_h * p->w) sum += mtc_sum_s8(row, p->kw);
          else
            for (ky = 0; ky < p->kh; ++ky, row += p->dilation_h * p->w)
              for (kx = 0; kx < p->kw; ++kx) sum += row[kx * p->dilation_w];
          count = p->kh * p->kw;
          sum -= zp * count;
        } else {
          for (ky = 0; ky < p->kh; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            for (kx = 0; kx < p->kw; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              if (iy >= 0 && iy < p->h && ix >= 0 && ix < p->w) {
                sum += (int32_t)xp[iy * p->w + ix] - zp;
                ++count;
              } else if (p->count_include_pad && iy < padded_h && ix < padded_w) {
                ++count;
              }
            }
          }
        }
        yp[oy * p->ow + ox] = count > 0 ? mtc_qavg_s8(sum, count, zp) : (int8_t)zp;
      }
    }
  }
}
