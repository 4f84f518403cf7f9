/* mtc_quantize_linear_u8: QuantizeLinear to uint8_t (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_quantize_linear_u8(const float *x, const float *scale, const uint8_t *zero_point, uint8_t *y,
                            int32_t outer, int32_t channels, int32_t inner) {
  MTC_QUANTIZE_LINEAR_LOOPS(uint8_t, 0, 255)
}
