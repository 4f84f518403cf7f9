// Candidate orders are list schedules over the ready nodes with different preferences; each is
// judged by the real memory plan (placement, in-place and views included), not by an estimate.
#include "memory/schedule.h"

#include <algorithm>
#include <functional>

#include "memory/planner.h"
#include "passes/pass.h"

namespace mtc {

namespace {

using Order = std::vector<int>;  // node indices into the original g.nodes

// Bytes a node adds to the live set when it runs: its outputs, unless they are views or constants.
int64_t output_bytes(const Graph &g, const Node &n) {
  if (node_is_alias(g, n)) return 0;
  int64_t b = 0;
  for (TensorId t : n.outputs)
    if (t != kNoTensor && !g.tensor(t).constant) b += shape_elements(g.tensor(t).shape) * int64_t(dtype_size(g.tensor(t).dtype));
  return b;
}

// A list schedule: among the ready nodes, the one `better` prefers runs next (ties: model order).
// `better(a, b, last)` sees the node that ran last (-1 at the start).
Order list_schedule(const Graph &g, const std::function<bool(int, int, int, const std::vector<int> &)> &better) {
  const size_t n = g.nodes.size();
  std::vector<int> producer = g.producers();
  std::vector<int> missing(n, 0);
  std::vector<std::vector<int>> consumers(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<int> seen;
    for (TensorId t : g.nodes[i].inputs) {
      if (t == kNoTensor) continue;
      int p = producer[size_t(t)];
      if (p < 0 || std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
      seen.push_back(p);
      ++missing[i];
      consumers[size_t(p)].push_back(int(i));
    }
  }
  // Readers of each tensor not yet run: a node that finishes a tensor's last read frees it.
  std::vector<int> pending_reads(g.tensors.size(), 0);
  for (const Node &node : g.nodes)
    for (TensorId t : node.inputs)
      if (t != kNoTensor) ++pending_reads[size_t(t)];
  std::vector<int> ready;
  for (size_t i = 0; i < n; ++i)
    if (missing[i] == 0) ready.push_back(int(i));
  Order order;
  int last = -1;
  while (!ready.empty()) {
    size_t best = 0;
    for (size_t r = 1; r < ready.size(); ++r)
      if (better(ready[r], ready[best], last, pending_reads)) best = r;
      else if (!better(ready[best], ready[r], last, pending_reads) && ready[r] < ready[best]) best = r;
    int chosen = ready[best];
    ready.erase(ready.begin() + long(best));
    order.push_back(chosen);
    for (TensorId t : g.nodes[size_t(chosen)].inputs)
      if (t != kNoTensor) --pending_reads[size_t(t)];
    for (int c : consumers[size_t(chosen)])
      if (--missing[size_t(c)] == 0) ready.push_back(c);
    last = chosen;
  }
  return order;
}

// Bytes freed by running node i now: inputs (not constants or graph inputs) whose last read it is.
int64_t freed_bytes(const Graph &g, int i, const std::vector<int> &pending_reads) {
  int64_t b = 0;
  const Node &n = g.nodes[size_t(i)];
  std::vector<TensorId> seen;
  for (TensorId t : n.inputs) {
    if (t == kNoTensor || g.tensor(t).constant || g.is_graph_input(t) || g.is_graph_output(t)) continue;
    if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
    seen.push_back(t);
    int reads = 0;
    for (TensorId u : n.inputs) reads += u == t;
    if (pending_reads[size_t(t)] == reads)
      b += shape_elements(g.tensor(t).shape) * int64_t(dtype_size(g.tensor(t).dtype));
  }
  return b;
}

Graph reordered(const Graph &g, const Order &order) {
  Graph r = g;
  r.nodes.clear();
  for (int i : order) r.nodes.push_back(g.nodes[size_t(i)]);
  return r;
}

}  // namespace

ScheduleResult schedule_for_memory(Graph &g) {
  ScheduleResult result;
  const PlanOptions options;
  result.arena_before = plan_memory(g, options).arena_size;
  result.arena_after = result.arena_before;
  result.order = "model order";
  if (g.nodes.size() < 3) return result;

  // Greedy on the live set: the node that grows it least (outputs minus what it frees).
  auto smallest_growth = [&g](int a, int b, int, const std::vector<int> &pending) {
    return output_bytes(g, g.nodes[size_t(a)]) - freed_bytes(g, a, pending) <
           output_bytes(g, g.nodes[size_t(b)]) - freed_bytes(g, b, pending);
  };
  // Depth first: stay on the branch that just ran (a consumer of its outputs), else model order.
  auto depth_first = [&g](int a, int b, int last, const std::vector<int> &) {
    auto continues = [&](int x) {
      if (last < 0) return false;
      for (TensorId t : g.nodes[size_t(x)].inputs)
        for (TensorId o : g.nodes[size_t(last)].outputs)
          if (t != kNoTensor && t == o) return true;
      return false;
    };
    return continues(a) && !continues(b);
  };
  // Largest branch first: among ready nodes, the one with the bigger output (its branch's
  // intermediates are then freed before the small results of the other branches accumulate).
  auto largest_first = [&g](int a, int b, int, const std::vector<int> &) {
    return output_bytes(g, g.nodes[size_t(a)]) > output_bytes(g, g.nodes[size_t(b)]);
  };
  const std::pair<const char *, std::function<bool(int, int, int, const std::vector<int> &)>> heuristics[] = {
      {"smallest live-set growth", smallest_growth}, {"depth first", depth_first}, {"largest output first", largest_first}};
  // Every candidate starts from the model's order (its ties), and the best one wins at the end.
  std::vector<Node> best;
  for (const auto &[name, better] : heuristics) {
    Order order = list_schedule(g, better);
    if (order.size() != g.nodes.size()) continue;  // a cycle: the verifier reports it elsewhere
    Graph candidate = reordered(g, order);
    int64_t arena = plan_memory(candidate, options).arena_size;
    if (arena < result.arena_after) {
      result.arena_after = arena;
      result.order = name;
      best = std::move(candidate.nodes);
    }
  }
  if (!best.empty()) g.nodes = std::move(best);
  return result;
}

static void schedule_pass(Graph &g, PassContext &) { schedule_for_memory(g); }

MTC_REGISTER_PASS({"schedule-for-memory", "order independent branches for the smallest arena", schedule_pass})

}  // namespace mtc
