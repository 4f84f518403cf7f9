// What `microtc run --report FILE` writes: the measured figures of one run, as JSON.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ir/graph.h"

namespace mtc {

// One node that runs code, measured on its own (QemuOptions::per_layer). A MicroT run also lists
// its exit heads (step -1, kernel kMicrotHeadKernel) after the layers they follow.
struct LayerFigures {
  int step = 0;          // index in the compiled graph's nodes
  std::string name, op;  // from the model (escape before printing into code)
  std::string kernel;    // runtime function called, "" for inline code
  int64_t macs = 0;
  int64_t input_elements = 0, output_elements = 0, patch_elements = 0;  // targets/cost_model.h's LayerShape
  std::string variant;
  int64_t instructions = 0;
};

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
  std::optional<bool> portable_kernels;  // Cortex-M: built with MTC_PORTABLE_KERNELS (no DSP paths)
  // Per layer, first item; the run that measures them has a marker call after every layer, so
  // instructions_per_inference of that run includes those calls (each layer's figure does not).
  std::vector<LayerFigures> layers;
};

// The report fields that need no run: target, items, arena and MACs.
RunReport basic_run_report(const Graph &g, const std::string &target, size_t items);

// The per-layer figures as a text table: step, op, kernel, MACs, instructions, MACs/instruction,
// share of the inference; names escaped for a terminal.
void print_layer_table(const RunReport &r, std::ostream &out);

// The layers as the JSON array write_run_report writes.
nlohmann::json layers_json(const std::vector<LayerFigures> &layers);

// Writes `r` as a JSON object (absent figures as null); throws CompileError if the file fails.
void write_run_report(const std::string &path, const RunReport &r);

}  // namespace mtc
