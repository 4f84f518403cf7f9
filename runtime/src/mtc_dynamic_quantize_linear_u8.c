/* mtc_dynamic_quantize_linear_u8: DynamicQuantizeLinear (contract in mtc_qops.h), following the ONNX
 * definition step by step in float32: the range always includes 0, the zero point is saturated
 * before it is rounded half to even. */
#include "mtc_qops.h"

void mtc_dynamic_quantize_linear_u8(const float *x, uint8_t *y, float *y_scale, uint8_t *y_zero_point,
                                    int32_t n) {
  float lo = 0.0f, hi = 0.0f, scale, zp_real;
  int32_t i, zp;
  for (i = 0; i < n; ++i) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  scale = (hi - lo) / 255.0f;
  zp_real = 0.0f - lo / scale;
  /* Saturate (NaN to 0), then round: the value is already in [0, 255]. */
  zp_real = !(zp_real >= 0.0f) ? 0.0f : (zp_real > 255.0f ? 255.0f : zp_real);
  zp = mtc_float_to_int_sat(mtc_round_half_even(zp_real), 0, 255);
  for (i = 0; i < n; ++i) y[i] = (uint8_t)mtc_quantize_one(x[i], scale, zp, 0, 255);
  *y_scale = scale;
  *y_zero_point = (uint8_t)zp;
}
