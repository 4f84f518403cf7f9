#include "driver/patch_option.h"

#include "support/error.h"

namespace mtc {

std::optional<int> parse_patch_option(const std::string &value) {
  if (value.empty()) return std::nullopt;
  if (value == "auto") return 0;
  if (value.size() == 1 && value[0] >= '2' && value[0] <= '8') return value[0] - '0';
  throw CompileError("--patch " + quote_name(value) + ": expected auto or a grid size 2..8");
}

void print_patch_outcome(const PatchOutcome &o, std::ostream &os, bool candidates) {
  if (candidates) {
    os << "patch candidates (stage layers, grid: arena by largest-first placement [by the full search], MACs):\n";
    for (const PatchOutcome::Candidate &c : o.tried)
      os << "  " << c.choice.depth << ", " << c.choice.grid << ": " << c.quick_arena << " B"
         << (c.full_arena >= 0 ? " [" + std::to_string(c.full_arena) + " B]" : std::string()) << ", " << c.macs << "\n";
  }
  os << "patch stage: " << o.choice.depth << " of " << o.stage_layers << " eligible layers, ending at "
     << o.stage_end << " (" << o.stage_end_node << "), " << o.choice.grid << " x " << o.choice.grid
     << " patches (" << o.candidates << " candidates planned)\n";
  os << "patch arena " << o.arena << " bytes, lower bound " << o.lower_bound << "; whole-tensor arena "
     << o.arena_whole << ", lower bound " << o.lower_bound_whole << "; MACs " << o.macs << " vs " << o.macs_whole
     << " whole-tensor\n";
}

std::optional<PatchOutcome> apply_patch_option(Graph &g, const std::string &value, std::ostream &log) {
  std::optional<int> grid = parse_patch_option(value);
  if (!grid) return std::nullopt;
  PatchOutcome o;
  g = plan_patches(g, *grid, o);
  print_patch_outcome(o, log);
  if (o.arena >= o.arena_whole) log << "note: --patch does not shrink this model's arena\n";
  return o;
}

}  // namespace mtc
