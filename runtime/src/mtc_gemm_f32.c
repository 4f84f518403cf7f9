/* mtc_gemm_f32: Y = act(alpha * A' * B' + beta * C) (contract in mtc_gemm.h). */
#include "mtc_gemm.h"

#include <stdint.h>

void mtc_gemm_f32(const float *a, const float *b, const float *c, float *y, int32_t m, int32_t n,
                  int32_t k, int32_t trans_a, int32_t trans_b, float alpha, float beta, int32_t c_rs,
                  int32_t c_cs, mtc_act act) {
  /* Element (i, p) of A' is a[i * a_rs + p * a_cs]. */
  const int32_t a_rs = trans_a ? 1 : k, a_cs = trans_a ? m : 1;
  int32_t i, j, p;
  for (i = 0; i < m; ++i) {
    const float *ar = a + i * a_rs;
    float *yr = y + i * n;
    if (trans_b) {
      /* B is [n x k]: a dot product over contiguous rows of B. */
      for (j = 0; j < n; ++j) {
        const float *br = b + j * k;
        float acc = 0.0f;
        for (p = 0; p < k; ++p) acc += ar[p * a_cs] * br[p];
        yr[j] = acc;
      }
    } else {
      /* B is [k x n]: accumulate scaled rows of B into the output row so both stream contiguously. */
      for (j = 0; j < n; ++j) yr[j] = 0.0f;
      for (p = 0; p < k; ++p) {
        const float av = ar[p * a_cs];
        const float *br = b + p * n;
        for (j = 0; j < n; ++j) yr[j] += av * br[j];
      }
    }
    for (j = 0; j < n; ++j) {
      float v = alpha * yr[j];
      if (c) v += beta * c[i * c_rs + j * c_cs];
      yr[j] = mtc_act_apply(v, act);
    }
  }
}
