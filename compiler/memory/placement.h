// Offsets for arena buffers with known lifetimes: gap-filling greedy placement tried in several
// orders plus a bounded deterministic search over orders, keeping the smallest arena.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "memory/planner.h"

namespace mtc {

// Most orders the search tries after the fixed heuristics, and the work cap (buffer visits summed
// over all tries) that lowers that count for large graphs so compile time stays bounded.
constexpr int kMaxSearchOrders = 400;
constexpr int64_t kSearchWorkCap = 20'000'000;

struct PlacementResult {
  int64_t arena_size = 0;
  int64_t by_size_arena = 0;  // what the plain largest-first order gives
  std::string order;          // name of the order that won
};

// Places each buffer at the lowest offset free of already placed buffers whose lifetimes
// intersect its own, in the given order; writes offsets and returns the arena size.
int64_t place_in_order(std::vector<ArenaBuffer> &buffers, const std::vector<size_t> &order);

// Tries the heuristic orders (largest first, earliest first, largest size x lifetime, most
// conflicts) and perturbations of the best; ties keep the earlier order, so the result is
// deterministic. Stops early when an order reaches lower_bound. Without `search`: largest first only.
PlacementResult place_buffers(std::vector<ArenaBuffer> &buffers, int64_t lower_bound, bool search = true);

}  // namespace mtc
