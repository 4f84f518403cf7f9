// `microtc inspect`: a per-layer table of the compiled graph.
#pragma once
#include <iosfwd>

#include "ir/graph.h"

namespace mtc {

// Bytes of the constant tensors the graph's nodes read (weights, biases), each counted once.
int64_t graph_constant_bytes(const Graph &g);
void print_inspect_table(const Graph &g, std::ostream &os);

}  // namespace mtc
