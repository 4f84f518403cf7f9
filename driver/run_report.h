// What `microtc run --report FILE` writes: the measured figures of one run, as JSON.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

struct RunReport {
  std::string target;
  std::optional<std::string> chip;
  size_t items = 0;
  // Executed instructions of the inference call alone (marker overhead subtracted); Cortex-M only.
  std::optional<double> instructions_per_inference;  // mean over the items
  std::vector<int64_t> per_item_instructions;
  std::optional<int64_t> marker_overhead_instructions;
  std::optional<int64_t> flash_bytes;          // model code + constants (+ .data images), see qemu_engine.h
  std::optional<int64_t> library_flash_bytes;  // part of flash_bytes from libc/libm/libgcc
  std::optional<int64_t> ram_bytes;            // static RAM (.data + .bss, arena included) + peak stack
  std::optional<int64_t> static_ram_bytes;     // .data + .bss of the model
  std::optional<int64_t> stack_bytes;          // measured peak stack of one inference
  int64_t arena_bytes = 0;
  int64_t macs = 0;
  std::optional<int64_t> chip_flash_bytes, chip_ram_bytes, chip_largest_ram_block_bytes, clock_hz;
  std::optional<bool> fits_flash, fits_ram;
};

// The report fields that need no run: target, items, arena and MACs.
RunReport basic_run_report(const Graph &g, const std::string &target, size_t items);

// Writes `r` as a JSON object (absent figures as null); throws CompileError if the file fails.
void write_run_report(const std::string &path, const RunReport &r);

}  // namespace mtc
