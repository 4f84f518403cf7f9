/* mtc_qavgpool2d_s8: int8 average pooling with equal input and output parameters (mtc_qnn.h). */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

/* The sum of n consecutive int8 values: four per SXTB16 pair and two SMLAD with (1, 1) where the
 * DSP extension is there. */
static int32_t sum_run(const int8_t *s, int32_t n) {
  int32_t sum = 0, i = 0;
#ifdef MTC_HAVE_SIMD32
  for (; i + 4 <= n; i += 4) {
    uint32_t v;
    memcpy(&v, s + i, 4);
    sum = __smlad(__sxtb16((int32_t)v), 0x00010001, sum);
    sum = __smlad(mtc_sxtb16_ror8(v), 0x00010001, sum);
  }
#endif
  for (; i < n; ++i) sum += s[i];
  return sum;
}

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
        int32_t sum = 0, count = 0, avg = 0;
        if (iy0 >= 0 && iy0 + (p->kh - 1) * p->dilation_h < p->h && ix0 >= 0 &&
            ix0 + (p->kw - 1) * p->dilation_w < p->w) {
          /* a window wholly inside the input (global pooling, most windows): no bounds checks, the
           * zero point subtracted once */
          const int8_t *row = xp + iy0 * p->w + ix0;
          if (p->dilation_w == 1 && p->kw == p->w && p->dilation_h == 1)
            sum = sum_run(row, p->kh * p->kw); /* whole rows: one run (global pooling) */
          else if (p->dilation_w == 1)
            for (ky = 0; ky < p->kh; ++ky, row += p->dilation_h * p->w) sum += sum_run(row, p->kw);
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
        if (count > 0) avg = sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
        yp[oy * p->ow + ox] = (int8_t)mtc_clamp_i32(zp + avg, -128, 127);
      }
    }
  }
}
