// JSON form of a RunReport; field names are the interface scripts and tests read.
#include "driver/run_report.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "driver/inspect.h"
#include "memory/planner.h"
#include "support/error.h"

namespace mtc {

namespace {

template <typename T>
nlohmann::json opt(const std::optional<T> &v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

RunReport basic_run_report(const Graph &g, const std::string &target, size_t items) {
  RunReport r;
  r.target = target;
  r.items = items;
  r.arena_bytes = plan_memory(g).arena_size;
  for (const Node &n : g.nodes) r.macs += node_macs(g, n);
  return r;
}

void write_run_report(const std::string &path, const RunReport &r) {
  nlohmann::json j;
  j["target"] = r.target;
  j["chip"] = opt(r.chip);
  j["items"] = r.items;
  j["instructions_per_inference"] = opt(r.instructions_per_inference);
  j["per_item_instructions"] =
      r.per_item_instructions.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.per_item_instructions);
  j["marker_overhead_instructions"] = opt(r.marker_overhead_instructions);
  j["flash_bytes"] = opt(r.flash_bytes);
  j["library_flash_bytes"] = opt(r.library_flash_bytes);
  j["ram_bytes"] = opt(r.ram_bytes);
  j["static_ram_bytes"] = opt(r.static_ram_bytes);
  j["stack_bytes"] = opt(r.stack_bytes);
  j["arena_bytes"] = r.arena_bytes;
  j["macs"] = r.macs;
  j["chip_flash_bytes"] = opt(r.chip_flash_bytes);
  j["chip_ram_bytes"] = opt(r.chip_ram_bytes);
  j["chip_largest_ram_block_bytes"] = opt(r.chip_largest_ram_block_bytes);
  j["clock_hz"] = opt(r.clock_hz);
  j["fits_flash"] = opt(r.fits_flash);
  j["fits_ram"] = opt(r.fits_ram);
  std::ofstream f(path);
  f << j.dump(2) << "\n";
  if (!f) throw CompileError("cannot write the report " + quote_name(path));
}

}  // namespace mtc
