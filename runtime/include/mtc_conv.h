/* microtc runtime: convolution kernels. Tensors are NCHW float32; 1-D convolutions use h = 1. */
#ifndef MTC_CONV_H
#define MTC_CONV_H

#include <stdint.h>

#include "mtc_activation.h"

/* Geometry of one 2-D convolution. The bottom/right padding is implied by the output size. */
typedef struct {
  int32_t n, c, h, w; /* input: batch, channels, height, width */
  int32_t oc, oh, ow; /* output: channels, height, width */
  int32_t kh, kw;     /* kernel height, width */
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t group; /* divides c and oc; c == oc == group is depthwise */
} mtc_conv2d_params;

/* y[n][oc] = act(bias[oc] + sum over the group's input channels and kernel taps of x * w).
 * x: [n][c][h][w], w: [oc][c/group][kh][kw], bias: [oc] or NULL, y: [n][oc][oh][ow]. */
void mtc_conv2d_f32(const mtc_conv2d_params *p, const float *x, const float *w, const float *bias, float *y,
                    mtc_act act);

#endif
