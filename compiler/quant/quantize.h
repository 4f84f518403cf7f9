// Post-training int8 quantization of a float graph (`microtc compile --quantize int8`):
// weights per output channel symmetric int8, activations per tensor asymmetric int8, biases int32,
// requantization in fixed point: convolutions and matrix products with one rounding of the 32-bit
// high product (RequantMode::MulHigh) where their multipliers fit, TFLite's rounding elsewhere. Ops without an int8 kernel stay float
// between DequantizeLinear and QuantizeLinear; elementwise functions of one tensor become lookup
// tables. The graph's float inputs and outputs stay float unless int8 I/O is asked for.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/calibrate.h"

namespace mtc {

struct QuantizeOptions {
  Calibrator calibrator = Calibrator::MinMax;
  bool int8_io = false;  // graph inputs/outputs become int8 with their quantization parameters
  bool fuse_residual_adds = true;  // residual Adds into the convolution producing an operand
  bool fuse_dequantize_softmax = true;  // a Softmax over int8 logits reads them (QSoftmax)
  ProgressFn progress;
};

struct TensorQuantInfo {
  std::string name;
  float scale = 0.f;
  int32_t zero_point = 0;
  float observed_min = 0.f, observed_max = 0.f;  // over the calibration data
  float range_lo = 0.f, range_hi = 0.f;          // what the calibrator chose
  uint64_t saturated = 0, values = 0;            // calibration values outside the range / seen
};

struct QuantizeReport {
  std::string calibrator;
  size_t samples = 0;
  std::vector<TensorQuantInfo> tensors;
  std::vector<std::string> float_nodes;  // nodes left in float, with why
  size_t int8_nodes = 0;
  // Agreement of the int8 graph with the float graph on (up to 200) calibration samples, per graph
  // output: cosine similarity of the flattened outputs, mean and minimum over the samples.
  size_t compared_samples = 0;
  std::vector<double> output_cosine_mean, output_cosine_min;
};

// Fills r.compared_samples / output_cosine_* by running both graphs in the reference evaluator.
void compare_float_int8(const Graph &float_graph, const Graph &int8_graph,
                        const std::vector<std::vector<Value>> &samples, QuantizeReport &r, size_t max_samples = 200);

// `calibration` holds one vector of input Values per sample (in g.inputs order).
QuantizeReport quantize_graph(Graph &g, const std::vector<std::vector<Value>> &calibration, const QuantizeOptions &opts);

// The report as JSON text.
std::string quantize_report_json(const QuantizeReport &r);

}  // namespace mtc
