/* int8 arithmetic shared by the quantized kernels. The compiler's evaluator implements the same
 * rules independently (compiler/quant/fixed_point.h); tests check the two agree bit for bit.
 *
 * Three requantization modes (docs/QUANTIZATION.md):
 *  - fixed point (TFLite's int8 rules): a Q31 multiplier and a shift, saturating rounding doubling
 *    high multiply then rounding right shift (gemmlowp);
 *  - high multiply (microtc's own convolutions and matrix products where the multiplier fits):
 *    floor((acc * m + 2^31) / 2^32), one rounding, one SMMLAR with the zero point;
 *  - float (imported ONNX QLinear* models): float32 scale, round half to even, as the ONNX
 *    operator definitions and onnxruntime compute it.
 * Float code here must not be contracted into fused multiply-adds: builds use -ffp-contract=off. */
#ifndef MTC_QUANT_H
#define MTC_QUANT_H

#include <stdint.h>

#include "mtc_simd.h"

/* Round half to even without libm: adding and subtracting 2^23 leaves an integer rounded in the
 * default rounding mode, which is to nearest even on every IEEE 754 target. */
static inline float mtc_round_half_even(float x) {
  const float big = 8388608.0f;
  if (!(x < big && x > -big)) return x; /* already an integer, or NaN */
  return x >= 0.0f ? (x + big) - big : (x - big) + big;
}

/* Float to integer in [lo, hi], NaN to lo; the value must already be rounded. */
static inline int32_t mtc_float_to_int_sat(float x, int32_t lo, int32_t hi) {
  if (!(x >= (float)lo)) return lo;
  if (x >= (float)hi) return hi;
  return (int32_t)x;
}

static inline int32_t mtc_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* round(a * b / 2^31) with gemmlowp's nudge, saturating the one overflow case. gemmlowp adds
 * 2^30 (or 1 - 2^30 when negative) and truncates toward zero; both cases equal adding 2^30 and
 * flooring, which is one multiply-accumulate and a shift (signed right shifts are arithmetic on
 * every compiler this code supports). */
static inline int32_t mtc_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* x / 2^exponent rounded to nearest, ties away from zero (exponent 0..31). */
static inline int32_t mtc_rounding_shift_right(int32_t x, int exponent) {
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* acc * m / 2^32 rounded to nearest, ties upward (signed right shifts are arithmetic on every
 * compiler this code supports). */
static inline int32_t mtc_requantize_mulhi(int32_t acc, int32_t m) {
  return (int32_t)(((int64_t)acc * m + ((int64_t)1 << 31)) >> 32);
}

/* mtc_requantize_mulhi plus a zero point zp in [-128, 127], saturated to int8: SMMLAR and SSAT. */
static inline int32_t mtc_requant_mulhi_s8(int32_t acc, int32_t m, int32_t zp) {
#ifdef MTC_HAVE_SIMD32
  return __ssat(mtc_smmlar(acc, m, zp), 8);
#else
  return mtc_clamp_i32(mtc_requantize_mulhi(acc, m) + zp, -128, 127);
#endif
}

/* acc * multiplier * 2^shift (multiplier is Q31 in [2^30, 2^31), shift in [-31, 30]). A left
 * shift (a scale above one) is rare and takes the 64-bit saturating path. */
#if defined(__GNUC__)
__attribute__((noinline, unused))
#endif
static int32_t mtc_requantize_fixed_left(int32_t acc, int32_t multiplier, int32_t shift) {
  int64_t shifted = (int64_t)acc * ((int64_t)1 << shift);
  if (shifted > INT32_MAX) shifted = INT32_MAX;
  if (shifted < INT32_MIN) shifted = INT32_MIN;
  return mtc_srdhm((int32_t)shifted, multiplier);
}

static inline int32_t mtc_requantize_fixed(int32_t acc, int32_t multiplier, int32_t shift) {
  if (shift > 0) return mtc_requantize_fixed_left(acc, multiplier, shift);
  return mtc_rounding_shift_right(mtc_srdhm(acc, multiplier), -shift);
}

/* Shorter forms of mtc_requantize_fixed(acc, m, -e) for kernels that check their conditions once
 * per channel: m > 0, 1 <= e <= 23 and |acc| < 2^30. Then gemmlowp's srdhm(acc, m) =
 * floor((acc * m + 2^30) / 2^31) is SMMULR(2 * acc, m), and the rounding shift (ties away from
 * zero) is (v - [v < 0] + 2^(e-1)) >> e. `round` = 2^(e-1); the caller guarantees that the sum
 * stays inside int32 (true for |acc| * m < 2^60, i.e. any |acc| < 2^29). */
static inline int32_t mtc_requant_quick(int32_t acc, int32_t m, int32_t round, int32_t e) {
  const int32_t v = mtc_smmulr(acc * 2, m);
  return (v - (int32_t)((uint32_t)v >> 31) + round) >> e;
}

/* The same plus an output zero point zp in [-128, 127], saturated to int8: `round_zp` =
 * 2^(e-1) + zp * 2^e. On DSP cores the addition saturates (QADD) only where the exact result is
 * beyond the int8 range, which SSAT then clamps the same way. */
static inline int32_t mtc_requant_quick_s8(int32_t acc, int32_t m, int32_t round_zp, int32_t e) {
  const int32_t v = mtc_smmulr(acc * 2, m);
#ifdef MTC_HAVE_SIMD32
  return __ssat(__qadd(v - (int32_t)((uint32_t)v >> 31), round_zp) >> e, 8);
#else
  const int64_t r = ((int64_t)v - (v < 0 ? 1 : 0) + round_zp) >> e;
  return r < -128 ? -128 : r > 127 ? 127 : (int32_t)r;
#endif
}

/* acc * scale rounded half to even, as a float32 computation. */
static inline int32_t mtc_requantize_float(int32_t acc, float scale) {
  float r = mtc_round_half_even((float)acc * scale);
  return mtc_float_to_int_sat(r, INT32_MIN / 2, INT32_MAX / 2);
}

/* Per-output-channel requantization of one kernel: mode 0 fixed point, 1 float. Arrays have one
 * entry per channel, or one entry when per_channel is 0. The output is clamped to
 * [act_min, act_max], the activation range already expressed in the output's integers. */
typedef struct {
  const int32_t *multiplier;
  const int8_t *shift;
  const float *scale;
  /* 8-bit outputs: the integers fit 16 bits (one per layer in flash: kept small) */
  int16_t out_zero_point;
  int16_t act_min;
  int16_t act_max;
  uint8_t mode;
  uint8_t per_channel;
} mtc_requant;

enum { MTC_REQUANT_FIXED = 0, MTC_REQUANT_FLOAT = 1, MTC_REQUANT_MULHI = 2 };

static inline int32_t mtc_requant_apply(const mtc_requant *rq, int32_t acc, int channel) {
  int c = rq->per_channel ? channel : 0;
  int32_t v = rq->mode == MTC_REQUANT_FIXED   ? mtc_requantize_fixed(acc, rq->multiplier[c], rq->shift[c])
              : rq->mode == MTC_REQUANT_MULHI ? mtc_requantize_mulhi(acc, rq->multiplier[c])
                                              : mtc_requantize_float(acc, rq->scale[c]);
  return mtc_clamp_i32(v + rq->out_zero_point, rq->act_min, rq->act_max);
}

/* The high-multiply mode with the whole int8 range as clamp, which the kernels' fast paths cover
 * (one SMMLAR and one SSAT an output); the compiler decides the same with requant_is_mulhi_int8. */
static inline int mtc_requant_is_mulhi_int8(const mtc_requant *rq) {
  return rq->mode == MTC_REQUANT_MULHI && rq->out_zero_point >= -128 && rq->out_zero_point <= 127 &&
         rq->act_min <= -128 && rq->act_max >= 127;
}

/* One output in any mode, out of line (runtime/src/mtc_requant_any.c). Kernels whose fast paths
 * cover only the high-multiply mode take it as a parameter for their other layers: the generated
 * code passes it, or NULL, per layer, so a model whose layers all take the fast paths links neither
 * it nor the fixed-point and float forms. */
typedef int8_t (*mtc_requant_fn)(const mtc_requant *rq, int32_t channel, int32_t acc);
int8_t mtc_requant_any(const mtc_requant *rq, int32_t channel, int32_t acc);

/* One channel's requantization, read into locals once per channel by kernels that produce many
 * outputs per channel: int8 stores may alias anything, so the compiler would otherwise reload the
 * fields from `mtc_requant` after every output. Same results as mtc_requant_apply. */
typedef struct {
  int mode;
  int32_t multiplier, shift;
  float scale;
  int32_t zero_point, lo, hi;
} mtc_requant_channel;

static inline mtc_requant_channel mtc_requant_for(const mtc_requant *rq, int channel) {
  mtc_requant_channel ch;
  int c = rq->per_channel ? channel : 0;
  ch.mode = rq->mode;
  ch.multiplier = rq->mode != MTC_REQUANT_FLOAT ? rq->multiplier[c] : 0;
  ch.shift = rq->mode == MTC_REQUANT_FIXED ? rq->shift[c] : 0;
  ch.scale = rq->mode == MTC_REQUANT_FLOAT ? rq->scale[c] : 0.0f;
  ch.zero_point = rq->out_zero_point;
  ch.lo = rq->act_min;
  ch.hi = rq->act_max;
  return ch;
}

static inline int32_t mtc_requant_channel_apply(const mtc_requant_channel *ch, int32_t acc) {
  int32_t v = ch->mode == MTC_REQUANT_FIXED   ? mtc_requantize_fixed(acc, ch->multiplier, ch->shift)
              : ch->mode == MTC_REQUANT_MULHI ? mtc_requantize_mulhi(acc, ch->multiplier)
                                              : mtc_requantize_float(acc, ch->scale);
  return mtc_clamp_i32(v + ch->zero_point, ch->lo, ch->hi);
}

/* A channel's requantization in its shortest exact form (`quick`): MTC_QUICK_MULHI for the high
 * multiply mode (zero point and clamp inside int8); MTC_QUICK_FIXED with the constants of
 * mtc_requant_quick_s8 for fixed point with multiplier > 0, shift in [-23, -1], zero point and
 * clamp inside int8, and the caller's guarantee (`acc_below_2_30`) that every accumulator it
 * passes is smaller than 2^30 in magnitude; otherwise MTC_QUICK_NONE. Same results as
 * mtc_requant_channel_apply. */
enum { MTC_QUICK_NONE = 0, MTC_QUICK_FIXED = 1, MTC_QUICK_MULHI = 2 };

typedef struct {
  mtc_requant_channel ch;
  int quick;
  int32_t mult, round_zp, exp;
} mtc_requant_quick_channel;

static inline mtc_requant_quick_channel mtc_requant_quick_for(const mtc_requant *rq, int channel, int acc_below_2_30) {
  mtc_requant_quick_channel q;
  q.ch = mtc_requant_for(rq, channel);
  q.quick = MTC_QUICK_NONE;
  if (q.ch.zero_point >= -128 && q.ch.zero_point <= 127 && q.ch.lo >= -128 && q.ch.hi <= 127) {
    if (q.ch.mode == MTC_REQUANT_MULHI)
      q.quick = MTC_QUICK_MULHI;
    else if (acc_below_2_30 && q.ch.mode == MTC_REQUANT_FIXED && q.ch.shift <= -1 && q.ch.shift >= -23 &&
             q.ch.multiplier > 0)
      q.quick = MTC_QUICK_FIXED;
  }
  q.mult = q.ch.multiplier;
  q.exp = q.quick == MTC_QUICK_FIXED ? -q.ch.shift : 0;
  q.round_zp = q.quick == MTC_QUICK_FIXED ? ((int32_t)1 << (q.exp - 1)) + q.ch.zero_point * ((int32_t)1 << q.exp)
                                          : q.ch.zero_point;
  return q;
}

static inline int32_t mtc_requant_quick_apply(const mtc_requant_quick_channel *q, int32_t acc) {
  if (q->quick == MTC_QUICK_MULHI) return mtc_clamp_i32(mtc_requant_mulhi_s8(acc, q->mult, q->round_zp), q->ch.lo, q->ch.hi);
  if (q->quick == MTC_QUICK_NONE) return mtc_requant_channel_apply(&q->ch, acc);
  return mtc_clamp_i32(mtc_requant_quick_s8(acc, q->mult, q->round_zp, q->exp), q->ch.lo, q->ch.hi);
}

#endif
