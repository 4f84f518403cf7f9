/* mtc_pow_mixed: Pow with float32 / int32 / int64 operands in any mix (contract in mtc_math.h). The
 * type switch per element is acceptable: mixed-type Pow is rare and mostly folded at compile time. */
#include <math.h>

#include "mtc_data.h"
#include "mtc_math.h"

static int is_int(int32_t t) { return t == MTC_DTYPE_I32 || t == MTC_DTYPE_I64; }

static double load_f(const void *p, int32_t t, int32_t i) {
  if (t == MTC_DTYPE_F32) return ((const float *)p)[i];
  if (t == MTC_DTYPE_I32) return ((const int32_t *)p)[i];
  return (double)((const int64_t *)p)[i];
}

static int64_t load_i(const void *p, int32_t t, int32_t i) {
  return t == MTC_DTYPE_I32 ? ((const int32_t *)p)[i] : ((const int64_t *)p)[i];
}

/* Exact integer power by squaring, wrapping like unsigned arithmetic. */
static int64_t int_pow(int64_t base, int64_t e) {
  uint64_t r = 1, b = (uint64_t)base;
  if (e < 0) return base == 1 ? 1 : (base == -1 ? ((e & 1) ? -1 : 1) : 0);
  while (e > 0) {
    if (e & 1) r *= b;
    b *= b;
    e >>= 1;
  }
  return (int64_t)r;
}

/* Truncates toward zero and saturates (NaN gives 0): a plain C cast would be undefined there. */
static int64_t to_int(double v, double lo, double hi, int64_t ilo, int64_t ihi) {
  if (v != v) return 0;
  if (v <= lo) return ilo;
  if (v >= hi) return ihi;
  return (int64_t)v;
}

static void store(void *y, int32_t t, int32_t i, double f, int64_t k, int exact) {
  if (t == MTC_DTYPE_F32) {
    ((float *)y)[i] = (float)f;
  } else if (t == MTC_DTYPE_I32) {
    ((int32_t *)y)[i] = (int32_t)(exact ? k : to_int(f, -2147483648.0, 2147483647.0, INT32_MIN, INT32_MAX));
  } else {
    ((int64_t *)y)[i] =
        exact ? k : to_int(f, -9223372036854775808.0, 9223372036854775807.0, INT64_MIN, INT64_MAX);
  }
}

void mtc_pow_mixed(const void *a, int32_t a_type, const void *b, int32_t b_type, void *y, int32_t n,
                   int32_t a_step, int32_t b_step, int32_t outer_rank, const int32_t *outer_dims,
                   const int32_t *a_strides, const int32_t *b_strides) {
  int32_t rows = 1, r, i, d;
  int exact = is_int(a_type) && is_int(b_type);
  for (d = 0; d < outer_rank; ++d) rows *= outer_dims[d];
  for (r = 0; r < rows; ++r) {
    int32_t ra = 0, rb = 0, rest = r;
    for (d = outer_rank - 1; d >= 0; --d) {
      int32_t idx = rest % outer_dims[d];
      rest /= outer_dims[d];
      ra += idx * a_strides[d];
      rb += idx * b_strides[d];
    }
    for (i = 0; i < n; ++i) {
      int32_t ia = ra + i * a_step, ib = rb + i * b_step, iy = r * n + i;
      if (exact) {
        int64_t k = int_pow(load_i(a, a_type, ia), load_i(b, b_type, ib));
        store(y, a_type, iy, 0.0, k, 1);
      } else {
        store(y, a_type, iy, pow(load_f(a, a_type, ia), load_f(b, b_type, ib)), 0, 0);
      }
    }
  }
}
