#include "microt/search.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "microt/decision.h"
#include "support/error.h"

namespace mtc {

namespace {

// The head's confidence (max softmax probability) and prediction for one sample, as the device
// computes them.
void confidence(const LinearHead &h, const float *x, float &conf, int64_t &pred) {
  const HeadDecision d = classify(h, x);
  conf = d.confidence;
  pred = d.label;
}

}  // namespace

const ExitPoint *best_within_budget(const SplitResult &r, double full_accuracy, double max_drop) {
  const ExitPoint *best = nullptr;
  for (const ExitPoint &p : r.curve)
    if (p.accuracy >= full_accuracy - max_drop - 1e-12 && (!best || p.cost < best->cost)) best = &p;
  return best;
}

const ExitPoint &point_at_ratio(const SplitResult &r, double ratio) {
  const ExitPoint *at = &r.curve.front();
  for (const ExitPoint &p : r.curve)
    if (std::fabs(p.ratio - ratio) < std::fabs(at->ratio - ratio)) at = &p;
  return *at;
}

std::vector<TradeOff> pareto_front(const SplitSearch &s) {
  std::vector<TradeOff> all;
  for (size_t c = 0; c < s.splits.size(); ++c)
    for (size_t k = 0; k < s.splits[c].curve.size(); ++k)
      all.push_back({s.splits[c].curve[k].cost, s.splits[c].curve[k].accuracy, c, k});
  // by cost, then best accuracy first: a point is on the front when it beats every cheaper one
  std::sort(all.begin(), all.end(), [](const TradeOff &a, const TradeOff &b) {
    return a.cost != b.cost ? a.cost < b.cost : a.accuracy > b.accuracy;
  });
  std::vector<TradeOff> front;
  for (const TradeOff &t : all)
    if (front.empty() || t.accuracy > front.back().accuracy) front.push_back(t);
  return front;
}

float threshold_for_ratio(std::vector<float> confidences, double ratio) {
  if (confidences.empty() || ratio <= 0) return INFINITY;
  std::sort(confidences.begin(), confidences.end(), [](float a, float b) { return a > b; });
  const size_t k = std::min(confidences.size(), size_t(std::ceil(ratio * double(confidences.size()))));
  return k == 0 ? INFINITY : confidences[k - 1];
}

SplitSearch search_splits(const std::vector<SplitCandidate> &candidates, const StageCosts &costs,
                          const HeadFeatures &train, const std::vector<int64_t> &train_labels, const HeadFeatures &val,
                          const std::vector<int64_t> &val_labels, int64_t classes, const SearchOptions &opts) {
  const size_t nv = val_labels.size();
  if (nv == 0) throw CompileError("MicroT search: no validation samples");
  if (costs.part.size() != candidates.size()) throw CompileError("internal: MicroT costs do not match the candidates");
  SplitSearch s;
  s.full_head = train_logistic(train.full, train_labels, train.full_dim, classes, opts.logistic);
  std::vector<char> full_right(nv);
  for (size_t i = 0; i < nv; ++i) full_right[i] = classify(s.full_head, &val.full[i * size_t(val.full_dim)]).label == val_labels[i];
  s.full_accuracy = double(std::count(full_right.begin(), full_right.end(), 1)) / double(nv);
  const double full_head = costs.head(costs.final_elements, train.full_dim, classes);
  s.full_cost = costs.extractor + full_head;

  double best_cost = INFINITY;
  for (size_t c = 0; c < candidates.size(); ++c) {
    SplitResult r;
    r.split = candidates[c];
    const int64_t dim = train.part_dims[c];
    r.head = train_logistic(train.part[c], train_labels, dim, classes, opts.logistic);
    std::vector<float> conf(nv);
    std::vector<char> part_right(nv);
    for (size_t i = 0; i < nv; ++i) {
      int64_t pred = 0;
      confidence(r.head, &val.part[c][i * size_t(dim)], conf[i], pred);
      part_right[i] = pred == val_labels[i];
    }
    r.part_accuracy = double(std::count(part_right.begin(), part_right.end(), 1)) / double(nv);
    // int8 split activations: elements = bytes
    const double part_cost = costs.part[c] + costs.head(r.split.bytes, dim, classes);
    const double rest_cost = costs.extractor - costs.part[c] + full_head;
    r.part_cost = part_cost;
    for (int k = 0; k <= opts.ratio_steps; ++k) {
      ExitPoint p;
      p.ratio = double(k) / double(opts.ratio_steps);
      p.threshold = threshold_for_ratio(conf, p.ratio);
      size_t exits = 0, right = 0;
      for (size_t i = 0; i < nv; ++i) {
        const bool exit = conf[i] >= p.threshold;
        exits += exit;
        right += exit ? part_right[i] : full_right[i];
      }
      p.exit_share = double(exits) / double(nv);
      p.accuracy = double(right) / double(nv);
      p.cost = part_cost + (1.0 - p.exit_share) * rest_cost;
      r.curve.push_back(p);
    }
    const ExitPoint *best = best_within_budget(r, s.full_accuracy, opts.max_drop);
    if (best && best->cost < best_cost) {
      best_cost = best->cost;
      s.chosen = int(s.splits.size());
      s.chosen_ratio = best->ratio;
    }
    s.splits.push_back(std::move(r));
  }
  std::ostringstream why;
  if (s.chosen < 0) {
    why << "no split keeps the accuracy within " << opts.max_drop * 100 << " points of the full model's "
        << s.full_accuracy * 100 << "%";
  } else {
    const SplitResult &r = s.splits[size_t(s.chosen)];
    const ExitPoint &p = point_at_ratio(r, s.chosen_ratio);
    why << "split after step " << r.split.step << " at ratio " << s.chosen_ratio << ": expected cost "
        << p.cost / s.full_cost * 100 << "% of the full model's, accuracy " << p.accuracy * 100
        << "% (full model " << s.full_accuracy * 100 << "%, budget " << opts.max_drop * 100
        << " points): the least expected cost within the budget";
  }
  s.why = why.str();
  return s;
}

}  // namespace mtc
