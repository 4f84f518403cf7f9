// Lifetimes from the execution order, then a gap-filling greedy placement, largest buffers first.
#include "memory/planner.h"

#include <algorithm>

#include "ops/op.h"

namespace mtc {

bool node_is_alias(const Graph &g, const Node &n) {
  const OpDef *def = OpRegistry::instance().find(n.op);
  if (!def || !def->is_view || n.outputs.empty() || n.inputs.empty()) return false;
  TensorId out = n.outputs[0];
  return !g.is_graph_output(out) && n.inputs[0] != kNoTensor;
}

static int64_t align_up(int64_t v) { return (v + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

MemoryPlan plan_memory(const Graph &g) {
  MemoryPlan plan;
  const size_t nt = g.tensors.size();
  plan.storage.resize(nt);
  for (size_t t = 0; t < nt; ++t) {
    plan.storage[t].root = TensorId(t);
    if (g.tensors[t].is_constant()) plan.storage[t].kind = StorageKind::Constant;
  }
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    plan.storage[size_t(g.inputs[i])].kind = StorageKind::Input;
    plan.storage[size_t(g.inputs[i])].index = int(i);
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    TensorStorage &s = plan.storage[size_t(g.outputs[i])];
    if (s.kind == StorageKind::None) {  // first slot naming a tensor receives it directly
      s.kind = StorageKind::Output;
      s.index = int(i);
    }
  }

  std::vector<int> first(nt, -1), last(nt, -1);
  for (size_t step = 0; step < g.nodes.size(); ++step) {
    const Node &n = g.nodes[step];
    if (node_is_alias(g, n)) {
      TensorId root = plan.storage[size_t(n.inputs[0])].root;
      TensorStorage &s = plan.storage[size_t(n.outputs[0])];
      s = plan.storage[size_t(root)];
      s.root = root;
      continue;
    }
    for (TensorId o : n.outputs) {
      if (o == kNoTensor) continue;
      TensorStorage &s = plan.storage[size_t(o)];
      if (s.kind == StorageKind::None) {
        s.kind = StorageKind::Arena;
        first[size_t(o)] = int(step);
        last[size_t(o)] = int(step);  // an unread output still needs room while it is written
      }
    }
  }
  for (size_t step = 0; step < g.nodes.size(); ++step)
    for (TensorId i : g.nodes[step].inputs)
      if (i != kNoTensor) {
        TensorId root = plan.storage[size_t(i)].root;
        last[size_t(root)] = std::max(last[size_t(root)], int(step));
      }

  for (size_t t = 0; t < nt; ++t) {
    if (plan.storage[t].kind != StorageKind::Arena || plan.storage[t].root != TensorId(t)) continue;
    const Tensor &tensor = g.tensors[t];
    int64_t bytes = shape_elements(tensor.shape) * int64_t(dtype_size(tensor.dtype));
    plan.buffers.push_back({TensorId(t), align_up(std::max<int64_t>(bytes, 1)), first[t], last[t], 0});
  }

  // Lower bound: the most bytes simultaneously live at any step.
  for (size_t step = 0; step < g.nodes.size(); ++step) {
    int64_t live = 0;
    for (const ArenaBuffer &b : plan.buffers)
      if (b.first <= int(step) && int(step) <= b.last) live += b.size;
    plan.lower_bound = std::max(plan.lower_bound, live);
  }

  // Greedy by size: each buffer goes to the lowest offset that does not collide with an already
  // placed buffer whose lifetime intersects its own.
  std::vector<size_t> order(plan.buffers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return plan.buffers[a].size > plan.buffers[b].size; });
  std::vector<size_t> placed;
  for (size_t idx : order) {
    ArenaBuffer &b = plan.buffers[idx];
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t p : placed) {
      const ArenaBuffer &o = plan.buffers[p];
      if (o.first <= b.last && b.first <= o.last) busy.push_back({o.offset, o.offset + o.size});
    }
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (const auto &[lo, hi] : busy) {
      if (offset + b.size <= lo) break;
      offset = std::max(offset, hi);
    }
    b.offset = offset;
    plan.arena_size = std::max(plan.arena_size, offset + b.size);
    placed.push_back(idx);
  }
  for (const ArenaBuffer &b : plan.buffers) plan.storage[size_t(b.tensor)].offset = b.offset;
  // Views inherit offsets now that roots are placed.
  for (size_t t = 0; t < nt; ++t) {
    TensorId root = plan.storage[t].root;
    if (root != TensorId(t)) {
      plan.storage[t].kind = plan.storage[size_t(root)].kind;
      plan.storage[t].index = plan.storage[size_t(root)].index;
      plan.storage[t].offset = plan.storage[size_t(root)].offset;
    }
  }
  return plan;
}

void check_plan(const MemoryPlan &plan) {
  for (size_t i = 0; i < plan.buffers.size(); ++i)
    for (size_t j = i + 1; j < plan.buffers.size(); ++j) {
      const ArenaBuffer &a = plan.buffers[i], &b = plan.buffers[j];
      bool time = a.first <= b.last && b.first <= a.last;
      bool space = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      if (time && space)
        throw CompileError("memory plan overlap between tensors " + std::to_string(a.tensor) + " and " +
                           std::to_string(b.tensor));
    }
}

}  // namespace mtc
