/* mtc_qdwconv2d_s8: int8 depthwise convolution (one output channel per input channel, weight zero
 * points 0). The input zero point is applied once per output through the channel's weight sum:
 * sum (x - x_zp) * w = sum x * w - x_zp * wsum.
 *
 * Fast path (unit dilation, scratch given, see mtc_qnn.h): the input rows the windows read are
 * widened to int16 in the scratch with their padding written as x_zp, so every output is computed
 * the same way, without bounds checks. When the scratch holds the whole padded plane, a channel is
 * widened at once; otherwise a ring of kh rows holds the window (dw_rows), each input row still
 * widened once per channel. The channel's weights are copied to int16 too, each kernel row padded
 * to an even count with a zero tap, so a window is a sum of pair products: SMLAD on Cortex-M4/M7.
 * Two adjacent outputs are computed at once, sharing the weight loads; the second output's pairs
 * start `stride` values further, at any index, hence the halfword-aligned 32-bit loads (memcpy,
 * one LDR on Cortex-M4/M7). 3x3 windows have their own loop with the weights loaded once per
 * channel. The plain C path reads the same scratch and gives the same integers.
 *
 * Otherwise (dilation, no scratch) a plain loop with bounds checks. */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#if defined(__GNUC__)
#define DW_INLINE static inline __attribute__((always_inline))
#else
#define DW_INLINE static inline
#endif

#define DW_MAX_KH 16

/* Out of line: the float and rare fixed point cases would otherwise be copied into every loop. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int8_t dw_requant_slow(const mtc_requant_channel *ch, int32_t acc) {
  return (int8_t)mtc_requant_channel_apply(ch, acc);
}

static void dw_generic(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                       const int32_t *bias, int8_t *y, const mtc_requant *rq) {
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow, taps = p->kh * p->kw;
  int32_t n, c, oy, ox, ky, kx;
  for (n = 0; n < p->n; ++n) {
    for (c = 0; c < p->c; ++c) {
      const int8_t *xc = x + (n * p->c + c) * plane_in, *wc = w + c * taps;
      int8_t *yc = y + (n * p->c + c) * plane_out;
      const mtc_requant_channel rc = mtc_requant_for(rq, c);
      for (oy = 0; oy < p->oh; ++oy) {
        for (ox = 0; ox < p->ow; ++ox) {
          int32_t acc = bias ? bias[c] : 0;
          for (ky = 0; ky < p->kh; ++ky) {
            const int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
            if (iy < 0 || iy >= p->h) continue;
            for (kx = 0; kx < p->kw; ++kx) {
              const int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
              if (ix >= 0 && ix < p->w) acc += ((int32_t)xc[iy * p->w + ix] - x_zp) * wc[ky * p->kw + kx];
            }
          }
          yc[oy * p->ow + ox] = dw_requant_slow(&rc, acc);
        }
      }
    }
  }
}

/* n int8 values to int16. */
static void widen(const int8_t *s, int16_t *d, int32_t n) {
  int32_t i = 0;
#ifdef MTC_HAVE_SIMD32
  for (; i + 4 <= n; i += 4) {
    uint32_t v, lo, hi, even, odd;
    memcpy(&v, s + i, 4);
    even = (uint32_t)__sxtb16((int32_t)v); /* values 0 and 2 */
    odd = (uint32_t)mtc_sxtb16_ror8(v);    /* values 1 and 3 */
    lo = (even & 0xFFFFu) | (odd << 16);    /* PKHBT */
    hi = (odd & 0xFFFF0000u) | (even >> 16); /* PKHTB */
    memcpy(d + i, &lo, 4);
    memcpy(d + i + 2, &hi, 4);
  }
#endif
  for (; i < n; ++i) d[i] = s[i];
}

/* The widened rows of one channel. Virtual row v is input row v - pad_top (x_zp outside the
 * plane), pw values from column -pad_left. `whole`: every virtual row the windows read, in order;
 * otherwise a ring where row v is at v mod kh. The padding columns are written once per call, so a
 * row only needs its `cols` input columns, which start at pad_left. */
typedef struct {
  const int8_t *x; /* the channel's input plane */
  int32_t h, w, pad_top, pad_left, x_zp, kh, pw, cols;
  int16_t *buf;
  int whole;
  int32_t next; /* ring: virtual rows below this one have been widened */
} dw_rows;

static void widen_row(const dw_rows *r, int32_t v, int16_t *dst) {
  const int32_t iy = v - r->pad_top;
  int32_t i;
  dst += r->pad_left;
  if (iy >= 0 && iy < r->h)
    widen(r->x + iy * r->w, dst, r->cols);
  else
    for (i = 0; i < r->cols; ++i) dst[i] = (int16_t)r->x_zp;
}

/* rows[ky] = widened virtual row v0 + ky; windows come in increasing order, so in the ring only rows
 * never widened before are new. */
static void dw_ring_window(dw_rows *r, int32_t v0, const int16_t **rows) {
  int32_t v = v0 > r->next ? v0 : r->next, ky;
  for (; v < v0 + r->kh; ++v) widen_row(r, v, r->buf + (v % r->kh) * r->pw);
  if (v > r->next) r->next = v;
  for (ky = 0; ky < r->kh; ++ky) rows[ky] = r->buf + ((v0 + ky) % r->kh) * r->pw;
}

DW_INLINE void dw_window(dw_rows *r, int32_t v0, const int16_t **rows) {
  int32_t ky;
  if (r->whole)
    for (ky = 0; ky < r->kh; ++ky) rows[ky] = r->buf + (v0 + ky) * r->pw;
  else
    dw_ring_window(r, v0, rows);
}

/* A pair of int16 weights: one register for SMLAD, else a pointer to the two values. */
#ifdef MTC_HAVE_SIMD32
DW_INLINE int32_t load_pair(const int16_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}
typedef int32_t dw_pair;
DW_INLINE dw_pair pair_at(const int16_t *q) { return load_pair(q); }
DW_INLINE int32_t mac_pair(const int16_t *p, dw_pair q, int32_t acc) { return __smlad(load_pair(p), q, acc); }
#else
typedef const int16_t *dw_pair;
DW_INLINE dw_pair pair_at(const int16_t *q) { return q; }
DW_INLINE int32_t mac_pair(const int16_t *p, dw_pair q, int32_t acc) { return acc + p[0] * q[0] + p[1] * q[1]; }
#endif

/* The channel's requantization in locals; `quick` here also needs the clamp to be the whole int8
 * range (the loops' shorter form has no clamp after its SSAT), and the accumulator bound is
 * |base| + 128 * sum |w|. */
typedef mtc_requant_quick_channel dw_requant;

static dw_requant dw_requant_for(const mtc_requant *rq, int32_t c, int32_t base, int32_t abs_wsum) {
  const int64_t bound = (base < 0 ? -(int64_t)base : (int64_t)base) + 128 * (int64_t)abs_wsum;
  dw_requant q = mtc_requant_quick_for(rq, c, bound < ((int64_t)1 << 30));
  if (q.ch.lo != -128 || q.ch.hi != 127) q.quick = MTC_QUICK_NONE;
  return q;
}

/* `quick` is a constant at each call: 1 in the loops specialised for quick channels. */
DW_INLINE int8_t dw_requant_apply(const dw_requant *q, int32_t acc, int quick) {
  if (quick && q->quick == MTC_QUICK_MULHI) return (int8_t)mtc_requant_mulhi_s8(acc, q->mult, q->round_zp);
  if (quick) return (int8_t)mtc_requant_quick_s8(acc, q->mult, q->round_zp, q->exp);
  return dw_requant_slow(&q->ch, acc);
}

/* One channel with a 3x3 window (or 3x4) on a quick channel (weights as two pairs per kernel row,
 * the second (w2, 0)): two outputs per pass with the six weight pairs loaded once per channel. */
DW_INLINE void dw_channel_3x3(dw_rows *rows, const int16_t *wq, int32_t s, int32_t sh, int32_t oh, int32_t ow,
                              int32_t base, const dw_requant *q, int8_t *y) {
  const dw_pair w00 = pair_at(wq), w01 = pair_at(wq + 2), w10 = pair_at(wq + 4), w11 = pair_at(wq + 6),
                w20 = pair_at(wq + 8), w21 = pair_at(wq + 10);
  int32_t oy, ox;
  for (oy = 0; oy < oh; ++oy, y += ow) {
    const int16_t *win[3], *r0, *r1, *r2;
    if (rows->whole) {
      r0 = rows->buf + oy * sh * rows->pw, r1 = r0 + rows->pw, r2 = r1 + rows->pw;
    } else {
      dw_ring_window(rows, oy * sh, win);
      r0 = win[0], r1 = win[1], r2 = win[2];
    }
    for (ox = 0; ox + 1 < ow; ox += 2, r0 += 2 * s, r1 += 2 * s, r2 += 2 * s) {
      int32_t a0 = base, a1 = base;
      a0 = mac_pair(r0, w00, a0);
      a1 = mac_pair(r0 + s, w00, a1);
      a0 = mac_pair(r0 + 2, w01, a0);
      a1 = mac_pair(r0 + s + 2, w01, a1);
      a0 = mac_pair(r1, w10, a0);
      a1 = mac_pair(r1 + s, w10, a1);
      a0 = mac_pair(r1 + 2, w11, a0);
      a1 = mac_pair(r1 + s + 2, w11, a1);
      a0 = mac_pair(r2, w20, a0);
      a1 = mac_pair(r2 + s, w20, a1);
      a0 = mac_pair(r2 + 2, w21, a0);
      a1 = mac_pair(r2 + s + 2, w21, a1);
      y[ox] = dw_requant_apply(q, a0, 1);
      y[ox + 1] = dw_requant_apply(q, a1, 1);
    }
    if (ox < ow) {
      int32_t a0 = base;
      a0 = mac_pair(r0, w00, a0);
      a0 = mac_pair(r0 + 2, w01, a0);
      a0 = mac_pair(r1, w10, a0);
      a0 = mac_pair(r1 + 2, w11, a0);
      a0 = mac_pair(r2, w20, a0);
      a0 = mac_pair(r2 + 2, w21, a0);
      y[ox] = dw_requant_apply(q, a0, 1);
    }
  }
}

/* One channel, any window: wq holds kw2 weight pairs per kernel row, s and sh are the strides.
 * Inlined with constant kh and kw2 for 5x5 and 7x7, where the compiler unrolls the window. */
DW_INLINE void dw_channel(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                          int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const int16_t *win[DW_MAX_KH];
  int32_t oy, ox, ky, j;
  for (oy = 0; oy < oh; ++oy, y += ow) {
    dw_window(rows, oy * sh, win);
    for (ox = 0; ox < ow; ox += 2) {
      /* the last output of an odd row is computed twice, into a0 and a1 */
      const int32_t s1 = ox + 1 < ow ? s : 0;
      int32_t a0 = base, a1 = base;
      const int16_t *wk = wq;
      for (ky = 0; ky < kh; ++ky, wk += 2 * kw2) {
        const int16_t *r = win[ky] + ox * s, *r1 = r + s1;
        /* 3 to 7 wide windows as straight-line code (one branch per kernel row) */
        switch (kw2) {
        case 4:
          a0 = mac_pair(r + 6, pair_at(wk + 6), a0);
          a1 = mac_pair(r1 + 6, pair_at(wk + 6), a1);
          /* fallthrough */
        case 3:
          a0 = mac_pair(r + 4, pair_at(wk + 4), a0);
          a1 = mac_pair(r1 + 4, pair_at(wk + 4), a1);
          /* fallthrough */
        case 2:
          a0 = mac_pair(r + 2, pair_at(wk + 2), a0);
          a1 = mac_pair(r1 + 2, pair_at(wk + 2), a1);
          a0 = mac_pair(r, pair_at(wk), a0);
          a1 = mac_pair(r1, pair_at(wk), a1);
          break;
        default:
          for (j = 0; j < kw2; ++j) {
            const dw_pair wv = pair_at(wk + 2 * j);
            a0 = mac_pair(r + 2 * j, wv, a0);
            a1 = mac_pair(r1 + 2 * j, wv, a1);
          }
        }
      }
      y[ox] = dw_requant_apply(q, a0, q->quick);
      if (s1) y[ox + 1] = dw_requant_apply(q, a1, q->quick);
    }
  }
}

/* The per-channel loops, one per entry point, so that a model links only the window sizes it uses
 * (each entry point is its own function for the linker's section garbage collection). */
typedef void (*dw_channel_fn)(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                              int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y);

/* Any window; 3x3 (the common case) with its own loops at stride 1 and 2. */
/* Each copies the requantization into a local: int8 stores may alias what `q` points to. */
static void dw_channel_small(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                             int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const dw_requant ql = *q;
  /* a constant stride makes the loads' offsets immediates */
  if (ql.quick && kh == 3 && kw2 == 2 && s == 1)
    dw_channel_3x3(rows, wq, 1, sh, oh, ow, base, &ql, y);
  else if (ql.quick && kh == 3 && kw2 == 2 && s == 2)
    dw_channel_3x3(rows, wq, 2, sh, oh, ow, base, &ql, y);
  else
    dw_channel(rows, wq, kh, kw2, s, sh, oh, ow, base, &ql, y);
}

static void dw_channel_5x5(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                           int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const dw_requant ql = *q;
  (void)kh;
  (void)kw2;
  dw_channel(rows, wq, 5, 3, s, sh, oh, ow, base, &ql, y);
}

static void dw_channel_7x7(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                           int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const dw_requant ql = *q;
  (void)kh;
  (void)kw2;
  dw_channel(rows, wq, 7, 4, s, sh, oh, ow, base, &ql, y);
}

static void dw_widened(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *wsum,
                       const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *scratch, int32_t scratch_len,
                       dw_channel_fn channel) {
  const int32_t kh = p->kh, kw = p->kw, kw2 = (kw + 1) / 2, s = p->stride_w, sh = p->stride_h;
  const int32_t plane_in = p->h * p->w, plane_out = p->oh * p->ow, oh = p->oh, ow = p->ow;
  const int32_t vh = (oh - 1) * sh + kh; /* virtual rows the windows read */
  int16_t *wq = scratch;
  dw_rows rows;
  int32_t n, c, ky, kx, i;
  rows.h = p->h;
  rows.w = p->w;
  rows.pad_top = p->pad_top;
  rows.pad_left = p->pad_left;
  rows.x_zp = x_zp;
  rows.kh = kh;
  rows.pw = mtc_qdwconv2d_s8_row_width(p);
  rows.buf = wq + 2 * kh * kw2;
  rows.cols = rows.pw - p->pad_left < p->w ? rows.pw - p->pad_left : p->w;
  if (rows.cols < 0) rows.cols = 0;
  rows.whole = scratch_len >= mtc_qdwconv2d_s8_plane_scratch_size(p);
  for (i = 0; i < (rows.whole ? vh : kh) * rows.pw; ++i) rows.buf[i] = (int16_t)x_zp;
  for (n = 0; n < p->n; ++n) {
    for (c = 0; c < p->c; ++c) {
      int8_t *yc = y + (n * p->c + c) * plane_out;
      const int32_t base = (bias ? bias[c] : 0) - x_zp * wsum[c];
      int32_t abs_wsum = 0;
      dw_requant q;
      rows.x = x + (n * p->c + c) * plane_in;
      rows.next = 0;
      if (rows.whole)
        for (i = p->pad_top; i < p->pad_top + p->h && i < vh; ++i) widen_row(&rows, i, rows.buf + i * rows.pw);
      for (ky = 0; ky < kh; ++ky) {
        for (kx = 0; kx < kw; ++kx) {
          const int8_t wv = w[(c * kh + ky) * kw + kx];
          wq[(ky * kw2) * 2 + kx] = wv;
          abs_wsum += wv < 0 ? -wv : wv;
        }
        if (kw & 1) wq[(ky * kw2) * 2 + kw] = 0;
      }
      q = dw_requant_for(rq, c, base, abs_wsum);
      channel(&rows, wq, kh, kw2, s, sh, oh, ow, base, &q, yc);
    }
  }
}

static void dw_run(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *wsum,
                   const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *scratch, int32_t scratch_len,
                   dw_channel_fn channel) {
  /* the whole plane can take less than the ring when the plane has few rows */
  if (scratch &&
      (scratch_len >= mtc_qdwconv2d_s8_scratch_size(p) || scratch_len >= mtc_qdwconv2d_s8_plane_scratch_size(p)) &&
      p->dilation_h == 1 && p->dilation_w == 1 && p->kh <= DW_MAX_KH && p->stride_h >= 1 && p->pad_top >= 0 &&
      p->pad_left >= 0 && p->stride_w >= 1)
    dw_widened(p, x, x_zp, w, wsum, bias, y, rq, scratch, scratch_len, channel);
  else
    dw_generic(p, x, x_zp, w, bias, y, rq);
}

void mtc_qdwconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *wsum,
                      const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *scratch,
                      int32_t scratch_len) {
  dw_run(p, x, x_zp, w, wsum, bias, y, rq, scratch, scratch_len, dw_channel_small);
}

void mtc_qdwconv2d_s8_5x5(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                          const int32_t *wsum, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                          int16_t *scratch, int32_t scratch_len) {
  dw_run(p, x, x_zp, w, wsum, bias, y, rq, scratch, scratch_len,
         p->kh == 5 && p->kw == 5 ? dw_channel_5x5 : dw_channel_small);
}

void mtc_qdwconv2d_s8_7x7(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                          const int32_t *wsum, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                          int16_t *scratch, int32_t scratch_len) {
  dw_run(p, x, x_zp, w, wsum, bias, y, rq, scratch, scratch_len,
         p->kh == 7 && p->kw == 7 ? dw_channel_7x7 : dw_channel_small);
}
