#include "driver/quantize_options.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "driver/batch.h"
#include "passes/pass.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/npz.h"

namespace mtc {

void QuantizeCli::add(CLI::App *app) {
  app->add_option("--quantize", mode, "quantize the float model: int8")->check(CLI::IsMember({"int8"}));
  app->add_option("--calib", calib, "calibration inputs: .npy batch, .npz (array x) or FILE.npz:KEY");
  app->add_option("--calibrator", calibrator, "activation range: minmax (default), percentile (99.99%), mse")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}));
  app->add_option("--io", io, "float (default): the API takes and returns float; int8: raw int8 buffers")
      ->check(CLI::IsMember({"float", "int8"}));
  app->add_option("--quant-report", report_file, "write what quantization did per tensor as JSON");
}

std::vector<std::vector<Value>> read_calibration(const std::string &spec, const Graph &g) {
  auto [path, key] = split_array_spec(spec);
  Value x = read_array_file(path, key);
  if (g.inputs.size() != 1)
    throw CompileError("calibration from one file needs a single-input model; this one has " +
                       std::to_string(g.inputs.size()) + " inputs");
  const Tensor &in = g.tensor(g.inputs[0]);
  if (in.dtype != DType::F32) throw CompileError("model input " + quote_name(in.name) + " is not float32");
  std::vector<std::vector<Value>> out;
  for (Value &item : split_batch(to_float32(x), in, spec)) out.push_back({std::move(item)});
  return out;
}

QuantizeReport QuantizeCli::apply(Graph &g, std::ostream &log) const {
  if (!enabled()) return {};
  if (calib.empty()) throw CompileError("--quantize int8 needs calibration data: --calib FILE.npy");
  std::vector<std::vector<Value>> samples = read_calibration(calib, g);
  QuantizeOptions opts;
  opts.calibrator = parse_calibrator(calibrator);
  opts.int8_io = io == "int8";
  bool tty = isatty(STDERR_FILENO);
  if (tty)
    opts.progress = [](size_t done, size_t total, const char *phase) {
      std::fprintf(stderr, "\rcalibrating (%s): %zu/%zu", phase, done, total);
      if (done >= total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
    };
  Graph float_graph = g;
  QuantizeReport r = quantize_graph(g, samples, opts);
  infer_and_fold(g);
  verify_graph(g);
  compare_float_int8(float_graph, g, samples, r);
  size_t saturated = 0;
  for (const auto &t : r.tensors) saturated += t.saturated;
  log << "quantized to int8 (" << r.calibrator << ", " << r.samples << " calibration samples): " << r.int8_nodes
      << " int8 nodes, " << r.float_nodes.size() << " left in float, " << r.tensors.size()
      << " activation tensors, " << saturated << " calibration values saturated\n";
  for (size_t o = 0; o < r.output_cosine_mean.size(); ++o)
    log << "  output " << o << ": cosine similarity float vs int8 on " << r.compared_samples
        << " calibration samples: mean " << r.output_cosine_mean[o] << ", min " << r.output_cosine_min[o] << "\n";
  for (const std::string &f : r.float_nodes) log << "  float: " << f << "\n";
  for (const auto &t : r.tensors)
    log << "  " << quote_name(t.name) << ": scale " << t.scale << " zp " << t.zero_point << " range [" << t.observed_min
        << ", " << t.observed_max << "]" << (t.saturated ? " saturated " + std::to_string(t.saturated) : "") << "\n";
  if (!report_file.empty()) {
    std::ofstream f(report_file);
    f << quantize_report_json(r);
    if (!f) throw CompileError("cannot write " + quote_name(report_file));
  }
  return r;
}

}  // namespace mtc
