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

#endif
