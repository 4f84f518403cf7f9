/* mtc_reduce_f32: Reduce* over any set of axes described by stride tables (contract in mtc_reduce.h). */
#include <math.h>

#include "mtc_reduce.h"

/* Folds one run of n elements into acc. The switch sits outside the loops so each loop is tight. */
static float fold_run(const float *p, int32_t n, int32_t step, int32_t op, float acc, float shift) {
  int32_t i;
  switch (op) {
  case MTC_REDUCE_MAX:
    for (i = 0; i < n; ++i) {
      float v = p[i * step];
      if (v > acc || v != v) acc = v;
    }
    break;
  case MTC_REDUCE_MIN:
    for (i = 0; i < n; ++i) {
      float v = p[i * step];
      if (v < acc || v != v) acc = v;
    }
    break;
  case MTC_REDUCE_PROD:
    for (i = 0; i < n; ++i) acc *= p[i * step];
    break;
  case MTC_REDUCE_L1:
    for (i = 0; i < n; ++i) acc += fabsf(p[i * step]);
    break;
  case MTC_REDUCE_L2:
  case MTC_REDUCE_SUM_SQUARE:
    for (i = 0; i < n; ++i) acc += p[i * step] * p[i * step];
    break;
  case MTC_REDUCE_LOG_SUM_EXP:
    for (i = 0; i < n; ++i) acc += expf(p[i * step] - shift);
    break;
  default:
    for (i = 0; i < n; ++i) acc += p[i * step];
    break;
  }
  return acc;
}

/* Folds every reduced element of the output whose first input element is `base`. The row offsets
 * are recomputed by division, which needs no index buffer whose size would bound the rank. */
static float fold_all(const float *base, int32_t op, float acc, float shift, int32_t n, int32_t step,
                      int32_t red_rank, const int32_t *red_dims, const int32_t *red_strides, int32_t rows) {
  int32_t r, d;
  for (r = 0; r < rows; ++r) {
    const float *p = base;
    int32_t rest = r;
    for (d = red_rank - 1; d >= 0; --d) {
      p += (rest % red_dims[d]) * red_strides[d];
      rest /= red_dims[d];
    }
    acc = fold_run(p, n, step, op, acc, shift);
  }
  return acc;
}

void mtc_reduce_f32(const float *x, float *y, int32_t op, int32_t n, int32_t step, int32_t out_rank,
                    const int32_t *out_dims, const int32_t *out_strides, int32_t red_rank,
                    const int32_t *red_dims, const int32_t *red_strides) {
  int32_t outs = 1, rows = 1, o, d;
  float init = op == MTC_REDUCE_MAX ? -HUGE_VALF : (op == MTC_REDUCE_MIN ? HUGE_VALF : 0.0f);
  if (op == MTC_REDUCE_PROD) init = 1.0f;
  for (d = 0; d < out_rank; ++d) outs *= out_dims[d];
  for (d = 0; d < red_rank; ++d) rows *= red_dims[d];
  for (o = 0; o < outs; ++o) {
    const float *base = x;
    int32_t rest = o;
    float acc, mx = 0.0f;
    for (d = out_rank - 1; d >= 0; --d) {
      base += (rest % out_dims[d]) * out_strides[d];
      rest /= out_dims[d];
    }
    if (op == MTC_REDUCE_LOG_SUM_EXP)
      mx = fold_all(base, MTC_REDUCE_MAX, -HUGE_VALF, 0.0f, n, step, red_rank, red_dims, red_strides, rows);
    /* an infinite or NaN maximum is the result itself (exp(x - inf) would give NaN) */
    if (op == MTC_REDUCE_LOG_SUM_EXP && mx - mx != 0.0f) {
      y[o] = mx;
      continue;
    }
    acc = fold_all(base, op, init, mx, n, step, red_rank, red_dims, red_strides, rows);
    switch (op) {
    case MTC_REDUCE_MEAN: acc /= (float)(n * rows); break;
    case MTC_REDUCE_L2: acc = sqrtf(acc); break;
    case MTC_REDUCE_LOG_SUM: acc = logf(acc); break;
    case MTC_REDUCE_LOG_SUM_EXP: acc = mx + logf(acc); break;
    default: break;
    }
    y[o] = acc;
  }
}
