// The MicroT tests' real task: a small int8 convolutional extractor on scikit-learn's digits
// (tests/fixtures/digits), quantized on 32 of them.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"
#include "microt/features.h"
#include "microt/plan.h"
#include "microt/split_points.h"

namespace mtc::test {

// x [1, 1, 8, 8] -> conv 3x3 (8) relu -> conv 3x3 (16) relu -> conv 3x3 stride 2 (32) relu: the
// extractor's output is the last feature map. Random weights (He-like scale), fixed seed. ONNX bytes.
std::string digits_extractor();

// The digits fixture and the extractor quantized on 32 of them.
struct DigitsSetup {
  Value xs, ys;
  Graph g;

  DigitsSetup();
  // sample i, grey levels scaled to [0, 1]
  std::vector<Value> sample(int64_t i) const;
};

// A one-task plan (task "digits", 10 classes) split at `split`, its heads fitted by train_logistic
// on features f (f.part[0]: of the split) with the labels.
MicrotPlan digits_plan(const SplitCandidate &split, TensorId final_features, const HeadFeatures &f,
                       const std::vector<int64_t> &labels, float threshold);

}  // namespace mtc::test
