// Moves an activation node into the op producing its input when that op's kernel can apply it
// (OpDef::fuses_activation) and nothing else reads the pre-activation tensor.
#include "ops/activation.h"
#include "ops/op.h"
#include "passes/pass.h"

namespace mtc {

static bool is_fusable_activation(const Graph &g, const Node &n) {
  static const char *kinds[] = {"Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh"};
  bool known = false;
  for (const char *k : kinds) known |= n.op == k;
  if (!known || n.inputs.empty() || n.inputs[0] == kNoTensor) return false;
  for (size_t i = 1; i < n.inputs.size(); ++i)  // Clip bounds must be known at compile time
    if (n.has_input(i) && !g.tensor(n.inputs[i]).is_constant()) return false;
  return g.tensor(n.inputs[0]).dtype == DType::F32;
}

static void fuse_activations(Graph &g, PassContext &) {
  std::vector<int> producer = g.producers();
  std::vector<int> uses = g.use_counts();
  std::vector<char> drop(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node &act = g.nodes[i];
    if (!is_fusable_activation(g, act)) continue;
    TensorId x = act.inputs[0];
    int p = producer[size_t(x)];
    if (p < 0 || drop[size_t(p)] || uses[size_t(x)] != 1 || g.is_graph_output(x)) continue;
    Node &prod = g.nodes[size_t(p)];
    const OpDef *def = OpRegistry::instance().find(prod.op);
    if (!def || !def->fuses_activation || prod.outputs.size() != 1) continue;
    if (!fused_activation(prod.attrs).kind.empty()) continue;
    set_fused_activation(prod.attrs, standalone_activation(g, act));
    prod.outputs[0] = act.outputs[0];
    drop[i] = 1;
  }
  std::vector<Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

MTC_REGISTER_PASS({"fuse-activations", "apply activations inside the producing kernel", fuse_activations})

}  // namespace mtc
