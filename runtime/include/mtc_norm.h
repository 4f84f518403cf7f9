/* microtc runtime: normalization kernels. */
#ifndef MTC_NORM_H
#define MTC_NORM_H

#include <stdint.h>

#include "mtc_activation.h"

/* Inference batch normalization over x: [n][c][inner]:
 * y = act((x - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c]). x and y may alias. */
void mtc_batchnorm_f32(const float *x, const float *scale, const float *bias, const float *mean,
                       const float *var, float *y, int32_t n, int32_t c, int32_t inner, float epsilon,
                       mtc_act act);

#endif
