#include "mtc_qnn.h"

void mtc_qconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *w_zp,
                    const int32_t *bias, int8_t *y, const mtc_requant *rq) {
  const int32_t cg = p->c / p->group, mg = p->oc / p->group;
  int32_t n, oc, oy, ox, ic, ky, kx;
  for (n = 0; n < p->n; ++n) {
    for (oc = 0; oc < p->oc; ++oc) {
      const int32_t first_ic = (oc / mg) * cg;
      const int32_t wzp = w_zp ? w_zp[oc] : 0;
      const int8_t *wc = w + (int32_t)oc * cg * p->kh * p->kw;
      int8_t *yc = y + ((int32_t)n * p->oc + oc) * p->oh * p->ow;
      for (oy = 0; oy < p->oh; ++oy) {
        for (ox = 0; ox < p->ow; ++ox) {
          int32_t acc = bias ? bias[oc] : 0;
          for (ic = 0; ic < cg; ++ic) {
            const int8_t *xc = x + ((int32_t)n * p->c + first_ic + ic) * p->h * p->w;
            const int8_t *wk = wc + ic * p->kh * p->kw;
            for (ky = 0; ky < p->kh; ++ky) {
              const int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
              if (iy < 0 || iy >= p->h) continue;
              for (kx = 0; kx < p->kw; ++kx) {
                const int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
                if (ix < 0 || ix >= p->w) continue;
                acc += ((int32_t)xc[iy * p->w + ix] - x_zp) * ((int32_t)wk[ky * p->kw + kx] - wzp);
              }
            }
          }
          yc[oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc, oc);
        }
      }
    }
  }
}
