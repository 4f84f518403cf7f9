/* mtc_qconv2d_s8_panel: int8 convolution (group 1, weight zero points 0) as a matrix product of the
 * weights [oc][k4] with an im2col panel built for MTC_QCONV_PANEL_TILE output positions of one output
 * row at a time (a constant, so panel offsets are immediates in the inner loop).
 *
 * The panel holds, for each pair of taps (k, k + 1) and each position t, the two input values as
 * one int16 pair: panel[(k / 2 * TILE + t) * 2 + (k & 1)]. Filling it copies along an input row (the
 * positions of one tap are a strided run of the row), so the cost per value is a few instructions
 * shared by every output channel. Padding reads x_zp and the input zero point is folded into the
 * bias by the compiler: sum (x - x_zp) * w + b = sum x * w + (b - x_zp * sum w).
 *
 * Weights are [oc][k4], k4 = c * kh * kw rounded up to four with zero taps, each group of four
 * stored in the order 0, 2, 1, 3: SXTB16 of one 32-bit load gives (w0, w1), SXTB16 of it rotated
 * by 8 gives (w2, w3), matching the panel's pairs for SMLAD. The inner loop computes 2 output
 * channels x 2 positions, 16 multiply-adds per 4 taps from 2 weight loads and 4 panel loads. The
 * plain C path (no DSP extension) reads the same layout and gives the same integers. */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#define TILE MTC_QCONV_PANEL_TILE

/* Walks the taps k = (ic, ky, kx) of the panel in order. */
typedef struct {
  int32_t ic, ky, kx;
} tap_cursor;

static void next_tap(const mtc_conv2d_params *p, tap_cursor *c) {
  if (++c->kx == p->kw) {
    c->kx = 0;
    if (++c->ky == p->kh) {
      c->ky = 0;
      ++c->ic;
    }
  }
}

/* One tap's values at positions 0..nt-1 into every other int16 of dst (padding reads x_zp). */
static void fill_tap(const mtc_conv2d_params *p, const int8_t *xn, int32_t x_zp, const tap_cursor *c, int32_t iy0,
                     int32_t ix_first, int32_t nt, int16_t *dst) {
  const int32_t iy = iy0 + c->ky * p->dilation_h, sw = p->stride_w;
  const int32_t ix0 = ix_first + c->kx * p->dilation_w;
  int32_t t;
  if (iy < 0 || iy >= p->h) {
    for (t = 0; t < nt; ++t) dst[2 * t] = (int16_t)x_zp;
  } else if (nt == TILE && ix0 >= 0 && ix0 + (TILE - 1) * sw < p->w) {
    /* the common case: a whole tile inside the row (a constant trip count the compiler unrolls) */
    const int8_t *src = xn + (c->ic * p->h + iy) * p->w + ix0;
    for (t = 0; t < TILE; ++t) dst[2 * t] = src[t * sw];
  } else {
    const int8_t *row = xn + (c->ic * p->h + iy) * p->w;
    /* positions t in [lo, hi) read inside the row */
    int32_t lo = ix0 >= 0 ? 0 : (sw - 1 - ix0) / sw;
    int32_t hi = ix0 >= p->w ? 0 : (p->w - ix0 + sw - 1) / sw;
    if (lo > nt) lo = nt;
    if (hi > nt) hi = nt;
    if (hi < lo) hi = lo;
    for (t = 0; t < lo; ++t) dst[2 * t] = (int16_t)x_zp;
    for (t = lo; t < hi; ++t) dst[2 * t] = row[ix0 + t * sw];
    for (t = hi; t < nt; ++t) dst[2 * t] = (int16_t)x_zp;
  }
}

static void fill_panel(const mtc_conv2d_params *p, const int8_t *xn, int32_t x_zp, int32_t k4, int32_t oy,
                       int32_t ox0, int32_t nt, int16_t *panel) {
  const int32_t k_real = p->c * p->kh * p->kw;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix_first = ox0 * p->stride_w - p->pad_left;
  tap_cursor c = {0, 0, 0};
  int32_t k, t;
  for (k = 0; k < k_real; ++k) {
    fill_tap(p, xn, x_zp, &c, iy0, ix_first, nt, panel + (k >> 1) * TILE * 2 + (k & 1));
    next_tap(p, &c);
  }
  /* zero taps (k >= k_real) have zero weights: any value will do */
  for (; k < k4; ++k)
    for (t = 0; t < nt; ++t) panel[(k >> 1) * TILE * 2 + (k & 1) + 2 * t] = (int16_t)x_zp;
}

static inline int32_t load_pair(const int16_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* acc += taps . weights for one output channel (w: k4 permuted weights) and one position (panel
 * column `col`, pairs `2 * TILE` int16 apart). */
static int32_t dot1(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc) {
  int32_t k;
  for (k = 0; k < k4; k += 4, col += 4 * TILE) {
#ifdef MTC_HAVE_SIMD32
    uint32_t wv;
    memcpy(&wv, w + k, 4);
    acc = __smlad(load_pair(col), __sxtb16((int32_t)wv), acc);
    acc = __smlad(load_pair(col + 2 * TILE), mtc_sxtb16_ror8(wv), acc);
#else
    acc += col[0] * w[k] + col[1] * w[k + 2] + col[2 * TILE] * w[k + 1] + col[2 * TILE + 1] * w[k + 3];
#endif
  }
  return acc;
}

void mtc_qconv2d_s8_panel(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, int32_t k4,
                          const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *panel) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow;
  int32_t n, oy, ox0;
  for (n = 0; n < p->n; ++n) {
    const int8_t *xn = x + n * p->c * plane_in;
    int8_t *yn = y + n * p->oc * plane_out;
    for (oy = 0; oy < p->oh; ++oy) {
      for (ox0 = 0; ox0 < p->ow; ox0 += TILE) {
        const int32_t nt = p->ow - ox0 < TILE ? p->ow - ox0 : TILE;
        int8_t *yrow = yn + oy * p->ow + ox0;
        int32_t oc = 0, t;
        fill_panel(p, xn, x_zp, k4, oy, ox0, nt, panel);
        for (; oc + 1 < p->oc; oc += 2) {
          const int8_t *wa = w + oc * k4, *wb = wa + k4;
          int8_t *ya = yrow + oc * plane_out, *yb = ya + plane_out;
          const mtc_requant_channel ra = mtc_requant_for(rq, oc), rb = mtc_requant_for(rq, oc + 1);
          const int32_t bias_a = bias[oc], bias_b = bias[oc + 1];
          for (t = 0; t + 1 < nt; t += 2) {
            int32_t a0 = bias_a, a1 = a0, b0 = bias_b, b1 = b0;
#ifdef MTC_HAVE_SIMD32
            const int16_t *col = panel + 2 * t;
            int32_t k;
            for (k = 0; k < k4; k += 4, col += 4 * TILE) {
              uint32_t va, vb;
              int32_t c00 = load_pair(col), c01 = load_pair(col + 2);
              int32_t c10 = load_pair(col + 2 * TILE), c11 = load_pair(col + 2 * TILE + 2);
              int32_t wa01, wa23, wb01, wb23;
              memcpy(&va, wa + k, 4);
              memcpy(&vb, wb + k, 4);
              wa01 = __sxtb16((int32_t)va);
              wa23 = mtc_sxtb16_ror8(va);
              wb01 = __sxtb16((int32_t)vb);
              wb23 = mtc_sxtb16_ror8(vb);
              a0 = __smlad(c00, wa01, a0);
              a1 = __smlad(c01, wa01, a1);
              b0 = __smlad(c00, wb01, b0);
              b1 = __smlad(c01, wb01, b1);
              a0 = __smlad(c10, wa23, a0);
              a1 = __smlad(c11, wa23, a1);
              b0 = __smlad(c10, wb23, b0);
              b1 = __smlad(c11, wb23, b1);
            }
#else
            a0 = dot1(panel + 2 * t, wa, k4, a0);
            a1 = dot1(panel + 2 * t + 2, wa, k4, a1);
            b0 = dot1(panel + 2 * t, wb, k4, b0);
            b1 = dot1(panel + 2 * t + 2, wb, k4, b1);
#endif
            ya[t] = (int8_t)mtc_requant_channel_apply(&ra, a0);
            ya[t + 1] = (int8_t)mtc_requant_channel_apply(&ra, a1);
            yb[t] = (int8_t)mtc_requant_channel_apply(&rb, b0);
            yb[t + 1] = (int8_t)mtc_requant_channel_apply(&rb, b1);
          }
          if (t < nt) {
            ya[t] = (int8_t)mtc_requant_channel_apply(&ra, dot1(panel + 2 * t, wa, k4, bias_a));
            yb[t] = (int8_t)mtc_requant_channel_apply(&rb, dot1(panel + 2 * t, wb, k4, bias_b));
          }
        }
        if (oc < p->oc) {
          int8_t *ya = yrow + oc * plane_out;
          const mtc_requant_channel ra = mtc_requant_for(rq, oc);
          for (t = 0; t < nt; ++t) ya[t] = (int8_t)mtc_requant_channel_apply(&ra, dot1(panel + 2 * t, w + oc * k4, k4, bias[oc]));
        }
      }
    }
  }
}
