/* microtc runtime: pooling kernels. Tensors are NCHW (float32; max pooling also 8-bit); 1-D pooling
 * uses h = 1. */
#ifndef MTC_POOL_H
#define MTC_POOL_H

#include <stdint.h>

#include "mtc_activation.h"

/* Geometry of one 2-D pooling window over each (n, c) plane. */
typedef struct {
  int32_t planes, h, w; /* planes = batch * channels */
  int32_t oh, ow;
  int32_t kh, kw;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t count_include_pad; /* average pooling: divide by taps inside the padded input too */
} mtc_pool2d_params;

/* Maximum over each window's taps inside the input (-INFINITY for a window wholly in padding). */
void mtc_maxpool2d_f32(const mtc_pool2d_params *p, const float *x, float *y, mtc_act act);
void mtc_maxpool2d_u8(const mtc_pool2d_params *p, const uint8_t *x, uint8_t *y);
void mtc_maxpool2d_i8(const mtc_pool2d_params *p, const int8_t *x, int8_t *y);
/* Average over each window: divisor = taps inside the input, or with count_include_pad the taps
 * inside the padded input (taps past the end padding, possible with ceil_mode, never count). */
void mtc_avgpool2d_f32(const mtc_pool2d_params *p, const float *x, float *y, mtc_act act);
/* y[i] = act(mean / max of the `spatial` values of plane i), for `planes` contiguous planes. */
void mtc_global_avgpool_f32(const float *x, float *y, int32_t planes, int32_t spatial, mtc_act act);
void mtc_global_maxpool_f32(const float *x, float *y, int32_t planes, int32_t spatial, mtc_act act);

#endif
