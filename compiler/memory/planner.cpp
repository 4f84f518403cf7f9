// Lifetimes from the execution order, storage sharing (views, in-place nodes), then placement of
// the arena buffers (memory/placement.h).
#include "memory/planner.h"

#include <algorithm>

#include "memory/in_place.h"
#include "memory/scratch.h"
#include "memory/placement.h"
#include "ops/op.h"

namespace mtc {

bool node_is_alias(const Graph &g, const Node &n) {
  const OpDef *def = OpRegistry::instance().find(n.op);
  if (!def || !def->is_view || n.outputs.empty() || n.inputs.empty()) return false;
  TensorId out = n.outputs[0];
  return !g.is_graph_output(out) && n.inputs[0] != kNoTensor;
}

static int64_t align_up(int64_t v) { return (v + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

namespace {

// Storage groups: parent links resolved lazily, because an in-place decision re-roots a tensor
// whose views were already linked to it.
struct Groups {
  std::vector<TensorId> parent;
  TensorId find(TensorId t) {
    while (parent[size_t(t)] != t) t = parent[size_t(t)];
    return t;
  }
};

// The input of node n (at `step`) that its output may overwrite, or kNoTensor. `last` holds each
// group root's last use.
TensorId in_place_input(const Graph &g, const Node &n, const MemoryPlan &plan, Groups &groups,
                        const std::vector<int> &last, int step) {
  if (n.outputs.size() != 1 || n.outputs[0] == kNoTensor) return kNoTensor;
  if (plan.storage[size_t(n.outputs[0])].kind != StorageKind::Arena) return kNoTensor;
  const Shape &out_shape = g.tensor(n.outputs[0]).shape;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (!node_can_run_in_place(g, n, i)) continue;
    TensorId root = groups.find(n.inputs[i]);
    if (plan.storage[size_t(root)].kind != StorageKind::Arena || last[size_t(root)] != step) continue;
    // Another operand reading the same bytes must read them at the written index too: an operand
    // the kernel reads elementwise, of the output's shape.
    bool safe = true;
    for (size_t j = 0; j < n.inputs.size(); ++j) {
      const TensorId other = n.inputs[j];
      if (j == i || other == kNoTensor || groups.find(other) != root) continue;
      if (g.tensor(other).shape != out_shape || !node_can_run_in_place(g, n, j)) safe = false;
    }
    if (safe) return root;
  }
  return kNoTensor;
}

}  // namespace

MemoryPlan plan_memory(const Graph &g, const PlanOptions &options) {
  MemoryPlan plan;
  const size_t nt = g.tensors.size();
  plan.storage.resize(nt);
  Groups groups;
  groups.parent.resize(nt);
  for (size_t t = 0; t < nt; ++t) {
    groups.parent[t] = TensorId(t);
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

  // Views join their input's group; other outputs start a group of their own in the arena.
  std::vector<int> first(nt, -1), last(nt, -1);
  for (size_t step = 0; step < g.nodes.size(); ++step) {
    const Node &n = g.nodes[step];
    if (node_is_alias(g, n)) {
      groups.parent[size_t(n.outputs[0])] = n.inputs[0];
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
        TensorId root = groups.find(i);
        last[size_t(root)] = std::max(last[size_t(root)], int(step));
      }

  // In-place: in step order, so a group's last use is final when its last reader is reached (later
  // merges only add members that are born after that reader).
  if (options.in_place)
    for (size_t step = 0; step < g.nodes.size(); ++step) {
      const Node &n = g.nodes[step];
      if (node_is_alias(g, n)) continue;
      TensorId root = in_place_input(g, n, plan, groups, last, int(step));
      if (root == kNoTensor) continue;
      TensorId out = n.outputs[0];
      groups.parent[size_t(out)] = root;
      last[size_t(root)] = std::max(last[size_t(root)], last[size_t(out)]);
      plan.storage[size_t(out)].in_place = true;
    }
  for (size_t t = 0; t < nt; ++t) plan.storage[t].root = groups.find(TensorId(t));

  for (size_t t = 0; t < nt; ++t) {
    if (plan.storage[t].kind != StorageKind::Arena || plan.storage[t].root != TensorId(t)) continue;
    const Tensor &tensor = g.tensors[t];
    int64_t bytes = shape_elements(tensor.shape) * int64_t(dtype_size(tensor.dtype));
    plan.buffers.push_back({TensorId(t), align_up(std::max<int64_t>(bytes, 1)), first[t], last[t], 0});
  }

  plan.scratch_offset.assign(g.nodes.size(), -1);
  for (size_t step = 0; step < g.nodes.size(); ++step) {
    int64_t bytes = node_scratch_bytes(g, g.nodes[step]);
    if (bytes > 0) plan.buffers.push_back({kNoTensor, align_up(bytes), int(step), int(step), 0, int(step)});
  }

  // Lower bound: the most bytes simultaneously live at any step.
  for (size_t step = 0; step < g.nodes.size(); ++step) {
    int64_t live = 0;
    for (const ArenaBuffer &b : plan.buffers)
      if (b.first <= int(step) && int(step) <= b.last) live += b.size;
    plan.lower_bound = std::max(plan.lower_bound, live);
  }

  PlacementResult placed = place_buffers(plan.buffers, plan.lower_bound, options.search);
  plan.arena_size = placed.arena_size;
  plan.by_size_arena = placed.by_size_arena;
  plan.placement_order = placed.order;
  for (const ArenaBuffer &b : plan.buffers) {
    if (b.scratch_of >= 0) plan.scratch_offset[size_t(b.scratch_of)] = b.offset;
    else plan.storage[size_t(b.tensor)].offset = b.offset;
  }
  // Group members inherit their root's storage now that roots are placed.
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
