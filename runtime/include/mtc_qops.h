/* microtc runtime: the ONNX quantization operators whose parameters are run-time tensors
 * (QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, ConvInteger, MatMulInteger).
 * Float arithmetic is float32 in the order the ONNX definitions give, so the compiler's evaluator
 * (which implements the same formulas independently) agrees bit for bit; builds use
 * -ffp-contract=off. Zero point pointers may be NULL (zero). */
#ifndef MTC_QOPS_H
#define MTC_QOPS_H

#include <stdint.h>

#include "mtc_conv.h"
#include "mtc_quant.h"

/* saturate(round_half_even(x / scale) + zero_point) into [lo, hi]; NaN gives lo. */
static inline int32_t mtc_quantize_one(float x, float scale, int32_t zero_point, int32_t lo, int32_t hi) {
  return mtc_float_to_int_sat(mtc_round_half_even(x / scale) + (float)zero_point, lo, hi);
}

/* QuantizeLinear over x viewed as [outer][channels][inner]: element (o, c, i) uses scale[c] and
 * zero_point[c] (per tensor: channels == 1). */
void mtc_quantize_linear_u8(const float *x, const float *scale, const uint8_t *zero_point, uint8_t *y,
                            int32_t outer, int32_t channels, int32_t inner);
void mtc_quantize_linear_i8(const float *x, const float *scale, const int8_t *zero_point, int8_t *y,
                            int32_t outer, int32_t channels, int32_t inner);
/* The same per tensor (one scale, the zero point a constant of the generated code): the usual
 * float input of an int8 model, in one short loop. */
void mtc_quantize_tensor_i8(const float *x, const float *scale, int32_t zero_point, int8_t *y, int32_t n);

/* DequantizeLinear, same layout: y = (float)(x - zero_point[c]) * scale[c]; the difference is
 * exact (int64 for int32 inputs) before the one rounding conversion to float. */
void mtc_dequantize_linear_u8(const uint8_t *x, const float *scale, const uint8_t *zero_point, float *y,
                              int32_t outer, int32_t channels, int32_t inner);
void mtc_dequantize_linear_i8(const int8_t *x, const float *scale, const int8_t *zero_point, float *y,
                              int32_t outer, int32_t channels, int32_t inner);
void mtc_dequantize_linear_i32(const int32_t *x, const float *scale, const int32_t *zero_point, float *y,
                               int32_t outer, int32_t channels, int32_t inner);

/* DynamicQuantizeLinear to uint8 over n elements: the range [min(0, min x), max(0, max x)] maps
 * onto [0, 255]; *y_scale = range / 255, *y_zero_point = round_half_even(saturate(0 - min / scale)),
 * y = saturate(round_half_even(x / scale) + zero point). An all-zero x gives scale 0, zero point 0
 * and y 0 (0 / 0 is NaN, which saturates to 0). */
void mtc_dynamic_quantize_linear_u8(const float *x, uint8_t *y, float *y_scale, uint8_t *y_zero_point,
                                    int32_t n);

/* ConvInteger: y[n][oc] = sum over the group's input channels and kernel taps of
 * (x - x_zero_point[0]) * (w - w_zero_point[w_zp_per_channel ? oc : 0]), as int32 wrapping on
 * overflow. Padding holds x_zero_point, so taps in it contribute nothing. Layouts as mtc_conv2d_f32;
 * the function name gives the x then the w element type. */
void mtc_conv_integer2d_u8_u8(const mtc_conv2d_params *p, const uint8_t *x, const uint8_t *w,
                              const uint8_t *x_zero_point, const uint8_t *w_zero_point,
                              int32_t w_zp_per_channel, int32_t *y);
void mtc_conv_integer2d_u8_i8(const mtc_conv2d_params *p, const uint8_t *x, const int8_t *w,
                              const uint8_t *x_zero_point, const int8_t *w_zero_point,
                              int32_t w_zp_per_channel, int32_t *y);
void mtc_conv_integer2d_i8_u8(const mtc_conv2d_params *p, const int8_t *x, const uint8_t *w,
                              const int8_t *x_zero_point, const uint8_t *w_zero_point,
                              int32_t w_zp_per_channel, int32_t *y);
void mtc_conv_integer2d_i8_i8(const mtc_conv2d_params *p, const int8_t *x, const int8_t *w,
                              const int8_t *x_zero_point, const int8_t *w_zero_point,
                              int32_t w_zp_per_channel, int32_t *y);

/* MatMulInteger with batch dims as mtc_matmul_f32: Y = (A - a_zp) @ (B - b_zp) as int32 wrapping on
 * overflow. With a_zp_per_row, the zero point of the A row starting at element e is
 * a_zero_point[e / k] (one per row of the whole A tensor), else a_zero_point[0]; with b_zp_per_col,
 * column j of the B matrix starting at element e uses b_zero_point[e / k + j], else
 * b_zero_point[0]. The function name gives the A then the B element type. */
#define MTC_MATMUL_INTEGER_PARAMS(TA, TB)                                                         \
  const TA *a, const TB *b, const TA *a_zero_point, int32_t a_zp_per_row, const TB *b_zero_point, \
      int32_t b_zp_per_col, int32_t *y, int32_t m, int32_t n, int32_t k, int32_t batch_rank,      \
      const int32_t *batch_dims, const int32_t *a_strides, const int32_t *b_strides
void mtc_matmul_integer_u8_u8(MTC_MATMUL_INTEGER_PARAMS(uint8_t, uint8_t));
void mtc_matmul_integer_u8_i8(MTC_MATMUL_INTEGER_PARAMS(uint8_t, int8_t));
void mtc_matmul_integer_i8_u8(MTC_MATMUL_INTEGER_PARAMS(int8_t, uint8_t));
void mtc_matmul_integer_i8_i8(MTC_MATMUL_INTEGER_PARAMS(int8_t, int8_t));

#endif
