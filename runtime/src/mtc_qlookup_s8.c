#include "mtc_qnn.h"

void mtc_qlookup_s8(const int8_t *x, const int8_t *table, int8_t *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = table[(int32_t)x[i] + 128];
}
