/* mtc_qconv2d_s8_col: int8 convolution (group 1, weight zero points 0) as, per output position, one
 * im2col column of int16 values (input minus its zero point, 0 for padding) in `col`, then a dot
 * product with every output channel's weights. Weights are [oc][k4], k4 = c*kh*kw rounded up to
 * four with zero taps, and each group of four taps is stored in the order 0, 2, 1, 3: one 32-bit
 * load then gives (w0, w1) through SXTB16 and (w2, w3) through SXTB16 of the rotated word, ready
 * for SMLAD on DSP cores. The plain C path reads the same layout and gives the same integers. */
#include <string.h>

#include "mtc_qnn.h"

#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
#include <arm_acle.h>
#define MTC_COL_DSP 1
#endif

static int32_t mtc_col_dot(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc) {
  int32_t i;
#ifdef MTC_COL_DSP
  for (i = 0; i < k4; i += 4) {
    uint32_t x01, x23, wv;
    memcpy(&x01, col + i, 4);
    memcpy(&x23, col + i + 2, 4);
    memcpy(&wv, w + i, 4);
    acc = __smlad((int32_t)x01, __sxtb16((int32_t)wv), acc);
    acc = __smlad((int32_t)x23, __sxtb16((int32_t)((wv >> 8) | (wv << 24))), acc);
  }
#else
  for (i = 0; i < k4; i += 4)
    acc += col[i] * w[i] + col[i + 1] * w[i + 2] + col[i + 2] * w[i + 1] + col[i + 3] * w[i + 3];
#endif
  return acc;
}

/* Two output channels per pass share the column loads. */
static void mtc_col_dot2(const int16_t *col, const int8_t *wa, const int8_t *wb, int32_t k4, int32_t *acc_a,
                         int32_t *acc_b) {
#ifdef MTC_COL_DSP
  int32_t i, a = *acc_a, b = *acc_b;
  for (i = 0; i < k4; i += 4) {
    uint32_t x01, x23, va, vb;
    memcpy(&x01, col + i, 4);
    memcpy(&x23, col + i + 2, 4);
    memcpy(&va, wa + i, 4);
    memcpy(&vb, wb + i, 4);
    a = __smlad((int32_t)x01, __sxtb16((int32_t)va), a);
    b = __smlad((int32_t)x01, __sxtb16((int32_t)vb), b);
    a = __smlad((int32_t)x23, __sxtb16((int32_t)((va >> 8) | (va << 24))), a);
    b = __smlad((int32_t)x23, __sxtb16((int32_t)((vb >> 8) | (vb << 24))), b);
  }
  *acc_a = a;
  *acc_b = b;
#else
  *acc_a = mtc_col_dot(col, wa, k4, *acc_a);
  *acc_b = mtc_col_dot(col, wb, k4, *acc_b);
#endif
}

void mtc_qconv2d_s8_col(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, int32_t k4,
                        const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *col) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow;
  int32_t n, oy, ox, ic, ky, kx, oc;
  for (n = 0; n < p->n; ++n) {
    const int8_t *xn = x + (int32_t)n * p->c * plane_in;
    int8_t *yn = y + (int32_t)n * p->oc * plane_out;
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        int16_t *cp = col;
        for (ic = 0; ic < p->c; ++ic) {
          const int8_t *xc = xn + ic * plane_in;
          for (ky = 0; ky < p->kh; ++ky) {
            const int32_t iy = iy0 + ky * p->dilation_h;
            const int row_inside = iy >= 0 && iy < p->h;
            for (kx = 0; kx < p->kw; ++kx) {
              const int32_t ix = ix0 + kx * p->dilation_w;
              *cp++ = (int16_t)(row_inside && ix >= 0 && ix < p->w ? (int32_t)xc[iy * p->w + ix] - x_zp : 0);
            }
          }
        }
        while (cp < col + k4) *cp++ = 0;
        for (oc = 0; oc + 1 < p->oc; oc += 2) {
          int32_t acc_a = bias ? bias[oc] : 0, acc_b = bias ? bias[oc + 1] : 0;
          mtc_col_dot2(col, w + oc * k4, w + (oc + 1) * k4, k4, &acc_a, &acc_b);
          yn[oc * plane_out + oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc_a, oc);
          yn[(oc + 1) * plane_out + oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc_b, oc + 1);
        }
        if (oc < p->oc) {
          int32_t acc = mtc_col_dot(col, w + oc * k4, k4, bias ? bias[oc] : 0);
          yn[oc * plane_out + oy * p->ow + ox] = (int8_t)mtc_requant_apply(rq, acc, oc);
        }
      }
    }
  }
}
