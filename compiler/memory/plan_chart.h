// Human- and machine-readable forms of a memory plan: a text chart (like TFLM's PrintMemoryPlan)
// and the JSON object of `compile --report`.
#pragma once
#include <ostream>
#include <string>

#include "ir/graph.h"
#include "memory/planner.h"

namespace mtc {

// One line per arena buffer (label, size, offset, steps, tensor name quoted), a timeline of steps x
// arena columns (about 64, each a fixed number of bytes) marking which buffer holds each part of
// the arena at each step, then arena size, lower bound and their ratio.
void print_memory_plan(const Graph &g, const MemoryPlan &plan, std::ostream &os);

// {"arena_bytes", "lower_bound", "order", "buffers": [{"name", "size", "offset", "first", "last"}]}
std::string memory_plan_json(const Graph &g, const MemoryPlan &plan);

}  // namespace mtc
