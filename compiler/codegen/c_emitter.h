// Emits a compiled graph as a standalone C99 bundle: NAME.h, NAME.c and the runtime kernels used.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"
#include "memory/planner.h"

namespace mtc {

struct CBundle {
  std::string name;  // the C identifier prefix
  std::string header;
  std::string source;
  std::vector<std::string> runtime_files;  // file names under runtime/ (e.g. "src/mtc_gemm_f32.c")
  MemoryPlan plan;
};

// `name` must already be a valid C identifier (see sanitize_c_identifier).
CBundle emit_c_bundle(const Graph &g, const std::string &name);

// Writes NAME.h, NAME.c and the runtime files (flat) into `dir`, creating it if needed.
void write_c_bundle(const CBundle &b, const std::string &dir);

// Turns arbitrary text into a C identifier: [A-Za-z0-9_], not starting with a digit, not empty.
std::string sanitize_c_identifier(const std::string &text);

}  // namespace mtc
