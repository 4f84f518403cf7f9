// JSON form of a RunReport; field names are the interface scripts and tests read.
#include "driver/run_report.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "memory/planner.h"
#include "ops/op.h"
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

void print_layer_table(const RunReport &r, std::ostream &out) {
  int64_t total = 0;
  for (const LayerFigures &l : r.layers) total += l.instructions;
  char line[256];
  std::snprintf(line, sizeof line, "%5s  %-20s %-24s %12s %13s %9s %7s  %s\n", "step", "op", "kernel", "MACs",
                "instructions", "MAC/instr", "share", "name");
  out << line;
  for (const LayerFigures &l : r.layers) {
    std::snprintf(line, sizeof line, "%5d  %-20.20s %-24.24s %12lld %13lld %9.3f %6.1f%%  ", l.step, l.op.c_str(),
                  l.kernel.empty() ? "(inline)" : l.kernel.c_str(), (long long)l.macs, (long long)l.instructions,
                  l.instructions > 0 ? double(l.macs) / double(l.instructions) : 0.0,
                  total > 0 ? 100.0 * double(l.instructions) / double(total) : 0.0);
    out << line << quote_name(l.name) << "\n";
  }
}

nlohmann::json layers_json(const std::vector<LayerFigures> &layers) {
  nlohmann::json a = nlohmann::json::array();
  for (const LayerFigures &l : layers)
    a.push_back({{"step", l.step}, {"name", l.name}, {"op", l.op}, {"kernel", l.kernel}, {"macs", l.macs},
                 {"input_elements", l.input_elements}, {"output_elements", l.output_elements},
                 {"patch_elements", l.patch_elements}, {"variant", l.variant},
                 {"instructions", l.instructions}});
  return a;
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
  j["portable_kernels"] = opt(r.portable_kernels);
  j["layers"] = r.layers.empty() ? nlohmann::json(nullptr) : layers_json(r.layers);
  std::ofstream f(path);
  f << j.dump(2) << "\n";
  if (!f) throw CompileError("cannot write the report " + quote_name(path));
}

}  // namespace mtc
