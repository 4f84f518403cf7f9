/* mtc_matmul_f32: batched Y = act(A @ B) with broadcast batch dims (contract in mtc_gemm.h). */
#include "mtc_gemm.h"

#include <stdint.h>

void mtc_matmul_f32(const float *a, const float *b, float *y, int32_t m, int32_t n, int32_t k,
                    int32_t batch_rank, const int32_t *batch_dims, const int32_t *a_strides,
                    const int32_t *b_strides, mtc_act act) {
  int32_t batches = 1, bi, d, i, j, p;
  for (d = 0; d < batch_rank; ++d) batches *= batch_dims[d];
  for (bi = 0; bi < batches; ++bi) {
    const float *ab = a, *bb = b;
    float *yb = y + bi * m * n;
    int32_t rest = bi;
    for (d = batch_rank - 1; d >= 0; --d) {
      int32_t idx = rest % batch_dims[d];
      rest /= batch_dims[d];
      ab += idx * a_strides[d];
      bb += idx * b_strides[d];
    }
    for (i = 0; i < m; ++i) {
      const float *ar = ab + i * k;
      float *yr = yb + i * n;
      /* Accumulate scaled rows of B so that B and Y stream contiguously. */
      for (j = 0; j < n; ++j) yr[j] = 0.0f;
      for (p = 0; p < k; ++p) {
        const float av = ar[p];
        const float *br = bb + p * n;
        for (j = 0; j < n; ++j) yr[j] += av * br[j];
      }
      if (act.kind != MTC_ACT_NONE)
        for (j = 0; j < n; ++j) yr[j] = mtc_act_apply(yr[j], act);
    }
  }
}
