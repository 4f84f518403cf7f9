/* microtc runtime: Softmax and LogSoftmax kernels. */
#ifndef MTC_SOFTMAX_H
#define MTC_SOFTMAX_H

#include <stdint.h>

#include "mtc_activation.h"

/* The input is seen as [outer, len, inner]; each of the outer * inner vectors of len elements
 * (stride inner) is normalised. Numerically stable (the maximum is subtracted first). x and y may be
 * the same buffer. */
void mtc_softmax_f32(const float *x, float *y, int32_t outer, int32_t len, int32_t inner);
void mtc_log_softmax_f32(const float *x, float *y, int32_t outer, int32_t len, int32_t inner);
/* Softmax of int8 logits x dequantized by (float)(x - zp) * scale[0] (scale > 0), the same values
 * as mtc_dequantize_linear_i8 followed by mtc_softmax_f32, without storing the float logits. */
void mtc_softmax_s8_f32(const int8_t *x, const float *scale, int32_t zp, float *y, int32_t outer, int32_t len,
                        int32_t inner);

#endif
