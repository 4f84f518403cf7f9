// Text dump of the IR for --print-after-each and tests.
#include <sstream>

#include "ir/graph.h"
#include "support/error.h"

namespace mtc {

static std::string tensor_text(const Graph &g, TensorId id) {
  if (id == kNoTensor) return "_";
  const Tensor &t = g.tensor(id);
  std::string s = "%" + std::to_string(id) + ":" + dtype_name(t.dtype) + shape_str(t.shape);
  if (t.is_constant()) s += "(const)";
  if (t.quant) s += "{" + quant_str(*t.quant) + "}";
  return s;
}

std::string dump_graph(const Graph &g) {
  std::ostringstream os;
  os << "graph " << quote_name(g.name) << " inputs(";
  for (size_t i = 0; i < g.inputs.size(); ++i) os << (i ? ", " : "") << tensor_text(g, g.inputs[i]);
  os << ")\n";
  for (const Node &n : g.nodes) {
    os << "  ";
    for (size_t i = 0; i < n.outputs.size(); ++i) os << (i ? ", " : "") << tensor_text(g, n.outputs[i]);
    os << " = " << n.op << "(";
    for (size_t i = 0; i < n.inputs.size(); ++i) os << (i ? ", " : "") << tensor_text(g, n.inputs[i]);
    os << ")";
    for (const auto &[k, v] : n.attrs.all()) os << " " << k << "=" << attr_to_string(v);
    os << "  # " << quote_name(n.name) << "\n";
  }
  os << "  return ";
  for (size_t i = 0; i < g.outputs.size(); ++i) os << (i ? ", " : "") << tensor_text(g, g.outputs[i]);
  os << "\n";
  return os.str();
}

}  // namespace mtc
