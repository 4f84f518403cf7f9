// Scratch memory a node's kernel needs while it runs (e.g. an im2col column). The kernel selection
// in compiler/codegen/kernels/ defines it, so the planner reserves exactly what the emitted call
// uses; the planner places it in the arena like a buffer live during that node only.
#pragma once
#include <cstdint>

#include "ir/graph.h"

namespace mtc {

int64_t node_scratch_bytes(const Graph &g, const Node &n);

}  // namespace mtc
