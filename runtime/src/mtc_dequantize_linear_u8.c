/* mtc_dequantize_linear_u8: DequantizeLinear from uint8_t (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_dequantize_linear_u8(const uint8_t *x, const float *scale, const uint8_t *zero_point, float *y,
                              int32_t outer, int32_t channels, int32_t inner) {
  MTC_DEQUANTIZE_LINEAR_LOOPS(uint8_t)
}
