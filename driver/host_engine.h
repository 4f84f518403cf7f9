// The `c` engine: compile a graph to C, build it with the host C compiler, run it on a batch.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

struct HostBuildOptions {
  std::string cc;              // empty: $CC or "cc"
  bool sanitize = false;       // -fsanitize=address,undefined
  bool optimize = true;        // -O2 (else -O0: faster builds for many tiny models)
  std::string keep_dir;        // if set, the build directory is kept here (for debugging)
  int timeout_seconds = 300;
};

// Runs every item of `batch` (one vector of input Values per item) through the compiled model.
std::vector<std::vector<Value>> run_on_host(const Graph &g, const std::vector<std::vector<Value>> &batch,
                                            const HostBuildOptions &opts);

}  // namespace mtc
