// The --patch option of compile and run: parses it, tiles the graph (memory/patch_rewrite.h) and
// prints what was chosen.
#pragma once
#include <optional>
#include <ostream>
#include <string>

#include "ir/graph.h"
#include "memory/patch_rewrite.h"

namespace mtc {

// "" (off), "auto" (grid 0) or an integer n in 2..8; a CompileError for anything else.
std::optional<int> parse_patch_option(const std::string &value);

// Replaces g by its patched form when `value` asks for it and returns the outcome (printed to `log`).
std::optional<PatchOutcome> apply_patch_option(Graph &g, const std::string &value, std::ostream &log);

// The lines --print-memory-plan adds: the chosen stage, both arenas and lower bounds and, with
// `candidates`, every (stage end, grid) tried.
void print_patch_outcome(const PatchOutcome &o, std::ostream &os, bool candidates = false);

}  // namespace mtc
