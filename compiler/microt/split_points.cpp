#include "microt/split_points.h"

#include "ops/op.h"

namespace mtc {


std::vector<SplitCandidate> split_candidates(const Graph &g) {
  const int steps = int(g.nodes.size());
  // Each value's lifetime in steps: from its producer (-1: a graph input) to its last reader
  // (steps: a graph output, read after the last node).
  std::vector<int> first(g.tensors.size(), steps + 1), last(g.tensors.size(), -2);
  for (TensorId t : g.inputs) first[size_t(t)] = -1;
  for (int s = 0; s < steps; ++s) {
    for (TensorId t : g.nodes[size_t(s)].outputs)
      if (t != kNoTensor) first[size_t(t)] = std::min(first[size_t(t)], s);
    for (TensorId t : g.nodes[size_t(s)].inputs)
      if (t != kNoTensor) last[size_t(t)] = std::max(last[size_t(t)], s);
  }
  for (TensorId t : g.outputs) last[size_t(t)] = steps;
  std::vector<int64_t> macs_upto(size_t(steps) + 1, 0);
  for (int s = 0; s < steps; ++s) macs_upto[size_t(s) + 1] = macs_upto[size_t(s)] + node_macs(g, g.nodes[size_t(s)]);
  const int64_t total = macs_upto[size_t(steps)];

  // live[s]: how many values are live between step s and step s + 1 (a difference array over the
  // lifetimes [first, last)), and the last one added, which is the split when the count is one.
  std::vector<int> delta(size_t(steps) + 2, 0);
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (g.tensors[t].is_constant() || first[t] > steps || last[t] < first[t] + 1) continue;
    delta[size_t(first[t] + 1)] += 1;  // live after step first[t]
    delta[size_t(last[t] + 1)] -= 1;   // dead after step last[t]
  }
  std::vector<SplitCandidate> out;
  int live = 0;
  for (int s = 0; s + 1 < steps; ++s) {
    live += delta[size_t(s) + 1] + (s == 0 ? delta[0] : 0);
    // a part model that computes something, and a rest that does too
    if (live != 1 || macs_upto[size_t(s) + 1] == 0 || total == macs_upto[size_t(s) + 1]) continue;
    // the one value: produced at or before s, read after s
    TensorId split = kNoTensor;
    for (TensorId t : g.nodes[size_t(s) + 1].inputs)
      if (t != kNoTensor && !g.tensor(t).is_constant() && first[size_t(t)] <= s) split = t;
    if (split == kNoTensor || g.is_graph_output(split)) continue;
    SplitCandidate c;
    c.step = s;
    c.tensor = split;
    const Tensor &tt = g.tensor(split);
    c.bytes = int64_t(shape_elements(tt.shape)) * int64_t(dtype_size(tt.dtype));
    c.part_macs = macs_upto[size_t(s) + 1];
    c.total_macs = total;
    c.poolable = tt.shape.size() >= 2 && tt.shape[0] == 1;
    out.push_back(c);
  }
  return out;
}

}  // namespace mtc
