#include "mtc_qnn.h"

void mtc_s8_to_u8(const int8_t *x, uint8_t *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = (uint8_t)((int32_t)x[i] + 128);
}
