// Emits a compiled graph as a standalone C99 bundle: NAME.h, NAME.c and the runtime kernels used.
#pragma once
#include <string>
#include <vector>

#include "microt/plan.h"
#include "ir/graph.h"
#include "memory/planner.h"

namespace mtc {

struct EmitOptions {
  // Calls `void mtc_marker(void)` (defined by the caller) after every node that runs code: the
  // QEMU harness counts instructions between calls to get a per-layer breakdown.
  bool layer_markers = false;
  // MicroT: also NAME_infer (part model, exit head, stage decision, the rest resumed from the split
  // activation left in the arena) with the plan's heads; NAME_run is unchanged.
  const MicrotPlan *microt = nullptr;
};

// A node that runs code, in execution order: the step is its index in the graph's nodes.
struct EmittedLayer {
  int step = 0;
  std::string kernel;  // the runtime function it calls (the last one, if several), "" if inline code
};

struct CBundle {
  std::string name;  // the C identifier prefix
  std::string header;
  std::string source;
  std::vector<std::string> runtime_files;  // file names under runtime/ (e.g. "src/mtc_gemm_f32.c")
  MemoryPlan plan;
  std::vector<EmittedLayer> layers;
  int64_t constant_bytes = 0;  // bytes of the constant arrays in NAME.c (weights as the kernels read them)
};

// `name` must already be a valid C identifier (see sanitize_c_identifier).
CBundle emit_c_bundle(const Graph &g, const std::string &name, const EmitOptions &opts = {});

// Writes NAME.h, NAME.c and the runtime files (flat) into `dir`, creating it if needed.
void write_c_bundle(const CBundle &b, const std::string &dir);

// Turns arbitrary text into a C identifier: [A-Za-z0-9_], not starting with a digit, not empty.
std::string sanitize_c_identifier(const std::string &text);

}  // namespace mtc
