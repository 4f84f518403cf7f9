// Execution order for memory: where a graph branches (residual blocks, multi-branch cells), the
// order in which the branches run decides which tensors are alive together. Candidate orders
// are planned in full and the one with the smallest arena is kept.
#pragma once
#include <string>

#include "ir/graph.h"

namespace mtc {

struct ScheduleResult {
  int64_t arena_before = 0, arena_after = 0;
  std::string order;  // "model order" or the heuristic that won
};

// Reorders g.nodes (always a valid topological order) when another order gives a smaller
// arena; ties keep the model's order. Deterministic.
ScheduleResult schedule_for_memory(Graph &g);

}  // namespace mtc
