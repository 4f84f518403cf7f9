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
 * Weights are k4 per output channel, k4 = c * kh * kw rounded up to four with zero taps, each group
 * of four stored in the order 0, 2, 1, 3: SXTB16 of one 32-bit load gives (w0, w1), SXTB16 of it
 * rotated by 8 gives (w2, w3), matching the panel's pairs for SMLAD. Channels 2i and 2i + 1 are
 * interleaved group by group (four taps of 2i, four of 2i + 1, ...) so one pointer walks both; a
 * last odd channel is stored alone. The inner loop computes 2 output
 * channels x 2 positions, 16 multiply-adds per 4 taps from 2 weight loads and 4 panel loads. The
 * plain C path (no DSP extension) reads the same layout and gives the same integers. */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#define TILE MTC_QCONV_PANEL_TILE

/* One tap's values at positions 0..nt-1 into every other int16 of dst, any position (padding reads
 * x_zp); `row` is the tap's input row or NULL when the row itself is padding. */
MTC_NOINLINE static void fill_tap_edge(const int8_t *row, int32_t width, int32_t ix0, int32_t sw, int32_t x_zp, int32_t nt,
                          int16_t *dst) {
  int32_t t, lo = nt, hi = nt;
  if (row) {
    /* positions t in [lo, hi) read inside the row */
    lo = ix0 >= 0 ? 0 : (sw - 1 - ix0) / sw;
    hi = ix0 >= width ? 0 : (width - ix0 + sw - 1) / sw;
    if (lo > nt) lo = nt;
    if (hi > nt) hi = nt;
    if (hi < lo) hi = lo;
  }
  for (t = 0; t < lo; ++t) dst[2 * t] = (int16_t)x_zp;
  for (t = lo; t < hi; ++t) dst[2 * t] = row[ix0 + t * sw];
  for (t = hi; t < nt; ++t) dst[2 * t] = (int16_t)x_zp;
}

/* Positions 0..n-1 of the panel from output row oy, columns ox0.. (n <= TILE); `panel` points at
 * the segment's first position. */
static void fill_segment(const mtc_conv2d_params *p, const int8_t *xn, int32_t x_zp, int32_t oy, int32_t ox0,
                         int32_t n, int16_t *panel) {
  const int32_t plane = p->h * p->w, sw = p->stride_w, span = (TILE - 1) * sw;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix_first = ox0 * sw - p->pad_left;
  /* 3-wide kernels at stride 1 with the whole tile inside: the three taps of a row share one read
   * of its ten values */
  const int row3 = n == TILE && sw == 1 && p->kw == 3 && p->dilation_w == 1 && ix_first >= 0 &&
                   ix_first + TILE + 1 < p->w;
  int32_t k = 0, ic, ky, kx, t;
  for (ic = 0; ic < p->c; ++ic) {
    for (ky = 0; ky < p->kh; ++ky) {
      const int32_t iy = iy0 + ky * p->dilation_h;
      const int8_t *row = iy >= 0 && iy < p->h ? xn + ic * plane + iy * p->w : NULL;
      if (row && row3) {
        const int8_t *s = row + ix_first;
        const int16_t v0 = s[0], v1 = s[1], v2 = s[2], v3 = s[3], v4 = s[4];
        const int16_t v5 = s[5], v6 = s[6], v7 = s[7], v8 = s[8], v9 = s[9];
        int16_t *d = panel + (k >> 1) * TILE * 2 + (k & 1);
        d[0] = v0, d[2] = v1, d[4] = v2, d[6] = v3, d[8] = v4, d[10] = v5, d[12] = v6, d[14] = v7;
        ++k;
        d = panel + (k >> 1) * TILE * 2 + (k & 1);
        d[0] = v1, d[2] = v2, d[4] = v3, d[6] = v4, d[8] = v5, d[10] = v6, d[12] = v7, d[14] = v8;
        ++k;
        d = panel + (k >> 1) * TILE * 2 + (k & 1);
        d[0] = v2, d[2] = v3, d[4] = v4, d[6] = v5, d[8] = v6, d[10] = v7, d[12] = v8, d[14] = v9;
        ++k;
        continue;
      }
      for (kx = 0; kx < p->kw; ++kx, ++k) {
        int16_t *dst = panel + (k >> 1) * TILE * 2 + (k & 1);
        const int32_t ix0 = ix_first + kx * p->dilation_w;
        if (row && n == TILE && ix0 >= 0 && ix0 + span < p->w) {
          /* the common case, a whole tile inside the row: straight-line copies */
          const int8_t *s = row + ix0;
          if (sw == 1) {
            dst[0] = s[0], dst[2] = s[1], dst[4] = s[2], dst[6] = s[3];
            dst[8] = s[4], dst[10] = s[5], dst[12] = s[6], dst[14] = s[7];
          } else {
            for (t = 0; t < TILE; ++t, s += sw) dst[2 * t] = *s;
          }
        } else {
          fill_tap_edge(row, p->w, ix0, sw, x_zp, n, dst);
        }
      }
    }
  }
}

/* The panel of output positions pos0..pos0+nt-1 of the flattened output plane: a tile may span
 * several output rows, so narrow outputs still fill whole tiles. */
static void fill_panel(const mtc_conv2d_params *p, const int8_t *xn, int32_t x_zp, int32_t k4, int32_t pos0,
                       int32_t nt, int16_t *panel) {
  const int32_t k_real = p->c * p->kh * p->kw;
  int32_t t0 = 0, k, t;
  while (t0 < nt) {
    const int32_t oy = (pos0 + t0) / p->ow, ox0 = (pos0 + t0) - oy * p->ow;
    const int32_t n = nt - t0 < p->ow - ox0 ? nt - t0 : p->ow - ox0;
    fill_segment(p, xn, x_zp, oy, ox0, n, panel + 2 * t0);
    t0 += n;
  }
  /* zero taps (k >= c * kh * kw) have zero weights: any value will do */
  for (k = k_real; k < k4; ++k)
    for (t = 0; t < nt; ++t) panel[(k >> 1) * TILE * 2 + (k & 1) + 2 * t] = (int16_t)x_zp;
}

static inline int32_t load_pair(const int16_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* acc += taps . weights for one output channel and one position (panel column `col`, tap pairs
 * 2 * TILE int16 apart). The channel's weights come in groups of four permuted taps, `stride`
 * bytes apart (8 inside an interleaved pair of channels, 4 for a lone channel). */
static int32_t dot1(const int16_t *col, const int8_t *w, int32_t stride, int32_t k4, int32_t acc) {
  int32_t k;
  for (k = 0; k < k4; k += 4, col += 4 * TILE, w += stride) {
#ifdef MTC_HAVE_SIMD32
    uint32_t wv;
    memcpy(&wv, w, 4);
    acc = __smlad(load_pair(col), __sxtb16((int32_t)wv), acc);
    acc = __smlad(load_pair(col + 2 * TILE), mtc_sxtb16_ror8(wv), acc);
#else
    acc += col[0] * w[0] + col[1] * w[2] + col[2 * TILE] * w[1] + col[2 * TILE + 1] * w[3];
#endif
  }
  return acc;
}

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__) && TILE == 8
/* Four taps of two channels x two positions: one LDRD of panel values per tap pair, one load per
 * channel's four weights, four SXTB16 and eight SMLAD. OFF is the step's byte offset in the panel
 * (a tap pair is 2 * TILE int16 = 32 bytes further). */
#define MTC_PANEL_STEP(OFF)                                                                                \
  "ldrd   %[c0], %[c1], [%[col], #" #OFF "]\n\t"                                                      \
  "ldrd   %[c2], %[c3], [%[col], #" #OFF " + 32]\n\t"                                                 \
  "ldr    %[v], [%[w]], #4\n\t"                                                                      \
  "sxtb16 %[t], %[v], ror #8\n\t"                                                                    \
  "sxtb16 %[v], %[v]\n\t"                                                                            \
  "smlad  %[a0], %[c0], %[v], %[a0]\n\t"                                                             \
  "smlad  %[a1], %[c1], %[v], %[a1]\n\t"                                                             \
  "smlad  %[a0], %[c2], %[t], %[a0]\n\t"                                                             \
  "smlad  %[a1], %[c3], %[t], %[a1]\n\t"                                                             \
  "ldr    %[v], [%[w]], #4\n\t"                                                                      \
  "sxtb16 %[t], %[v], ror #8\n\t"                                                                    \
  "sxtb16 %[v], %[v]\n\t"                                                                            \
  "smlad  %[b0], %[c0], %[v], %[b0]\n\t"                                                             \
  "smlad  %[b1], %[c1], %[v], %[b1]\n\t"                                                             \
  "smlad  %[b0], %[c2], %[t], %[b0]\n\t"                                                             \
  "smlad  %[b1], %[c3], %[t], %[b1]\n\t"

#define MTC_PANEL_OPERANDS                                                                                  \
  : [a0] "+r"(a0), [a1] "+r"(a1), [b0] "+r"(b0), [b1] "+r"(b1), [col] "+r"(col), [w] "+r"(w),              \
    [c0] "=&r"(c0), [c1] "=&r"(c1), [c2] "=&r"(c2), [c3] "=&r"(c3), [v] "=&r"(v), [t] "=&r"(t)             \
  : [w_end] "r"(w_end)                                                                                      \
  : "cc", "memory"

/* Two channels x two positions, all k4 taps, eight taps per loop turn (an odd four first).
 * Assembly because GCC 12 neither pairs the loads into LDRD nor folds the rotate into SXTB16 from
 * the intrinsics, a third more instructions here. 13 registers, so it also builds at -O0 where r7
 * is the frame pointer. */
static void mac_2x2(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], b0 = acc[2], b1 = acc[3];
  const int8_t *w_end = w + 2 * k4;
  int32_t c0, c1, c2, c3, v, t;
  if (k4 & 4) {
    __asm__ volatile(MTC_PANEL_STEP(0) "adds   %[col], %[col], #64\n\t" MTC_PANEL_OPERANDS);
  }
  if (w != w_end) {
    __asm__ volatile("1:\n\t" MTC_PANEL_STEP(0) MTC_PANEL_STEP(64) "adds   %[col], %[col], #128\n\t"
                     "cmp    %[w], %[w_end]\n\t"
                     "bne    1b\n\t" MTC_PANEL_OPERANDS);
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = b0;
  acc[3] = b1;
}
#else
static void mac_2x2(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[4]) {
  acc[0] = dot1(col, w, 8, k4, acc[0]);
  acc[1] = dot1(col + 2, w, 8, k4, acc[1]);
  acc[2] = dot1(col, w + 4, 8, k4, acc[2]);
  acc[3] = dot1(col + 2, w + 4, 8, k4, acc[3]);
}
#endif

/* Per channel, mtc_requant_quick_for with small_acc: the compiler checked
 * |bias| + 128 * sum |w| < 2^30 for every channel of the layer. */
static inline int8_t panel_output(const mtc_requant_quick_channel *q, int32_t acc) {
  return (int8_t)mtc_requant_quick_apply(q, acc);
}

/* The rare outputs (a last odd position or channel): out of line, to keep the kernel small. */
MTC_NOINLINE static int8_t tail_output(const mtc_requant_quick_channel *q, const int16_t *col, const int8_t *w, int32_t stride,
                                       int32_t k4, int32_t bias) {
  return panel_output(q, dot1(col, w, stride, k4, bias));
}

void mtc_qconv2d_s8_panel(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, int32_t k4,
                          const int32_t *bias, int8_t *y, const mtc_requant *rq, int32_t small_acc, int32_t tiles,
                          int16_t *panel) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow, span = TILE * tiles, tile_size = k4 * TILE;
  int32_t n, pos0;
  for (n = 0; n < p->n; ++n) {
    const int8_t *xn = x + n * p->c * plane_in;
    int8_t *yn = y + n * p->oc * plane_out;
    /* `tiles` panels of TILE positions each: a channel's set-up is shared by all of them */
    for (pos0 = 0; pos0 < plane_out; pos0 += span) {
      const int32_t np = plane_out - pos0 < span ? plane_out - pos0 : span;
      int8_t *yrow = yn + pos0;
      int32_t oc = 0, t, j;
      for (j = 0; j * TILE < np; ++j)
        fill_panel(p, xn, x_zp, k4, pos0 + j * TILE, np - j * TILE < TILE ? np - j * TILE : TILE,
                   panel + j * tile_size);
      for (; oc + 1 < p->oc; oc += 2) {
        const int8_t *wp = w + oc * k4; /* the pair's weights, interleaved by groups of four */
        int8_t *ya = yrow + oc * plane_out, *yb = ya + plane_out;
        const mtc_requant_quick_channel ra = mtc_requant_quick_for(rq, oc, small_acc),
                                        rb = mtc_requant_quick_for(rq, oc + 1, small_acc);
        const int32_t bias_a = bias[oc], bias_b = bias[oc + 1];
        /* pairs of positions never straddle two panels (TILE is even) */
        for (t = 0; t + 1 < np; t += 2) {
          const int16_t *col = panel + (t / TILE) * tile_size + 2 * (t % TILE);
          int32_t acc[4];
          acc[0] = acc[1] = bias_a;
          acc[2] = acc[3] = bias_b;
          mac_2x2(col, wp, k4, acc);
          ya[t] = panel_output(&ra, acc[0]);
          ya[t + 1] = panel_output(&ra, acc[1]);
          yb[t] = panel_output(&rb, acc[2]);
          yb[t + 1] = panel_output(&rb, acc[3]);
        }
        if (t < np) {
          const int16_t *col = panel + (t / TILE) * tile_size + 2 * (t % TILE);
          ya[t] = tail_output(&ra, col, wp, 8, k4, bias_a);
          yb[t] = tail_output(&rb, col, wp + 4, 8, k4, bias_b);
        }
      }
      if (oc < p->oc) {
        int8_t *ya = yrow + oc * plane_out;
        const mtc_requant_quick_channel ra = mtc_requant_quick_for(rq, oc, small_acc);
        for (t = 0; t < np; ++t)
          ya[t] = tail_output(&ra, panel + (t / TILE) * tile_size + 2 * (t % TILE), w + oc * k4, 4, k4, bias[oc]);
      }
    }
  }
}
