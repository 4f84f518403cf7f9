// The command-line side of int8 quantization: options shared by compile, run and inspect, the
// calibration file reader and the terminal progress line.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "ir/graph.h"
#include "quant/quantize.h"

namespace mtc {

struct QuantizeCli {
  std::string mode;  // "" or "int8"
  std::string calib;
  std::string calibrator = "minmax";
  std::string io = "float";
  std::string report_file;  // --quant-report

  void add(CLI::App *app);
  bool enabled() const { return !mode.empty(); }
  // Quantizes g in place when --quantize was given; prints a summary to `log`. Returns the report.
  QuantizeReport apply(Graph &g, std::ostream &log) const;
};

// Reads a calibration batch (.npy, or .npz with array `x`, or FILE.npz:KEY) into one item per
// sample for a single-input float graph.
std::vector<std::vector<Value>> read_calibration(const std::string &spec, const Graph &g);

}  // namespace mtc
