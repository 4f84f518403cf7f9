/* mtc_dequantize_linear_i32: DequantizeLinear from int32_t (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_dequantize_linear_i32(const int32_t *x, const float *scale, const int32_t *zero_point, float *y,
                               int32_t outer, int32_t channels, int32_t inner) {
  MTC_DEQUANTIZE_LINEAR_LOOPS(int32_t)
}
