/* mtc_qavgpool_global_s8: int8 average pooling whose window is the whole plane (mtc_qnn.h), the
 * last layer of most image networks: one run per plane, none of the 2-D kernel's window logic. */
#include "mtc_qavg_impl.h"
#include "mtc_qnn.h"

MTC_OPTIMIZE_SIZE void mtc_qavgpool_global_s8(const int8_t *x, int32_t zp, int8_t *y, int32_t planes, int32_t count) {
  int32_t c;
  for (c = 0; c < planes; ++c, x += count) y[c] = mtc_qavg_s8(mtc_sum_s8(x, count) - zp * count, count, zp);
}
