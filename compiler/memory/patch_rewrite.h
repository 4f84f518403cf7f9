// Patch-based inference as a graph rewrite: the stage's nodes are replaced, per patch, by a Slice
// of the stage input, copies of the stage's nodes on patch-sized tensors (explicit per-patch pads)
// and a PatchPlace writing the patch into T's one full buffer. The planner and the C emitter then
// see ordinary nodes: patch buffers live for one patch, T from its first patch on, and each
// kernel's scratch follows its patch geometry.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"
#include "memory/patch_plan.h"

namespace mtc {

struct PatchChoice {
  int depth = 0;  // stage layers tiled: T is the output of layers[depth - 1]
  int grid = 0;   // grid x grid patches of T
};

// g with the first c.depth layers of stage s tiled into c.grid x c.grid patches (s from g).
// Throws CompileError when the regions do not exist (patch_regions).
Graph apply_patches(const Graph &g, const PatchStage &s, PatchChoice c);

struct PatchOutcome {
  PatchChoice choice;
  std::string stage_end;       // "tensor 'name'" of T
  std::string stage_end_node;  // the node producing T in the original graph
  std::string stage_stop;      // why the stage could not be longer
  int stage_layers = 0;        // layers the stage could take
  int candidates = 0;          // (depth, grid) pairs planned
  int64_t arena_whole = 0, lower_bound_whole = 0;  // the unpatched graph's plan
  int64_t arena = 0, lower_bound = 0;              // the patched graph's plan
  int64_t macs_whole = 0, macs = 0;                // multiply-accumulates, halos recomputed in `macs`
  struct Candidate {
    PatchChoice choice;
    int64_t quick_arena = 0, macs = 0;  // the largest-first placement every choice gets
    int64_t full_arena = -1;            // the full placement search, for the choices near the best
  };
  std::vector<Candidate> tried;
};

// Tiles g's patch stage: grid 0 (auto) tries every stage end and every grid 2..8 costing at most
// twice the whole-tensor MACs and keeps the smallest arena (ties: fewer MACs; see plan_patches in
// the .cpp for how candidates are planned), and refuses when none lowers the arena; grid n > 0
// forces n x n with the best stage end for it. Throws a CompileError naming the node when g has
// no eligible stage.
Graph plan_patches(const Graph &g, int grid, PatchOutcome &outcome);

// The outcome as a JSON object (for compile --report and run --report).
std::string patch_outcome_json(const PatchOutcome &o);

}  // namespace mtc
