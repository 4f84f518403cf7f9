// Structural checks of the IR, run after import and (in tests) after every pass.
#include "ir/graph.h"
#include "support/error.h"

namespace mtc {

void verify_graph(const Graph &g) {
  const size_t nt = g.tensors.size();
  std::vector<char> defined(nt, 0);
  auto check_id = [&](TensorId id, const std::string &where) {
    if (id < 0 || size_t(id) >= nt)
      throw CompileError("IR verifier: " + where + " refers to tensor id " + std::to_string(id) +
                         " out of range");
  };
  for (TensorId i : g.inputs) {
    check_id(i, "graph input");
    defined[size_t(i)] = 1;
  }
  for (size_t t = 0; t < nt; ++t)
    if (g.tensors[t].is_constant()) defined[t] = 1;
  for (const Node &n : g.nodes) {
    for (TensorId i : n.inputs) {
      if (i == kNoTensor) continue;
      check_id(i, g.describe(n));
      if (!defined[size_t(i)])
        throw CompileError("IR verifier: " + g.describe(n) + " reads " + g.describe_tensor(i) +
                           " before it is produced");
    }
    for (TensorId o : n.outputs) {
      if (o == kNoTensor) continue;
      check_id(o, g.describe(n));
      if (defined[size_t(o)])
        throw CompileError("IR verifier: " + g.describe_tensor(o) + " has more than one producer (" +
                           g.describe(n) + ")");
      defined[size_t(o)] = 1;
      const Tensor &t = g.tensor(o);
      if (!t.shape_known || t.dtype == DType::Undefined)
        throw CompileError("IR verifier: " + g.describe_tensor(o) + " produced by " + g.describe(n) +
                           " has no known type and shape");
    }
  }
  for (TensorId o : g.outputs) {
    check_id(o, "graph output");
    if (!defined[size_t(o)])
      throw CompileError("IR verifier: graph output " + g.describe_tensor(o) + " is never produced");
  }
}

}  // namespace mtc
