/* mtc_clip_u8: y[i] = min(max(x[i], lo), hi) for n uint8_t values (contract in mtc_activation.h). */
#include "mtc_activation.h"

#include <stdint.h>

void mtc_clip_u8(const uint8_t *x, uint8_t *y, int32_t n, uint8_t lo, uint8_t hi) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    uint8_t v = x[i] < lo ? lo : x[i];
    y[i] = v > hi ? hi : v;
  }
}
