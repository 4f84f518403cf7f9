/* microtc runtime: int8 network kernels (portable C). Tensors are NCHW int8 with per-tensor
 * zero points; weights int8 with optional per-output-channel zero points (NULL: all zero);
 * biases int32. The requantization (mtc_quant.h) folds the output scale and activation. */
#ifndef MTC_QNN_H
#define MTC_QNN_H

#include <stdint.h>
#include <string.h>

#include "mtc_conv.h"
#include "mtc_elementwise.h"
#include "mtc_pool.h"
#include "mtc_quant.h"

/* y[n][oc] = requant(bias[oc] + sum (x - x_zp) * (w - w_zp[oc])); padding reads x_zp. */
void mtc_qconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *w_zp,
                    const int32_t *bias, int8_t *y, const mtc_requant *rq);

/* y[r][c] = requant(bias[c] + sum_k (x[r][k] - x_zp) * (w[k][c] - w_zp[c])); w is [k][cols]. */
void mtc_qgemm_s8(int32_t rows, int32_t k, int32_t cols, const int8_t *x, int32_t x_zp, const int8_t *w,
                  const int32_t *w_zp, const int32_t *bias, int8_t *y, const mtc_requant *rq);

/* Depthwise convolution (c == oc == group, weight zero points 0); wsum[c] = sum of channel c's weights.
 * scratch: NULL, or scratch_len int16 (4-byte aligned) for the fast path (unit dilation, kh <= 16)
 * where input rows and weights are widened to int16 (see the source file): at least
 * mtc_qdwconv2d_s8_scratch_size (a ring of rows) or mtc_qdwconv2d_s8_plane_scratch_size (faster:
 * the whole padded plane). The compiler's formulas (kernel_select.cpp) are the same. */
static inline int32_t mtc_qdwconv2d_s8_row_width(const mtc_conv2d_params *p) {
  return ((p->ow - 1) * p->stride_w + (p->kw + 1) / 2 * 2 + 1) / 2 * 2;
}
static inline int32_t mtc_qdwconv2d_s8_scratch_size(const mtc_conv2d_params *p) {
  return (p->kw + 1) / 2 * 2 * p->kh + p->kh * mtc_qdwconv2d_s8_row_width(p);
}
static inline int32_t mtc_qdwconv2d_s8_plane_scratch_size(const mtc_conv2d_params *p) {
  return (p->kw + 1) / 2 * 2 * p->kh + ((p->oh - 1) * p->stride_h + p->kh) * mtc_qdwconv2d_s8_row_width(p);
}
void mtc_qdwconv2d_s8(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w, const int32_t *wsum,
                      const int32_t *bias, int8_t *y, const mtc_requant *rq, int16_t *scratch,
                      int32_t scratch_len);
/* The same, with the window unrolled for 5x5 and 7x7 kernels (separate entry points, so a model
 * links only the sizes it uses); other sizes fall back to the generic loops. */
void mtc_qdwconv2d_s8_5x5(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                          const int32_t *wsum, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                          int16_t *scratch, int32_t scratch_len);
void mtc_qdwconv2d_s8_7x7(const mtc_conv2d_params *p, const int8_t *x, int32_t x_zp, const int8_t *w,
                          const int32_t *wsum, const int32_t *bias, int8_t *y, const mtc_requant *rq,
                          int16_t *scratch, int32_t scratch_len);

/* Operand parameters of the int8 Add and Mul. Fixed point Add (TFLite): each operand minus its
 * zero point, shifted left by left_shift, rescaled by its multiplier/shift; the sum is rescaled by
 * `out`. Float Add (ONNX contrib): operands scaled by a_ratio/b_ratio in float32, rounded half to
 * even. One-rounding Add (sum_shift > 0, microtc's own Adds): (a_m16 * a + b_m16 * b + sum_bias)
 * >> sum_shift on the raw operands, clamped to [out.act_min, out.act_max]. The multipliers fit
 * int16, and the compiler guarantees (compiler/quant/qbinary_params.cpp) that bound = |sum_bias| +
 * 128 * 2^sum_shift + 128 * (|a_m16| + |b_m16|) fits int32 (no overflow, also with the clamp's
 * low end folded into the bias) and bound >> sum_shift is below 2^15 - 1 (the shifted sums fit
 * int16). Mul: the product of the two centred operands is rescaled by `out`. */
typedef struct {
  int32_t a_zp, b_zp;
  int32_t left_shift, a_mult, a_shift, b_mult, b_shift;
  float a_ratio, b_ratio;
  int32_t a_m16, b_m16, sum_bias, sum_shift;
  mtc_requant out;
} mtc_qbinary_params;

/* `q` and `out` (its output requantization, mtc_requant_for(&q->out, 0)) should be locals of the
 * calling kernel: int8 stores may alias anything, and the compiler keeps locals in registers. */
static inline int8_t mtc_qadd_one(const mtc_qbinary_params *q, const mtc_requant_channel *out, int32_t a, int32_t b) {
  if (q->sum_shift > 0)
    return (int8_t)mtc_clamp_i32((q->a_m16 * a + q->b_m16 * b + q->sum_bias) >> q->sum_shift, out->lo, out->hi);
  if (out->mode != MTC_REQUANT_FIXED) {
    float va = (float)(a - q->a_zp) * q->a_ratio;
    float vb = (float)(b - q->b_zp) * q->b_ratio;
    int32_t v = mtc_float_to_int_sat(mtc_round_half_even(va + vb), -(1 << 30), 1 << 30) + out->zero_point;
    return (int8_t)mtc_clamp_i32(v, out->lo, out->hi);
  }
  return (int8_t)mtc_requant_channel_apply(
      out, mtc_requantize_fixed((a - q->a_zp) * (1 << q->left_shift), q->a_mult, q->a_shift) +
               mtc_requantize_fixed((b - q->b_zp) * (1 << q->left_shift), q->b_mult, q->b_shift));
}

/* The one-rounding Add as mtc_qadd_sum reads it: the bias with the clamp's low end folded in
 * (sum_bias - lo * 2^S: results land in [0, ...) before the clamp), the shift S, and packed as
 * the DSP path uses them: the multipliers as one halfword pair (a low), lo and hi - lo in every
 * byte (the byte loop unpacks them). The compiler emits it for the fused residual Adds
 * (codegen/kernels/quantized.cpp, qadd_sum_initializer); other kernels compute it with
 * mtc_qadd_prepare_sum. */
typedef struct {
  int32_t sc, ss;
  uint32_t s_pair, s_lo4, s_range4;
} mtc_qadd_sum_params;

/* An Add's constants read once, and whether the shorter forms of its three rescalings hold
 * (mtc_requant_quick*): fixed point, the shifted operands below 2^28 in magnitude for left_shift <=
 * 20 (int8 differences < 2^8), their rescaled sum below 2^29 for multipliers <= 1/2 (shifts <= 0),
 * the output shift in [-23, -1]. Plain fields, so that copying it into locals needs no memcpy. */
typedef struct {
  int quick;
  const mtc_qbinary_params *q;
  int32_t a_zp, b_zp, ls, am, ae, ar, bm, be, br, om, oe, orz, lo, hi;
  int sum; /* the one-rounding Add (sum_shift > 0), in `s` */
  mtc_qadd_sum_params s;
} mtc_qadd_prepared;

/* The one-rounding Add's fields of q (mtc_qadd_sum_params); q->sum_shift > 0. The compiler's
 * qadd_sum_params computes the same. */
static inline void mtc_qadd_prepare_sum(mtc_qadd_sum_params *s, const mtc_qbinary_params *q) {
  const int32_t lo = q->out.act_min, hi = q->out.act_max;
  s->ss = q->sum_shift;
  s->sc = q->sum_bias - lo * ((int32_t)1 << s->ss);
  s->s_pair = ((uint32_t)q->a_m16 & 0xffffu) | ((uint32_t)q->b_m16 << 16);
  s->s_lo4 = ((uint32_t)lo & 0xffu) * 0x01010101u;
  s->s_range4 = ((uint32_t)(hi - lo) & 0xffu) * 0x01010101u;
}

static inline void mtc_qadd_prepare(mtc_qadd_prepared *p, const mtc_qbinary_params *q) {
  const mtc_requant_channel out = mtc_requant_for(&q->out, 0);
  p->q = q;
  p->lo = q->out.act_min, p->hi = q->out.act_max;
  p->sum = q->sum_shift > 0;
  if (p->sum) mtc_qadd_prepare_sum(&p->s, q);
  p->quick = out.mode == MTC_REQUANT_FIXED && q->left_shift <= 20 && q->a_mult > 0 && q->b_mult > 0 &&
             q->a_shift <= 0 && q->b_shift <= 0 && q->a_shift >= -23 && q->b_shift >= -23 && out.multiplier > 0 &&
             out.shift <= -1 && out.shift >= -23 && out.zero_point >= -128 && out.zero_point <= 127;
  p->a_zp = q->a_zp, p->b_zp = q->b_zp, p->ls = q->left_shift;
  p->am = q->a_mult, p->ae = -q->a_shift, p->bm = q->b_mult, p->be = -q->b_shift, p->om = out.multiplier;
  /* a shift of 0 (the larger scale's operand, multiplier 1/2) leaves srdhm's result as it is */
  p->ar = p->quick && p->ae ? (int32_t)1 << (p->ae - 1) : 0;
  p->br = p->quick && p->be ? (int32_t)1 << (p->be - 1) : 0;
  p->oe = p->quick ? -out.shift : 0;
  p->orz = p->quick ? ((int32_t)1 << (p->oe - 1)) + out.zero_point * ((int32_t)1 << p->oe) : 0;
}

/* The one-rounding Add of n elements: y[i] = clamp((a_m16 * a[i] + b_m16 * b[i] + sum_bias) >> S,
 * lo, hi), computed as clamp((a_m16 * a + b_m16 * b + sc) >> S, 0, hi - lo) + lo. y may be a or b
 * (the same positions). With the DSP extension, four elements per turn from one word of each
 * operand: the bytes of a and b interleaved by two PKH into (a_i, b_i) halfword pairs (SXTB16), one
 * SMLAD each with the multiplier pair and the bias, the shifted sums paired again (exact: the
 * compiler keeps them inside int16) and saturated to [0, 255] by USAT16, which leaves them as the
 * bytes of one word, then min(., hi - lo) per byte as v - UQSUB8(v, hi - lo) (no borrow between
 * bytes) and UADD8 of lo: 28 instructions per four elements with the loop. */
/* Elements i0 .. n - 1 of mtc_qadd_sum one at a time. */
static inline void mtc_qadd_sum_each(const mtc_qadd_sum_params *p, const int8_t *a, const int8_t *b, int8_t *y,
                                     int32_t i0, int32_t n) {
  /* sign extension without implementation-defined conversions: (v ^ sign) - sign */
  const int32_t ma = (int32_t)((p->s_pair & 0xffffu) ^ 0x8000u) - 0x8000, mb = (int32_t)((p->s_pair >> 16) ^ 0x8000u) - 0x8000;
  const int32_t lo = (int32_t)((p->s_lo4 & 0xffu) ^ 0x80u) - 0x80, range = (int32_t)(p->s_range4 & 0xffu);
  const int32_t c = p->sc, s = p->ss;
  int32_t i;
  for (i = i0; i < n; ++i) y[i] = (int8_t)(mtc_clamp_i32((ma * a[i] + mb * b[i] + c) >> s, 0, range) + lo);
}

static inline void mtc_qadd_sum(const mtc_qadd_sum_params *p, const int8_t *a, const int8_t *b, int8_t *y, int32_t n) {
#ifndef MTC_HAVE_SIMD32
  mtc_qadd_sum_each(p, a, b, y, 0, n);
#else
  const int32_t n4 = n & ~3;
  /* the last n % 4 first, so that only the four-wide loop's own values stay live through it */
  if (n4 != n) mtc_qadd_sum_each(p, a, b, y, n4, n);
  {
    const int32_t c = p->sc, s = p->ss, pair = (int32_t)p->s_pair;
    const uint32_t lo4 = p->s_lo4, range4 = p->s_range4;
    const int8_t *const end = a + n4;
    while (a != end) {
      uint32_t x, z, h02, h13;
      memcpy(&x, a, 4);
      memcpy(&z, b, 4);
      a += 4, b += 4;
      {
        const uint32_t va = x;
        x = mtc_pkhbt16(va, z); /* a0 a1 b0 b1 */
        z = mtc_pkhtb16(z, va); /* a2 a3 b2 b3 */
      }
      h02 = mtc_pkhbt16((uint32_t)(__smlad(__sxtb16((int32_t)x), pair, c) >> s),
                        (uint32_t)(__smlad(__sxtb16((int32_t)z), pair, c) >> s));
      h13 = mtc_pkhbt16((uint32_t)(__smlad(mtc_sxtb16_ror8(x), pair, c) >> s),
                        (uint32_t)(__smlad(mtc_sxtb16_ror8(z), pair, c) >> s));
      h02 = (uint32_t)__usat16((int32_t)h02, 8) | ((uint32_t)__usat16((int32_t)h13, 8) << 8);
      h02 -= __uqsub8(h02, range4);
      h02 = __uadd8(h02, lo4);
      memcpy(y, &h02, 4);
      y += 4;
    }
  }
#endif
}

/* mtc_qadd_one for a prepared Add whose `quick` holds. */
static inline int8_t mtc_qadd_quick(const mtc_qadd_prepared *p, int32_t a, int32_t b) {
  const int32_t xa = (a - p->a_zp) * (1 << p->ls), xb = (b - p->b_zp) * (1 << p->ls);
  const int32_t va = p->ae ? mtc_requant_quick(xa, p->am, p->ar, p->ae) : mtc_smmulr(xa * 2, p->am);
  const int32_t vb = p->be ? mtc_requant_quick(xb, p->bm, p->br, p->be) : mtc_smmulr(xb * 2, p->bm);
  return (int8_t)mtc_clamp_i32(mtc_requant_quick_s8(va + vb, p->om, p->orz, p->oe), p->lo, p->hi);
}

/* Group-1 convolution through an int16 im2col panel of MTC_QCONV_PANEL_TILE output positions
 * (k4 * MTC_QCONV_PANEL_TILE int16 of scratch in the arena); weights k4 per channel, channel pairs
 * interleaved by tap pairs (a last odd channel paired with zeros: ceil(oc / 2) * 2 * k4 bytes), and
 * bias[oc] with the input zero point folded in (never NULL). See the source file. The compiler's scratch formula uses the same tile (kernel_select.cpp). */
#define MTC_QCONV_PANEL_TILE 8
/* The panel's fill of one input row's kw taps for the n <= MTC_QCONV_PANEL_TILE positions of a
 * segment (output columns from the one reading input column ix_first, stride sw, dilation dw; `row`
 * NULL for a padding row), from panel tap k; returns the next tap. mtc_panel_fill_row_any covers
 * every geometry; the kernel's own fill covers whole tiles whose row runs are at most
 * MTC_QCONV_PANEL_RUN_MAX values at unit dilation, and the generated code passes NULL for layers
 * with only those (output width a multiple of the tile), so that their models do not link it. */
#define MTC_QCONV_PANEL_RUN_MAX 48
typedef int32_t (*mtc_panel_fill_fn)(const int8_t *row, int32_t width, int32_t ix_first, int32_t kw, int32_t sw,
                                     int32_t dw, int32_t x_zp, int32_t n, int16_t *panel, int32_t k);
int32_t mtc_panel_fill_row_any(const int8_t *row, int32_t width, int32_t ix_first, int32_t kw, int32_t sw, int32_t dw,
                               int32_t x_zp, int32_t n, int16_t *panel, int32_t k);
/* Outputs t0 .. np - 1 of one channel pair of a pass through raw accumulators: what the kernel's
 * block loop (four positions at a time, high-multiply int8 requantization; with the DSP extension)
 * does not cover. Position t of the pass is panel column (t / TILE) * tile_size + 2 * (t % TILE). */
typedef struct {
  const int16_t *panel;
  int32_t tile_size, k4, np, t0;
  const mtc_requant *rq;
  const int8_t *w; /* the pair's interleaved weights */
  int32_t oc;      /* channel a; b is oc + 1 */
  int32_t bias_a, bias_b;
  int8_t *ya, *yb; /* the pass's first outputs of a and b; yb NULL: no channel b (a last odd one) */
} mtc_panel_pair;
typedef void (*mtc_panel_raw_fn)(const mtc_panel_pair *pr);
/* Requantized by the high multiply (mtc_panel_raw_mulhi) or in any mode (mtc_panel_raw_any). */
void mtc_panel_raw_mulhi(const mtc_panel_pair *pr);
void mtc_panel_raw_any(const mtc_panel_pair *pr);
/* Their building block (in the panel kernel's file): acc[0..3] (channel a) and acc[4..7] (b) for
 * positions t .. t + min(4, np - t) - 1, from the biases. */
void mtc_panel_pair_acc(const mtc_panel_pair *pr, int32_t t, int32_t acc[8]);
/* The raw path's loop; requant NULL: the high multiply inline. */
static inline void mtc_panel_raw_pairs(const mtc_panel_pair *pr, mtc_requant_fn requant) {
  const mtc_requant *rq = pr->rq;
  const int32_t ca = rq->per_channel ? pr->oc : 0, cb = rq->per_channel ? pr->oc + 1 : 0, zp = rq->out_zero_point;
  int32_t t, u, acc[8];
  for (t = pr->t0; t < pr->np; t += 4) {
    const int32_t nb = pr->np - t < 4 ? pr->np - t : 4;
    mtc_panel_pair_acc(pr, t, acc);
    for (u = 0; u < nb; ++u) {
      pr->ya[t + u] = requant ? requant(rq, pr->oc, acc[u]) : (int8_t)mtc_requant_mulhi_s8(acc[u], rq->multiplier[ca], zp);
      if (pr->yb)
        pr->yb[t + u] =
            requant ? requant(rq, pr->oc + 1, acc[4 + u]) : (int8_t)mtc_requant_mulhi_s8(acc[4 + u], rq->multiplier[cb], zp);
    }
  }
}
/* A whole panel of a pointwise convolution at stride 1 without padding, with an even number c of
 * input channels: positions are MTC_QCONV_PANEL_TILE consecutive values of each input plane from x
 * (planes `plane` values apart). */
typedef void (*mtc_panel_whole_fn)(const int8_t *x, int32_t plane, int32_t c, int16_t *panel);
void mtc_panel_fill_pointwise(const int8_t *x, int32_t plane, int32_t c, int16_t *panel);

/* Helpers the generated code gives only to the layers that need them, so that models without such
 * layers do not link them (the kernel traps on a missing one; a NULL field or no helpers at all):
 * raw_other: mtc_panel_raw_any for layers outside the high-multiply int8 mode
 * (mtc_requant_is_mulhi_int8); for the others mtc_panel_raw_mulhi where a pass leaves 1-3
 * positions to it (a residual layer's outputs per plane not a multiple of four, or a plane of
 * fewer than four). fill_other: mtc_panel_fill_row_any (above). fill_whole:
 * mtc_panel_fill_pointwise for the geometry it covers (faster than the row fill). */
typedef struct {
  mtc_panel_raw_fn raw_other;
  mtc_panel_fill_fn fill_other;
  mtc_panel_whole_fn fill_whole;
} mtc_panel_helpers;

/* A layer of the panel convolution: everything the compiler knows about it, so that a call passes
 * only the tensors. One per layer in flash: kept small. */
typedef struct {
  mtc_conv2d_params p;
  mtc_requant rq;
  const int8_t *w;     /* [oc rounded up to 2][k4], channel pairs interleaved by tap pairs */
  const int32_t *bias; /* with the input zero point folded in */
  int32_t k4;          /* c * kh * kw rounded up to 4 (zero weights) */
  int16_t x_zp;        /* what padding reads */
  uint16_t tiles;      /* panels filled per pass (the scratch holds tiles * k4 * MTC_QCONV_PANEL_TILE
                        * int16); more share each channel's set-up */
  const mtc_panel_helpers *helpers; /* NULL: none */
  /* the residual entries' Add: mtc_qbinary_params for mtc_qconv2d_s8_panel_residual,
   * mtc_qadd_sum_params for mtc_qconv2d_s8_panel_residual_sum */
  const void *add;
} mtc_qconv_panel_params;

void mtc_qconv2d_s8_panel(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel);
/* The same with a residual Add: each int8 result r becomes y[i] = add(r, res[i]) (operand a: the
 * convolution), res of y's shape, possibly y itself. Its own entry point, so that models without
 * residuals do not link the Add. */
void mtc_qconv2d_s8_panel_residual(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel,
                                   const int8_t *res);
/* The same for a one-rounding Add (add_sum) only: a model whose residual Adds all round once links
 * neither the other modes nor their code. */
void mtc_qconv2d_s8_panel_residual_sum(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel,
                                       const int8_t *res);

/* y[r][c] = requant(bias[c] + sum_k x[r][k] * w[c][k]): weights row per output ([cols][k]) with zero
 * points 0, and the input zero point folded into bias by the compiler. Uses SMLAD where available.
 * requant_other: as for the panel convolution. */
void mtc_qfc_s8(int32_t rows, int32_t k, int32_t cols, const int8_t *x, const int8_t *w, const int32_t *bias, int8_t *y,
                const mtc_requant *rq, mtc_requant_fn requant_other);

static inline int8_t mtc_qmul_one(const mtc_requant_channel *out, int32_t a_zp, int32_t b_zp, int32_t a, int32_t b) {
  return (int8_t)mtc_requant_channel_apply(out, (a - a_zp) * (b - b_zp));
}

/* Broadcasting contract of mtc_elementwise.h. */
void mtc_qadd_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q);
void mtc_qmul_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q);

/* Average pooling with equal input and output parameters: zp + round(sum(x - zp) / count), ties
 * away from zero; count as mtc_avgpool2d_f32. */
void mtc_qavgpool2d_s8(const mtc_pool2d_params *p, const int8_t *x, int32_t zp, int8_t *y);
/* The same for a window that is the whole plane of `count` values, no padding: y[c] = the average
 * of plane c. */
void mtc_qavgpool_global_s8(const int8_t *x, int32_t zp, int8_t *y, int32_t planes, int32_t count);
/* y[i] = requant(sum over plane i of (x - x_zp)). */
void mtc_qglobal_avgpool_s8(const int8_t *x, int8_t *y, int32_t planes, int32_t spatial, int32_t x_zp,
                            const mtc_requant *rq);
/* y[i] = table[x[i] + 128]. */
void mtc_qlookup_s8(const int8_t *x, const int8_t *table, int8_t *y, int32_t n);
/* uint8 <-> int8 with the zero point moved by 128 (q - 128, q + 128): the same real values. */
void mtc_u8_to_s8(const uint8_t *x, int8_t *y, int32_t n);
void mtc_s8_to_u8(const int8_t *x, uint8_t *y, int32_t n);

#endif
