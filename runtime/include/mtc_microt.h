/* microtc runtime: MicroT exit heads (docs/MICROT.md in the shared notes; compiler/microt/). A head
 * pools an int8 activation to one float per channel and classifies it with a float linear layer;
 * its confidence is the maximum softmax probability, 1 / sum_j exp(l_j - max l). */
#ifndef MTC_MICROT_H
#define MTC_MICROT_H

#include <stdint.h>

typedef struct {
  const float *weight; /* [classes][features] */
  const float *bias;   /* [classes] */
  int32_t features, classes;
} mtc_microt_head;

/* features[c] = float(sum of the count values of channel c - zp * count) * inv, inv = scale / count
 * (computed by the compiler in float32): the dequantized channel means. */
void mtc_microt_pool_s8(const int8_t *x, int32_t channels, int32_t count, int32_t zp, float inv, float *features);

/* logits[k] = bias[k] + sum_j weight[k][j] * features[j] in float32, j in order; returns the first
 * class of the largest logit and its softmax probability in *confidence (the exponentials of the
 * non-positive differences by the runtime's own exp, no libm). */
int32_t mtc_microt_classify(const mtc_microt_head *h, const float *features, float *logits, float *confidence);

/* One step of stochastic gradient descent on the head's softmax cross-entropy for one sample
 * (features x, class label), taken in the standardized space z = (x - mean) * inv_sd and kept on the
 * raw-feature weights: with u = (x - mean) * inv_sd^2, s = sum_j u_j * mean_j and g = softmax - onehot,
 * weight[k][j] -= rate * g_k * u_j and bias[k] -= rate * g_k * (1 - s), exactly the step on the
 * standardized head. logits (classes) and u (features) are scratch. */
void mtc_microt_train_step(float *weight, float *bias, int32_t features, int32_t classes, const float *x,
                           int32_t label, float rate, const float *mean, const float *inv_sd, float *logits, float *u);

#endif
