// Batches of model inputs read from data files: the first axis of a file is the batch.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// Splits X (B, ...) into B items shaped like the model input (with or without its leading 1);
// X must already have the input's element type. `file` names X in errors.
std::vector<Value> split_batch(const Value &x, const Tensor &input, const std::string &file);

}  // namespace mtc
