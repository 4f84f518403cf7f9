// The reference evaluator: runs the IR node by node with each operator's plain reference code.
// It is independent of the C runtime kernels, so "evaluator == generated C" checks the kernels.
#pragma once
#include <functional>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// Evaluates one node given its input values (nullptr for omitted inputs); returns its outputs with
// the types and shapes recorded in the graph.
std::vector<Value> evaluate_node(const Graph &g, const Node &n, const std::vector<const Value *> &ins);

// Runs the whole graph. `inputs` follow g.inputs in order; shapes and types must match.
std::vector<Value> evaluate_graph(const Graph &g, const std::vector<Value> &inputs);

// The same, calling `observe` with every graph input and node output as it is computed
// (calibration records activation ranges this way).
using TensorObserver = std::function<void(TensorId, const Value &)>;
std::vector<Value> evaluate_graph(const Graph &g, const std::vector<Value> &inputs, const TensorObserver &observe);

}  // namespace mtc
