// Calibration: runs the float graph on the user's samples and records, for every float tensor,
// its range (and, for the percentile and MSE calibrators, a histogram), then picks the range
// [lo, hi] each tensor is quantized over.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

enum class Calibrator { MinMax, Percentile, Mse };
Calibrator parse_calibrator(const std::string &name);  // throws for unknown names
const char *calibrator_name(Calibrator c);

struct TensorStats {
  bool seen = false;
  float min = 0.f, max = 0.f;
  uint64_t count = 0;
  std::vector<uint64_t> histogram;  // bins over [min, max], when requested
};

// Called with (samples done, total, phase) as calibration proceeds.
using ProgressFn = std::function<void(size_t, size_t, const char *)>;

// Stats indexed by TensorId (unseen for non-float tensors). Uses up to `threads` threads.
std::vector<TensorStats> collect_stats(const Graph &g, const std::vector<std::vector<Value>> &samples,
                                       bool histograms, const ProgressFn &progress, unsigned threads = 0);

// The real range to quantize a tensor over (always contains 0), and how many observed values fall
// outside it (they saturate).
void choose_range(const TensorStats &s, Calibrator c, float &lo, float &hi, uint64_t &saturated);

constexpr int kHistogramBins = 2048;

}  // namespace mtc
