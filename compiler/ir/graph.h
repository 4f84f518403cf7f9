// The graph IR: tensors with static shapes and types, and nodes kept in a valid execution order.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/attributes.h"
#include "ir/quant_params.h"

namespace mtc {

using TensorId = int;
constexpr TensorId kNoTensor = -1;  // an omitted optional input

struct Tensor {
  std::string name;  // from the model: untrusted, never emitted as C except escaped
  DType dtype = DType::Undefined;
  Shape shape;
  bool shape_known = false;
  std::optional<Value> constant;  // set for weights and folded values
  std::optional<QuantParams> quant;  // set for integer tensors that stand for real values
  bool is_constant() const { return constant.has_value(); }
};

struct Node {
  std::string op;    // operator name, e.g. "Conv"
  std::string name;  // from the model: untrusted
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;
  Attributes attrs;

  bool has_input(size_t i) const { return i < inputs.size() && inputs[i] != kNoTensor; }
};

class Graph {
public:
  std::string name;  // from the model: untrusted
  std::string source; // file the graph came from, for messages
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;  // always in an order where producers come before consumers
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;

  TensorId add_tensor(const std::string &name, DType t = DType::Undefined);
  TensorId add_constant(const std::string &name, Value v);
  Tensor &tensor(TensorId id) { return tensors.at(size_t(id)); }
  const Tensor &tensor(TensorId id) const { return tensors.at(size_t(id)); }

  // Index of the node producing each tensor (-1 for inputs, constants and unused ids).
  std::vector<int> producers() const;
  // How many node inputs and graph outputs read each tensor.
  std::vector<int> use_counts() const;
  bool is_graph_output(TensorId id) const;
  bool is_graph_input(TensorId id) const;

  // Reorders nodes topologically; throws CompileError naming a node on a cycle or reading a tensor
  // no one produces.
  void sort_topologically();
  // Drops nodes whose outputs nobody reads.
  void remove_dead_nodes();
  // Makes every reader of `from` read `to` instead (graph outputs included).
  void replace_uses(TensorId from, TensorId to);

  // "node 'name' (Op)" for error messages.
  std::string describe(const Node &n) const;
  std::string describe_tensor(TensorId id) const;
};

// Checks the structural invariants (ids in range, one producer per tensor, order, known shapes);
// throws CompileError with the first violation. Passes call it in tests after every pass.
void verify_graph(const Graph &g);

// Human-readable text dump of the graph, one line per node.
std::string dump_graph(const Graph &g);

}  // namespace mtc
