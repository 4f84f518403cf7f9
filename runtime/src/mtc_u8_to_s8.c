#include "mtc_qnn.h"

void mtc_u8_to_s8(const uint8_t *x, int8_t *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = (int8_t)((int32_t)x[i] - 128);
}
