#include "mtc_qnn.h"

void mtc_qgemm_s8(int32_t rows, int32_t k, int32_t cols, const int8_t *x, int32_t x_zp, const int8_t *w,
                  const int32_t *w_zp, const int32_t *bias, int8_t *y, const mtc_requant *rq) {
  int32_t r, c, i;
  for (r = 0; r < rows; ++r) {
    const int8_t *xr = x + r * k;
    for (c = 0; c < cols; ++c) {
      const int32_t wzp = w_zp ? w_zp[c] : 0;
      int32_t acc = bias ? bias[c] : 0;
      for (i = 0; i < k; ++i) acc += ((int32_t)xr[i] - x_zp) * ((int32_t)w[i * cols + c] - wzp);
      y[r * cols + c] = (int8_t)mtc_requant_apply(rq, acc, c);
    }
  }
}
