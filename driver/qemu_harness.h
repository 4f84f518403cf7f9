// The bare-metal harness that runs a compiled model on a Cortex-M QEMU board: inputs embedded as
// constant arrays, a marker call before and after each inference for the instruction counter,
// outputs printed over semihosting, and a stack high-water mark of the first inference.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// The marker function the instruction-count plugin snapshots at (harness symbol).
constexpr const char *kQemuMarkerSymbol = "mtc_marker";

// Harness for `items` (one vector of input Values per item) of the bundle named `name`.
std::string qemu_harness_source(const Graph &g, const std::string &name,
                                const std::vector<std::vector<Value>> &items);

// Parsed harness output.
struct QemuHarnessOutput {
  std::vector<std::vector<Value>> outputs;
  int64_t stack_bytes = -1;
};

// Throws CompileError if an item or output is missing or malformed.
QemuHarnessOutput parse_qemu_harness_output(const Graph &g, size_t items, const std::string &text);

}  // namespace mtc
