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

/* The stage decision with exponentials only where the logits do not settle it. With m the margin of
 * the top logit over the runner-up, the top class's softmax probability is at most 1 / (1 + e^-m), so
 * it cannot reach a threshold t when m < ln(t / (1 - t)). The gate keeps that bound for a threshold
 * lowered by MTC_MICROT_GATE_SLACK (relative), far more than the float rounding of the confidence (a
 * few units in the last place per class); otherwise the confidence is computed as classify computes
 * it. The decision is therefore always classify's "confidence >= threshold", for heads of up to
 * MTC_MICROT_GATE_MAX_CLASSES classes; samples that stay skip the exponentials. */
#define MTC_MICROT_GATE_SLACK 1e-3f
#define MTC_MICROT_GATE_MAX_CLASSES 10000
typedef struct {
  float threshold;   /* the confidence needed to exit */
  float stay_margin; /* margins below it stay without exponentials */
} mtc_microt_gate;

/* Sets the gate for a threshold (any float: NaN and values above 1 stay always, values <= 0 exit
 * always) and a head's class count. */
void mtc_microt_gate_set(mtc_microt_gate *g, float threshold, int32_t classes);

/* The head's logits and label (as classify); returns 1 when the sample exits, setting *confidence,
 * 0 when it stays (*confidence then untouched when the margin decided). */
int32_t mtc_microt_decide(const mtc_microt_head *h, const float *features, float *logits, const mtc_microt_gate *g,
                          int32_t *label, float *confidence);

/* One step of stochastic gradient descent on the head's softmax cross-entropy for one sample
 * (features x, class label), taken in the standardized space z = (x - mean) * inv_sd and kept on the
 * raw-feature weights: with u = (x - mean) * inv_sd^2, s = sum_j u_j * mean_j and g = softmax - onehot,
 * weight[k][j] -= rate * g_k * u_j and bias[k] -= rate * g_k * (1 - s), exactly the step on the
 * standardized head. logits (classes) and u (features) are scratch. */
void mtc_microt_train_step(float *weight, float *bias, int32_t features, int32_t classes, const float *x,
                           int32_t label, float rate, const float *mean, const float *inv_sd, float *logits, float *u);

#endif
