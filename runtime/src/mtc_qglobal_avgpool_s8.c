#include "mtc_qnn.h"

void mtc_qglobal_avgpool_s8(const int8_t *x, int8_t *y, int32_t planes, int32_t spatial, int32_t x_zp,
                            const mtc_requant *rq) {
  int32_t p, i;
  for (p = 0; p < planes; ++p) {
    const int8_t *xp = x + p * spatial;
    int32_t sum = 0;
    for (i = 0; i < spatial; ++i) sum += (int32_t)xp[i] - x_zp;
    y[p] = (int8_t)mtc_requant_apply(rq, sum, 0);
  }
}
