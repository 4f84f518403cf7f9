// A Softmax over dequantized int8 logits reads the int8 tensor itself (QSoftmax): the float logits
// are never stored (one buffer less) and the model links one kernel instead of two. QSoftmax
// computes exactly what the pair did (ops/quantized/qsoftmax.cpp).
#include "passes/fuse_dequantize_softmax.h"

#include <cmath>

#include "passes/pass.h"

namespace mtc {

int fuse_dequantize_softmax(Graph &g) {
  const std::vector<int> producer = g.producers(), uses = g.use_counts();
  int fused = 0;
  for (Node &sm : g.nodes) {
    if (sm.op != "Softmax" || sm.inputs.size() != 1 || sm.outputs.size() != 1 || !sm.has_input(0)) continue;
    const TensorId logits = sm.inputs[0];
    const int p = producer[size_t(logits)];
    if (p < 0 || uses[size_t(logits)] != 1 || g.is_graph_output(logits)) continue;
    const Node &dq = g.nodes[size_t(p)];
    if (dq.op != "DequantizeLinear" || dq.inputs.size() != 3 || !dq.has_input(0) || !dq.has_input(1) ||
        !dq.has_input(2))
      continue;
    const Tensor &x = g.tensor(dq.inputs[0]), &scale = g.tensor(dq.inputs[1]), &zp = g.tensor(dq.inputs[2]);
    if (x.dtype != DType::I8 || !scale.is_constant() || scale.dtype != DType::F32 || shape_elements(scale.shape) != 1 ||
        !zp.is_constant() || zp.dtype != DType::I8 || shape_elements(zp.shape) != 1)
      continue;
    // a positive finite scale keeps the int8 order (the kernel takes the maximum in integers)
    const float s = scale.constant->data<float>()[0];
    if (!(s > 0.f) || !std::isfinite(s)) continue;
    sm.op = "QSoftmax";
    sm.inputs = dq.inputs;
    ++fused;
  }
  // the DequantizeLinear nodes are read by nothing now
  if (fused) g.remove_dead_nodes();
  return fused;
}

MTC_REGISTER_PASS({"fuse-dequantize-softmax", "Softmax over dequantized int8 logits into one kernel call",
                   [](Graph &g, PassContext &) { fuse_dequantize_softmax(g); }})

}  // namespace mtc
