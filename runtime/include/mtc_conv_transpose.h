/* microtc runtime: transposed convolution kernels. Tensors are NCHW float32; 1-D ones use h = 1. */
#ifndef MTC_CONV_TRANSPOSE_H
#define MTC_CONV_TRANSPOSE_H

#include <stdint.h>

#include "mtc_activation.h"

/* Geometry of one 2-D transposed convolution. Output (oy, ox) is position (oy + pad_top,
 * ox + pad_left) of the full transposed output; pads may be negative (output_shape larger than the
 * full output: those positions get the bias only). */
typedef struct {
  int32_t n, c, h, w; /* input: batch, channels, height, width */
  int32_t oc, oh, ow; /* output: channels, height, width */
  int32_t kh, kw;     /* kernel height, width */
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t group; /* divides c and oc */
} mtc_conv_transpose2d_params;

/* y[n][oc][oy][ox] = act(bias[oc] + sum of x[n][ic][iy][ix] * w[ic][oc % (oc/group)][ky][kx] over the
 * group's input channels and the taps with iy * stride_h + ky * dilation_h == oy + pad_top (same for x).
 * x: [n][c][h][w], w: [c][oc/group][kh][kw], bias: [oc] or NULL, y: [n][oc][oh][ow]. */
void mtc_conv_transpose2d_f32(const mtc_conv_transpose2d_params *p, const float *x, const float *w,
                              const float *bias, float *y, mtc_act act);

#endif
