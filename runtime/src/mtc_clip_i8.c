/* mtc_clip_i8: y[i] = min(max(x[i], lo), hi) for n int8_t values (contract in mtc_activation.h). */
#include "mtc_activation.h"

#include <stdint.h>

void mtc_clip_i8(const int8_t *x, int8_t *y, int32_t n, int8_t lo, int8_t hi) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    int8_t v = x[i] < lo ? lo : x[i];
    y[i] = v > hi ? hi : v;
  }
}
