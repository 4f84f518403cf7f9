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
 * Weights are k4 per output channel (k4 = c * kh * kw rounded up to four with zero taps) and
 * channels 2i, 2i + 1 are interleaved by tap pairs: a_k, b_k, a_k+1, b_k+1. SXTB16 of one 32-bit
 * load gives channel a's pair (a_k, a_k+1), SXTB16 of it rotated by 8 channel b's, matching the
 * panel's pairs for SMLAD; a last odd channel is paired with zero weights. The inner loop computes
 * 2 output channels x 4 positions, 16 multiply-adds per tap pair from one weight load, two SXTB16
 * and two LDRD of panel values. The plain C path (no DSP extension) reads the same layout and
 * gives the same integers. */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#define TILE MTC_QCONV_PANEL_TILE

/* Longest run of one input row that a segment's windows read through the padded copy (seg_row);
 * wider geometries (long strides or dilations) take fill_tap_edge per tap. */
#define SEG_MAX 48

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

/* Values ix_first .. ix_first + len - 1 of an input row as int16, x_zp where they fall outside it
 * (everywhere when `row` is NULL, a padding row). */
MTC_NOINLINE static void seg_row(const int8_t *row, int32_t width, int32_t ix_first, int32_t len, int32_t x_zp, int16_t *seg) {
  int32_t i = 0, lo = row ? -ix_first : len, hi = row ? width - ix_first : len;
  if (lo < 0) lo = 0;
  if (lo > len) lo = len;
  if (hi > len) hi = len;
  if (hi < lo) hi = lo;
  for (; i < lo; ++i) seg[i] = (int16_t)x_zp;
  for (; i < hi; ++i) seg[i] = row[ix_first + i];
  for (; i < len; ++i) seg[i] = (int16_t)x_zp;
}

static inline uint32_t load_u32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* The kw taps of one row for positions 0..n-1 from its padded run `seg` (position t, tap kx reads
 * seg[t * sw + kx * dw]), starting at panel tap k; returns the next tap. Two taps of the row that
 * make one of the panel's pairs (k even, unit dilation) are next to each other in `seg`: one
 * 32-bit copy per position moves both. */
MTC_NOINLINE static int32_t scatter_row(const int16_t *seg, int32_t kw, int32_t sw, int32_t dw, int32_t n, int16_t *panel,
                           int32_t k) {
  int32_t kx = 0, t;
  while (kx < kw) {
    if (!(k & 1) && kx + 1 < kw && dw == 1) {
      uint32_t *dst = (uint32_t *)(void *)(panel + (k >> 1) * TILE * 2);
      const int16_t *s = seg + kx;
      if (n == TILE && sw == 1) {
        dst[0] = load_u32(s), dst[1] = load_u32(s + 1), dst[2] = load_u32(s + 2), dst[3] = load_u32(s + 3);
        dst[4] = load_u32(s + 4), dst[5] = load_u32(s + 5), dst[6] = load_u32(s + 6), dst[7] = load_u32(s + 7);
      } else {
        for (t = 0; t < n; ++t) dst[t] = load_u32(s + t * sw);
      }
      kx += 2, k += 2;
    } else {
      int16_t *dst = panel + (k >> 1) * TILE * 2 + (k & 1);
      const int16_t *s = seg + kx * dw;
      if (n == TILE && sw == 1) {
        dst[0] = s[0], dst[2] = s[1], dst[4] = s[2], dst[6] = s[3];
        dst[8] = s[4], dst[10] = s[5], dst[12] = s[6], dst[14] = s[7];
      } else {
        for (t = 0; t < n; ++t) dst[2 * t] = s[t * sw];
      }
      kx += 1, k += 1;
    }
  }
  return k;
}

/* Three taps (a 3-wide window at stride 1) of one row inside the input for positions 0..TILE-1:
 * values s[0..9], each read once; in two halves so the values stay in registers. */
static void row3_taps(const int8_t *s, int16_t *d0, int16_t *d1, int16_t *d2) {
  int32_t h;
  for (h = 0; h < TILE; h += 4, s += 4, d0 += 8, d1 += 8, d2 += 8) {
    const int16_t v0 = s[0], v1 = s[1], v2 = s[2], v3 = s[3], v4 = s[4], v5 = s[5];
    d0[0] = v0, d0[2] = v1, d0[4] = v2, d0[6] = v3;
    d1[0] = v1, d1[2] = v2, d1[4] = v3, d1[6] = v4;
    d2[0] = v2, d2[2] = v3, d2[4] = v4, d2[6] = v5;
  }
}

/* Positions 0..n-1 of the panel from output row oy, columns ox0.. (n <= TILE); `panel` points at
 * the segment's first position. Rows at a border go through a padded int16 run (seg_row,
 * scatter_row), so their windows read like any other. */
MTC_NOINLINE static void fill_segment(const mtc_conv2d_params *p, const int8_t *xn, int32_t x_zp, int32_t oy, int32_t ox0,
                         int32_t n, int16_t *panel) {
  const int32_t plane = p->h * p->w, sw = p->stride_w, dw = p->dilation_w;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix_first = ox0 * sw - p->pad_left;
  /* the run of a row the segment's windows read, and whether it lies wholly inside the row */
  const int32_t len = (n - 1) * sw + (p->kw - 1) * dw + 1;
  const int inside = ix_first >= 0 && ix_first + len <= p->w;
  const int row3 = n == TILE && sw == 1 && p->kw == 3 && dw == 1;
  int16_t seg[SEG_MAX];
  int32_t k = 0, ic, ky, kx, t;
  for (ic = 0; ic < p->c; ++ic) {
    for (ky = 0; ky < p->kh; ++ky) {
      const int32_t iy = iy0 + ky * p->dilation_h;
      const int8_t *row = iy >= 0 && iy < p->h ? xn + ic * plane + iy * p->w : NULL;
      if (row && inside) {
        const int8_t *s = row + ix_first;
        if (row3) {
          row3_taps(s, panel + (k >> 1) * TILE * 2 + (k & 1), panel + ((k + 1) >> 1) * TILE * 2 + ((k + 1) & 1),
                    panel + ((k + 2) >> 1) * TILE * 2 + (k & 1));
          k += 3;
          continue;
        }
        for (kx = 0; kx < p->kw; ++kx, ++k, s += dw) {
          int16_t *dst = panel + (k >> 1) * TILE * 2 + (k & 1);
          if (n == TILE && sw == 1) {
            dst[0] = s[0], dst[2] = s[1], dst[4] = s[2], dst[6] = s[3];
            dst[8] = s[4], dst[10] = s[5], dst[12] = s[6], dst[14] = s[7];
          } else {
            for (t = 0; t < n; ++t) dst[2 * t] = s[t * sw];
          }
        }
      } else if (len <= SEG_MAX) {
        seg_row(row, p->w, ix_first, len, x_zp, seg);
        k = scatter_row(seg, p->kw, sw, dw, n, panel, k);
      } else {
        for (kx = 0; kx < p->kw; ++kx, ++k)
          fill_tap_edge(row, p->w, ix_first + kx * dw, sw, x_zp, n, panel + (k >> 1) * TILE * 2 + (k & 1));
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

/* acc_a/acc_b += taps . weights of the channel pair at one position (panel column `col`, tap
 * pairs 2 * TILE int16 apart): the rare positions that do not fill a block of four. */
MTC_NOINLINE static void mac_2x1(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[2]) {
  int32_t j;
  for (j = 0; j < k4; j += 2, col += 2 * TILE, w += 4) {
#ifdef MTC_HAVE_SIMD32
    uint32_t raw;
    const int32_t x = load_pair(col);
    memcpy(&raw, w, 4);
    acc[0] = __smlad(x, __sxtb16((int32_t)raw), acc[0]);
    acc[1] = __smlad(x, mtc_sxtb16_ror8(raw), acc[1]);
#else
    acc[0] += col[0] * w[0] + col[1] * w[2];
    acc[1] += col[0] * w[1] + col[1] * w[3];
#endif
  }
}

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__) && TILE == 8
/* One tap pair of two channels x four positions: the pair's four weight bytes (a_k, b_k, a_k+1,
 * b_k+1) give both channels' int16 pairs by SXTB16 with and without rotate (r3, r2); two LDRD
 * bring the four positions' input pairs (r12, lr). Accumulators: channel a in r4-r7, b in r8-r11.
 * OFF is the tap pair's byte offset in the panel (2 * TILE int16 = 32 bytes per pair). 13
 * instructions per 16 multiply-adds. */
#define MTC_PANEL_PAIR(OFF)                                                                                \
  "ldr    r2, [r1], #4\n\t"                                                                          \
  "ldrd   r12, lr, [r0, #" #OFF "]\n\t"                                                               \
  "sxtb16 r3, r2\n\t"                                                                                \
  "sxtb16 r2, r2, ror #8\n\t"                                                                        \
  "smlad  r4, r12, r3, r4\n\t"                                                                       \
  "smlad  r5, lr, r3, r5\n\t"                                                                        \
  "smlad  r8, r12, r2, r8\n\t"                                                                       \
  "smlad  r9, lr, r2, r9\n\t"                                                                        \
  "ldrd   r12, lr, [r0, #" #OFF " + 8]\n\t"                                                           \
  "smlad  r6, r12, r3, r6\n\t"                                                                       \
  "smlad  r7, lr, r3, r7\n\t"                                                                        \
  "smlad  r10, r12, r2, r10\n\t"                                                                     \
  "smlad  r11, lr, r2, r11\n\t"

/* acc[0..3] (channel a, positions 0..3) and acc[4..7] (channel b) += the k4 taps (col: the first
 * position's column, w: the pair's interleaved weights). Sixteen taps per loop turn, an odd four
 * and eight first. The eight accumulators need all 14 allocatable registers, r7 included, which inline
 * assembly operands cannot have when r7 is the frame pointer (-O0, -fno-omit-frame-pointer): a
 * naked function saves and restores them itself and builds the same at every option. The loop
 * bound (w + 2 * k4) and `acc` wait on the stack. */
#define MTC_ASM_ARG __attribute__((unused)) /* read by the assembly in r0-r3 */
__attribute__((naked)) static void mac_2x4(MTC_ASM_ARG const int16_t *col, MTC_ASM_ARG const int8_t *w,
                                           MTC_ASM_ARG int32_t k4, MTC_ASM_ARG int32_t acc[8]) {
  __asm__ volatile(
      "push   {r4-r11, lr}\n\t"
      "add    r12, r1, r2, lsl #1\n\t"
      "push   {r3, r12}\n\t"
      "ldm    r3, {r4-r11}\n\t"
      /* N = k4 & 4, C = k4 & 8: the odd four and eight taps first (ADD.W keeps the flags) */
      "lsls   r12, r2, #29\n\t"
      "bpl    2f\n\t" MTC_PANEL_PAIR(0) MTC_PANEL_PAIR(32) "add.w  r0, r0, #64\n\t"
      "2:\n\t"
      "bcc    5f\n\t" MTC_PANEL_PAIR(0) MTC_PANEL_PAIR(32) MTC_PANEL_PAIR(64) MTC_PANEL_PAIR(96)
      "add.w  r0, r0, #128\n\t"
      "5:\n\t"
      "ldr    r12, [sp, #4]\n\t"
      "cmp    r1, r12\n\t"
      "beq    4f\n\t"
      "3:\n\t" MTC_PANEL_PAIR(0) MTC_PANEL_PAIR(32) MTC_PANEL_PAIR(64) MTC_PANEL_PAIR(96)
      MTC_PANEL_PAIR(128) MTC_PANEL_PAIR(160) MTC_PANEL_PAIR(192) MTC_PANEL_PAIR(224)
      "adds   r0, r0, #256\n\t"
      "ldr    r12, [sp, #4]\n\t"
      "cmp    r1, r12\n\t"
      "bne    3b\n\t"
      "4:\n\t"
      "pop    {r3, r12}\n\t"
      "stm    r3, {r4-r11}\n\t"
      "pop    {r4-r11, pc}\n\t");
}
#else
static void mac_2x4(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[8]) {
  int32_t t, pair[2];
  for (t = 0; t < 4; ++t) {
    pair[0] = acc[t], pair[1] = acc[4 + t];
    mac_2x1(col + 2 * t, w, k4, pair);
    acc[t] = pair[0], acc[4 + t] = pair[1];
  }
}
#endif

/* One output in any requantization mode: out of line, the rare layers and positions. */
MTC_NOINLINE static int8_t requant_one(const mtc_requant_quick_channel *q, int32_t acc) {
  return (int8_t)mtc_requant_quick_apply(q, acc);
}

/* Four outputs of one channel. The high-multiply mode with the whole int8 range as its clamp (any
 * layer without a fused activation narrower than int8) is one SMMLAR and one SSAT per output. */
static inline void store4(const mtc_requant_quick_channel *q, const int32_t *acc, int8_t *y) {
  if (q->quick == MTC_QUICK_MULHI && q->ch.lo == -128 && q->ch.hi == 127) {
    const int32_t m = q->mult, zp = q->round_zp;
    y[0] = (int8_t)mtc_requant_mulhi_s8(acc[0], m, zp);
    y[1] = (int8_t)mtc_requant_mulhi_s8(acc[1], m, zp);
    y[2] = (int8_t)mtc_requant_mulhi_s8(acc[2], m, zp);
    y[3] = (int8_t)mtc_requant_mulhi_s8(acc[3], m, zp);
  } else {
    y[0] = requant_one(q, acc[0]);
    y[1] = requant_one(q, acc[1]);
    y[2] = requant_one(q, acc[2]);
    y[3] = requant_one(q, acc[3]);
  }
}

/* The Add of a residual over one channel's n results of a pass (y[t] = add(r[t], res[t]); res
 * may be y, r is the kernel's own buffer): mtc_qconv2d_s8_panel_residual passes it to panel_run. */
typedef void (*panel_residual_fn)(const int8_t *r, const int8_t *res, int8_t *y, int32_t n,
                                  const mtc_qadd_prepared *add);

MTC_NOINLINE static void panel_run(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                                   int32_t k4, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                                   int32_t small_acc, int32_t tiles, int16_t *panel, const int8_t *res,
                                   const mtc_qadd_prepared *add, panel_residual_fn add_residual) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow, span = TILE * tiles, tile_size = k4 * TILE;
  /* with a residual, a pass's results go to conv8 first (y may be the residual itself) */
  int8_t conv8[2][TILE * 8];
  int32_t n, pos0;
  for (n = 0; n < p->n; ++n) {
    const int8_t *xn = x + n * p->c * plane_in;
    int8_t *yn = y + n * p->oc * plane_out;
    const int8_t *rn = res ? res + n * p->oc * plane_out : NULL;
    /* `tiles` panels of TILE positions each: a channel's set-up is shared by all of them */
    for (pos0 = 0; pos0 < plane_out; pos0 += span) {
      const int32_t np = plane_out - pos0 < span ? plane_out - pos0 : span;
      int32_t oc, t, j;
      for (j = 0; j * TILE < np; ++j)
        fill_panel(p, xn, x_zp, k4, pos0 + j * TILE, np - j * TILE < TILE ? np - j * TILE : TILE,
                   panel + j * tile_size);
      /* channel pairs; a last odd channel is paired with zero weights and its twin not stored */
      for (oc = 0; oc < p->oc; oc += 2) {
        const int8_t *wp = w + oc * k4; /* the pair's weights, interleaved by tap pairs */
        const int has_b = oc + 1 < p->oc;
        const int32_t at = oc * plane_out + pos0; /* the pair's first output */
        int8_t *ya = rn ? conv8[0] : yn + at, *yb = rn ? conv8[1] : yn + at + plane_out;
        const mtc_requant_quick_channel qa = mtc_requant_quick_for(rq, oc, small_acc),
                                        qb = mtc_requant_quick_for(rq, has_b ? oc + 1 : oc, small_acc);
        const int32_t bias_a = bias[oc], bias_b = has_b ? bias[oc + 1] : 0;
        /* blocks of four positions never straddle two panels (TILE is a multiple of four) */
        for (t = 0; t + 3 < np; t += 4) {
          int32_t acc[8];
          acc[0] = acc[1] = acc[2] = acc[3] = bias_a;
          acc[4] = acc[5] = acc[6] = acc[7] = bias_b;
          mac_2x4(panel + (t / TILE) * tile_size + 2 * (t % TILE), wp, k4, acc);
          store4(&qa, acc, ya + t);
          if (has_b) store4(&qb, acc + 4, yb + t);
        }
        for (; t < np; ++t) {
          int32_t acc[2];
          acc[0] = bias_a;
          acc[1] = bias_b;
          mac_2x1(panel + (t / TILE) * tile_size + 2 * (t % TILE), wp, k4, acc);
          ya[t] = requant_one(&qa, acc[0]);
          if (has_b) yb[t] = requant_one(&qb, acc[1]);
        }
        if (rn) {
          add_residual(conv8[0], rn + at, yn + at, np, add);
          if (has_b) add_residual(conv8[1], rn + at + plane_out, yn + at + plane_out, np, add);
        }
      }
    }
  }
}

void mtc_qconv2d_s8_panel(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, int32_t k4,
                          const int32_t *bias, int8_t *y, const mtc_requant *rq, int32_t small_acc, int32_t tiles,
                          int16_t *panel) {
  panel_run(p, x, x_zp, w, k4, bias, y, rq, small_acc, tiles, panel, NULL, NULL, NULL);
}

/* y[t] = add(r[t], res[t]) with the Add's constants in locals. */
static void add_residual(const int8_t *r, const int8_t *res, int8_t *y, int32_t n, const mtc_qadd_prepared *add) {
  int32_t t;
  if (add->quick) {
    const mtc_qadd_prepared a = *add;
    for (t = 0; t < n; ++t) y[t] = mtc_qadd_quick(&a, r[t], res[t]);
  } else {
    const mtc_requant_channel out = mtc_requant_for(&add->q->out, 0);
    for (t = 0; t < n; ++t) y[t] = mtc_qadd_one(add->q, &out, r[t], res[t]);
  }
}

/* The one-rounding Add on its own: a short entry for the many short calls (one per channel and
 * pass). */
static void add_residual_sum(const int8_t *r, const int8_t *res, int8_t *y, int32_t n, const mtc_qadd_prepared *add) {
  mtc_qadd_sum(add, r, res, y, n);
}

void mtc_qconv2d_s8_panel_residual(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                                   int32_t k4, const int32_t *bias, int8_t *y, const mtc_requant *rq, int32_t small_acc,
                                   int32_t tiles, int16_t *panel, const int8_t *res, const mtc_qbinary_params *add) {
  mtc_qadd_prepared prepared;
  mtc_qadd_prepare(&prepared, add);
  panel_run(p, x, x_zp, w, k4, bias, y, rq, small_acc, tiles, panel, res, &prepared,
            prepared.sum ? add_residual_sum : add_residual);
}

void mtc_qconv2d_s8_panel_residual_sum(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                                       int32_t k4, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                                       int32_t small_acc, int32_t tiles, int16_t *panel, const int8_t *res,
                                       const mtc_qbinary_params *add) {
  mtc_qadd_prepared prepared;
  mtc_qadd_prepare_sum(&prepared, add);
  panel_run(p, x, x_zp, w, k4, bias, y, rq, small_acc, tiles, panel, res, &prepared, add_residual_sum);
}
