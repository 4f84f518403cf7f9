/* mtc_microt_pool_s8: an exit head's pooled features (contract in mtc_microt.h). */
#include "mtc_microt.h"

void mtc_microt_pool_s8(const int8_t *x, int32_t channels, int32_t count, int32_t zp, float inv, float *features) {
  int32_t c, i;
  for (c = 0; c < channels; ++c, x += count) {
    int32_t sum = 0;
    for (i = 0; i < count; ++i) sum += x[i];
    features[c] = (float)(sum - zp * count) * inv;
  }
}
