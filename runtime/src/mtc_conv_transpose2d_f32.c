/* mtc_conv_transpose2d_f32: direct transposed 2-D convolution with groups, strides, dilations and
 * padding (see mtc_conv_transpose.h). Computed per output position (a gather) rather than as the
 * textbook scatter, so each output is written once with the activation applied and y needs no
 * zeroing pass. */
#include "mtc_conv_transpose.h"

#include <stddef.h>
#include <stdint.h>

void mtc_conv_transpose2d_f32(const mtc_conv_transpose2d_params *p, const float *x, const float *w,
                              const float *bias, float *y, mtc_act act) {
  const int32_t cg = p->c / p->group, mg = p->oc / p->group;
  const int32_t plane = p->h * p->w, taps = p->kh * p->kw;
  const int32_t wstride = mg * taps; /* between consecutive input channels in w */
  int32_t b, oc, oy, ox, ic, ky, kx;
  for (b = 0; b < p->n; ++b) {
    for (oc = 0; oc < p->oc; ++oc) {
      const int32_t grp = oc / mg;
      const float *xg = x + (b * p->c + grp * cg) * plane;
      const float *wo = w + (grp * cg * mg + oc % mg) * taps;
      const float b0 = bias != NULL ? bias[oc] : 0.0f;
      float *yo = y + (b * p->oc + oc) * p->oh * p->ow;
      for (oy = 0; oy < p->oh; ++oy) {
        for (ox = 0; ox < p->ow; ++ox) {
          float acc = b0;
          /* Tap ky reads input row (oy + pad_top - ky * dilation_h) / stride_h when that is exact. */
          for (ky = 0; ky < p->kh; ++ky) {
            const int32_t ty = oy + p->pad_top - ky * p->dilation_h;
            int32_t iy;
            if (ty < 0) break; /* decreases with ky */
            if (ty % p->stride_h != 0) continue;
            iy = ty / p->stride_h;
            if (iy >= p->h) continue;
            for (kx = 0; kx < p->kw; ++kx) {
              const int32_t tx = ox + p->pad_left - kx * p->dilation_w;
              const float *xp, *wp;
              int32_t ix;
              if (tx < 0) break;
              if (tx % p->stride_w != 0) continue;
              ix = tx / p->stride_w;
              if (ix >= p->w) continue;
              xp = xg + iy * p->w + ix;
              wp = wo + ky * p->kw + kx;
              for (ic = 0; ic < cg; ++ic) acc += xp[ic * plane] * wp[ic * wstride];
            }
          }
          yo[oy * p->ow + ox] = mtc_act_apply(acc, act);
        }
      }
    }
  }
}
