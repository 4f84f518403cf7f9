/* microtc runtime: elementwise binary arithmetic (Add, Sub, Mul, Div) with numpy broadcasting. */
#ifndef MTC_ELEMENTWISE_H
#define MTC_ELEMENTWISE_H

#include <stdint.h>

#include "mtc_activation.h"

/* Every binary kernel shares one contract. The output is `rows` contiguous rows of n elements, rows
 * = product of the outer_rank dims outer_dims (1 when outer_rank is 0, the tables may then be 0).
 * Row r starts in a at sum(idx[d] * a_strides[d]) over r's row-major index idx, likewise in b; within
 * a row element i is a[i * a_step] and b[i * b_step]. So same shapes are (n, 1, 1, 0, ...), a scalar
 * operand (n, 1, 0, 0, ...), and any broadcast is described by collapsed stride tables (0 on
 * broadcast axes). y may be the same buffer as a same-shaped a or b.
 * Float kernels apply `act` on store; integer kernels wrap on overflow (8-bit ones modulo 256) and divide
 * truncating toward zero, with x / 0 = 0 and MIN / -1 = MIN. */
#define MTC_BINARY_PARAMS(T)                                                                              \
  const T *a, const T *b, T *y, int32_t n, int32_t a_step, int32_t b_step, int32_t outer_rank,            \
      const int32_t *outer_dims, const int32_t *a_strides, const int32_t *b_strides

void mtc_add_f32(MTC_BINARY_PARAMS(float), mtc_act act);
void mtc_sub_f32(MTC_BINARY_PARAMS(float), mtc_act act);
void mtc_mul_f32(MTC_BINARY_PARAMS(float), mtc_act act);
void mtc_div_f32(MTC_BINARY_PARAMS(float), mtc_act act);
void mtc_add_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_sub_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_mul_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_div_i32(MTC_BINARY_PARAMS(int32_t));
void mtc_add_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_sub_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_mul_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_div_i64(MTC_BINARY_PARAMS(int64_t));
void mtc_add_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_sub_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_mul_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_div_i8(MTC_BINARY_PARAMS(int8_t));
void mtc_add_u8(MTC_BINARY_PARAMS(uint8_t));
void mtc_sub_u8(MTC_BINARY_PARAMS(uint8_t));
void mtc_mul_u8(MTC_BINARY_PARAMS(uint8_t));
void mtc_div_u8(MTC_BINARY_PARAMS(uint8_t));

#endif
