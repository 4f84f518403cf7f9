#include "mtc_qnn.h"

/* First kernel tap whose input coordinate o0 + k * d lies in [0, n), and one past the last. */
static void mtc_valid_taps(int32_t o0, int32_t d, int32_t k, int32_t n, int32_t *lo, int32_t *hi) {
  int32_t a = 0, b = k;
  if (o0 < 0) a = (-o0 + d - 1) / d;
  if (o0 + (b - 1) * d >= n) b = (n - o0 + d - 1) / d;
  if (b < a) b = a;
  *lo = a;
  *hi = b;
}

void mtc_qconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *w_zp,
                    const int32_t *bias, int8_t *y, const mtc_requant *rq) {
  const int32_t cg = p->c / p->group, mg = p->oc / p->group;
  const int32_t plane = p->h * p->w, taps = p->kh * p->kw;
  int32_t n, oc, oy, ox, ic, ky, kx;
  for (n = 0; n < p->n; ++n) {
    for (oc = 0; oc < p->oc; ++oc) {
      const int32_t first_ic = (oc / mg) * cg;
      const int32_t wzp = w_zp ? w_zp[oc] : 0;
      const int8_t *wc = w + (int32_t)oc * cg * taps;
      const int8_t *xn = x + ((int32_t)n * p->c + first_ic) * plane;
      int8_t *yc = y + ((int32_t)n * p->oc + oc) * p->oh * p->ow;
      for (oy = 0; oy < p->oh; ++oy) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        int32_t ky_lo, ky_hi;
        mtc_valid_taps(iy0, p->dilation_h, p->kh, p->h, &ky_lo, &ky_hi);
        for (ox = 0; ox < p->ow; ++ox) {
          const int32_t ix0 = ox * p->stride_w - p->pad_left;
          int32_t kx_lo, kx_hi;
          int32_t acc = bias ? bias[oc] : 0;
          mtc_valid_taps(ix0, p->dilation_w, p->kw, p->w, &kx_lo, &kx_hi);
          if (taps == 1) { /* 1x1: a dot product over the input channels */
            if (ky_hi > ky_lo && kx_hi > kx_lo) {
              const int8_t *xp = xn + iy0 * p->w + ix0;
              for (ic = 0; ic < cg; ++ic) acc += ((int32_t)xp[ic * plane] - x_zp) * ((int32_t)wc[ic] - wzp);
            }
            yc[oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc, oc);
            continue;
          }
          for (ic = 0; ic < cg; ++ic) {
            const int8_t *xc = xn + ic * plane + ix0;
            const int8_t *wk = wc + ic * taps;
            for (ky = ky_lo; ky < ky_hi; ++ky) {
              const int8_t *xr = xc + (iy0 + ky * p->dilation_h) * p->w;
              const int8_t *wr = wk + ky * p->kw;
              for (kx = kx_lo; kx < kx_hi; ++kx)
                acc += ((int32_t)xr[kx * p->dilation_w] - x_zp) * ((int32_t)wr[kx] - wzp);
            }
          }
          yc[oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc, oc);
        }
      }
    }
  }
}
