// Which nodes may write their output over one of their inputs (in-place execution), the one place
// that lists them: an op is allowed only if its C kernel reads element i before writing element i.
#pragma once
#include <cstddef>

#include "ir/graph.h"

namespace mtc {

// True if node n's C kernel stays correct when output 0 shares storage with input `input_index`.
// Only checks the op and the shapes/dtypes; the planner adds the lifetime and storage conditions
// (the input's last use is n, it lives in the arena). Default false for unlisted ops.
bool node_can_run_in_place(const Graph &g, const Node &n, size_t input_index);

}  // namespace mtc
