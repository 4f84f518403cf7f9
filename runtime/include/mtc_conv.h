/* microtc runtime: convolution kernels. Tensors are NCHW float32; 1-D convolutions use h = 1. */
#ifndef MTC_CONV_H
#define MTC_CONV_H

#include <stdint.h>

#include "mtc_activation.h"

/* Geometry of one 2-D convolution. The bottom/right padding is implied by the output size. One
 * per layer in flash: the plane sizes are 32-bit (a 1-D signal is one long row), the rest 16-bit
 * (the compiler checks the range; uint16_t promotes to int, so expressions stay signed). */
typedef struct {
  int32_t h, w;       /* input height, width */
  int32_t oh, ow;     /* output height, width */
  uint16_t n, c, oc;  /* batch, input and output channels */
  uint16_t kh, kw;    /* kernel height, width */
  uint16_t stride_h, stride_w;
  uint16_t dilation_h, dilation_w;
  uint16_t pad_top, pad_left;
  uint16_t group; /* divides c and oc; c == oc == group is depthwise */
} mtc_conv2d_params;

/* y[n][oc] = act(bias[oc] + sum over the group's input channels and kernel taps of x * w).
 * x: [n][c][h][w], w: [oc][c/group][kh][kw], bias: [oc] or NULL, y: [n][oc][oh][ow]. */
void mtc_conv2d_f32(const mtc_conv2d_params *p, const float *x, const float *w, const float *bias, float *y,
                    mtc_act act);

#endif
