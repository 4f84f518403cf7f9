// What the C emitter needs to generate MicroT's stage decision (codegen/module_writer.cpp): the
// split activation, the features the full head pools, and each task's heads and threshold.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "microt/logistic.h"

namespace mtc {

struct MicrotTaskHeads {
  std::string name;
  LinearHead part, full;
  float threshold = INFINITY;  // the part head's confidence needed to exit (a run-time setting)
};

struct MicrotPlan {
  TensorId split = kNoTensor;           // int8 [1, C, ...], produced by the part model's last step
  TensorId final_features = kNoTensor;  // int8 [1, C, ...], pooled by the full heads
  std::vector<MicrotTaskHeads> tasks;
  // NAME_train_step and NAME_head_reset: the heads live in RAM (copied from the compiled weights
  // on first use), trained on the device by SGD
  bool trainable = false;
  float learning_rate = 0.05f;  // the default of NAME_set_learning_rate
};

// The int8 tensor the full heads pool: the graph's only output when it is int8, or the int8 input
// of the DequantizeLinear that produces it (the float output is then never needed by a head);
// kNoTensor when the extractor does not end in int8.
TensorId microt_final_features(const Graph &g);

}  // namespace mtc
