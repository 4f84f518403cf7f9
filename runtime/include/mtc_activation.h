/* Activations that kernels apply to their results before storing them (fused activations), and
 * that the standalone unary kernels use. The compiler's evaluator implements the same formulas. */
#ifndef MTC_ACTIVATION_H
#define MTC_ACTIVATION_H

#include <math.h>

enum mtc_act_kind {
  MTC_ACT_NONE = 0,
  MTC_ACT_RELU = 1,
  MTC_ACT_CLIP = 2,        /* min(max(x, alpha), beta) */
  MTC_ACT_LEAKY_RELU = 3,  /* x >= 0 ? x : alpha * x */
  MTC_ACT_SIGMOID = 4,
  MTC_ACT_HARD_SIGMOID = 5, /* max(0, min(1, alpha * x + beta)) */
  MTC_ACT_HARD_SWISH = 6,   /* x * max(0, min(1, x / 6 + 0.5)) */
  MTC_ACT_TANH = 7
};

/* A fused activation: kind plus its two parameters. */
typedef struct {
  int kind;
  float alpha;
  float beta;
} mtc_act;

static inline float mtc_act_apply(float x, mtc_act a) {
  switch (a.kind) {
  case MTC_ACT_RELU: return x > 0.0f ? x : 0.0f;
  case MTC_ACT_CLIP: return x < a.alpha ? a.alpha : (x > a.beta ? a.beta : x);
  case MTC_ACT_LEAKY_RELU: return x >= 0.0f ? x : a.alpha * x;
  case MTC_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
  case MTC_ACT_HARD_SIGMOID: {
    float y = a.alpha * x + a.beta;
    return y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
  }
  case MTC_ACT_HARD_SWISH: {
    float y = x / 6.0f + 0.5f;
    return x * (y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y));
  }
  case MTC_ACT_TANH: return tanhf(x);
  default: return x;
  }
}

#include <stdint.h>

/* Applies `act` to n floats (standalone activation nodes). */
void mtc_activation_f32(const float *x, float *y, int32_t n, mtc_act act);
/* Clip of integer tensors (standalone Clip nodes): y[i] = min(max(x[i], lo), hi), so hi wins when
 * lo > hi, as in ONNX. x and y may be the same buffer. */
void mtc_clip_i8(const int8_t *x, int8_t *y, int32_t n, int8_t lo, int8_t hi);
void mtc_clip_u8(const uint8_t *x, uint8_t *y, int32_t n, uint8_t lo, uint8_t hi);

#endif
