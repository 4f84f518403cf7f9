#include "quant/calibrate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "eval/evaluator.h"
#include "support/error.h"

namespace mtc {

Calibrator parse_calibrator(const std::string &name) {
  if (name == "minmax") return Calibrator::MinMax;
  if (name == "percentile") return Calibrator::Percentile;
  if (name == "mse") return Calibrator::Mse;
  throw CompileError("unknown calibrator '" + name + "' (minmax, percentile, mse)");
}

const char *calibrator_name(Calibrator c) {
  return c == Calibrator::MinMax ? "minmax" : c == Calibrator::Percentile ? "percentile" : "mse";
}

namespace {

bool observed(const Graph &g, TensorId id) { return g.tensor(id).dtype == DType::F32 && !g.tensor(id).is_constant(); }

// One pass over a slice of the samples.
void run_slice(const Graph &g, const std::vector<std::vector<Value>> &samples, size_t begin, size_t end,
               const std::vector<TensorStats> *ranges, std::vector<TensorStats> &out, std::atomic<size_t> &done) {
  for (size_t k = begin; k < end; ++k) {
    evaluate_graph(g, samples[k], [&](TensorId id, const Value &v) {
      if (!observed(g, id)) return;
      TensorStats &s = out[size_t(id)];
      const float *p = v.data<float>();
      size_t n = v.bytes.size() / 4;
      if (!ranges) {
        for (size_t i = 0; i < n; ++i) {
          float x = p[i];
          if (!std::isfinite(x)) continue;
          if (!s.seen) s.min = s.max = x, s.seen = true;
          s.min = std::min(s.min, x);
          s.max = std::max(s.max, x);
        }
        s.count += n;
        return;
      }
      const TensorStats &r = (*ranges)[size_t(id)];
      if (!r.seen) return;
      if (s.histogram.empty()) s.histogram.assign(kHistogramBins, 0);
      double width = double(r.max) - double(r.min);
      for (size_t i = 0; i < n; ++i) {
        if (!std::isfinite(p[i])) continue;
        int b = width > 0 ? int((double(p[i]) - r.min) / width * kHistogramBins) : 0;
        s.histogram[size_t(std::clamp(b, 0, kHistogramBins - 1))]++;
      }
    });
    ++done;
  }
}

std::vector<TensorStats> run_pass(const Graph &g, const std::vector<std::vector<Value>> &samples,
                                  const std::vector<TensorStats> *ranges, const ProgressFn &progress,
                                  unsigned threads, const char *phase) {
  size_t n = samples.size(), workers = std::max<size_t>(1, std::min<size_t>(threads, n));
  std::vector<std::vector<TensorStats>> parts(workers, std::vector<TensorStats>(g.tensors.size()));
  std::vector<std::atomic<size_t>> done(workers);
  for (auto &d : done) d = 0;
  std::vector<std::thread> pool;
  std::vector<std::string> errors(workers);
  for (size_t w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      try {
        run_slice(g, samples, n * w / workers, n * (w + 1) / workers, ranges, parts[w], done[w]);
      } catch (const std::exception &e) {
        errors[w] = e.what();
      }
    });
  if (progress) {
    for (;;) {
      size_t total = 0;
      for (const auto &d : done) total += d.load();
      progress(total, n, phase);
      if (total >= n) break;
      bool any_error = false;
      for (const auto &e : errors) any_error = any_error || !e.empty();
      if (any_error) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  for (auto &t : pool) t.join();
  for (const auto &e : errors)
    if (!e.empty()) throw CompileError("calibration: " + e);
  std::vector<TensorStats> merged = std::move(parts[0]);
  for (size_t w = 1; w < workers; ++w)
    for (size_t t = 0; t < merged.size(); ++t) {
      TensorStats &m = merged[t];
      const TensorStats &p = parts[w][t];
      if (!ranges && p.seen) {
        if (!m.seen) m.min = p.min, m.max = p.max, m.seen = true;
        m.min = std::min(m.min, p.min);
        m.max = std::max(m.max, p.max);
      }
      m.count += p.count;
      if (!p.histogram.empty()) {
        if (m.histogram.empty()) m.histogram.assign(kHistogramBins, 0);
        for (int b = 0; b < kHistogramBins; ++b) m.histogram[size_t(b)] += p.histogram[size_t(b)];
      }
    }
  return merged;
}

// Squared quantization error over the histogram for the range [lo, hi] (255 steps).
double range_error(const TensorStats &s, double lo, double hi) {
  double width = double(s.max) - double(s.min), step = (hi - lo) / 255.0, err = 0.0;
  for (int b = 0; b < kHistogramBins; ++b) {
    if (!s.histogram[size_t(b)]) continue;
    double v = s.min + (b + 0.5) * width / kHistogramBins;
    double q = std::clamp(std::round((v - lo) / step), 0.0, 255.0) * step + lo;
    err += double(s.histogram[size_t(b)]) * (v - q) * (v - q);
  }
  return err;
}

}  // namespace

std::vector<TensorStats> collect_stats(const Graph &g, const std::vector<std::vector<Value>> &samples,
                                       bool histograms, const ProgressFn &progress, unsigned threads) {
  if (samples.empty()) throw CompileError("calibration needs at least one sample");
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<TensorStats> stats = run_pass(g, samples, nullptr, progress, threads, "ranges");
  if (!histograms) return stats;
  std::vector<TensorStats> hist = run_pass(g, samples, &stats, progress, threads, "histograms");
  for (size_t t = 0; t < stats.size(); ++t) stats[t].histogram = std::move(hist[t].histogram);
  return stats;
}

void choose_range(const TensorStats &s, Calibrator c, float &lo, float &hi, uint64_t &saturated) {
  saturated = 0;
  lo = std::min(s.min, 0.f);
  hi = std::max(s.max, 0.f);
  if (c == Calibrator::MinMax || s.histogram.empty() || !(s.max > s.min)) return;
  double width = double(s.max) - double(s.min);
  auto edge = [&](int b) { return float(double(s.min) + width * b / kHistogramBins); };
  uint64_t total = 0;
  for (uint64_t h : s.histogram) total += h;
  int first = 0, last = kHistogramBins;  // kept bins [first, last)
  if (c == Calibrator::Percentile) {
    // Drop at most 0.01% of the values from each tail.
    uint64_t budget = total / 10000, acc = 0;
    while (first < kHistogramBins - 1 && acc + s.histogram[size_t(first)] <= budget) acc += s.histogram[size_t(first++)];
    acc = 0;
    while (last > first + 1 && acc + s.histogram[size_t(last - 1)] <= budget) acc += s.histogram[size_t(--last)];
  } else {
    // Shrink both ends toward the bins holding zero, keeping the range with the least squared error.
    double best = range_error(s, lo, hi);
    int best_first = 0, best_last = kHistogramBins;
    for (int k = 1; k <= 64; ++k) {
      double f = 1.0 - k / 80.0;  // keep 98.75% .. 20% of each side
      int f_bin = int(std::floor(kHistogramBins * (0.0 - s.min) / width * (1.0 - f)));
      int l_bin = kHistogramBins - int(std::floor(kHistogramBins * (s.max - 0.0) / width * (1.0 - f)));
      f_bin = std::clamp(f_bin, 0, kHistogramBins - 1);
      l_bin = std::clamp(l_bin, f_bin + 1, kHistogramBins);
      double e = range_error(s, std::min(0.f, edge(f_bin)), std::max(0.f, edge(l_bin)));
      if (e < best) best = e, best_first = f_bin, best_last = l_bin;
    }
    first = best_first;
    last = best_last;
  }
  for (int b = 0; b < first; ++b) saturated += s.histogram[size_t(b)];
  for (int b = last; b < kHistogramBins; ++b) saturated += s.histogram[size_t(b)];
  lo = std::min(0.f, first == 0 ? s.min : edge(first));
  hi = std::max(0.f, last == kHistogramBins ? s.max : edge(last));
}

}  // namespace mtc
