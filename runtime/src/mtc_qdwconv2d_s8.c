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

#if !(defined(MTC_HAVE_SIMD32) && defined(__GNUC__))
/* n int8 values to int16 (the assembly in widen_rows with GNU C). */
DW_INLINE void widen(const int8_t *s, int16_t *d, int32_t n) {
  int32_t i = 0;
#ifdef MTC_HAVE_SIMD32
  for (; i + 4 <= n; i += 4) {
    uint32_t v, lo, hi, even, odd;
    memcpy(&v, s + i, 4);
    even = (uint32_t)__sxtb16((int32_t)v); /* values 0 and 2 */
    odd = (uint32_t)mtc_sxtb16_ror8(v);    /* values 1 and 3 */
    lo = (even & 0xFFFFu) | (odd << 16);     /* PKHBT */
    hi = (odd & 0xFFFF0000u) | (even >> 16); /* PKHTB */
    memcpy(d + i, &lo, 4);
    memcpy(d + i + 2, &hi, 4);
  }
#endif
  for (; i < n; ++i) d[i] = s[i];
}
#endif

/* `rows` rows of n values, source rows sw apart, destination rows pw apart: the whole plane of a
 * channel at once, in its own function for the registers (planes of a few short rows are common). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void widen_rows(const int8_t *s, int32_t sw, int16_t *d, int32_t pw, int32_t rows, int32_t n) {
#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
  /* Assembly: GCC 12 spends about 27 instructions a row on 5-value rows, this 19. The group loop
   * leaves the pointers 4 * n4 further; then the last n % 4 values one by one. */
  const int32_t n4 = n >> 2, t = n & 3, s_step = sw - 4 * n4, d_step = 2 * (pw - 4 * n4);
  int32_t k, v, e, o;
  if (rows <= 0) return;
  if (n4 == 1) {
    /* rows of 4..7 values (narrow planes such as keyword spotting's): no group loop, 16
     * instructions a 5-value row instead of 20 */
    const int32_t s_next = sw, d_next = 2 * pw;
    __asm__ volatile("1:\n\t"
                     "ldr    %[v], [%[s]]\n\t"
                     "sxtb16 %[o], %[v], ror #8\n\t"
                     "sxtb16 %[v], %[v]\n\t"
                     "pkhbt  %[e], %[v], %[o], lsl #16\n\t"
                     "pkhtb  %[o], %[o], %[v], asr #16\n\t"
                     "str    %[e], [%[d]]\n\t"
                     "str    %[o], [%[d], #4]\n\t"
                     "cmp    %[t], #1\n\t"
                     "blo    4f\n\t"
                     "ldrsb  %[v], [%[s], #4]\n\t"
                     "strh   %[v], [%[d], #8]\n\t"
                     "beq    4f\n\t"
                     "ldrsb  %[v], [%[s], #5]\n\t"
                     "strh   %[v], [%[d], #10]\n\t"
                     "cmp    %[t], #3\n\t"
                     "itt    eq\n\t"
                     "ldrsbeq %[v], [%[s], #6]\n\t"
                     "strheq %[v], [%[d], #12]\n"
                     "4:\n\t"
                     "add    %[s], %[s], %[s_next]\n\t"
                     "add    %[d], %[d], %[d_next]\n\t"
                     "subs   %[rows], %[rows], #1\n\t"
                     "bne    1b\n\t"
                     : [s] "+r"(s), [d] "+r"(d), [rows] "+r"(rows), [v] "=&r"(v), [e] "=&r"(e), [o] "=&r"(o)
                     : [t] "r"(t), [s_next] "r"(s_next), [d_next] "r"(d_next)
                     : "cc", "memory");
    return;
  }
  __asm__ volatile("1:\n\t"
                   "movs   %[k], %[n4]\n\t"
                   "beq    3f\n"
                   "2:\n\t"
                   "ldr    %[v], [%[s]], #4\n\t"
                   "sxtb16 %[o], %[v], ror #8\n\t"
                   "sxtb16 %[v], %[v]\n\t"
                   "pkhbt  %[e], %[v], %[o], lsl #16\n\t"
                   "pkhtb  %[o], %[o], %[v], asr #16\n\t"
                   "str    %[e], [%[d]], #4\n\t"
                   "str    %[o], [%[d]], #4\n\t"
                   "subs   %[k], %[k], #1\n\t"
                   "bne    2b\n"
                   "3:\n\t"
                   "cmp    %[t], #1\n\t"
                   "blo    4f\n\t"
                   "ldrsb  %[v], [%[s]]\n\t"
                   "strh   %[v], [%[d]]\n\t"
                   "beq    4f\n\t"
                   "ldrsb  %[v], [%[s], #1]\n\t"
                   "strh   %[v], [%[d], #2]\n\t"
                   "cmp    %[t], #3\n\t"
                   "itt    eq\n\t"
                   "ldrsbeq %[v], [%[s], #2]\n\t"
                   "strheq %[v], [%[d], #4]\n"
                   "4:\n\t"
                   "add    %[s], %[s], %[s_step]\n\t"
                   "add    %[d], %[d], %[d_step]\n\t"
                   "subs   %[rows], %[rows], #1\n\t"
                   "bne    1b\n\t"
                   : [s] "+r"(s), [d] "+r"(d), [rows] "+r"(rows), [k] "=&r"(k), [v] "=&r"(v), [e] "=&r"(e),
                     [o] "=&r"(o)
                   : [n4] "r"(n4), [t] "r"(t), [s_step] "r"(s_step), [d_step] "r"(d_step)
                   : "cc", "memory");
#else
  int32_t r;
  for (r = 0; r < rows; ++r, s += sw, d += pw) widen(s, d, n);
#endif
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
    widen_rows(r->x + iy * r->w, r->w, dst, r->pw, 1, r->cols);
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

/* One channel with a 3x3 window on a quick channel, stride S (1 or 2). Two outputs per pass at an
 * even output column, so that their first input pair is 4-byte aligned (rows start and stride at
 * even int16 offsets) and one LDRD brings two pairs. A kernel row's three taps are one SMLAD and
 * one 16-bit multiply-accumulate (SMLABT/SMLATB) on a halfword of a word already loaded: with
 * inputs (x0,x1) (x2,x3) (x4,x5) and weights A = (w0,w1), B = (w1,w2), output 0 is
 * (x0,x1).A + x2*w2; output 1 is (x2,x3).B + x1*w0 at stride 1, (x2,x3).A + x4*w2 at stride 2.
 * No unaligned loads and no repacking; the six weight words stay in registers for the channel.
 * The plain C path computes the same sums from the same scratch. */
#if defined(MTC_HAVE_SIMD32) && !defined(__GNUC__)
/* The intrinsics form, for compilers without GNU inline assembly (GNU C uses the assembly below). */
DW_INLINE uint32_t dw_word(const int16_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
/* Kernel row r (3 taps, weights A, B) into a0 and, at stride S, a1. */
#define DW_ROW3(r, A, B, S, a0, a1)                                 \
  do {                                                              \
    const uint32_t p0_ = dw_word(r), p1_ = dw_word((r) + 2);        \
    a0 = __smlabt((int32_t)p1_, B, __smlad((int32_t)p0_, A, a0));   \
    if ((S) == 1) {                                                 \
      a1 = __smlatb((int32_t)p0_, A, __smlad((int32_t)p1_, B, a1)); \
    } else {                                                        \
      const uint32_t p2_ = dw_word((r) + 4);                        \
      a1 = __smlabt((int32_t)p2_, B, __smlad((int32_t)p1_, A, a1)); \
    }                                                               \
  } while (0)
#define DW_ROW3_ONE(r, A, B, a0)                                                       \
  do {                                                                                 \
    a0 = __smlabt((int32_t)dw_word((r) + 2), B, __smlad((int32_t)dw_word(r), A, a0)); \
  } while (0)
#else
#define DW_ROW3(r, A, B, S, a0, a1)                                    \
  do {                                                                 \
    a0 += (r)[0] * (A)[0] + (r)[1] * (A)[1] + (r)[2] * (A)[2];         \
    a1 += (r)[S] * (A)[0] + (r)[S + 1] * (A)[1] + (r)[S + 2] * (A)[2]; \
  } while (0)
#define DW_ROW3_ONE(r, A, B, a0)                               \
  do {                                                         \
    a0 += (r)[0] * (A)[0] + (r)[1] * (A)[1] + (r)[2] * (A)[2]; \
  } while (0)
#endif

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
/* The twelve multiply-accumulates of two outputs, the rows' pointers advanced to the next two.
 * Assembly because GCC 12 keeps neither the six weight words nor the three row pointers in
 * registers next to the requantization's constants and spills them around every pass (a half more
 * instructions); here the weights come back with one LDRD per kernel row from `wk` (A0 B0 A1 B1 A2
 * B2) and each row's input words with one LDRD. 11 registers. */
#define DW_ROWS3(LOAD, MAC)                                                   \
  "ldrd   %[wa], %[wb], [%[wk], #0]\n\t" LOAD("r0") MAC("r0", "%[base]", "%[base]") \
  "ldrd   %[wa], %[wb], [%[wk], #8]\n\t" LOAD("r1") MAC("r1", "%[a0]", "%[a1]")     \
  "ldrd   %[wa], %[wb], [%[wk], #16]\n\t" LOAD("r2") MAC("r2", "%[a0]", "%[a1]")
/* stride 1: (x0,x1).A + x2*w2 and (x2,x3).B + x1*w0 */
#define DW_LOAD_S1(R) "ldrd   %[p0], %[p1], [%[" R "]], #4\n\t"
#define DW_MAC_S1(R, ACC0, ACC1)                 \
  "smlad  %[a0], %[p0], %[wa], " ACC0 "\n\t"     \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"        \
  "smlad  %[a1], %[p1], %[wb], " ACC1 "\n\t"     \
  "smlatb %[a1], %[p0], %[wa], %[a1]\n\t"
/* stride 2: (x0,x1).A + x2*w2 and (x2,x3).A + x4*w2; x4 is loaded over x0 once x0 is used */
#define DW_LOAD_S2(R) "ldrd   %[p0], %[p1], [%[" R "]], #8\n\t"
#define DW_MAC_S2(R, ACC0, ACC1)                 \
  "smlad  %[a0], %[p0], %[wa], " ACC0 "\n\t"     \
  "ldr    %[p0], [%[" R "]]\n\t"                 \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"        \
  "smlad  %[a1], %[p1], %[wa], " ACC1 "\n\t"     \
  "smlabt %[a1], %[p0], %[wb], %[a1]\n\t"
DW_INLINE void dw_mac_pair(const int16_t **r0, const int16_t **r1, const int16_t **r2, const int32_t *wk, int32_t base,
                           int32_t S, int32_t *o0, int32_t *o1) {
  int32_t a0, a1, p0, p1, wa, wb;
  const int16_t *q0 = *r0, *q1 = *r1, *q2 = *r2;
  if (S == 1)
    __asm__ volatile(DW_ROWS3(DW_LOAD_S1, DW_MAC_S1)
                     : [a0] "=&r"(a0), [a1] "=&r"(a1), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb),
                       [r0] "+r"(q0), [r1] "+r"(q1), [r2] "+r"(q2)
                     : [wk] "r"(wk), [base] "r"(base)
                     : "memory");
  else
    __asm__ volatile(DW_ROWS3(DW_LOAD_S2, DW_MAC_S2)
                     : [a0] "=&r"(a0), [a1] "=&r"(a1), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb),
                       [r0] "+r"(q0), [r1] "+r"(q1), [r2] "+r"(q2)
                     : [wk] "r"(wk), [base] "r"(base)
                     : "memory");
  *r0 = q0, *r1 = q1, *r2 = q2;
  *o0 = a0, *o1 = a1;
}

/* One output (the last of an odd row): the first half of each row's work above. */
#define DW_MAC_ONE(R, ACC0, ACC1)            \
  "smlad  %[a0], %[p0], %[wa], " ACC0 "\n\t" \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"
#define DW_LOAD_ONE(R) "ldrd   %[p0], %[p1], [%[" R "]]\n\t"
DW_INLINE int32_t dw_mac_one(const int16_t *q0, const int16_t *q1, const int16_t *q2, const int32_t *wk, int32_t base) {
  int32_t a0, p0, p1, wa, wb;
  __asm__ volatile(DW_ROWS3(DW_LOAD_ONE, DW_MAC_ONE)
                   : [a0] "=&r"(a0), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb)
                   : [wk] "r"(wk), [base] "r"(base), [r0] "r"(q0), [r1] "r"(q1), [r2] "r"(q2)
                   : "memory");
  return a0;
}

/* Two rows by two columns of outputs at stride 1 (rows q0..q3 of the plane, the next four inputs'
 * pointers advanced): input rows 1 and 2 serve both output rows, each loaded once; the weights
 * come back by kernel row, as above, and the bias from wk[6]. 13 registers. */
#define DW_TOP(ACC0, ACC1)                        \
  "smlad  %[a0], %[p0], %[wa], " ACC0 "\n\t"      \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"         \
  "smlad  %[a1], %[p1], %[wb], " ACC1 "\n\t"      \
  "smlatb %[a1], %[p0], %[wa], %[a1]\n\t"
#define DW_BOTTOM                                 \
  "smlad  %[a2], %[p0], %[wa], %[a2]\n\t"         \
  "smlabt %[a2], %[p1], %[wb], %[a2]\n\t"         \
  "smlad  %[a3], %[p1], %[wb], %[a3]\n\t"         \
  "smlatb %[a3], %[p0], %[wa], %[a3]\n\t"
DW_INLINE void dw_mac_2x2(const int16_t **r, const int32_t *wk, int32_t a[4]) {
  int32_t a0, a1, a2, a3, p0, p1, wa, wb;
  const int16_t *q0 = r[0], *q1 = r[1], *q2 = r[2], *q3 = r[3];
  __asm__ volatile("ldr    %[a2], [%[wk], #24]\n\t"
                   "ldrd   %[wa], %[wb], [%[wk], #0]\n\t"
                   "ldrd   %[p0], %[p1], [%[q0]], #4\n\t" DW_TOP("%[a2]", "%[a2]")
                   "ldrd   %[p0], %[p1], [%[q1]], #4\n\t"
                   /* the bottom row's accumulators start from the bias in a2, a3 first */
                   "smlad  %[a3], %[p1], %[wb], %[a2]\n\t"
                   "smlatb %[a3], %[p0], %[wa], %[a3]\n\t"
                   "smlad  %[a2], %[p0], %[wa], %[a2]\n\t"
                   "smlabt %[a2], %[p1], %[wb], %[a2]\n\t"
                   "ldrd   %[wa], %[wb], [%[wk], #8]\n\t" DW_TOP("%[a0]", "%[a1]")
                   "ldrd   %[p0], %[p1], [%[q2]], #4\n\t" DW_BOTTOM
                   "ldrd   %[wa], %[wb], [%[wk], #16]\n\t" DW_TOP("%[a0]", "%[a1]")
                   "ldrd   %[p0], %[p1], [%[q3]], #4\n\t" DW_BOTTOM
                   : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [p0] "=&r"(p0), [p1] "=&r"(p1),
                     [wa] "=&r"(wa), [wb] "=&r"(wb), [q0] "+r"(q0), [q1] "+r"(q1), [q2] "+r"(q2), [q3] "+r"(q3)
                   : [wk] "r"(wk)
                   : "memory");
  r[0] = q0, r[1] = q1, r[2] = q2, r[3] = q3;
  a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
}

/* One column of two output rows (the last column of an odd width), any stride. */
DW_INLINE void dw_mac_2x1(const int16_t *const *r, const int32_t *wk, int32_t *o0, int32_t *o1) {
  int32_t a0, a1, p0, p1, wa, wb;
  __asm__ volatile("ldr    %[a1], [%[wk], #24]\n\t"
                   "ldrd   %[wa], %[wb], [%[wk], #0]\n\t"
                   "ldrd   %[p0], %[p1], [%[q0]]\n\t"
                   "smlad  %[a0], %[p0], %[wa], %[a1]\n\t"
                   "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"
                   "ldrd   %[p0], %[p1], [%[q1]]\n\t"
                   "smlad  %[a1], %[p0], %[wa], %[a1]\n\t"
                   "smlabt %[a1], %[p1], %[wb], %[a1]\n\t"
                   "ldrd   %[wa], %[wb], [%[wk], #8]\n\t"
                   "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"
                   "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"
                   "ldrd   %[p0], %[p1], [%[q2]]\n\t"
                   "smlad  %[a1], %[p0], %[wa], %[a1]\n\t"
                   "smlabt %[a1], %[p1], %[wb], %[a1]\n\t"
                   "ldrd   %[wa], %[wb], [%[wk], #16]\n\t"
                   "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"
                   "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"
                   "ldrd   %[p0], %[p1], [%[q3]]\n\t"
                   "smlad  %[a1], %[p0], %[wa], %[a1]\n\t"
                   "smlabt %[a1], %[p1], %[wb], %[a1]\n\t"
                   : [a0] "=&r"(a0), [a1] "=&r"(a1), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb)
                   : [wk] "r"(wk), [q0] "r"(r[0]), [q1] "r"(r[1]), [q2] "r"(r[2]), [q3] "r"(r[3])
                   : "memory");
  *o0 = a0, *o1 = a1;
}

/* One output row from window rows r0..r2. */
DW_INLINE void dw_row_3x3(const int16_t *r0, const int16_t *r1, const int16_t *r2, const int32_t *wk, int32_t base,
                          int32_t S, int32_t ow, const dw_requant *q, int8_t *y) {
  int8_t *const yend = y + (ow & ~1);
  for (; y != yend; y += 2) {
    int32_t a0, a1;
    dw_mac_pair(&r0, &r1, &r2, wk, base, S, &a0, &a1);
    y[0] = dw_requant_apply(q, a0, 1);
    y[1] = dw_requant_apply(q, a1, 1);
  }
  if (ow & 1) *y = dw_requant_apply(q, dw_mac_one(r0, r1, r2, wk, base), 1);
}
#endif

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
/* A 3x3 channel at stride 1 on the whole widened plane in the high-multiply mode (clamp: the whole
 * int8 range), its output rows by two: the 2x2 blocks and an odd last column of dw_mac_2x2 and
 * dw_mac_2x1, each followed by its SMMLAR, SSAT and stores, in one assembly loop. GCC keeps
 * neither the row pointers nor the output pointer in registers around the blocks (73 instructions a
 * block; 51 here). Fourteen registers: a naked function, which builds the same at every option
 * (r7 is the frame pointer at -O0). The job's fields are read by offset: keep the layout. */
typedef struct {
  int32_t wk[7];         /*  0: (w0,w1) (w1,w2) of each kernel row, then the bias */
  int32_t m, zp;         /* 28, 32 */
  int32_t ow;            /* 36: output row stride (bytes) */
  int32_t pwb;           /* 40: widened row stride (bytes) */
  const int16_t *row;    /* 44: the current row pair's first input row */
  int8_t *y;             /* 48: the current row pair's first output */
  int32_t col_pairs;     /* 52: ow / 2, at least 1 */
  int32_t row_pairs;     /* 56: at least 1 */
  int32_t odd;           /* 60: ow & 1 */
  int8_t *y_end;         /* 64: the current row's end of column pairs */
} dw_plane_job;

#define DW_ASM_ARG __attribute__((unused)) /* read by the assembly in r0 */
__attribute__((naked)) static void dw_plane_3x3_mulhi(DW_ASM_ARG dw_plane_job *job) {
  /* r0-r3 input rows, r4-r7 outputs (top left, top right, bottom left, bottom right), r8/r9 inputs,
   * r10/r11 weights, r12 the job, lr the output */
  __asm__ volatile(
      "push   {r4-r11, lr}\n\t"
      "mov    r12, r0\n\t"
      "1:\n\t"
      "ldr    r0, [r12, #44]\n\t"
      "ldr    r8, [r12, #40]\n\t"
      "add    r1, r0, r8\n\t"
      "add    r2, r1, r8\n\t"
      "add    r3, r2, r8\n\t"
      "ldr    lr, [r12, #48]\n\t"
      "ldr    r9, [r12, #52]\n\t"
      "add    r9, lr, r9, lsl #1\n\t"
      "str    r9, [r12, #64]\n\t"
      "2:\n\t"
      "ldr    r6, [r12, #24]\n\t"
      "ldrd   r10, r11, [r12, #0]\n\t"
      "ldrd   r8, r9, [r0], #4\n\t"
      "smlad  r4, r8, r10, r6\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "smlad  r5, r9, r11, r6\n\t"
      "smlatb r5, r8, r10, r5\n\t"
      "ldrd   r8, r9, [r1], #4\n\t"
      "smlad  r7, r9, r11, r6\n\t"
      "smlatb r7, r8, r10, r7\n\t"
      "smlad  r6, r8, r10, r6\n\t"
      "smlabt r6, r9, r11, r6\n\t"
      "ldrd   r10, r11, [r12, #8]\n\t"
      "smlad  r4, r8, r10, r4\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "smlad  r5, r9, r11, r5\n\t"
      "smlatb r5, r8, r10, r5\n\t"
      "ldrd   r8, r9, [r2], #4\n\t"
      "smlad  r6, r8, r10, r6\n\t"
      "smlabt r6, r9, r11, r6\n\t"
      "smlad  r7, r9, r11, r7\n\t"
      "smlatb r7, r8, r10, r7\n\t"
      "ldrd   r10, r11, [r12, #16]\n\t"
      "smlad  r4, r8, r10, r4\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "smlad  r5, r9, r11, r5\n\t"
      "smlatb r5, r8, r10, r5\n\t"
      "ldrd   r8, r9, [r3], #4\n\t"
      "smlad  r6, r8, r10, r6\n\t"
      "smlabt r6, r9, r11, r6\n\t"
      "smlad  r7, r9, r11, r7\n\t"
      "smlatb r7, r8, r10, r7\n\t"
      "ldrd   r10, r11, [r12, #28]\n\t"
      "smmlar r4, r4, r10, r11\n\t"
      "smmlar r5, r5, r10, r11\n\t"
      "smmlar r6, r6, r10, r11\n\t"
      "smmlar r7, r7, r10, r11\n\t"
      "ssat   r4, #8, r4\n\t"
      "ssat   r5, #8, r5\n\t"
      "ssat   r6, #8, r6\n\t"
      "ssat   r7, #8, r7\n\t"
      "ldr    r8, [r12, #36]\n\t"
      "strb   r4, [lr, #0]\n\t"
      "strb   r5, [lr, #1]\n\t"
      "add    r9, lr, r8\n\t"
      "strb   r6, [r9, #0]\n\t"
      "strb   r7, [r9, #1]\n\t"
      "adds   lr, lr, #2\n\t"
      "ldr    r8, [r12, #64]\n\t"
      "cmp    lr, r8\n\t"
      "bne    2b\n\t"
      /* an odd last column: both rows' outputs from the same four input rows */
      "ldr    r8, [r12, #60]\n\t"
      "cmp    r8, #0\n\t"
      "beq    3f\n\t"
      "ldr    r5, [r12, #24]\n\t"
      "ldrd   r10, r11, [r12, #0]\n\t"
      "ldrd   r8, r9, [r0]\n\t"
      "smlad  r4, r8, r10, r5\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "ldrd   r8, r9, [r1]\n\t"
      "smlad  r5, r8, r10, r5\n\t"
      "smlabt r5, r9, r11, r5\n\t"
      "ldrd   r10, r11, [r12, #8]\n\t"
      "smlad  r4, r8, r10, r4\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "ldrd   r8, r9, [r2]\n\t"
      "smlad  r5, r8, r10, r5\n\t"
      "smlabt r5, r9, r11, r5\n\t"
      "ldrd   r10, r11, [r12, #16]\n\t"
      "smlad  r4, r8, r10, r4\n\t"
      "smlabt r4, r9, r11, r4\n\t"
      "ldrd   r8, r9, [r3]\n\t"
      "smlad  r5, r8, r10, r5\n\t"
      "smlabt r5, r9, r11, r5\n\t"
      "ldrd   r10, r11, [r12, #28]\n\t"
      "smmlar r4, r4, r10, r11\n\t"
      "smmlar r5, r5, r10, r11\n\t"
      "ssat   r4, #8, r4\n\t"
      "ssat   r5, #8, r5\n\t"
      "ldr    r8, [r12, #36]\n\t"
      "strb   r4, [lr]\n\t"
      "strb   r5, [lr, r8]\n\t"
      "3:\n\t"
      /* the next row pair */
      "ldr    r0, [r12, #44]\n\t"
      "ldr    r8, [r12, #40]\n\t"
      "add    r0, r0, r8, lsl #1\n\t"
      "str    r0, [r12, #44]\n\t"
      "ldr    lr, [r12, #48]\n\t"
      "ldr    r8, [r12, #36]\n\t"
      "add    lr, lr, r8, lsl #1\n\t"
      "str    lr, [r12, #48]\n\t"
      "ldr    r8, [r12, #56]\n\t"
      "subs   r8, r8, #1\n\t"
      "str    r8, [r12, #56]\n\t"
      "bne    1b\n\t"
      "pop    {r4-r11, pc}\n\t");
}
#endif

DW_INLINE void dw_channel_3x3(dw_rows *rows, const int16_t *wq, int32_t S, int32_t sh, int32_t oh, int32_t ow,
                              int32_t base, const dw_requant *q, int8_t *y) {
#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
  /* (w0,w1) and (w1,w2) of each kernel row (wq rows are (w0, w1, w2, 0)), then the bias */
  const int32_t wk[7] = {load_pair(wq),     load_pair(wq + 1), load_pair(wq + 4), load_pair(wq + 5),
                         load_pair(wq + 8), load_pair(wq + 9), base};
  const int whole = rows->whole;
  const int32_t pw = rows->pw;
  int32_t oy = 0;
  /* stride 1 on the whole plane: output rows by two */
  if (whole && S == 1 && sh == 1 && q->quick == MTC_QUICK_MULHI && oh >= 2 && ow >= 2) {
    dw_plane_job job;
    int32_t i;
    for (i = 0; i < 7; ++i) job.wk[i] = wk[i];
    job.m = q->mult, job.zp = q->round_zp, job.ow = ow, job.pwb = 2 * pw;
    job.row = rows->buf, job.y = y, job.col_pairs = ow >> 1, job.row_pairs = oh >> 1, job.odd = ow & 1;
    dw_plane_3x3_mulhi(&job);
    oy = oh & ~1;
    y += oy * ow;
  } else if (whole && S == 1 && sh == 1) {
    const int16_t *rowp = rows->buf;
    for (; oy + 1 < oh; oy += 2, rowp += 2 * pw, y += ow) {
      const int16_t *r[4];
      int8_t *const yend = y + (ow & ~1);
      r[0] = rowp, r[1] = rowp + pw, r[2] = rowp + 2 * pw, r[3] = rowp + 3 * pw;
      for (; y != yend; y += 2) {
        int32_t a[4];
        dw_mac_2x2(r, wk, a);
        y[0] = dw_requant_apply(q, a[0], 1);
        y[1] = dw_requant_apply(q, a[1], 1);
        y[ow] = dw_requant_apply(q, a[2], 1);
        y[ow + 1] = dw_requant_apply(q, a[3], 1);
      }
      if (ow & 1) {
        int32_t a0, a1;
        dw_mac_2x1(r, wk, &a0, &a1);
        y[0] = dw_requant_apply(q, a0, 1);
        y[ow] = dw_requant_apply(q, a1, 1);
        ++y;
      }
    }
  }
  for (; oy < oh; ++oy, y += ow) {
    const int16_t *win[3];
    if (whole)
      win[0] = rows->buf + oy * sh * pw, win[1] = win[0] + pw, win[2] = win[1] + pw;
    else
      dw_ring_window(rows, oy * sh, win);
    dw_row_3x3(win[0], win[1], win[2], wk, base, S, ow, q, y);
  }
#else
#ifdef MTC_HAVE_SIMD32
  const int32_t A0 = load_pair(wq), B0 = load_pair(wq + 1), A1 = load_pair(wq + 4), B1 = load_pair(wq + 5),
                A2 = load_pair(wq + 8), B2 = load_pair(wq + 9);
#else
  const int16_t *A0 = wq, *A1 = wq + 4, *A2 = wq + 8;
#endif
  int32_t oy, ox;
  for (oy = 0; oy < oh; ++oy, y += ow) {
    const int16_t *win[3], *r0, *r1, *r2;
    if (rows->whole) {
      r0 = rows->buf + oy * sh * rows->pw, r1 = r0 + rows->pw, r2 = r1 + rows->pw;
    } else {
      dw_ring_window(rows, oy * sh, win);
      r0 = win[0], r1 = win[1], r2 = win[2];
    }
    for (ox = 0; ox + 1 < ow; ox += 2, r0 += 2 * S, r1 += 2 * S, r2 += 2 * S) {
      int32_t a0 = base, a1 = base;
      DW_ROW3(r0, A0, B0, S, a0, a1);
      DW_ROW3(r1, A1, B1, S, a0, a1);
      DW_ROW3(r2, A2, B2, S, a0, a1);
      y[ox] = dw_requant_apply(q, a0, 1);
      y[ox + 1] = dw_requant_apply(q, a1, 1);
    }
    if (ox < ow) {
      int32_t a0 = base;
      DW_ROW3_ONE(r0, A0, B0, a0);
      DW_ROW3_ONE(r1, A1, B1, a0);
      DW_ROW3_ONE(r2, A2, B2, a0);
      y[ox] = dw_requant_apply(q, a0, 1);
    }
  }
#endif
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
  /* a 3-wide window leaves each weight row's padding tap 0 (a 4-wide one may not); a constant
   * stride makes the loads' offsets immediates */
  const int three = kh == 3 && kw2 == 2 && (wq[3] | wq[7] | wq[11]) == 0;
  if (ql.quick && three && s == 1)
    dw_channel_3x3(rows, wq, 1, sh, oh, ow, base, &ql, y);
  else if (ql.quick && three && s == 2)
    dw_channel_3x3(rows, wq, 2, sh, oh, ow, base, &ql, y);
  else
    dw_channel(rows, wq, kh, kw2, s, sh, oh, ow, base, &ql, y);
}

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
/* 5x5 at stride 1, two outputs per pass, as the 3x3 loops: with inputs (x0,x1) (x2,x3) (x4,x5) and
 * a kernel row's words A0 = (w0,w1), B0 = (w1,w2), A1 = (w2,w3), B1 = (w3,w4), output 0 is
 * (x0,x1).A0 + (x2,x3).A1 + x4*w4 and output 1 is x1*w0 + (x2,x3).B0 + (x4,x5).B1: three MACs per
 * output and kernel row, two LDRD of weights and an LDRD and an LDR of inputs; the plane's rows are
 * `pwb` bytes apart. 9 registers. */
#define DW_ROW5(OFF)                                 \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF "]\n\t"      \
  "ldrd   %[p0], %[p1], [%[rp]]\n\t"                 \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"            \
  "smlatb %[a1], %[p0], %[wa], %[a1]\n\t"            \
  "smlad  %[a1], %[p1], %[wb], %[a1]\n\t"            \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF " + 8]\n\t"  \
  "ldr    %[p0], [%[rp], #8]\n\t"                    \
  "smlad  %[a0], %[p1], %[wa], %[a0]\n\t"            \
  "smlabt %[a0], %[p0], %[wb], %[a0]\n\t"            \
  "smlad  %[a1], %[p0], %[wb], %[a1]\n\t"
#define DW_NEXT_ROW "add    %[rp], %[rp], %[pwb]\n\t"
DW_INLINE void dw_mac_pair_5x5(const int16_t *rp, int32_t pwb, const int32_t *wk, int32_t base, int32_t *o0,
                               int32_t *o1) {
  int32_t a0 = base, a1 = base, p0, p1, wa, wb;
  __asm__ volatile(DW_ROW5(0) DW_NEXT_ROW DW_ROW5(16) DW_NEXT_ROW DW_ROW5(32) DW_NEXT_ROW DW_ROW5(48)
                       DW_NEXT_ROW DW_ROW5(64)
                   : [a0] "+&r"(a0), [a1] "+&r"(a1), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb),
                     [rp] "+&r"(rp)
                   : [wk] "r"(wk), [pwb] "r"(pwb)
                   : "memory");
  *o0 = a0, *o1 = a1;
}

/* The whole plane at stride 1 on a quick channel. An odd row's last output is computed as a pair
 * whose second output is dropped: its inputs are still inside the widened row (pw >= ow + 5). */
static void dw_plane_5x5_s1(const dw_rows *rows, const int16_t *wq, int32_t oh, int32_t ow, int32_t base,
                            const dw_requant *q, int8_t *y) {
  int32_t wk[20], k, oy;
  const int32_t pw = rows->pw, pairs = (ow + 1) >> 1;
  const int16_t *rowp = rows->buf;
  for (k = 0; k < 5; ++k) {
    const int16_t *wr = wq + 6 * k;
    wk[4 * k] = load_pair(wr), wk[4 * k + 1] = load_pair(wr + 1);
    wk[4 * k + 2] = load_pair(wr + 2), wk[4 * k + 3] = load_pair(wr + 3);
  }
  for (oy = 0; oy < oh; ++oy, rowp += pw, y += ow) {
    const int16_t *rp = rowp;
    int32_t i;
    for (i = 0; i < pairs; ++i, rp += 2) {
      int32_t a0, a1;
      dw_mac_pair_5x5(rp, 2 * pw, wk, base, &a0, &a1);
      y[2 * i] = dw_requant_apply(q, a0, 1);
      if (2 * i + 1 < ow) y[2 * i + 1] = dw_requant_apply(q, a1, 1);
    }
  }
}
#endif

static void dw_channel_5x5(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                           int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const dw_requant ql = *q;
  (void)kh;
  (void)kw2;
#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
  if (ql.quick && rows->whole && s == 1 && sh == 1) {
    dw_plane_5x5_s1(rows, wq, oh, ow, base, &ql, y);
    return;
  }
#endif
  dw_channel(rows, wq, 5, 3, s, sh, oh, ow, base, &ql, y);
}

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
/* 7x7 the same way; a kernel row's words at wk + OFF: A0 B0 A1 B1 A2 B2, Aj = (w2j, w2j+1),
 * Bj = (w2j+1, w2j+2). Stride 1: output 0 is (x0,x1).A0 + (x2,x3).A1 + (x4,x5).A2 + x6*w6, output 1
 * x1*w0 + (x2,x3).B0 + (x4,x5).B1 + (x6,x7).B2. Stride 2: output 1 is (x2,x3).A0 + (x4,x5).A1 +
 * (x6,x7).A2 + x8*w6. One output (an odd row's last): output 0's four MACs. */
#define DW_ROW7_S1(OFF)                               \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF "]\n\t"       \
  "ldrd   %[p0], %[p1], [%[rp]]\n\t"                  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "smlatb %[a1], %[p0], %[wa], %[a1]\n\t"             \
  "smlad  %[a1], %[p1], %[wb], %[a1]\n\t"             \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF " + 8]\n\t"   \
  "smlad  %[a0], %[p1], %[wa], %[a0]\n\t"             \
  "ldrd   %[p0], %[p1], [%[rp], #8]\n\t"              \
  "smlad  %[a1], %[p0], %[wb], %[a1]\n\t"             \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF " + 16]\n\t"  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"             \
  "smlad  %[a1], %[p1], %[wb], %[a1]\n\t"
#define DW_ROW7_S2(OFF)                               \
  "ldr    %[wa], [%[wk], #" #OFF "]\n\t"              \
  "ldrd   %[p0], %[p1], [%[rp]]\n\t"                  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "smlad  %[a1], %[p1], %[wa], %[a1]\n\t"             \
  "ldr    %[wa], [%[wk], #" #OFF " + 8]\n\t"          \
  "smlad  %[a0], %[p1], %[wa], %[a0]\n\t"             \
  "ldrd   %[p0], %[p1], [%[rp], #8]\n\t"              \
  "smlad  %[a1], %[p0], %[wa], %[a1]\n\t"             \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF " + 16]\n\t"  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"             \
  "smlad  %[a1], %[p1], %[wa], %[a1]\n\t"             \
  "ldr    %[p0], [%[rp], #16]\n\t"                    \
  "smlabt %[a1], %[p0], %[wb], %[a1]\n\t"
#define DW_ROW7_ONE(OFF)                              \
  "ldr    %[wa], [%[wk], #" #OFF "]\n\t"              \
  "ldrd   %[p0], %[p1], [%[rp]]\n\t"                  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "ldr    %[wa], [%[wk], #" #OFF " + 8]\n\t"          \
  "smlad  %[a0], %[p1], %[wa], %[a0]\n\t"             \
  "ldrd   %[p0], %[p1], [%[rp], #8]\n\t"              \
  "ldrd   %[wa], %[wb], [%[wk], #" #OFF " + 16]\n\t"  \
  "smlad  %[a0], %[p0], %[wa], %[a0]\n\t"             \
  "smlabt %[a0], %[p1], %[wb], %[a0]\n\t"
#define DW_ROWS7(ROW)                                                                                        \
  ROW(0) DW_NEXT_ROW ROW(24) DW_NEXT_ROW ROW(48) DW_NEXT_ROW ROW(72) DW_NEXT_ROW ROW(96) DW_NEXT_ROW ROW(120) \
      DW_NEXT_ROW ROW(144)
#define DW_OPERANDS7                                                                                         \
  : [a0] "+&r"(a0), [a1] "+&r"(a1), [p0] "=&r"(p0), [p1] "=&r"(p1), [wa] "=&r"(wa), [wb] "=&r"(wb), [rp] "+&r"(rp) \
  : [wk] "r"(wk), [pwb] "r"(pwb)                                                                             \
  : "memory"
/* mode: 1 and 2 a pair at that stride, 0 one output */
DW_INLINE void dw_mac_7x7(const int16_t *rp, int32_t pwb, const int32_t *wk, int32_t base, int mode, int32_t *o0,
                          int32_t *o1) {
  int32_t a0 = base, a1 = base, p0, p1, wa, wb;
  if (mode == 1)
    __asm__ volatile(DW_ROWS7(DW_ROW7_S1) DW_OPERANDS7);
  else if (mode == 2)
    __asm__ volatile(DW_ROWS7(DW_ROW7_S2) DW_OPERANDS7);
  else
    __asm__ volatile(DW_ROWS7(DW_ROW7_ONE) DW_OPERANDS7);
  *o0 = a0, *o1 = a1;
}

/* The whole plane at stride S (1 or 2, both directions) on a quick channel; one copy for both
 * strides (the window's code is long). */
MTC_NOINLINE static void dw_plane_7x7(const dw_rows *rows, const int16_t *wq, int32_t S, int32_t oh, int32_t ow,
                                      int32_t base, const dw_requant *q, int8_t *y) {
  int32_t wk[42], k, oy;
  const int32_t pw = rows->pw;
  const int16_t *rowp = rows->buf;
  for (k = 0; k < 7; ++k) {
    const int16_t *wr = wq + 8 * k;
    int32_t j;
    for (j = 0; j < 6; ++j) wk[6 * k + j] = load_pair(wr + j);
  }
  for (oy = 0; oy < oh; ++oy, rowp += S * pw, y += ow) {
    const int16_t *rp = rowp;
    int32_t ox, a0, a1;
    for (ox = 0; ox + 1 < ow; ox += 2, rp += 2 * S) {
      dw_mac_7x7(rp, 2 * pw, wk, base, S, &a0, &a1);
      y[ox] = dw_requant_apply(q, a0, 1);
      y[ox + 1] = dw_requant_apply(q, a1, 1);
    }
    if (ox < ow) {
      dw_mac_7x7(rp, 2 * pw, wk, base, 0, &a0, &a1);
      y[ox] = dw_requant_apply(q, a0, 1);
    }
  }
}
#endif

static void dw_channel_7x7(dw_rows *rows, const int16_t *wq, int32_t kh, int32_t kw2, int32_t s, int32_t sh,
                           int32_t oh, int32_t ow, int32_t base, const dw_requant *q, int8_t *y) {
  const dw_requant ql = *q;
  (void)kh;
  (void)kw2;
#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__)
  if (ql.quick && rows->whole && (s == 1 || s == 2) && sh == s) {
    dw_plane_7x7(rows, wq, s, oh, ow, base, &ql, y);
    return;
  }
#endif
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
  int32_t n, c, ky, kx, i, in_rows, abs_wsum_max;
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
  /* |w| <= 128 bounds the accumulators without a pass over each channel's weights */
  abs_wsum_max = 128 * kh * kw;
  /* input rows inside the virtual rows (the rest stay x_zp) */
  in_rows = vh - p->pad_top < p->h ? vh - p->pad_top : p->h;
  /* an odd-width window's padding tap, 0 for every channel */
  if (kw & 1)
    for (ky = 0; ky < kh; ++ky) wq[(ky * kw2) * 2 + kw] = 0;
  for (n = 0; n < p->n; ++n) {
    const int8_t *wc = w;
    for (c = 0; c < p->c; ++c) {
      int8_t *yc = y + (n * p->c + c) * plane_out;
      const int32_t base = (bias ? bias[c] : 0) - x_zp * wsum[c];
      dw_requant q;
      rows.x = x + (n * p->c + c) * plane_in;
      rows.next = 0;
      if (rows.whole) {
        widen_rows(rows.x, p->w, rows.buf + p->pad_top * rows.pw + p->pad_left, rows.pw, in_rows, rows.cols);
      }
      if (kh == 3 && kw == 3) {
        /* the common window without the loops' index arithmetic */
        wq[0] = wc[0], wq[1] = wc[1], wq[2] = wc[2];
        wq[4] = wc[3], wq[5] = wc[4], wq[6] = wc[5];
        wq[8] = wc[6], wq[9] = wc[7], wq[10] = wc[8];
      } else {
        for (ky = 0; ky < kh; ++ky)
          for (kx = 0; kx < kw; ++kx) wq[(ky * kw2) * 2 + kx] = wc[ky * kw + kx];
      }
      wc += kh * kw;
      q = dw_requant_for(rq, c, base, abs_wsum_max);
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
      p->dilation_h == 1 && p->dilation_w == 1 && p->kh <= DW_MAX_KH && p->stride_h >= 1 && p->stride_w >= 1)
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
