/* mtc_qdwconv2d_s8: int8 depthwise convolution (one output channel per input channel, weight zero
 * points 0). Away from the padding the input zero point is applied once per output through the
 * channel's weight sum (sum (x - x_zp) * w = sum x * w - x_zp * wsum), so the inner loop is one
 * multiply-add per tap; 3x3 windows with unit dilation are unrolled. */
#include "mtc_qnn.h"

void mtc_qdwconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *wsum,
                      const int32_t *bias, int8_t *y, const mtc_requant *rq) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow, taps = p->kh * p->kw;
  const int unrolled = p->kh == 3 && p->kw == 3 && p->dilation_h == 1 && p->dilation_w == 1;
  int32_t n, c, oy, ox, ky, kx;
  for (n = 0; n < p->n; ++n) {
    for (c = 0; c < p->c; ++c) {
      const int8_t *xc = x + ((int32_t)n * p->c + c) * plane_in;
      const int8_t *wc = w + c * taps;
      int8_t *yc = y + ((int32_t)n * p->c + c) * plane_out;
      const int32_t b = bias ? bias[c] : 0, interior_base = b - x_zp * wsum[c];
      for (oy = 0; oy < p->oh; ++oy) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        const int rows_inside = iy0 >= 0 && iy0 + (p->kh - 1) * p->dilation_h < p->h;
        for (ox = 0; ox < p->ow; ++ox) {
          const int32_t ix0 = ox * p->stride_w - p->pad_left;
          int32_t acc;
          if (rows_inside && ix0 >= 0 && ix0 + (p->kw - 1) * p->dilation_w < p->w) {
            const int8_t *xp = xc + iy0 * p->w + ix0;
            acc = interior_base;
            if (unrolled) {
              const int8_t *r1 = xp + p->w, *r2 = r1 + p->w;
              acc += xp[0] * wc[0] + xp[1] * wc[1] + xp[2] * wc[2] + r1[0] * wc[3] + r1[1] * wc[4] + r1[2] * wc[5] +
                     r2[0] * wc[6] + r2[1] * wc[7] + r2[2] * wc[8];
            } else {
              for (ky = 0; ky < p->kh; ++ky)
                for (kx = 0; kx < p->kw; ++kx)
                  acc += xp[ky * p->dilation_h * p->w + kx * p->dilation_w] * wc[ky * p->kw + kx];
            }
          } else {
            acc = b;
            for (ky = 0; ky < p->kh; ++ky) {
              const int32_t iy = iy0 + ky * p->dilation_h;
              if (iy < 0 || iy >= p->h) continue;
              for (kx = 0; kx < p->kw; ++kx) {
                const int32_t ix = ix0 + kx * p->dilation_w;
                if (ix < 0 || ix >= p->w) continue;
                acc += ((int32_t)xc[iy * p->w + ix] - x_zp) * wc[ky * p->kw + kx];
              }
            }
          }
          yc[oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc, c);
        }
      }
    }
  }
}
