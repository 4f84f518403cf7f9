/* mtc_conv2d_f32: direct 2-D convolution with groups, strides, dilations and zero padding (see
 * mtc_conv.h). Kernel taps that fall in the padding are skipped by clamping the tap ranges per
 * output position, so the inner loop has no bounds checks. */
#include "mtc_conv.h"

#include <stddef.h>
#include <stdint.h>

/* Taps [*first, *last) of a window starting at input position `start` that read inside [0, size). */
static void tap_range(int32_t start, int32_t size, int32_t k, int32_t dil, int32_t *first, int32_t *last) {
  int32_t f = start < 0 ? (-start + dil - 1) / dil : 0;
  int32_t l = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  if (l > k) l = k;
  *first = f;
  *last = l < f ? f : l;
}

void mtc_conv2d_f32(const mtc_conv2d_params *p, const float *x, const float *w, const float *bias, float *y,
                    mtc_act act) {
  const int32_t cg = p->c / p->group, mg = p->oc / p->group;
  const int32_t plane = p->h * p->w, taps = p->kh * p->kw;
  int32_t b, oc, oy, ox, ic, ky, kx, nkx;
  for (b = 0; b < p->n; ++b) {
    for (oc = 0; oc < p->oc; ++oc) {
      const float *xg = x + (b * p->c + (oc / mg) * cg) * plane;
      const float *wo = w + oc * cg * taps;
      const float b0 = bias != NULL ? bias[oc] : 0.0f;
      float *yo = y + (b * p->oc + oc) * p->oh * p->ow;
      for (oy = 0; oy < p->oh; ++oy) {
        const int32_t iy0 = oy * p->stride_h - p->pad_top;
        int32_t ky0, ky1;
        tap_range(iy0, p->h, p->kh, p->dilation_h, &ky0, &ky1);
        for (ox = 0; ox < p->ow; ++ox) {
          const int32_t ix0 = ox * p->stride_w - p->pad_left;
          int32_t kx0, kx1;
          float acc = b0;
          tap_range(ix0, p->w, p->kw, p->dilation_w, &kx0, &kx1);
          nkx = kx1 - kx0;
          for (ic = 0; ic < cg && nkx > 0; ++ic) {
            const float *xc = xg + ic * plane + ix0 + kx0 * p->dilation_w;
            const float *wc = wo + ic * taps + kx0;
            for (ky = ky0; ky < ky1; ++ky) {
              const float *xr = xc + (iy0 + ky * p->dilation_h) * p->w;
              const float *wr = wc + ky * p->kw;
              for (kx = 0; kx < nkx; ++kx) acc += xr[kx * p->dilation_w] * wr[kx];
            }
          }
          yo[oy * p->ow + ox] = mtc_act_apply(acc, act);
        }
      }
    }
  }
}
