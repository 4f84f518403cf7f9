// An I8ToU8 followed by U8ToI8 gives back the int8 tensor it started from: readers of the second
// read the first, so chains of imported uint8 int8-ops stay int8 between them.
#include "passes/pass.h"

namespace mtc {

static void cancel_sign_flips(Graph &g, PassContext &) {
  std::vector<int> producer = g.producers();
  bool changed = false;
  for (const Node &n : g.nodes) {
    if (n.op != "U8ToI8" || !n.has_input(0) || n.outputs.empty()) continue;
    int p = producer[size_t(n.inputs[0])];
    if (p < 0 || g.nodes[size_t(p)].op != "I8ToU8") continue;
    TensorId original = g.nodes[size_t(p)].inputs[0], twin = n.outputs[0];
    const Tensor &a = g.tensor(original), &b = g.tensor(twin);
    if (a.quant.has_value() != b.quant.has_value() || (a.quant && *a.quant != *b.quant)) continue;
    if (g.is_graph_output(twin)) continue;
    g.replace_uses(twin, original);
    changed = true;
  }
  if (changed) g.remove_dead_nodes();
}

MTC_REGISTER_PASS({"cancel-sign-flips", "drop I8ToU8 -> U8ToI8 round trips between int8 ops", cancel_sign_flips})

}  // namespace mtc
