/* mtc_quantize_linear_i8: QuantizeLinear to int8_t (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_quantize_linear_i8(const float *x, const float *scale, const int8_t *zero_point, int8_t *y,
                            int32_t outer, int32_t channels, int32_t inner) {
  MTC_QUANTIZE_LINEAR_LOOPS(int8_t, -128, 127)
}
