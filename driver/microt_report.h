// The MicroT split search's report: OUT/microt_report.md and .json, a plot per task, and the
// summary line per task. Costs in the search's unit; with a target's cost model also energy (uJ)
// from the target's board profile.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "microt/search.h"
#include "microt/stage_costs.h"
#include "targets/target.h"

namespace mtc {

struct MicrotTaskSummary {
  std::string name, file;
  size_t train_samples = 0, val_samples = 0;
  int64_t classes = 0;
};

struct MicrotSearchReport {
  const Graph *graph = nullptr;
  std::vector<SplitCandidate> candidates;
  StageCosts costs;
  std::vector<MicrotTaskSummary> tasks;
  std::vector<SplitSearch> results;  // per task, splits in candidate order
  int chosen = -1;                   // candidate index, -1 for none
  double ratio = 0.5, max_drop_points = 1;
  const TargetInfo *target = nullptr;  // energy when the costs are instructions
};

// "12.3%" for 0.123: the reports' and the logs' percentages.
std::string percent(double share);

void write_microt_report(const MicrotSearchReport &r, const std::string &out_dir, std::ostream &log);

}  // namespace mtc
