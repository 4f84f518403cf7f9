#include "microt/features.h"

#include <map>

#include "eval/evaluator.h"
#include "support/error.h"

namespace mtc {

std::vector<float> pooled_features(const Graph &g, TensorId t, const Value &v) {
  const Tensor &tt = g.tensor(t);
  if (v.shape.size() < 2 || v.shape[0] != 1)
    throw CompileError("MicroT head: " + g.describe_tensor(t) + " is not [1, C, ...]: no per-channel features");
  const int64_t c = v.shape[1], count = v.elements() / c;
  std::vector<float> out(static_cast<size_t>(c));
  if (v.dtype == DType::F32) {
    for (int64_t ch = 0; ch < c; ++ch) {
      double s = 0;
      for (int64_t i = 0; i < count; ++i) s += v.data<float>()[ch * count + i];
      out[size_t(ch)] = float(s / double(count));
    }
    return out;
  }
  if ((v.dtype != DType::I8 && v.dtype != DType::U8) || !tt.quant || tt.quant->per_axis())
    throw CompileError("MicroT head: " + g.describe_tensor(t) + " is neither float nor int8 with per-tensor parameters");
  const float inv = tt.quant->scale[0] / float(count);
  const int64_t zp = tt.quant->zero_point[0];
  for (int64_t ch = 0; ch < c; ++ch) {
    int64_t s = 0;
    for (int64_t i = 0; i < count; ++i) s += v.get_i64(ch * count + i);
    out[size_t(ch)] = float(s - zp * count) * inv;
  }
  return out;
}

HeadFeatures head_features(const Graph &g, const std::vector<SplitCandidate> &candidates, TensorId final_tensor,
                           const std::vector<std::vector<Value>> &samples) {
  HeadFeatures f;
  f.part.resize(candidates.size());
  f.part_dims.assign(candidates.size(), 0);
  std::map<TensorId, std::vector<size_t>> wanted;
  for (size_t i = 0; i < candidates.size(); ++i) wanted[candidates[i].tensor].push_back(i);
  for (const std::vector<Value> &sample : samples) {
    bool final_seen = false;
    evaluate_graph(g, sample, [&](TensorId t, const Value &v) {
      auto it = wanted.find(t);
      if (it != wanted.end())
        for (size_t i : it->second) {
          const std::vector<float> p = pooled_features(g, t, v);
          f.part_dims[i] = int64_t(p.size());
          f.part[i].insert(f.part[i].end(), p.begin(), p.end());
        }
      if (t == final_tensor) {
        const std::vector<float> p = pooled_features(g, t, v);
        f.full_dim = int64_t(p.size());
        f.full.insert(f.full.end(), p.begin(), p.end());
        final_seen = true;
      }
    });
    if (!final_seen) throw CompileError("MicroT head: the evaluator never produced " + g.describe_tensor(final_tensor));
  }
  return f;
}

}  // namespace mtc
