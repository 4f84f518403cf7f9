// Printing of memory plans; names come from the model and are quoted/escaped before printing.
#include "memory/plan_chart.h"

#include <iomanip>
#include <nlohmann/json.hpp>

#include "support/error.h"

namespace mtc {

namespace {

constexpr int kChartColumns = 64;
const char kLabels[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr size_t kNumLabels = sizeof kLabels - 1;

char label(size_t i) { return i < kNumLabels ? kLabels[i] : '*'; }

// The tensors other than the root that share a buffer, with how (view or in place).
std::string sharers(const Graph &g, const MemoryPlan &plan, TensorId root) {
  std::string out;
  for (size_t t = 0; t < plan.storage.size(); ++t) {
    if (TensorId(t) == root || plan.storage[t].root != root) continue;
    out += (out.empty() ? "  shared by " : ", ") + quote_name(g.tensors[t].name) +
           (plan.storage[t].in_place ? " (in place)" : " (view)");
  }
  return out;
}

}  // namespace

void print_memory_plan(const Graph &g, const MemoryPlan &plan, std::ostream &os) {
  os << "memory plan: " << plan.buffers.size() << " arena buffers, order: "
     << (plan.placement_order.empty() ? "-" : plan.placement_order) << "\n";
  os << "  buf        size      offset  steps      tensor\n";
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const ArenaBuffer &b = plan.buffers[i];
    std::string steps = std::to_string(b.first) + ".." + std::to_string(b.last);
    os << "  " << std::left << std::setw(4) << label(i) << std::right << std::setw(11) << b.size << std::setw(12)
       << b.offset << "  " << std::left << std::setw(11) << steps
       << (b.scratch_of >= 0 ? "(scratch of " + g.describe(g.nodes[size_t(b.scratch_of)]) + ")"
                             : quote_name(g.tensor(b.tensor).name) + sharers(g, plan, b.tensor))
       << std::right << "\n";
  }
  const int64_t arena = plan.arena_size;
  if (arena > 0 && !g.nodes.empty()) {
    const int64_t per_col = (arena + kChartColumns - 1) / kChartColumns;
    const int64_t cols = (arena + per_col - 1) / per_col;
    os << "timeline: one row per step, one column per " << per_col << " bytes ('.' free)\n";
    for (size_t step = 0; step < g.nodes.size(); ++step) {
      std::string row(size_t(cols), '.');
      for (size_t i = 0; i < plan.buffers.size(); ++i) {
        const ArenaBuffer &b = plan.buffers[i];
        if (b.first > int(step) || int(step) > b.last) continue;
        for (int64_t c = b.offset / per_col; c < cols && c * per_col < b.offset + b.size; ++c)
          row[size_t(c)] = label(i);
      }
      const Node &n = g.nodes[step];
      os << std::setw(5) << step << " |" << row << "| " << n.op << " " << quote_name(n.name) << "\n";
    }
  }
  os << "arena " << arena << " bytes, lower bound " << plan.lower_bound << " bytes, ratio " << std::fixed
     << std::setprecision(3) << (plan.lower_bound > 0 ? double(arena) / double(plan.lower_bound) : 1.0)
     << std::defaultfloat << "\n";
}

std::string memory_plan_json(const Graph &g, const MemoryPlan &plan) {
  nlohmann::json j;
  j["arena_bytes"] = plan.arena_size;
  j["lower_bound"] = plan.lower_bound;
  j["order"] = plan.placement_order;
  j["buffers"] = nlohmann::json::array();
  for (const ArenaBuffer &b : plan.buffers)
    j["buffers"].push_back({{"name", b.scratch_of >= 0 ? "scratch of " + g.nodes[size_t(b.scratch_of)].name
                                                       : g.tensor(b.tensor).name},
                            {"size", b.size},
                            {"offset", b.offset},
                            {"first", b.first},
                            {"last", b.last}});
  // Model names may hold invalid UTF-8: replaced rather than thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mtc
