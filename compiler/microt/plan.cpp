#include "microt/plan.h"

namespace mtc {

TensorId microt_final_features(const Graph &g) {
  if (g.outputs.size() != 1) return kNoTensor;
  const TensorId out = g.outputs[0];
  const Tensor &t = g.tensor(out);
  if (t.dtype == DType::I8 && t.quant && !t.quant->per_axis()) return out;
  const std::vector<int> producer = g.producers();
  const int p = producer[size_t(out)];
  if (p < 0) return kNoTensor;
  const Node &n = g.nodes[size_t(p)];
  if (n.op != "DequantizeLinear" || n.inputs.empty()) return kNoTensor;
  const Tensor &x = g.tensor(n.inputs[0]);
  return x.dtype == DType::I8 && x.quant && !x.quant->per_axis() ? n.inputs[0] : kNoTensor;
}

}  // namespace mtc
