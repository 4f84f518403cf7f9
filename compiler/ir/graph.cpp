// Graph bookkeeping: tensor creation, use counts, topological order, dead-node removal.
#include "ir/graph.h"

#include <algorithm>

#include "support/error.h"

namespace mtc {

TensorId Graph::add_tensor(const std::string &n, DType t) {
  Tensor tensor;
  tensor.name = n;
  tensor.dtype = t;
  tensors.push_back(std::move(tensor));
  return TensorId(tensors.size() - 1);
}

TensorId Graph::add_constant(const std::string &n, Value v) {
  TensorId id = add_tensor(n, v.dtype);
  Tensor &t = tensor(id);
  t.shape = v.shape;
  t.shape_known = true;
  t.constant = std::move(v);
  return id;
}

std::vector<int> Graph::producers() const {
  std::vector<int> p(tensors.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i)
    for (TensorId o : nodes[i].outputs)
      if (o != kNoTensor) p[size_t(o)] = int(i);
  return p;
}

std::vector<int> Graph::use_counts() const {
  std::vector<int> uses(tensors.size(), 0);
  for (const Node &n : nodes)
    for (TensorId i : n.inputs)
      if (i != kNoTensor) uses[size_t(i)]++;
  for (TensorId o : outputs) uses[size_t(o)]++;
  return uses;
}

bool Graph::is_graph_output(TensorId id) const {
  return std::find(outputs.begin(), outputs.end(), id) != outputs.end();
}

bool Graph::is_graph_input(TensorId id) const {
  return std::find(inputs.begin(), inputs.end(), id) != inputs.end();
}

std::string Graph::describe(const Node &n) const {
  return "node " + quote_name(n.name) + " (" + n.op + ")";
}

std::string Graph::describe_tensor(TensorId id) const {
  return "tensor " + quote_name(tensor(id).name);
}

void Graph::sort_topologically() {
  std::vector<int> producer = producers();
  std::vector<char> available(tensors.size(), 0);
  for (TensorId i : inputs) available[size_t(i)] = 1;
  for (size_t t = 0; t < tensors.size(); ++t)
    if (tensors[t].is_constant()) available[t] = 1;

  // Kahn's algorithm, keeping the original order among ready nodes so the output is stable.
  std::vector<int> missing(nodes.size(), 0);
  std::vector<std::vector<int>> readers(tensors.size());
  for (size_t n = 0; n < nodes.size(); ++n) {
    for (TensorId i : nodes[n].inputs) {
      if (i == kNoTensor || available[size_t(i)]) continue;
      if (producer[size_t(i)] < 0)
        throw CompileError(describe(nodes[n]) + " reads " + describe_tensor(i) +
                           ", which is neither a graph input, an initializer nor produced by any node");
      missing[n]++;
      readers[size_t(i)].push_back(int(n));
    }
  }
  std::vector<int> order;
  std::vector<char> done(nodes.size(), 0);
  std::vector<int> ready;
  for (size_t n = 0; n < nodes.size(); ++n)
    if (missing[n] == 0) ready.push_back(int(n));
  while (!ready.empty()) {
    std::sort(ready.begin(), ready.end(), std::greater<int>());
    int n = ready.back();
    ready.pop_back();
    order.push_back(n);
    done[size_t(n)] = 1;
    for (TensorId o : nodes[size_t(n)].outputs) {
      if (o == kNoTensor) continue;
      for (int r : readers[size_t(o)])
        if (--missing[size_t(r)] == 0) ready.push_back(r);
      readers[size_t(o)].clear();
    }
  }
  if (order.size() != nodes.size()) {
    for (size_t n = 0; n < nodes.size(); ++n)
      if (!done[n])
        throw CompileError("the graph has a cycle: " + describe(nodes[n]) +
                           " depends (directly or indirectly) on its own output");
  }
  std::vector<Node> sorted;
  sorted.reserve(nodes.size());
  for (int n : order) sorted.push_back(std::move(nodes[size_t(n)]));
  nodes = std::move(sorted);
}

void Graph::remove_dead_nodes() {
  bool changed = true;
  while (changed) {
    changed = false;
    std::vector<int> uses = use_counts();
    std::vector<Node> kept;
    for (Node &n : nodes) {
      bool live = false;
      for (TensorId o : n.outputs)
        if (o != kNoTensor && uses[size_t(o)] > 0) live = true;
      if (live) kept.push_back(std::move(n));
      else changed = true;
    }
    nodes = std::move(kept);
  }
}

void Graph::replace_uses(TensorId from, TensorId to) {
  for (Node &n : nodes)
    for (TensorId &i : n.inputs)
      if (i == from) i = to;
  for (TensorId &o : outputs)
    if (o == from) o = to;
}

}  // namespace mtc
