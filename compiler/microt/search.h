// MicroT split-point search (docs/MICROT.md): for each candidate split, a part head and the full
// head trained on the extractor's pooled features, the accuracy and expected cost of the adaptive
// model across stage-decision ratios, and the split that costs least within an accuracy budget.
#pragma once
#include <string>
#include <vector>

#include "microt/features.h"
#include "microt/logistic.h"
#include "microt/split_points.h"
#include "microt/stage_costs.h"

namespace mtc {

struct ExitPoint {
  double ratio = 0;      // share of validation samples asked to exit early
  float threshold = 0;   // the part head's confidence (max softmax probability) needed to exit
  double exit_share = 0; // share that does exit (ties can make it differ from the ratio)
  double accuracy = 0;   // of the adaptive model on the validation samples
  double cost = 0;       // expected cost per sample, heads included (StageCosts::unit)
};

struct SplitResult {
  SplitCandidate split;
  LinearHead head;       // the part head
  double part_accuracy = 0;
  double part_cost = 0;  // the part model and its head: every sample exits
  std::vector<ExitPoint> curve;  // ratios 0, 1/steps, ..., 1
};

struct SplitSearch {
  LinearHead full_head;
  double full_accuracy = 0, full_cost = 0;  // the full model alone (its head included)
  std::vector<SplitResult> splits;
  int chosen = -1;       // index into splits, -1 when none meets the accuracy budget
  double chosen_ratio = 0;
  std::string why;       // the choice in one sentence
};

struct SearchOptions {
  double max_drop = 0.01;  // accuracy the adaptive model may lose against the full model
  int ratio_steps = 20;
  LogisticOptions logistic;
};

// The (cost, accuracy) points no other point beats (lower or equal cost with higher accuracy, or
// lower cost with equal accuracy), sorted by cost: the Pareto front of the search's outcomes.
struct TradeOff {
  double cost = 0, accuracy = 0;
  size_t split = 0, point = 0;  // where it comes from: splits[split].curve[point]
};
std::vector<TradeOff> pareto_front(const SplitSearch &s);

// The cheapest point of r's curve whose accuracy stays within max_drop of full_accuracy (the first
// of equal costs), or nullptr; the point whose ratio is nearest `ratio` (the first of equals).
const ExitPoint *best_within_budget(const SplitResult &r, double full_accuracy, double max_drop);
const ExitPoint &point_at_ratio(const SplitResult &r, double ratio);

// The threshold that lets `ratio` of the confidences through (confidence >= threshold exits).
float threshold_for_ratio(std::vector<float> confidences, double ratio);

// features: head_features of the training samples (train) and the validation samples (val), with
// their labels; classes: label count; costs: stage_costs of the candidates.
SplitSearch search_splits(const std::vector<SplitCandidate> &candidates, const StageCosts &costs,
                          const HeadFeatures &train,
                          const std::vector<int64_t> &train_labels, const HeadFeatures &val,
                          const std::vector<int64_t> &val_labels, int64_t classes, const SearchOptions &opts = {});

}  // namespace mtc
