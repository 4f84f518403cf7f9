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
static int32_t mtc_dot_s8_dsp(const int8_t *a, const int8_t *b, int32_t k, int32_t acc) {
  int32_t i = 0;
  for (; i + 4 <= k; i += 4) {
    uint32_t av, bv;
    memcpy(&av, a + i, 4);
    memcpy(&bv, b + i, 4);
    /* bytes 0 and 2, then bytes 1 and 3 (rotated into place), as signed halfword pairs */
    acc = __smlad(__sxtb16((int32_t)av), __sxtb16((int32_t)bv), acc);
    acc = __smlad(__sxtb16((int32_t)((av >> 8) | (av << 24))), __sxtb16((int32_t)((bv >> 8) | (bv << 24))), acc);
  }
  for (; i < k; ++i) acc += (int32_t)a[i] * (int32_t)b[i];
  return acc;
}
#endif

void mtc_qfc_s8(int32_t rows, int32_t k, int32_t cols, const int8_t *x, const int8_t *w, const int32_t *bias, int8_t *y,
                const mtc_requant *rq) {
  int32_t r, c;
  for (r = 0; r < rows; ++r) {
    const int8_t *xr = x + r * k;
    for (c = 0; c < cols; ++c) {
      const int8_t *wc = w + c * k;
      int32_t acc = bias[c];
#ifdef MTC_HAVE_SIMD32
      acc = mtc_dot_s8_dsp(xr, wc, k, acc);
#else
      int32_t i;
      for (i = 0; i < k; ++i) acc += (int32_t)xr[i] * (int32_t)wc[i];
#endif
      y[r * cols + c] = (int8_t)mtc_requant_apply(rq, acc, c);
    }
  }
}
