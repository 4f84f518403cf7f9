// Multinomial logistic regression for MicroT's exit heads (docs/MICROT.md): softmax over a linear
// layer on pooled features, trained by the compiler on the features the int8 extractor produces.
// Deterministic (full-batch, fixed iteration count, no random numbers) and fast enough for a few
// thousand samples of a few hundred features.
#pragma once
#include <cstdint>
#include <vector>

namespace mtc {

// A linear classifier: logits[k] = bias[k] + sum_j weight[k * features + j] * x[j].
struct LinearHead {
  int64_t features = 0, classes = 0;
  std::vector<float> weight, bias;
  // The standardization training used, z = (x - feature_mean) * feature_inv_sd: on-device training
  // takes its steps in that space (empty for a head made by hand).
  std::vector<float> feature_mean, feature_inv_sd;
  std::vector<float> logits(const float *x) const;
  int64_t predict(const float *x) const;
};

struct LogisticOptions {
  double l2 = 1e-3;       // penalty on the weights (standardized features), not on the bias
  int iterations = 400;   // accelerated gradient steps
};

// Trains on n samples (x: n * features, row-major; labels in [0, classes)). Features are
// standardized inside and the scaling folded back into the weights, so the head applies to raw
// features. Throws CompileError on a label out of range or an empty set.
LinearHead train_logistic(const std::vector<float> &x, const std::vector<int64_t> &labels, int64_t features,
                          int64_t classes, const LogisticOptions &opts = {});

// The mean softmax cross-entropy of the head on the samples plus opts.l2 / 2 * |w|^2 on the
// standardized scale is what training minimizes; this is the plain mean cross-entropy (for tests
// and reports).
double cross_entropy(const LinearHead &h, const std::vector<float> &x, const std::vector<int64_t> &labels);
double accuracy(const LinearHead &h, const std::vector<float> &x, const std::vector<int64_t> &labels);

}  // namespace mtc
