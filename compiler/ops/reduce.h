// The Reduce* operators' kinds and axes, shared by their shape inference, reference evaluation and
// C emitter.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

enum class ReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

ReduceKind reduce_kind(const std::string &op);

// Fills reduced[d] for every input axis d of a rank-`rank` input from the node's axes (constant input
// 1 if present, else attribute "axes"; `axes_input` is that input's value or nullptr) and
// noop_with_empty_axes. Returns "" on success, else why the axes are invalid.
std::string reduce_axes(const Node &n, const Value *axes_input, int64_t rank, std::vector<bool> &reduced);

}  // namespace mtc
