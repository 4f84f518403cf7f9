#include "microt/stage_costs.h"

#include "support/error.h"

namespace mtc {

double StageCosts::head(int64_t pooled_elements, int64_t features, int64_t classes) const {
  if (!model) return double(features * classes);
  return model->instructions(kMicrotHeadKernel, microt_head_shape(pooled_elements, features, classes));
}

StageCosts stage_costs(const Graph &g, const std::vector<SplitCandidate> &candidates, TensorId final_features,
                       const CostModel *model) {
  StageCosts s;
  s.model = model;
  std::vector<double> step(g.nodes.size(), 0.0);
  if (model) {
    s.unit = "instructions";
    s.estimated_by = std::string("instructions estimated by the ") + model->target + " cost model (" +
                     model->fitted_on + ")";
    step = step_instructions(g, *model);
  } else {
    s.unit = "MACs";
    s.estimated_by = "multiply-accumulates";
    for (size_t i = 0; i < g.nodes.size(); ++i) step[i] = double(layer_shape(g, g.nodes[i]).macs);
  }
  const std::vector<int> producers = g.producers();
  const int last = producers.at(size_t(final_features));
  if (last < 0) throw CompileError("internal: the MicroT features have no producer");
  for (int i = 0; i <= last; ++i) s.extractor += step[size_t(i)];
  s.final_elements = shape_elements(g.tensor(final_features).shape);
  for (const SplitCandidate &c : candidates) {
    double part = 0;
    for (int i = 0; i <= c.step; ++i) part += step[size_t(i)];
    s.part.push_back(part);
  }
  return s;
}

}  // namespace mtc
