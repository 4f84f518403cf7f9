/* Shared by the int8 average pooling kernels (mtc_qavgpool2d_s8, mtc_qavgpool_global_s8): the sum
 * of a run of values and the rounding of the average. */
#ifndef MTC_QAVG_IMPL_H
#define MTC_QAVG_IMPL_H

#include <stdint.h>
#include <string.h>

#include "mtc_quant.h"
#include "mtc_simd.h"

/* The sum of n consecutive int8 values: four per SXTB16 pair and two SMLAD with (1, 1) where the
 * DSP extension is there. */
static inline int32_t mtc_sum_s8(const int8_t *s, int32_t n) {
  int32_t sum = 0, i = 0;
#ifdef MTC_HAVE_SIMD32
  for (; i + 4 <= n; i += 4) {
    uint32_t v;
    memcpy(&v, s + i, 4);
    sum = __smlad(__sxtb16((int32_t)v), 0x00010001, sum);
    sum = __smlad(mtc_sxtb16_ror8(v), 0x00010001, sum);
  }
#endif
  for (; i < n; ++i) sum += s[i];
  return sum;
}

/* zp + sum / count rounded half away from zero, saturated to int8 (count > 0). */
static inline int8_t mtc_qavg_s8(int32_t sum, int32_t count, int32_t zp) {
  const int32_t avg = sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
  return (int8_t)mtc_clamp_i32(zp + avg, -128, 127);
}

#endif
