// Helpers for tests of the int8 kernels: small float ONNX models built in the test, quantized by
// microtc on random calibration data, and the runtime kernel each quantized node takes.
#pragma once
#include <onnx/onnx_pb.h>

#include <random>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/quantize.h"

namespace mtc::test {

inline const char *const kPanel = "mtc_qconv2d_s8_panel", *const kDepthwise = "mtc_qdwconv2d_s8",
                  *const kGenericConv = "mtc_qconv2d_s8", *const kFc = "mtc_qfc_s8";

void add_ints(onnx::NodeProto *n, const std::string &name, const std::vector<int64_t> &v);
void add_int(onnx::NodeProto *n, const std::string &name, int64_t v);
void add_initializer(onnx::GraphProto *g, const std::string &name, const Shape &shape, const std::vector<float> &v);
// A float graph input of a static shape, a float graph output (shape inferred), a node named after
// its output.
void add_float_input(onnx::GraphProto *g, const std::string &name, const Shape &shape);
void add_float_output(onnx::GraphProto *g, const std::string &name);
onnx::NodeProto *add_node(onnx::GraphProto *g, const std::string &op, const std::vector<std::string> &inputs,
                          const std::string &output);

// Inputs uniform in [-0.5, 1.5] (a non-zero input zero point), `gain` times that for items that
// should leave the calibrated range and saturate.
std::vector<Value> random_inputs(const Graph &g, std::mt19937 &rng, float gain);

struct SweepModel {
  Graph graph;
  std::vector<std::vector<Value>> batch;  // what the engines run
  QuantizeReport report;
};

Graph load_bytes(const std::string &bytes);

// Quantizes with a calibration batch of four random items; the run batch is two of those plus one
// fresh item at 1.5x gain (saturating inputs and accumulators past the calibrated range).
SweepModel quantize_model(const std::string &bytes, uint32_t seed, const QuantizeOptions &opts = {});

const Node *find_node(const Graph &g, const std::string &name);

// The model's outputs for its batch from every engine that must agree with the evaluator: host C
// -O2, host C under ASan/UBSan (the last item only), Cortex-M4 under QEMU with the DSP kernels and
// with the plain C ones (checking the DSP build runs fewer instructions).
struct EngineOutputs {
  std::string name;
  std::vector<std::vector<Value>> outputs;
};
std::vector<EngineOutputs> run_all_engines(const SweepModel &m);
// Every engine of run_all_engines gives the evaluator's bytes for every output of m's batch.
void check_engines_match_evaluator(const SweepModel &m);

// The runtime kernel emit_qconv / emit_qgemm choose for this node.
std::string chosen_kernel(const Graph &g, const Node &n);

}  // namespace mtc::test
