// MicroT split points (docs/MICROT.md): where the extractor can be cut into a part model and the
// rest. The part model runs the nodes up to a step; the rest resumes from the one tensor that is
// live there, left in the arena, so nothing is recomputed.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

struct SplitCandidate {
  int step = 0;             // the part model runs nodes [0, step] of the graph's execution order
  TensorId tensor = kNoTensor;  // the only tensor live after it: the split activation
  int64_t bytes = 0;        // its size (what the arena keeps while the exit head runs)
  int64_t part_macs = 0;    // multiply-accumulates of nodes [0, step]
  int64_t total_macs = 0;   // of the whole graph
  bool poolable = false;    // [1, C, spatial...] or [1, C]: an exit head can pool it to C features
};

// Every step after which exactly one non-constant tensor is live, that is not a graph output, with
// multiply-accumulates before and after it, in execution order (g.nodes as emitted).
// Graph inputs count as live from the start; a graph output stays live to the end.
std::vector<SplitCandidate> split_candidates(const Graph &g);

}  // namespace mtc
