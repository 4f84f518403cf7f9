/* microtc runtime: matrix products (Gemm, MatMul) with a fused activation applied on store. */
#ifndef MTC_GEMM_H
#define MTC_GEMM_H

#include <stdint.h>

#include "mtc_activation.h"

/* Y[m x n] = act(alpha * A' * B' + beta * C), A' = trans_a ? A^T : A (A stored [m x k], or [k x m]
 * when trans_a), B' likewise (B stored [k x n], or [n x k] when trans_b). C may be 0 (no bias);
 * element (i, j) of C is c[i * c_rs + j * c_cs] (strides 0 on broadcast axes). y must not
 * overlap a or b. */
void mtc_gemm_f32(const float *a, const float *b, const float *c, float *y, int32_t m, int32_t n,
                  int32_t k, int32_t trans_a, int32_t trans_b, float alpha, float beta, int32_t c_rs,
                  int32_t c_cs, mtc_act act);

/* Batched Y = act(A @ B): for each batch index idx over the batch_rank dims batch_dims (row-major),
 * A [m x k] starts at element sum(idx[d] * a_strides[d]) and B [k x n] likewise (stride 0 on
 * broadcast dims); the output matrices are contiguous. batch_rank 0 means one product (the tables
 * may then be 0). y must not overlap a or b. */
void mtc_matmul_f32(const float *a, const float *b, float *y, int32_t m, int32_t n, int32_t k,
                    int32_t batch_rank, const int32_t *batch_dims, const int32_t *a_strides,
                    const int32_t *b_strides, mtc_act act);

#endif
