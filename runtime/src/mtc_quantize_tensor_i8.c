/* mtc_quantize_tensor_i8: QuantizeLinear to int8_t per tensor (contract in mtc_qops.h). */
#include "mtc_qops.h"

void mtc_quantize_tensor_i8(const float *x, const float *scale, int32_t zero_point, int8_t *y, int32_t n) {
  const float s = scale[0];
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = (int8_t)mtc_quantize_one(x[i], s, zero_point, -128, 127);
}
