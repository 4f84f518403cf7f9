/* mtc_qfc_s8: int8 fully connected layer with weights stored row per output column ([cols][k])
 * and the input zero point folded into the bias at compile time:
 *   y[r][c] = requant(bias[c] + sum_k x[r][k] * w[c][k]),  bias[c] = b[c] - x_zp * sum_k w[c][k].
 * Equal, in exact integer arithmetic, to sum (x - x_zp) * w + b. On cores with the DSP extension
 * (Cortex-M4/M7) the inner loop unpacks four int8 pairs with SXTB16 and accumulates two
 * products per SMLAD; elsewhere it is plain C. Both give the same integers. */
#include <string.h>

#include "mtc_qnn.h"

#include "mtc_simd.h"

#ifdef MTC_HAVE_SIMD32
/* Two outputs per pass share the input's loads and unpacking: per four inputs one load and two
 * SXTB16 of x, one load and two SXTB16 per output's weights, four SMLAD. */
static void dot2_s8_dsp(const int8_t *x, const int8_t *wa, const int8_t *wb, int32_t k, int32_t *acc_a,
                        int32_t *acc_b) {
  int32_t i = 0, a = *acc_a, b = *acc_b;
  for (; i + 4 <= k; i += 4) {
    uint32_t xv, av, bv;
    int32_t x02, x13;
    memcpy(&xv, x + i, 4);
    memcpy(&av, wa + i, 4);
    memcpy(&bv, wb + i, 4);
    /* bytes 0 and 2, then bytes 1 and 3, as signed halfword pairs */
    x02 = __sxtb16((int32_t)xv);
    x13 = mtc_sxtb16_ror8(xv);
    a = __smlad(x02, __sxtb16((int32_t)av), a);
    a = __smlad(x13, mtc_sxtb16_ror8(av), a);
    b = __smlad(x02, __sxtb16((int32_t)bv), b);
    b = __smlad(x13, mtc_sxtb16_ror8(bv), b);
  }
  for (; i < k; ++i) {
    a += (int32_t)x[i] * (int32_t)wa[i];
    b += (int32_t)x[i] * (int32_t)wb[i];
  }
  *acc_a = a;
  *acc_b = b;
}
#endif

/* One output: the high-multiply int8 mode inline, any other through the generated code's
 * requant_other (so that models without such layers do not link the other forms). */
static inline int8_t requant_out(const mtc_requant *rq, mtc_requant_fn requant_other, int fast, int32_t c,
                                 int32_t acc) {
  if (fast) return (int8_t)mtc_requant_mulhi_s8(acc, rq->multiplier[rq->per_channel ? c : 0], rq->out_zero_point);
  return requant_other(rq, c, acc);
}

#ifndef MTC_HAVE_SIMD32
static int32_t dot_s8(const int8_t *x, const int8_t *w, int32_t k, int32_t acc) {
  int32_t i;
  for (i = 0; i < k; ++i) acc += (int32_t)x[i] * (int32_t)w[i];
  return acc;
}
#endif

void mtc_qfc_s8(int32_t rows, int32_t k, int32_t cols, const int8_t *x, const int8_t *w, const int32_t *bias, int8_t *y,
                const mtc_requant *rq, mtc_requant_fn requant_other) {
  const int fast = mtc_requant_is_mulhi_int8(rq);
  int32_t r, c;
  if (!fast && !requant_other) MTC_UNREACHABLE();
  for (r = 0; r < rows; ++r) {
    const int8_t *xr = x + r * k;
    int8_t *yr = y + r * cols;
    for (c = 0; c < cols; c += 2) {
      /* a last odd column pairs with itself: computed and stored twice */
      const int32_t c1 = c + 1 < cols ? c + 1 : c;
      int32_t a = bias[c], b = bias[c1];
#ifdef MTC_HAVE_SIMD32
      dot2_s8_dsp(xr, w + c * k, w + c1 * k, k, &a, &b);
#else
      a = dot_s8(xr, w + c * k, k, a);
      b = dot_s8(xr, w + c1 * k, k, b);
#endif
      yr[c] = requant_out(rq, requant_other, fast, c, a);
      yr[c1] = requant_out(rq, requant_other, fast, c1, b);
    }
  }
}
