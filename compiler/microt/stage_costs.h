// What the pieces of a MicroT inference cost, in one unit: multiply-accumulates, or instructions
// estimated by a target's cost model (targets/cost_model.h), which energy is proportional to.
// The split search prices every candidate with them before anything is built.
#pragma once
#include <string>
#include <vector>

#include "microt/split_points.h"
#include "targets/cost_model.h"

namespace mtc {

struct StageCosts {
  std::string unit;             // "MACs" or "instructions"
  std::string estimated_by;     // one phrase for the reports
  std::vector<double> part;     // per candidate: the part model, every step up to the split
  double extractor = 0;         // every step up to the full heads' features (what NAME_infer can run)
  int64_t final_elements = 0;   // of the features the full heads pool
  const CostModel *model = nullptr;

  // An exit head: pooling `pooled_elements` int8 values to `features`, a linear layer to `classes`.
  double head(int64_t pooled_elements, int64_t features, int64_t classes) const;
};

// `model` nullptr: multiply-accumulates (the heads' too). Candidates must be int8 activations.
StageCosts stage_costs(const Graph &g, const std::vector<SplitCandidate> &candidates, TensorId final_features,
                       const CostModel *model);

}  // namespace mtc
