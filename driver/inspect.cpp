// Layer table: op, shapes, parameters (constant inputs' elements), MACs, and totals.
#include "driver/inspect.h"

#include <iomanip>
#include <ostream>
#include <set>

#include "memory/planner.h"
#include "ops/activation.h"
#include "ops/op.h"
#include "support/error.h"

namespace mtc {

int64_t graph_constant_bytes(const Graph &g) {
  std::set<TensorId> seen;
  int64_t bytes = 0;
  for (const Node &n : g.nodes)
    for (TensorId id : n.inputs) {
      if (id == kNoTensor || !g.tensor(id).constant || !seen.insert(id).second) continue;
      bytes += int64_t(g.tensor(id).constant->bytes.size());
    }
  return bytes;
}

void print_inspect_table(const Graph &g, std::ostream &os) {
  os << std::left << std::setw(4) << "#" << std::setw(20) << "op" << std::setw(24) << "inputs" << std::setw(18)
     << "output" << std::right << std::setw(10) << "params" << std::setw(12) << "MACs" << "  name\n";
  int64_t total_macs = 0, total_params = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node &n = g.nodes[i];
    std::string ins, op = n.op;
    int64_t params = 0;
    for (TensorId t : n.inputs) {
      if (t == kNoTensor) continue;
      const Tensor &tensor = g.tensor(t);
      if (tensor.is_constant()) params += shape_elements(tensor.shape);
      else ins += (ins.empty() ? "" : " ") + shape_str(tensor.shape);
    }
    Activation act = fused_activation(n.attrs);
    if (!act.kind.empty()) op += "+" + act.kind;
    std::string out = n.outputs.empty() || n.outputs[0] == kNoTensor ? "" : shape_str(g.tensor(n.outputs[0]).shape);
    int64_t macs = node_macs(g, n);
    total_macs += macs;
    total_params += params;
    os << std::left << std::setw(4) << i << std::setw(20) << op << std::setw(24) << ins << std::setw(18) << out
       << std::right << std::setw(10) << params << std::setw(12) << macs << "  " << quote_name(n.name) << "\n";
  }
  MemoryPlan plan = plan_memory(g);
  os << "total: " << g.nodes.size() << " layers, " << total_params << " parameters, " << total_macs
     << " MACs, arena " << plan.arena_size << " bytes (lower bound " << plan.lower_bound << ")\n";
}

}  // namespace mtc
