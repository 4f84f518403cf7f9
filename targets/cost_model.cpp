#include "targets/cost_model.h"

#include <cstring>

#include "codegen/c_emitter.h"
#include "ops/op.h"

namespace mtc {

// targets/cost_tables.cpp (generated)
const std::vector<CostModel> &fitted_cost_models();

LayerShape layer_shape(const Graph &g, const Node &n) {
  LayerShape s;
  s.macs = node_macs(g, n);
  for (TensorId t : n.inputs)
    if (t != kNoTensor && !g.tensor(t).is_constant()) s.input_elements += shape_elements(g.tensor(t).shape);
  for (TensorId t : n.outputs)
    if (t != kNoTensor) s.output_elements += shape_elements(g.tensor(t).shape);
  const Shape &out = g.tensor(n.outputs.at(0)).shape;
  s.patch_elements = out.size() >= 2 && out[1] > 0 ? s.macs / out[1] : s.macs;
  std::vector<int64_t> window, stride;
  if (n.attrs.has("kernel_shape")) {
    window = n.attrs.get_ints("kernel_shape");
  } else if (n.inputs.size() > 1 && n.inputs[1] != kNoTensor && g.tensor(n.inputs[1]).is_constant()) {
    const Shape &w = g.tensor(n.inputs[1]).shape;
    if (w.size() >= 3) window.assign(w.begin() + 2, w.end());
  }
  if (n.attrs.has("strides")) stride = n.attrs.get_ints("strides");
  for (size_t i = 0; i < window.size(); ++i) s.variant += (i ? "x" : "") + std::to_string(window[i]);
  bool strided = false;
  for (int64_t v : stride) strided |= v != 1;
  if (!window.empty() && strided) s.variant += "/s" + std::to_string(stride[0]);
  return s;
}

LayerShape microt_head_shape(int64_t pooled_elements, int64_t features, int64_t classes) {
  LayerShape s;
  s.macs = features * classes;
  s.input_elements = pooled_elements;
  s.output_elements = classes;
  s.patch_elements = features;
  return s;
}

const KernelCost &CostModel::for_kernel(const std::string &kernel, const std::string &variant) const {
  const std::string both = kernel + ":" + variant;
  for (const KernelCost &k : kernels)
    if (!variant.empty() && both == k.kernel) return k;
  for (const KernelCost &k : kernels)
    if (kernel == k.kernel) return k;
  return other;
}

double CostModel::instructions(const std::string &kernel, const LayerShape &s) const {
  const KernelCost &k = for_kernel(kernel, s.variant);
  return k.fixed + k.per_mac * double(s.macs) + k.per_input * double(s.input_elements) +
         k.per_output * double(s.output_elements) + k.per_patch * double(s.patch_elements);
}

const CostModel *find_cost_model(const std::string &target) {
  for (const CostModel &m : fitted_cost_models())
    if (target == m.target) return &m;
  return nullptr;
}

std::vector<double> step_instructions(const Graph &g, const CostModel &model) {
  std::vector<double> cost(g.nodes.size(), 0.0);
  for (const EmittedLayer &l : emit_c_bundle(g, "model").layers)
    cost[size_t(l.step)] = model.instructions(l.kernel, layer_shape(g, g.nodes[size_t(l.step)]));
  return cost;
}

}  // namespace mtc
