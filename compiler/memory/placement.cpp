// Greedy placement in several orders (TFLM's GreedyMemoryPlanner places largest first; TVM's USMP
// also tries other orders and a search), then hill climbing over moves of one buffer in the order.
#include "memory/placement.h"

#include <algorithm>
#include <functional>

namespace mtc {

namespace {

bool overlap_in_time(const ArenaBuffer &a, const ArenaBuffer &b) { return a.first <= b.last && b.first <= a.last; }

// Conflict lists computed once, so each try costs the sum of degrees rather than n^2.
class Placer {
 public:
  explicit Placer(const std::vector<ArenaBuffer> &buffers) : buffers_(buffers), conflicts_(buffers.size()) {
    for (size_t i = 0; i < buffers.size(); ++i)
      for (size_t j = i + 1; j < buffers.size(); ++j)
        if (overlap_in_time(buffers[i], buffers[j])) {
          conflicts_[i].push_back(j);
          conflicts_[j].push_back(i);
        }
  }

  size_t degree(size_t i) const { return conflicts_[i].size(); }
  int64_t work_per_try() const {
    int64_t w = int64_t(buffers_.size());
    for (const auto &c : conflicts_) w += int64_t(c.size());
    return w;
  }

  // Arena size of the greedy placement in `order`; offsets land in offsets_.
  int64_t run(const std::vector<size_t> &order) {
    offsets_.assign(buffers_.size(), -1);
    int64_t arena = 0;
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t idx : order) {
      const int64_t size = buffers_[idx].size;
      busy.clear();
      for (size_t o : conflicts_[idx])
        if (offsets_[o] >= 0) busy.push_back({offsets_[o], offsets_[o] + buffers_[o].size});
      std::sort(busy.begin(), busy.end());
      int64_t offset = 0;
      for (const auto &[lo, hi] : busy) {
        if (offset + size <= lo) break;
        offset = std::max(offset, hi);
      }
      offsets_[idx] = offset;
      arena = std::max(arena, offset + size);
    }
    return arena;
  }

  const std::vector<int64_t> &offsets() const { return offsets_; }

 private:
  const std::vector<ArenaBuffer> &buffers_;
  std::vector<std::vector<size_t>> conflicts_;
  std::vector<int64_t> offsets_;
};

// splitmix64: the same sequence on every platform, unlike std:: distributions.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return size_t(next() % n); }
};

std::vector<size_t> sorted_order(size_t n, const std::function<bool(size_t, size_t)> &before) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), before);
  return order;
}

}  // namespace

int64_t place_in_order(std::vector<ArenaBuffer> &buffers, const std::vector<size_t> &order) {
  Placer p(buffers);
  int64_t arena = p.run(order);
  for (size_t i = 0; i < buffers.size(); ++i) buffers[i].offset = p.offsets()[i];
  return arena;
}

PlacementResult place_buffers(std::vector<ArenaBuffer> &buffers, int64_t lower_bound, bool search) {
  PlacementResult r;
  const size_t n = buffers.size();
  if (n == 0) {
    r.order = "empty";
    return r;
  }
  Placer p(buffers);
  const auto &b = buffers;
  auto life = [&](size_t i) { return int64_t(b[i].last - b[i].first + 1); };
  // Ties in every order fall back to larger size, then to tensor order (stable sort).
  std::vector<std::pair<std::string, std::vector<size_t>>> orders = {
      {"largest first", sorted_order(n, [&](size_t x, size_t y) { return b[x].size > b[y].size; })},
      {"earliest first", sorted_order(n, [&](size_t x, size_t y) {
         return b[x].first != b[y].first ? b[x].first < b[y].first : b[x].size > b[y].size;
       })},
      {"largest size x lifetime first", sorted_order(n, [&](size_t x, size_t y) {
         int64_t ax = b[x].size * life(x), ay = b[y].size * life(y);
         return ax != ay ? ax > ay : b[x].size > b[y].size;
       })},
      {"most conflicts first", sorted_order(n, [&](size_t x, size_t y) {
         return p.degree(x) != p.degree(y) ? p.degree(x) > p.degree(y) : b[x].size > b[y].size;
       })},
  };
  std::vector<size_t> best_order;
  std::vector<int64_t> best_offsets;
  for (size_t k = 0; k < orders.size(); ++k) {
    int64_t arena = p.run(orders[k].second);
    if (k == 0) r.by_size_arena = arena;
    if (k == 0 || arena < r.arena_size) {
      r.arena_size = arena;
      r.order = orders[k].first;
      best_order = orders[k].second;
      best_offsets = p.offsets();
    }
    if (r.arena_size <= lower_bound || !search) break;
  }
  if (search && n > 2 && r.arena_size > lower_bound) {
    // Hill climbing: move one buffer to another position in the best order; keep strict gains.
    const int64_t tries = std::min<int64_t>(kMaxSearchOrders, kSearchWorkCap / std::max<int64_t>(1, p.work_per_try()));
    Rng rng{0x6d74632d6d656dull};
    const std::string start = r.order;
    std::vector<size_t> trial;
    for (int64_t t = 0; t < tries && r.arena_size > lower_bound; ++t) {
      trial = best_order;
      size_t from = rng.below(n), to = rng.below(n);
      size_t moved = trial[from];
      trial.erase(trial.begin() + long(from));
      trial.insert(trial.begin() + long(to), moved);
      int64_t arena = p.run(trial);
      if (arena < r.arena_size) {
        r.arena_size = arena;
        r.order = "search from " + start + " (best after " + std::to_string(t + 1) + " tries)";
        best_order = trial;
        best_offsets = p.offsets();
      }
    }
  }
  for (size_t i = 0; i < n; ++i) buffers[i].offset = best_offsets[i];
  return r;
}

}  // namespace mtc
