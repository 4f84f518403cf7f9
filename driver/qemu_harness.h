// The bare-metal harness that runs a compiled model on a Cortex-M QEMU board: inputs embedded as
// constant arrays, a marker call before and after each inference for the instruction counter,
// outputs printed over semihosting, and a stack high-water mark of the first inference.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// The marker function the instruction-count plugin snapshots at (harness symbol).
constexpr const char *kQemuMarkerSymbol = "mtc_marker";

// MicroT on-device training before the inferences: NAME_head_reset(task, from_zero), then
// `epochs` passes of NAME_train_step over the samples in order (the plan must be trainable).
struct MicrotTraining {
  std::vector<Value> inputs;  // one per sample: the model's one input
  std::vector<int32_t> labels;
  int epochs = 1;
  bool from_zero = true;
  float learning_rate = 0;  // > 0: NAME_set_learning_rate first
};

// Harness for `items` (one vector of input Values per item) of the bundle named `name`; with
// microt_task >= 0 it calls NAME_infer for that task and prints its result instead, after
// `training` when given.
std::string qemu_harness_source(const Graph &g, const std::string &name,
                                const std::vector<std::vector<Value>> &items, int32_t microt_task = -1,
                                const MicrotTraining *training = nullptr);

// Parsed harness output.
struct QemuHarnessOutput {
  std::vector<std::vector<Value>> outputs;
  int64_t stack_bytes = -1;
};

// Throws CompileError if an item or output is missing or malformed. With `microt`, each item's one
// output is NAME_infer's result as int32 [3]: label, stage, the confidence's float bits.
QemuHarnessOutput parse_qemu_harness_output(const Graph &g, size_t items, const std::string &text, bool microt = false);

}  // namespace mtc
