// Identity and inference-mode Dropout pass their input through unchanged: readers use the input.
#include "passes/pass.h"

namespace mtc {

static void remove_identities(Graph &g, PassContext &) {
  for (Node &n : g.nodes) {
    if (n.op != "Identity" && n.op != "Dropout") continue;
    if (n.inputs.empty() || n.outputs.empty() || n.inputs[0] == kNoTensor) continue;
    g.replace_uses(n.outputs[0], n.inputs[0]);
  }
  g.remove_dead_nodes();
}

MTC_REGISTER_PASS({"remove-identities", "bypass Identity and inference-mode Dropout", remove_identities})

}  // namespace mtc
