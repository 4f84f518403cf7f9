/* microtc runtime: Reduce* kernels (ReduceSum, ReduceMean, ReduceMax, ...) over any set of axes. */
#ifndef MTC_REDUCE_H
#define MTC_REDUCE_H

#include <stdint.h>

enum mtc_reduce_op {
  MTC_REDUCE_SUM = 0,
  MTC_REDUCE_MEAN = 1,
  MTC_REDUCE_MAX = 2,
  MTC_REDUCE_MIN = 3,
  MTC_REDUCE_PROD = 4,
  MTC_REDUCE_L1 = 5,          /* sum |x| */
  MTC_REDUCE_L2 = 6,          /* sqrt(sum x^2) */
  MTC_REDUCE_SUM_SQUARE = 7,  /* sum x^2 */
  MTC_REDUCE_LOG_SUM = 8,     /* log(sum x) */
  MTC_REDUCE_LOG_SUM_EXP = 9  /* log(sum exp x), computed with the maximum subtracted */
};

/* y is contiguous, one element per index of out_dims (out_rank dims, row-major; one element when
 * out_rank is 0, the tables may then be 0). Output element idx reduces the input elements at
 *   x + sum(idx[d] * out_strides[d]) + sum(r[d] * red_strides[d]) + i * step
 * for every index r of red_dims (red_rank dims) and every i < n. So any set of reduced axes is
 * described by two stride tables; the innermost reduced run is the (n, step) loop. An empty
 * reduction gives the identity of the operation (0, 1, -inf for Max, +inf for Min). x and y must
 * not overlap. */
void mtc_reduce_f32(const float *x, float *y, int32_t op, int32_t n, int32_t step, int32_t out_rank,
                    const int32_t *out_dims, const int32_t *out_strides, int32_t red_rank,
                    const int32_t *red_dims, const int32_t *red_strides);

#endif
