// MicroT head features (docs/MICROT.md): what an exit head sees of a tensor is its global average
// pool, one float per channel, computed from the int8 values the extractor really produces.
#pragma once
#include <vector>

#include "ir/graph.h"
#include "microt/split_points.h"

namespace mtc {

// Per channel c of a [1, C, spatial...] or [1, C] value, the mean over the spatial positions,
// dequantized for int8/uint8 tensors with quantization parameters (per tensor):
// float(sum(q) - zp * count) * (scale / count) in float32, the arithmetic the generated head uses.
// Float values: the float32 mean. Throws CompileError for other layouts, naming the tensor.
std::vector<float> pooled_features(const Graph &g, TensorId t, const Value &v);

// The pooled features of every candidate's split tensor and of `final_tensor` for each sample,
// from one run of the evaluator per sample: part[i] holds samples.size() rows of the i-th
// candidate's channel count, full the final features.
struct HeadFeatures {
  std::vector<std::vector<float>> part;
  std::vector<int64_t> part_dims;
  std::vector<float> full;
  int64_t full_dim = 0;
};
HeadFeatures head_features(const Graph &g, const std::vector<SplitCandidate> &candidates, TensorId final_tensor,
                           const std::vector<std::vector<Value>> &samples);

}  // namespace mtc
