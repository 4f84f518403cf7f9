/* microtc runtime: normalization kernels that compute their own statistics (LayerNormalization,
 * InstanceNormalization), as opposed to mtc_norm.h's inference batch normalization. */
#ifndef MTC_LAYERNORM_H
#define MTC_LAYERNORM_H

#include <stdint.h>

/* Layer normalization of x viewed as [outer][inner], each row normalised by its own statistics:
 * y[o][j] = (x[o][j] - mean_o) / sqrt(var_o + epsilon) * scale[j] + bias[j]. bias may be NULL (0).
 * mean and inv_std, when not NULL, receive mean_o and 1 / sqrt(var_o + epsilon) per row.
 * inner must be >= 1; x and y may alias. */
void mtc_layer_norm_f32(const float *x, const float *scale, const float *bias, float *y, float *mean,
                        float *inv_std, int32_t outer, int32_t inner, float epsilon);

/* Instance normalization of x: [n][c][inner], each (n, c) plane normalised by its own statistics:
 * y = (x - mean) / sqrt(var + epsilon) * scale[c] + bias[c]. inner must be >= 1; x and y may alias. */
void mtc_instance_norm_f32(const float *x, const float *scale, const float *bias, float *y, int32_t n,
                           int32_t c, int32_t inner, float epsilon);

#endif
