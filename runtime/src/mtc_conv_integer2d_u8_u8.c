/* mtc_conv_integer2d_u8_u8: ConvInteger with uint8_t input and uint8_t weights (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_conv_integer2d_u8_u8(const mtc_conv2d_params *p, const uint8_t *x, const uint8_t *w,
                              const uint8_t *x_zero_point, const uint8_t *w_zero_point,
                              int32_t w_zp_per_channel, int32_t *y) {
  MTC_CONV_INTEGER_LOOPS(uint8_t, uint8_t)
}
