// Static memory planning: where each intermediate tensor lives in the one arena of the generated code.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

enum class StorageKind { None, Constant, Input, Output, Arena };

struct TensorStorage {
  StorageKind kind = StorageKind::None;
  int index = 0;        // input/output position for Input/Output
  int64_t offset = 0;   // byte offset in the arena for Arena
  TensorId root = kNoTensor;  // the tensor whose storage this one shares (views, in-place), or itself
  bool in_place = false;      // written by its node over that node's input (shares the input's root)
};

struct ArenaBuffer {
  TensorId tensor;
  int64_t size;    // bytes, aligned
  int first, last; // node steps during which it must stay intact
  int64_t offset;
  int scratch_of = -1;  // >= 0: the scratch memory of that node step (tensor is kNoTensor)
};

struct MemoryPlan {
  std::vector<TensorStorage> storage;  // per tensor id
  std::vector<ArenaBuffer> buffers;
  int64_t arena_size = 0;
  int64_t lower_bound = 0;  // largest sum of live bytes at any step
  int64_t by_size_arena = 0;  // what the plain largest-first order gives for these buffers
  std::string placement_order;  // the order that produced arena_size
  std::vector<int64_t> scratch_offset;  // per node step: arena offset of its scratch, -1 for none
};

struct PlanOptions {
  bool in_place = true;  // let node_can_run_in_place() nodes overwrite a dying input
  bool search = true;    // try several orders and a bounded search; false: largest first only
};

constexpr int64_t kArenaAlignment = 16;

// Plans storage for a graph whose nodes are in execution order. View ops share their input's
// storage unless their output must land in a user buffer; in-place nodes share it when the input
// is an arena buffer whose last use is that node.
MemoryPlan plan_memory(const Graph &g, const PlanOptions &options = PlanOptions());

// True if node n can alias its output to its input (a view op whose output is not a graph output).
bool node_is_alias(const Graph &g, const Node &n);

// Throws if two arena buffers that are live at the same step overlap (used by tests).
void check_plan(const MemoryPlan &plan);

}  // namespace mtc
