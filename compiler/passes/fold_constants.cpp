// Shape inference over the whole graph, folding every node whose inputs are all constants.
#include "eval/evaluator.h"
#include "ops/op.h"
#include "passes/pass.h"

namespace mtc {

// Folding a node whose output is huge would bloat flash with a copy of data that a kernel could
// compute; weights are far below this.
static constexpr int64_t kMaxFoldedBytes = int64_t(64) << 20;

void infer_and_fold(Graph &g) {
  g.sort_topologically();
  std::vector<Node> kept;
  for (Node &n : g.nodes) {
    infer_node(g, n);
    bool outputs_constant = true;
    for (TensorId o : n.outputs)
      if (o != kNoTensor && !g.tensor(o).is_constant()) outputs_constant = false;
    if (outputs_constant) continue;  // set during inference (Shape, Size)

    bool inputs_constant = true;
    int64_t out_bytes = 0;
    for (TensorId i : n.inputs)
      if (i != kNoTensor && !g.tensor(i).is_constant()) inputs_constant = false;
    for (TensorId o : n.outputs)
      if (o != kNoTensor)
        out_bytes += shape_elements(g.tensor(o).shape) * int64_t(dtype_size(g.tensor(o).dtype));
    if (inputs_constant && out_bytes <= kMaxFoldedBytes) {
      std::vector<const Value *> ins;
      for (TensorId i : n.inputs) ins.push_back(i == kNoTensor ? nullptr : &*g.tensor(i).constant);
      std::vector<Value> outs = evaluate_node(g, n, ins);
      for (size_t k = 0; k < n.outputs.size(); ++k)
        if (n.outputs[k] != kNoTensor) g.tensor(n.outputs[k]).constant = std::move(outs[k]);
      continue;
    }
    kept.push_back(std::move(n));
  }
  g.nodes = std::move(kept);
}

MTC_REGISTER_PASS({"fold-constants", "infer shapes; evaluate nodes whose inputs are constants",
                   [](Graph &g, PassContext &) { infer_and_fold(g); }})

MTC_REGISTER_PASS({"remove-dead-nodes", "drop nodes whose outputs nobody reads",
                   [](Graph &g, PassContext &) { g.remove_dead_nodes(); }})

}  // namespace mtc
