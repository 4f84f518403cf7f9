/* microtc runtime: elementwise math: unary functions (Exp, Log, Erf, ...), PRelu, Pow, and the
 * Max/Min steps of the variadic Max/Min operators. */
#ifndef MTC_MATH_H
#define MTC_MATH_H

#include <stdint.h>

#include "mtc_elementwise.h"

enum mtc_unary_op {
  MTC_UNARY_EXP = 0,
  MTC_UNARY_LOG = 1,
  MTC_UNARY_SQRT = 2,
  MTC_UNARY_NEG = 3,
  MTC_UNARY_ABS = 4,
  MTC_UNARY_RECIPROCAL = 5,
  MTC_UNARY_FLOOR = 6,
  MTC_UNARY_CEIL = 7,
  MTC_UNARY_ERF = 8,
  MTC_UNARY_SOFTPLUS = 9,  /* log(1 + exp x) */
  MTC_UNARY_SOFTSIGN = 10, /* x / (1 + |x|) */
  MTC_UNARY_ELU = 11,      /* x > 0 ? x : alpha * (exp x - 1) */
  MTC_UNARY_SELU = 12,     /* beta * (x > 0 ? x : alpha * (exp x - 1)), beta = ONNX's gamma */
  MTC_UNARY_SIN = 13,
  MTC_UNARY_COS = 14,
  MTC_UNARY_SIGN = 15,
  MTC_UNARY_ROUND = 16     /* to nearest, ties to even */
};

/* y[i] = op(x[i]) for n floats; alpha and beta are the parameters of Elu and Selu (ignored by the
 * others). x and y may be the same buffer. */
void mtc_unary_f32(const float *x, float *y, int32_t n, int32_t op, float alpha, float beta);

/* The broadcasting binary kernels below share the contract of mtc_elementwise.h. */
/* PRelu: y = a < 0 ? b * a : a, with b the slope. */
void mtc_prelu_f32(MTC_BINARY_PARAMS(float));
/* Pow of float operands: y = powf(a, b). */
void mtc_pow_f32(MTC_BINARY_PARAMS(float));
/* Pow with any mix of float32 / int32 / int64 operands (mtc_dtype codes of mtc_data.h); y has a's
 * type. Integer powers of integers are exact (wrapping on overflow; a negative exponent gives the
 * truncated reciprocal); otherwise the power is computed in double and converted like mtc_cast. */
void mtc_pow_mixed(const void *a, int32_t a_type, const void *b, int32_t b_type, void *y, int32_t n,
                   int32_t a_step, int32_t b_step, int32_t outer_rank, const int32_t *outer_dims,
                   const int32_t *a_strides, const int32_t *b_strides);
/* Elementwise maximum / minimum (steps of the variadic Max and Min). Float versions propagate NaN. */
void mtc_max_f32(MTC_BINARY_PARAMS(float));
void mtc_min_f32(MTC_BINARY_PARAMS(float));
void mtc_max_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_min_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_max_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_min_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_max_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_min_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_max_u8(MTC_BINARY_PARAMS(uint8_t));
void mtc_min_u8(MTC_BINARY_PARAMS(uint8_t));

#endif
